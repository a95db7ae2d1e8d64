import FlowrelManifest
import FlowrelValue
import KubeTestSupport
import Testing

@testable import FlowrelKube

/// `validate`, `replace`, `delete` and `waitUntilDeleted` with the real kubectl against the API
/// test server.
@Suite struct KubectlReplaceTests {
  typealias Objects = KubectlEndToEndTests

  @Test func replaceUpdatesCreatesAndRecreatesWhereAFieldIsImmutable() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    try await kube.apply([try Objects.namespace("search")], forceConflicts: false)
    let job = try Objects.job("migrate", in: "search")
    #expect(try await kube.replace(job) == .created)
    #expect(try await kube.replace(job) == .replaced)
    let uid = try await server.storedObjects().first { $0["kind"] == "Job" }?["metadata"]?["uid"]

    // A Job's template cannot change: an apply is refused, a replace deletes and creates.
    let newImage = try Objects.job("migrate", in: "search", image: "busybox:1.37")
    await #expect(throws: KubeError.self) { try await kube.apply([newImage], forceConflicts: false) }
    guard case .recreated(let reason) = try await kube.replace(newImage) else { Issue.record("not recreated"); return }
    #expect(reason.hasPrefix("spec.template: Invalid value: "), "\(reason)")
    #expect(reason.hasSuffix("field is immutable"), "\(reason)")
    let stored = try #require(try await server.storedObjects().first { $0["kind"] == "Job" })
    #expect(stored["metadata"]?["uid"] != uid)
    #expect(stored["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"] == "busybox:1.37")
  }

  @Test func afterTakingOwnershipAReplacedObjectAppliesWithoutConflicts() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let v1 = try Objects.configMap("settings", in: "default", data: ["color": "blue"])
    let v2 = try Objects.configMap("settings", in: "default", data: ["color": "green"])
    let v3 = try Objects.configMap("settings", in: "default", data: ["color": "red"])
    try await kube.apply([v1], forceConflicts: false)
    #expect(try await kube.replace(v2) == .replaced)
    // The replacement is an update: flowrel's next apply conflicts with it...
    await #expect(throws: KubeError.self) { try await kube.apply([v3], forceConflicts: false) }
    // ...unless flowrel's apply takes the fields over.
    try await kube.takeOwnership([v2])
    try await kube.apply([v3], forceConflicts: false)
    let stored = try await server.storedObjects().first { $0["metadata"]?["name"] == "settings" }
    #expect(stored?["data"]?["color"] == "red")
    #expect(stored?["metadata"]?["managedFields"]?.listValue?.count == 1)
    #expect(stored?["metadata"]?["managedFields"]?[0]?["operation"] == "Apply")
  }

  @Test func aReplaceTheServerRefusesForAnotherReasonFails() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    try await kube.apply([try Objects.namespace("search")], forceConflicts: false)
    let refused = try Objects.deployment("web", in: "search", annotations: ["flowrel.test/invalid": "not today"])
    do throws(KubeError) {
      _ = try await kube.replace(refused)
      Issue.record("the server accepted an invalid object")
    } catch {
      guard case .replaceFailed(let object, let stderr) = error else { Issue.record("\(error)"); return }
      #expect(object == refused.identity)
      #expect(stderr.contains("not today"), "\(stderr)")
    }
  }

  @Test func validateAsksTheServerWithoutChangingAnything() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    try await kube.apply([try Objects.namespace("search")], forceConflicts: false)
    try await kube.validate([try Objects.deployment("web", in: "search")], forceConflicts: false)
    #expect(try await server.storedObjects().allSatisfy { $0["kind"] == "Namespace" })
    let refused = try Objects.deployment("web", in: "search", annotations: ["flowrel.test/invalid": "odd replicas only"])
    do throws(KubeError) {
      try await kube.validate([refused], forceConflicts: false)
      Issue.record("the server accepted an invalid object")
    } catch {
      guard case .validationFailed(let message) = error else { Issue.record("\(error)"); return }
      #expect(message.contains("odd replicas only"), "\(message)")
    }
  }

  @Test func waitUntilDeletedWaitsForSlowDeletionsAndTimesOut() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let slow = try Objects.manifest([
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": ["name": "slow", "namespace": "default", "annotations": ["flowrel.test/deletion-delay": "2"]],
    ])
    let stuck = try Objects.manifest([
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": ["name": "stuck", "namespace": "default", "annotations": ["flowrel.test/deletion-delay": "never"]],
    ])
    try await kube.apply([slow, stuck], forceConflicts: false)

    // The deletion of `stuck` never ends: a delete that waited would not return.
    try await kube.delete([stuck.identity, slow.identity])
    #expect(try await server.storedObjects().first { $0["metadata"]?["name"] == "stuck" }?["metadata"]?["deletionTimestamp"] != nil)
    try await kube.waitUntilDeleted([slow.identity], timeout: .seconds(30))
    #expect(try await kube.currentObjects([slow.identity]).isEmpty)

    await #expect(throws: KubeError.deleteTimedOut(timeout: .seconds(1), remaining: [stuck.identity])) {
      try await kube.waitUntilDeleted([slow.identity, stuck.identity], timeout: .seconds(1))
    }
    await #expect(throws: KubeError.invalidTimeout(.seconds(0))) {
      try await kube.waitUntilDeleted([stuck.identity], timeout: .seconds(0))
    }
  }

  @Test(arguments: [
    (
      "The Deployment \"web\" is invalid: spec.selector: Invalid value: {\"matchLabels\": {\"app\": \"b\"}}: field is immutable\n",
      "spec.selector: Invalid value: {\"matchLabels\": {\"app\": \"b\"}}: field is immutable"
    ),
    ("Error from server (NotFound): deployments.apps \"web\" not found\n", nil),
  ])
  func immutableFieldIsReadFromKubectlsMessage(_ stderr: String, _ reason: String?) {
    #expect(Kubectl.immutableField(stderr) == reason)
  }
}
