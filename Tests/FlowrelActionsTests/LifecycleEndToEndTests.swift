import FlowrelActions
import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import KubeTestSupport
import Testing

/// A git store in a temporary folder, the API test server, and the real kubectl: the verbs
/// end to end, as a user runs them.
final class LifecycleFixture: @unchecked Sendable {
  let server: KubeTestServer
  let folder: URL
  let store: GitReleaseStore
  let namespace = "search"

  init() throws {
    server = try KubeTestServer()
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-actions-\(UUID().uuidString)")
    store = GitReleaseStore(path: folder.appendingPathComponent("releases").path, flowrelVersion: "test")
  }

  deinit {
    server.stop()
    try? FileManager.default.removeItem(at: folder)
  }

  func config(kube: (any KubeClient)? = nil) -> ActionConfiguration {
    ActionConfiguration(releases: store, kube: kube ?? server.client(), namespace: namespace)
  }

  /// An install of the release with `values` as its Flow.
  func install(_ values: Value, kube: (any KubeClient)? = nil) throws -> Install {
    var action = Install(config: config(kube: kube))
    action.release = "search-flow"
    action.values = try UserValues(files: [ValuesFile(name: "flow.yml", value: values)])
    return action
  }

  /// An upgrade of the release to `values`.
  func upgrade(_ values: Value) throws -> Upgrade {
    var action = Upgrade(config: config())
    action.release = "search-flow"
    action.values = try UserValues(files: [ValuesFile(name: "flow.yml", value: values)])
    return action
  }

  func options(wait: Bool = false, atomic: Bool = false, timeout: Int64 = 20) -> DeployOptions {
    var options = DeployOptions()
    options.createNamespace = true
    options.wait = wait
    options.atomic = atomic
    options.timeout = .seconds(timeout)
    return options
  }

  /// The release's objects in the cluster, by identity, with their content.
  func live() async throws -> [ObjectIdentity: Value] {
    var objects: [ObjectIdentity: Value] = [:]
    for object in try await server.storedObjects()
    where object["metadata"]?["labels"]?["app.kubernetes.io/instance"] == "search-flow" {
      let manifest = try Manifest(content: object)
      objects[manifest.identity] = object
    }
    return objects
  }

  /// Replicas of a Deployment in the cluster.
  func replicas(_ name: String) async throws -> Int64? {
    try await live().first { $0.key.kind == "Deployment" && $0.key.name == name }?.value["spec"]?["replicas"]?.intValue
  }

  func history() throws -> [RevisionInfo] {
    try store.history(release: "search-flow", namespace: namespace, max: nil)
  }
}

/// Two executors: a sharded searcher and an encoder.
let flowV1: Value = [
  "jtype": "Flow", "with": ["protocol": "http"],
  "executors": [
    ["name": "encoder", "uses": "docker://jinahub/encoder:1.0"],
    ["name": "test_searcher", "uses": "docker://jinahub/searcher:1.0", "shards": 2, "replicas": 2],
  ],
]

/// The searcher scaled up, the encoder removed, a ranker added.
let flowV2: Value = [
  "jtype": "Flow", "with": ["protocol": "http"],
  "executors": [
    ["name": "test_searcher", "uses": "docker://jinahub/searcher:1.0", "shards": 2, "replicas": 3],
    ["name": "ranker", "uses": "docker://jinahub/ranker:1.0"],
  ],
]

@Suite(.serialized) struct LifecycleEndToEndTests {
  @Test func installUpgradeRollbackUninstall() async throws {
    let fx = try LifecycleFixture()
    var install = try fx.install(flowV1)
    install.options = fx.options(wait: true)
    let installed = try await install.run()
    #expect(installed.revision?.info.revision == 1)
    #expect(installed.revision?.info.status == .deployed)
    #expect(Set(try await fx.live().keys) == Set(installed.manifests.map(\.identity)))
    #expect(try await fx.replicas("test-searcher-0") == 2)
    var statusQuery = Status(config: fx.config())
    statusQuery.release = "search-flow"
    let status = try await statusQuery.run()
    #expect(status.info.revision == 1)
    #expect(status.workloads.count == 5, "gateway, encoder, the searcher's head and 2 shards: \(status.workloads.map(\.identity.name))")
    #expect(status.workloads.allSatisfy { $0.exists && $0.ready == $0.wanted && $0.wanted > 0 }, "\(status.workloads)")
    #expect(status.workloads.first { $0.identity.name == "test-searcher-1" }?.wanted == 2)

    var upgrade = try fx.upgrade(flowV2)
    upgrade.options = fx.options(wait: true)
    let upgraded = try await upgrade.run()
    #expect(upgraded.revision?.info.revision == 2)
    let afterUpgrade = try await fx.live()
    #expect(Set(afterUpgrade.keys) == Set(upgraded.manifests.map(\.identity)), "the encoder's objects are pruned")
    #expect(!afterUpgrade.keys.contains { $0.name.hasPrefix("encoder") })
    #expect(afterUpgrade.keys.contains { $0.kind == "Deployment" && $0.name == "ranker" })
    #expect(try await fx.replicas("test-searcher-1") == 3)

    var rollback = Rollback(config: fx.config())
    rollback.release = "search-flow"
    rollback.revision = 1
    rollback.options = fx.options(wait: true)
    let rolledBack = try await rollback.run()
    #expect(rolledBack.revision?.info.revision == 3)
    #expect(rolledBack.revision?.info.action == .rollback)
    #expect(Set(try await fx.live().keys) == Set(installed.manifests.map(\.identity)), "the cluster matches revision 1 again")
    #expect(try await fx.replicas("test-searcher-1") == 2)

    var uninstall = Uninstall(config: fx.config())
    uninstall.release = "search-flow"
    let uninstalled = try await uninstall.run()
    #expect(uninstalled.revision?.revision == 4)
    #expect(try await fx.live().isEmpty, "nothing of the release is left")
    #expect(try fx.history().map(\.status) == [.superseded, .superseded, .superseded, .uninstalled])
  }

  @Test func atomicWaitRestoresThePreviousRevision() async throws {
    let fx = try LifecycleFixture()
    var install = try fx.install(flowV1)
    install.options = fx.options(wait: true)
    let installed = try await install.run()

    // The server never makes a workload with this image ready.
    let broken: Value = ["jtype": "Flow", "executors": [["name": "encoder", "uses": "docker://jinahub/never-ready:1.0"]]]
    var upgrade = try fx.upgrade(broken)
    upgrade.options = fx.options(wait: true, atomic: true, timeout: 3)
    await #expect {
      _ = try await upgrade.run()
    } throws: { error in
      guard case .deployFailed(revision: 2, restoredRevision: 3, cause: .waitTimedOut)? = error as? ActionError else { return false }
      return (error as? ActionError)?.exitCode == 2
    }
    #expect(Set(try await fx.live().keys) == Set(installed.manifests.map(\.identity)), "the cluster is back at revision 1")
    let history = try fx.history()
    #expect(history.map(\.status) == [.superseded, .failed, .deployed])
    #expect(history.map(\.action) == [.install, .upgrade, .rollback])
    #expect(history[2].description == "Rollback to 1 after revision 2 failed")
  }

  @Test func missingKubectlIsExitCodeTwoAndRecordsNothing() async throws {
    let fx = try LifecycleFixture()
    var install = try fx.install(flowV1, kube: Kubectl(executable: "/nonexistent/kubectl"))
    install.options = fx.options()
    await #expect {
      _ = try await install.run()
    } throws: { error in
      guard case .kube(.kubectlNotFound)? = error as? ActionError else { return false }
      return (error as? ActionError)?.exitCode == 2 && "\(error)".contains("/nonexistent/kubectl")
    }
    #expect(throws: StoreError.releaseNotFound(name: "search-flow", namespace: "search")) { try fx.history() }
  }

  @Test func unreachableServerIsExitCodeTwoAndRecordsNothing() async throws {
    let fx = try LifecycleFixture()
    fx.server.stop()
    var install = try fx.install(flowV1)
    install.options = fx.options()
    await #expect {
      _ = try await install.run()
    } throws: { error in
      guard case .kube(.clusterUnreachable)? = error as? ActionError else { return false }
      return (error as? ActionError)?.exitCode == 2
    }
    #expect(throws: StoreError.releaseNotFound(name: "search-flow", namespace: "search")) { try fx.history() }
  }

  @Test func fieldManagerConflictRecordsAFailedRevision() async throws {
    let fx = try LifecycleFixture()
    // Someone else owns the gateway's ConfigMap data first.
    let other = fx.server.client(fieldManager: "someone-else")
    _ = try await other.ensureNamespace("search")
    try await other.apply([try Manifest(content: [
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": ["name": "gateway-configmap", "namespace": "search"], "data": ["pythonunbuffered": "0"],
    ])], forceConflicts: false)
    var install = try fx.install(flowV1)
    install.options = fx.options()
    await #expect {
      _ = try await install.run()
    } throws: { error in
      guard case .deployFailed(revision: 1, restoredRevision: nil, cause: .conflict)? = error as? ActionError else { return false }
      return "\(error)".contains("gateway-configmap") && "\(error)".contains("someone-else")
    }
    #expect(try fx.history().map(\.status) == [.failed])
    // A failed first install does not block the next one.
    install.options.forceConflicts = true
    #expect(try await install.run().revision?.info.revision == 2)
  }
}
