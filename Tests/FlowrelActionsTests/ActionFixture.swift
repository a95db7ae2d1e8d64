import FlowrelActions
import Foundation
import KubeTestSupport
import Testing

/// An in-memory store and a recording kube client: every verb runs in milliseconds, and every
/// failure of the cluster can be injected (`kube.fail(...)`).
struct ActionFixture {
  let store = MemoryReleaseStore(flowrelVersion: "test")
  var kube = FakeKubeClient()
  let namespace = "search"

  var config: ActionConfiguration { ActionConfiguration(releases: store, kube: kube, namespace: namespace) }

  /// A Flow of one executor with `replicas` replicas and, optionally, a second executor.
  static func flow(replicas: Int64 = 1, ranker: Bool = false) -> Value {
    var executors: [Value] = [["name": "encoder", "uses": "docker://jinahub/encoder:1.0", "replicas": .int(replicas)]]
    if ranker { executors.append(["name": "ranker", "uses": "docker://jinahub/ranker:1.0"]) }
    return ["jtype": "Flow", "executors": .list(executors)]
  }

  /// User values holding `flow` as a values file.
  static func values(_ flow: Value) throws -> UserValues {
    try UserValues(files: [ValuesFile(name: "flow.yml", value: flow)])
  }

  func install(_ flow: Value = ActionFixture.flow(), configure: (inout Install) -> Void = { _ in }) async throws -> DeployResult {
    var action = Install(config: config)
    action.release = "web"
    action.values = try Self.values(flow)
    configure(&action)
    return try await action.run()
  }

  func upgrade(_ flow: Value? = ActionFixture.flow(replicas: 2), configure: (inout Upgrade) -> Void = { _ in }) async throws -> DeployResult {
    var action = Upgrade(config: config)
    action.release = "web"
    action.values = try flow.map(Self.values) ?? UserValues()
    configure(&action)
    return try await action.run()
  }

  /// The release's history: (revision, action, status).
  func history() throws -> [String] {
    try store.history(release: "web", namespace: namespace, max: nil).map { "\($0.revision) \($0.action.rawValue) \($0.status.rawValue)" }
  }

  /// The kinds of the calls made so far.
  var callKinds: [FakeKubeClient.CallKind] { kube.calls.map(\.kind) }
}

/// The action error `body` throws (a test failure when it succeeds or throws another error).
func actionError(_ body: () async throws -> Void) async -> ActionError? {
  do {
    try await body()
    Issue.record("succeeded, but should have failed")
  } catch let error as ActionError {
    return error
  } catch {
    Issue.record("threw \(error), not an ActionError")
  }
  return nil
}
