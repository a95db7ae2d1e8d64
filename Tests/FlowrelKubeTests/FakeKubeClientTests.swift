import FlowrelKube
import FlowrelManifest
import FlowrelValue
import KubeTestSupport
import Synchronization
import Testing

/// The recording fake that action tests drive instead of a cluster.
@Suite struct FakeKubeClientTests {
  let web = ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "search", name: "web")
  let settings = ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: "search", name: "settings")

  func manifest(_ identity: ObjectIdentity) throws -> Manifest {
    try Manifest(content: [
      "apiVersion": .string(identity.apiVersion), "kind": .string(identity.kind),
      "metadata": ["name": .string(identity.name), "namespace": .string(identity.namespace ?? "")],
    ])
  }

  @Test func recordsEveryCallWithItsArgumentsInOrder() async throws {
    let fake = FakeKubeClient()
    _ = try await fake.checkCluster()
    _ = try await fake.ensureNamespace("search")
    try await fake.apply([try manifest(settings), try manifest(web)], forceConflicts: true)
    try await fake.waitUntilReady([web], timeout: .seconds(30)) { _ in }
    _ = try await fake.currentObjects([settings])
    _ = try await fake.drift([try manifest(web)], forceConflicts: false)
    try await fake.delete([web, settings])
    #expect(
      fake.calls == [
        .checkCluster, .ensureNamespace("search"), .apply([settings, web], forceConflicts: true),
        .waitUntilReady([web], timeout: .seconds(30)), .currentObjects([settings]), .drift([web], forceConflicts: false),
        .delete([web, settings]),
      ])
  }

  @Test func recordsTheReplacingValidatingAndDeletionWaitingCalls() async throws {
    let fake = FakeKubeClient()
    fake.replacements = [web: .recreated(reason: "spec.selector: field is immutable")]
    try await fake.validate([try manifest(web)], forceConflicts: true)
    #expect(try await fake.replace(try manifest(web)) == .recreated(reason: "spec.selector: field is immutable"))
    #expect(try await fake.replace(try manifest(settings)) == .replaced, "the default answer")
    try await fake.takeOwnership([try manifest(web)])
    try await fake.waitUntilDeleted([settings], timeout: .seconds(9))
    #expect(
      fake.calls == [
        .validate([web], forceConflicts: true), .replace(web), .replace(settings), .takeOwnership([web]),
        .waitUntilDeleted([settings], timeout: .seconds(9)),
      ])
  }

  @Test func answersFromItsConfiguration() async throws {
    let progress = WorkloadProgress(object: web, message: "deployment \"web\" successfully rolled out", isReady: true)
    let fake = FakeKubeClient(
      serverVersion: "v1.30.0", liveObjects: [settings: ["data": ["a": "1"]]], drift: "-a\n+b\n", namespaces: ["default"],
      progress: [progress])
    #expect(try await fake.checkCluster() == "v1.30.0")
    #expect(try await fake.currentObjects([web, settings]) == [settings: ["data": ["a": "1"]]])
    #expect(try await fake.drift([try manifest(web)], forceConflicts: false) == "-a\n+b\n")
    #expect(try await fake.ensureNamespace("default") == false)
    #expect(try await fake.ensureNamespace("search") == true)
    #expect(try await fake.ensureNamespace("search") == false)
    let reported = Mutex<[WorkloadProgress]>([])
    try await fake.waitUntilReady([web], timeout: .seconds(1)) { update in reported.withLock { $0.append(update) } }
    #expect(reported.withLock { $0 } == [progress])

    fake.drift = nil
    fake.liveObjects = [:]
    #expect(try await fake.drift([try manifest(web)], forceConflicts: false) == nil)
    #expect(try await fake.currentObjects([settings]).isEmpty)
  }

  @Test func anInjectedErrorFailsEveryCallOfItsKindAndIsRecorded() async throws {
    let fake = FakeKubeClient()
    fake.fail(.apply, with: .applyFailed("etcd is on fire"))
    for _ in 0..<2 {
      await #expect(throws: KubeError.applyFailed("etcd is on fire")) {
        try await fake.apply([try manifest(web)], forceConflicts: false)
      }
    }
    try await fake.delete([web])  // other kinds still succeed
    #expect(fake.calls.map(\.kind) == [.apply, .apply, .delete])
    fake.succeed(.apply)
    try await fake.apply([try manifest(web)], forceConflicts: false)
  }

  @Test func anInjectedErrorCanHitOnlyTheNthCallOfItsKind() async throws {
    let fake = FakeKubeClient()
    let timedOut = KubeError.waitTimedOut(timeout: .seconds(1), notReady: [])
    fake.fail(.waitUntilReady, with: timedOut, onCall: 2)
    try await fake.waitUntilReady([web], timeout: .seconds(1)) { _ in }
    _ = try await fake.checkCluster()  // calls of other kinds do not count
    await #expect(throws: timedOut) { try await fake.waitUntilReady([web], timeout: .seconds(1)) { _ in } }
    try await fake.waitUntilReady([web], timeout: .seconds(1)) { _ in }
  }

  @Test func recordsCallsFromManyTasksAtOnce() async throws {
    let fake = FakeKubeClient()
    let created = try await withThrowingTaskGroup(of: Bool.self) { group in
      for index in 0..<200 {
        group.addTask { try await fake.ensureNamespace("ns-\(index % 50)") }
      }
      return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
    }
    // Each namespace was created exactly once, and no call was lost.
    #expect(created == 50)
    let calls = fake.calls
    #expect(calls.count == 200)
    #expect(Set(calls) == Set((0..<50).map { FakeKubeClient.Call.ensureNamespace("ns-\($0)") }))
  }
}
