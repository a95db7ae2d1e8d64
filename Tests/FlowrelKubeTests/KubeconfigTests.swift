import Foundation
import Testing

@testable import FlowrelKube

/// The release namespace's default comes from the kubeconfig, found as kubectl finds it.
@Suite struct KubeconfigTests {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-kubeconfig-\(UUID().uuidString)")

  func write(_ name: String, _ text: String) throws -> String {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let path = folder.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static let config = """
    current-context: dev
    contexts:
    - name: dev
      context: {cluster: c, namespace: team-a}
    - name: prod
      context: {cluster: c, namespace: team-b}
    - name: bare
      context: {cluster: c}
    """

  /// A sync record names the context kubectl talks to: the one asked, else the current one.
  @Test func theClientsContextIsTheOneAskedElseTheKubeconfigsCurrentOne() throws {
    let file = try write("config", "apiVersion: v1\nkind: Config\ncurrent-context: staging\ncontexts:\n- name: staging\n  context: {cluster: c}\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(Kubectl(kubeconfig: file).contextName == "staging")
    #expect(Kubectl(kubeconfig: file, context: "prod-east").contextName == "prod-east")
  }

  @Test func theCurrentContextsNamespaceOrTheOneAsked() throws {
    let file = try write("config", Self.config)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try Kubeconfig.namespace(kubeconfig: file, context: nil, environment: [:]) == "team-a")
    #expect(try Kubeconfig.namespace(kubeconfig: file, context: "prod", environment: [:]) == "team-b")
    #expect(try Kubeconfig.namespace(kubeconfig: file, context: "bare", environment: [:]) == nil)
    #expect(try Kubeconfig.namespace(kubeconfig: nil, context: nil, environment: ["KUBECONFIG": file]) == "team-a")
  }

  @Test func inAListOfFilesTheFirstToSetAValueWins() throws {
    let first = try write("a", "contexts:\n- name: prod\n  context: {namespace: from-a}\n")
    let second = try write("b", Self.config)
    defer { try? FileManager.default.removeItem(at: folder) }
    let environment = ["KUBECONFIG": "\(first):\(folder.path)/missing:\(second)"]
    #expect(try Kubeconfig.namespace(kubeconfig: nil, context: nil, environment: environment) == "team-a")
    #expect(try Kubeconfig.namespace(kubeconfig: nil, context: "prod", environment: environment) == "from-a")
  }

  @Test func noConfigurationIsNoNamespace() throws {
    #expect(try Kubeconfig.namespace(kubeconfig: nil, context: nil, environment: ["HOME": "/nonexistent"]) == nil)
  }

  @Test func aBrokenOrMissingNamedFileIsAnErrorNamingIt() throws {
    let broken = try write("broken", "contexts: [\n")
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(throws: KubeError.self) { try Kubeconfig.namespace(kubeconfig: broken, context: nil, environment: [:]) }
    let error = #expect(throws: KubeError.self) {
      try Kubeconfig.namespace(kubeconfig: "/nonexistent/config", context: nil, environment: [:])
    }
    #expect(error?.description.hasPrefix("/nonexistent/config: cannot be read") == true)
  }
}
