import FlowrelActions
import FlowrelAge
import Foundation
import KubeTestSupport
import Testing

@Suite struct InstallTests {
  @Test func installChecksTheClusterAppliesInInstallOrderAndRecordsDeployed() async throws {
    let fx = ActionFixture()
    let result = try await fx.install()
    #expect(result.revision?.info.revision == 1)
    #expect(fx.callKinds == [.checkCluster, .apply])
    guard case .apply(let applied, forceConflicts: false)? = fx.kube.calls.last else { Issue.record("no apply"); return }
    #expect(applied == result.manifests.map(\.identity).sortedForInstall())
    #expect(try fx.history() == ["1 install deployed"])
  }

  @Test func anInstalledReleaseIsRefusedUnlessReplaced() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    let error = await actionError { _ = try await fx.install() }
    guard case .releaseExists(name: "web", namespace: "search", revision: 1)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(error?.exitCode == 1)
    #expect(try await fx.install { $0.replace = true }.revision?.info.revision == 2)
  }

  @Test func anUnreachableClusterRecordsNothing() async throws {
    let fx = ActionFixture()
    fx.kube.fail(.checkCluster, with: .clusterUnreachable("connection refused"))
    let error = await actionError { _ = try await fx.install() }
    guard case .kube(.clusterUnreachable)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(error?.exitCode == 2)
    #expect(fx.callKinds == [.checkCluster])
    #expect(throws: StoreError.releaseNotFound(name: "web", namespace: "search")) { try fx.history() }
  }

  @Test func aFailedApplyIsRecordedAsFailedAndDoesNotBlockTheNextInstall() async throws {
    let fx = ActionFixture()
    fx.kube.fail(.apply, with: .applyFailed("admission webhook denied"), onCall: 1)
    let error = await actionError { _ = try await fx.install() }
    guard case .deployFailed(revision: 1, restoredRevision: nil, cause: .applyFailed)? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(error?.exitCode == 2)
    #expect(try fx.history() == ["1 install failed"])
    #expect(try await fx.install().revision?.info.revision == 2)
  }

  @Test func atomicFirstInstallRemovesWhatItCreated() async throws {
    let fx = ActionFixture()
    fx.kube.fail(.waitUntilReady, with: .waitTimedOut(timeout: .seconds(1), notReady: []))
    let error = await actionError { _ = try await fx.install { $0.options.atomic = true } }
    guard case .deployFailed(revision: 1, restoredRevision: nil, cause: .waitTimedOut)? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(fx.callKinds == [.checkCluster, .apply, .waitUntilReady, .delete])
    guard case .apply(let applied, _) = fx.kube.calls[1], case .delete(let deleted) = fx.kube.calls[3] else { Issue.record("calls"); return }
    #expect(deleted == applied.reversed(), "everything applied is deleted, in uninstall order")
  }

  @Test func dryRunTouchesNeitherTheClusterNorTheStore() async throws {
    let fx = ActionFixture()
    let result = try await fx.install { $0.options.dryRun = true }
    #expect(result.revision == nil)
    #expect(!result.manifests.isEmpty)
    #expect(fx.kube.calls.isEmpty)
    #expect(throws: StoreError.self) { try fx.history() }
  }

  @Test func noApplyRecordsWithoutTheCluster() async throws {
    let fx = ActionFixture()
    let result = try await fx.install { $0.options.noApply = true }
    #expect(result.revision?.info.status == .recorded)
    #expect(fx.kube.calls.isEmpty)
  }

  @Test func dryRunAndNoApplyExcludeEachOther() async throws {
    let fx = ActionFixture()
    let error = await actionError { _ = try await fx.install { $0.options.dryRun = true; $0.options.noApply = true } }
    guard case .usage? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(fx.kube.calls.isEmpty)
  }

  @Test func waitAndCreateNamespaceReachTheCluster() async throws {
    let fx = ActionFixture()
    _ = try await fx.install {
      $0.options.wait = true
      $0.options.timeout = .seconds(42)
      $0.options.createNamespace = true
    }
    #expect(fx.callKinds == [.checkCluster, .ensureNamespace, .apply, .waitUntilReady])
    #expect(fx.kube.calls[1] == .ensureNamespace("search"))
    guard case .waitUntilReady(_, timeout: let timeout) = fx.kube.calls[3] else { Issue.record("no wait"); return }
    #expect(timeout == .seconds(42))
  }
}

@Suite struct UpgradeTests {
  @Test func upgradeOfAReleaseNotInstalledFailsUnlessInstallIsAsked() async throws {
    let fx = ActionFixture()
    let error = await actionError { _ = try await fx.upgrade() }
    guard case .notInstalled(name: "web", namespace: "search")? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(error?.exitCode == 1)
    #expect(try await fx.upgrade { $0.install = true }.revision?.info.action == .install)
  }

  @Test func upgradePrunesWhatTheNewRevisionDropped() async throws {
    let fx = ActionFixture()
    let first = try await fx.install(ActionFixture.flow(ranker: true))
    let second = try await fx.upgrade(ActionFixture.flow())
    #expect(second.revision?.info.revision == 2)
    #expect(second.plan.removed.contains { $0.name == "ranker" })
    guard case .delete(let deleted)? = fx.kube.calls.last else { Issue.record("no prune"); return }
    #expect(Set(deleted) == Set(first.manifests.map(\.identity)).subtracting(second.manifests.map(\.identity)))
  }

  @Test func aFailedPruneIsRecordedAsFailed() async throws {
    let fx = ActionFixture()
    _ = try await fx.install(ActionFixture.flow(ranker: true))
    fx.kube.fail(.delete, with: .deleteFailed("forbidden"))
    let error = await actionError { _ = try await fx.upgrade(ActionFixture.flow()) }
    guard case .deployFailed(revision: 2, restoredRevision: nil, cause: .deleteFailed)? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(try fx.history() == ["1 install deployed", "2 upgrade failed"], "a failed revision replaces nothing")
  }

  @Test func atomicUpgradeRestoresAndRecordsTheRollback() async throws {
    let fx = ActionFixture()
    let first = try await fx.install()
    fx.kube.fail(.waitUntilReady, with: .waitTimedOut(timeout: .seconds(1), notReady: []))
    let error = await actionError { _ = try await fx.upgrade { $0.options.atomic = true } }
    guard case .deployFailed(revision: 2, restoredRevision: 3, cause: .waitTimedOut)? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    guard case .apply(let restored, _)? = fx.kube.calls.last else { Issue.record("no restore"); return }
    #expect(restored == first.manifests.map(\.identity).sortedForInstall())
    #expect(try fx.history() == ["1 install superseded", "2 upgrade failed", "3 rollback deployed"])
  }

  @Test func valuesAreKeptWhenNoneAreGivenAndDroppedWithResetValues() async throws {
    let fx = ActionFixture()
    _ = try await fx.install(ActionFixture.flow(replicas: 3))
    let kept = try await fx.upgrade(nil)
    #expect(kept.revision?.values["executors"]?[0]?["replicas"] == 3)
    let reset = try await fx.upgrade(nil) { $0.resetValues = true }
    #expect(reset.revision?.values == .emptyMap)
  }

  @Test func reuseValuesMergesTheGivenValuesOverTheInstalledOnes() async throws {
    let fx = ActionFixture()
    _ = try await fx.install(["executors": [["name": "encoder", "uses": "docker://x/e:1"]], "gateway": ["replicas": 2]])
    let upgraded = try await fx.upgrade(["gateway": ["env": ["TIER": "gold"]]]) { $0.reuseValues = true }
    #expect(upgraded.revision?.values["gateway"] == ["replicas": 2, "env": ["TIER": "gold"]])
    #expect(upgraded.revision?.values["executors"]?[0]?["name"] == "encoder")
  }

  @Test func aChartThatIsNotBuiltInMustBeNamedAgain() async throws {
    let fx = ActionFixture()
    let revision = NewRevision(
      release: "web", namespace: "search", action: .install, status: .deployed,
      chart: ChartReference(name: "my-chart", version: "1.0.0"), values: .emptyMap, manifests: [], notes: nil,
      description: "Install complete")
    _ = try await fx.store.record(revision)
    let error = await actionError { _ = try await fx.upgrade(nil) }
    guard case .chartNotRecorded(name: "my-chart", release: "web")? = error else { Issue.record("\(String(describing: error))"); return }
  }

  @Test func theRecordedBuiltInChartIsNotShadowedByAFolderOfItsName() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    // A folder `flow` in the current directory that is not a chart at all.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-shadow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("flow"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let previous = FileManager.default.currentDirectoryPath
    FileManager.default.changeCurrentDirectoryPath(folder.path)
    defer { FileManager.default.changeCurrentDirectoryPath(previous) }
    let upgraded = try await fx.upgrade()
    #expect(upgraded.revision?.info.chart?.name == "flow")
  }
}

@Suite struct RollbackTests {
  @Test func aSingleRevisionHasNothingToRollBackTo() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var rollback = Rollback(config: fx.config)
    rollback.release = "web"
    let error = await actionError { _ = try await rollback.run() }
    guard case .nothingToRollBack(name: "web", namespace: "search")? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(error?.exitCode == 1)
  }

  @Test func rollbackAppliesTheEarlierObjectsAsANewRevision() async throws {
    let fx = ActionFixture()
    let first = try await fx.install(ActionFixture.flow(ranker: true))
    _ = try await fx.upgrade(ActionFixture.flow())
    var rollback = Rollback(config: fx.config)
    rollback.release = "web"
    let result = try await rollback.run()
    #expect(result.revision?.info.revision == 3)
    #expect(result.manifests == first.manifests)
    #expect(try fx.history() == ["1 install superseded", "2 upgrade superseded", "3 rollback deployed"])
  }

  @Test func diffRollbackPlansWithoutWritingOrApplying() async throws {
    let fx = ActionFixture()
    _ = try await fx.install(ActionFixture.flow(ranker: true))
    _ = try await fx.upgrade(ActionFixture.flow())
    let calls = fx.kube.calls.count
    var diff = DiffRollback(config: fx.config)
    diff.rollback.release = "web"
    let plan = try await diff.run()
    #expect(plan.changes.contains { $0.kind == .added && $0.identity.name == "ranker" })
    #expect(fx.kube.calls.count == calls)
    #expect(try fx.history().count == 2)
  }
}

@Suite struct UninstallTests {
  @Test func uninstallDeletesInUninstallOrderAndRecords() async throws {
    let fx = ActionFixture()
    let installed = try await fx.install()
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    let result = try await uninstall.run()
    #expect(result.deletedInCluster)
    #expect(fx.kube.calls.last == .delete(installed.manifests.map(\.identity).sortedForUninstall()))
    #expect(try fx.history() == ["1 install superseded", "2 uninstall uninstalled"])
  }

  @Test func noApplyRecordsWithoutDeletingAndSaysSo() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    uninstall.noApply = true
    let result = try await uninstall.run()
    #expect(!result.deletedInCluster)
    #expect(!fx.callKinds.contains(.delete))
    #expect(Output.uninstalled(result, release: "web").hasPrefix("recorded the removal of "))
  }

  @Test func aFailedDeleteRecordsNothing() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    fx.kube.fail(.delete, with: .deleteFailed("forbidden"))
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    let error = await actionError { _ = try await uninstall.run() }
    guard case .kube(.deleteFailed)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(try fx.history() == ["1 install deployed"])
  }

  @Test func uninstallOfAReleaseNotInstalledFails() async throws {
    let fx = ActionFixture()
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    let error = await actionError { _ = try await uninstall.run() }
    guard case .notInstalled? = error else { Issue.record("\(String(describing: error))"); return }
  }
}

@Suite struct SyncTests {
  @Test func syncAppliesTheStoredRevisionAndPrunesWhatTheOneBeforeHad() async throws {
    let fx = ActionFixture()
    let first = try await fx.install(ActionFixture.flow(ranker: true)) { $0.options.noApply = true }
    let second = try await fx.upgrade(ActionFixture.flow()) { $0.options.noApply = true }
    var sync = Sync(config: fx.config)
    sync.release = "web"
    let result = try await sync.run()
    #expect(result.revision.info.revision == 2)
    #expect(fx.callKinds == [.checkCluster, .apply, .delete])
    #expect(fx.kube.calls.last == .delete(ChangePlan(from: first.manifests, to: second.manifests).removed))
    #expect(try fx.history().count == 2, "sync records nothing")
  }

  @Test func atomicSyncAppliesTheRevisionBeforeAgainOnFailure() async throws {
    let fx = ActionFixture()
    let first = try await fx.install { $0.options.noApply = true }
    _ = try await fx.upgrade { $0.options.noApply = true }
    fx.kube.fail(.waitUntilReady, with: .waitTimedOut(timeout: .seconds(1), notReady: []))
    var sync = Sync(config: fx.config)
    sync.release = "web"
    sync.options.atomic = true
    let error = await actionError { _ = try await sync.run() }
    guard case .kube(.waitTimedOut)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(fx.kube.calls.last == .apply(first.manifests.map(\.identity).sortedForInstall(), forceConflicts: false))
  }

  @Test func diffLiveReportsTheClientsDrift() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var live = DiffLive(config: fx.config)
    live.release = "web"
    #expect(try await live.run() == nil)
    fx.kube.drift = "--- a\n+++ b\n"
    #expect(try await live.run() == "--- a\n+++ b\n")
  }
}

@Suite struct EncryptedSecretTests {
  /// A chart-free revision holding one Secret, recorded with `identity` as recipient.
  static func recordSecret(in store: MemoryReleaseStore) async throws {
    let secret = try Manifest(content: [
      "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "search"],
      "stringData": ["password": "s3cret-Pa55"],
    ])
    _ = try await store.record(NewRevision(
      release: "web", namespace: "search", action: .install, status: .recorded, chart: ChartReference(name: "x", version: "1.0.0"),
      values: .emptyMap, manifests: [secret], notes: nil, description: "Install complete"))
  }

  @Test func aSecretReadWithoutAnIdentityIsNeverApplied() async throws {
    let identity = AgeIdentity.generate()
    let writer = MemoryReleaseStore(
      secrets: SecretSettings(recipients: [identity.recipient], keyring: AgeKeyring(identities: [identity])), flowrelVersion: "test")
    try await Self.recordSecret(in: writer)
    let kube = FakeKubeClient()
    let reader = writer.withSecrets(SecretSettings())
    var sync = Sync(config: ActionConfiguration(releases: reader, kube: kube, namespace: "search"))
    sync.release = "web"
    let error = await actionError { _ = try await sync.run() }
    guard case .store(.stillEncrypted)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(!kube.calls.map(\.kind).contains(.apply), "the ciphertext never reaches the cluster")
    var withIdentity = Sync(config: ActionConfiguration(releases: writer, kube: kube, namespace: "search"))
    withIdentity.release = "web"
    #expect(try await withIdentity.run().revision.info.revision == 1)
  }
}
