import FlowrelActions
import Foundation
import KubeTestSupport
import Testing

/// `flowrel sync` notes what it applied, and `history` and `status` show it.
@Suite struct SyncNoteTests {
  static let syncTime = Date(timeIntervalSince1970: 1_780_000_000)

  @Test func aSyncIsNotedAndHistoryAndStatusShowTheRevisionDeployed() async throws {
    let fx = ActionFixture(kube: FakeKubeClient(contextName: "prod-east"))
    _ = try await fx.install { $0.options.noApply = true }
    var sync = Sync(config: fx.config)
    sync.release = "web"
    sync.clock = { Self.syncTime }
    let result = try await sync.run()
    let expected = SyncRecord(release: "web", namespace: "search", revision: 1, time: Self.syncTime, context: "prod-east",
                              result: "deployed")
    #expect(result.record == expected)
    #expect(try fx.store.syncRecords(release: "web", namespace: "search") == [expected])

    var history = History(config: fx.config)
    history.release = "web"
    let revisions = try history.run()
    #expect(revisions.map(\.status) == [.deployed], "a synced recorded revision reads deployed")
    #expect(revisions.first?.description == "Install complete (synced to prod-east at 2026-05-28T20:26:40Z: deployed)")

    var status = Status(config: fx.config)
    status.release = "web"
    let report = try await status.run()
    #expect(report.synced == expected)
    #expect(report.info.status == .deployed)
    #expect(Output.status(report).contains("\nSYNCED: 2026-05-28T20:26:40Z to context prod-east: deployed\n"))
  }

  @Test func aFailedSyncIsNotedAsFailedAndTheRevisionStaysRecorded() async throws {
    let fx = ActionFixture(kube: FakeKubeClient(contextName: "prod-east"))
    _ = try await fx.install { $0.options.noApply = true }
    fx.kube.fail(.apply, with: .applyFailed("the API server refused it"))
    var sync = Sync(config: fx.config)
    sync.release = "web"
    sync.clock = { Self.syncTime }
    _ = await actionError { _ = try await sync.run() }
    #expect(try fx.store.syncRecords(release: "web", namespace: "search").map(\.result) == ["failed"])
    var history = History(config: fx.config)
    history.release = "web"
    #expect(try history.run().map(\.status) == [.recorded])
  }
}
