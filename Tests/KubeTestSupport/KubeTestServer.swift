import FlowrelKube
import FlowrelValue
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The project's Kubernetes API test server (Tests/KubeAPIServer/kube_api_server.py), started for
/// one test on 127.0.0.1 and a free port, with its own kubeconfig and kubectl cache, and stopped
/// by PID when the test ends (`stop()`, or at the latest when this object goes away).
package final class KubeTestServer: @unchecked Sendable {
  package struct StartError: Error, CustomStringConvertible {
    package let description: String
  }

  package let directory: URL
  package let port: Int
  package let kubeconfig: String
  private let process: Process

  package init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-kube-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory.appendingPathComponent("tmp"), withIntermediateDirectories: true)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("KubeAPIServer/kube_api_server.py")
    let portFile = directory.appendingPathComponent("port")
    process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, "--port", "0", "--port-file", portFile.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle(forWritingAtPath: "/dev/null")
    try process.run()
    // The server writes the port file (by rename) only once it listens, so reading it is race-free.
    var found: Int?
    for _ in 0..<500 {
      if let text = try? String(contentsOf: portFile, encoding: .utf8), let number = Int(text) {
        found = number
        break
      }
      if !process.isRunning { break }
      Thread.sleep(forTimeInterval: 0.02)
    }
    guard let found else {
      if process.isRunning { kill(process.processIdentifier, SIGKILL) }
      process.waitUntilExit()
      throw StartError(description: "the Kubernetes API test server did not start (is python3 installed?)")
    }
    port = found
    kubeconfig = directory.appendingPathComponent("kubeconfig").path
    let config = """
      apiVersion: v1
      kind: Config
      clusters:
      - name: test
        cluster:
          server: http://127.0.0.1:\(found)
      contexts:
      - name: test
        context:
          cluster: test
          user: test
      current-context: test
      users:
      - name: test
        user: {}

      """
    try config.write(toFile: kubeconfig, atomically: true, encoding: .utf8)
  }

  /// Stops the server: SIGTERM to its PID, then waits for it to exit. Its files stay until
  /// this object goes away, so a test can still point kubectl at the silent port.
  package func stop() {
    guard process.isRunning else { return }
    kill(process.processIdentifier, SIGTERM)
    // The server exits at once on SIGTERM; SIGKILL only if it is wedged, so no test hangs here.
    for _ in 0..<250 where process.isRunning { Thread.sleep(forTimeInterval: 0.02) }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit {
    stop()
    try? FileManager.default.removeItem(at: directory)
  }

  /// A kubectl client for this server that never touches the user's ~/.kube.
  package func client(fieldManager: String = "flowrel") -> Kubectl {
    var kubectl = Kubectl(kubeconfig: kubeconfig, context: "test")
    kubectl.fieldManager = fieldManager
    kubectl.commandTimeout = .seconds(60)
    kubectl.environment = [
      "HOME": directory.path, "KUBECACHEDIR": directory.appendingPathComponent("cache").path,
      "TMPDIR": directory.appendingPathComponent("tmp").path,
    ]
    return kubectl
  }

  /// Every object the server stores (its admin endpoint).
  package func storedObjects() async throws -> [Value] {
    try await admin("GET", "/__test/objects")["items"]?.listValue ?? []
  }

  /// The requests the server has seen, as (method, path).
  package func requests() async throws -> [(method: String, path: String)] {
    let items = try await admin("GET", "/__test/requests")["items"]?.listValue ?? []
    return items.map { ($0["method"]?.stringValue ?? "", $0["path"]?.stringValue ?? "") }
  }

  /// Makes matching API requests fail (see the server's documentation of `/__test/fail`).
  package func failRequests(_ rule: Value) async throws {
    _ = try await admin("POST", "/__test/fail", body: rule)
  }

  private func admin(_ method: String, _ path: String, body: Value? = nil) async throws -> Value {
    guard let url = URL(string: "http://127.0.0.1:\(port)\(path)") else { throw StartError(description: "bad URL") }
    var request = URLRequest(url: url)
    request.httpMethod = method
    if let body { request.httpBody = Data(try body.jsonText().utf8) }
    let (data, _) = try await URLSession.shared.data(for: request)
    return try Value(jsonText: String(decoding: data, as: UTF8.self))
  }
}
