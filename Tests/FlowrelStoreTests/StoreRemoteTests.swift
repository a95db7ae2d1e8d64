import FlowrelGit
import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// A bare remote and clones of it, each with a git store in `releases/`.
final class ClonedStores: @unchecked Sendable {
  let scratch: Scratch
  var remote: String { scratch.path + "/remote.git" }

  /// The remote with one commit (a README) on main.
  init() throws {
    scratch = try Scratch()
    try git(["init", "--bare", "--initial-branch=main", remote], in: scratch.path)
    let seed = scratch.path + "/seed"
    try git(["clone", "-q", remote, seed], in: scratch.path)
    _ = try scratch.write("seed/README.md", Array("# flows\n".utf8))
    try git(["add", "README.md"], in: seed)
    try git(["commit", "-q", "-m", "Start"], in: seed)
    try git(["push", "-q", "origin", "main"], in: seed)
  }

  /// A new clone named `name`; its folder.
  func clone(_ name: String) throws -> String {
    let folder = scratch.path + "/" + name
    try git(["clone", "-q", remote, folder], in: scratch.path)
    return folder
  }

  /// The store in the clone `folder`.
  func store(_ folder: String) -> GitReleaseStore {
    GitReleaseStore(path: folder + "/releases", flowrelVersion: "test", environment: testEnvironment)
  }

  /// The subjects of the remote's main, oldest first.
  func remoteSubjects() throws -> [String] {
    try git(["log", "--reverse", "--format=%s", "main"], in: remote).split(separator: "\n").map(String.init)
  }

  /// True when the remote's main has no merge commit and `git fsck` finds nothing.
  func remoteIsLinearAndSound() throws -> Bool {
    let merges = try git(["rev-list", "--merges", "main"], in: remote)
    let fsck = try run("/usr/bin/env", ["git", "fsck", "--strict", "--no-progress", "--no-dangling"], in: remote)
    return merges.isEmpty && fsck.status == 0 && fsck.errorText.isEmpty && fsck.output.isEmpty
  }
}

@Suite struct StoreRemoteTests {
  @Test func revisionsOfOtherReleasesAreReplayedOntoTheMovedRemote() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a")
    let storeA = stores.store(a)
    _ = try await storeA.record(Fixtures.revision(release: "web"))
    _ = try await storeA.push(PushRequest())
    let b = try stores.clone("b")
    let storeB = stores.store(b)
    _ = try await storeB.record(Fixtures.revision(release: "api"))
    _ = try await storeA.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    _ = try await storeA.push(PushRequest())

    let report = try await storeB.push(PushRequest())
    #expect(report.replayed == 1)
    #expect(report.remoteBranch == "main" && report.remote == "origin")
    #expect(try stores.remoteSubjects() == [
      "Start", "web: install as revision 1", "web: upgrade to revision 2", "api: install as revision 1",
    ])
    #expect(try stores.remoteIsLinearAndSound())
    // B's branch is the remote's, and its checked-out folders follow.
    #expect(try git(["rev-parse", "main"], in: b) == git(["rev-parse", "main"], in: stores.remote))
    #expect(try git(["status", "--porcelain"], in: b).isEmpty)
    #expect(try storeB.history(release: "web", namespace: "default", max: nil).map(\.revision) == [1, 2])
    #expect(try storeB.revision(release: "web", namespace: "default", number: nil).values["replicas"] == .int(2))
  }

  @Test func otherWorkInTheTreeIsLeftAlone() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a"), b = try stores.clone("b")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web"))
    _ = try await stores.store(a).push(PushRequest())
    _ = try await stores.store(b).record(Fixtures.revision(release: "api"))
    // Uncommitted work outside the store, staged and not.
    _ = try stores.scratch.write("b/notes.txt", Array("draft\n".utf8))
    _ = try stores.scratch.write("b/README.md", Array("# flows, edited\n".utf8))
    _ = try await stores.store(b).push(PushRequest())
    #expect(try git(["status", "--porcelain"], in: b) == " M README.md\n?? notes.txt\n")
    #expect(FileManager.default.fileExists(atPath: b + "/releases/default/web/release.yaml"))
  }

  @Test func theSameReleaseMovedOnBothSidesIsRefusedNamingBothRevisions() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web"))
    _ = try await stores.store(a).push(PushRequest())
    let b = try stores.clone("b")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    _ = try await stores.store(a).push(PushRequest())
    _ = try await stores.store(b).record(Fixtures.revision(release: "web", action: .upgrade, replicas: 3))
    let before = try git(["rev-parse", "main"], in: b)

    let error = await #expect(throws: StoreError.self) { try await stores.store(b).push(PushRequest()) }
    guard case .movedOnBothSides(let release, let namespace, let local, let localCommit, let remote, let remoteCommit)? = error
    else { Issue.record("not a both-sides refusal: \(String(describing: error))"); return }
    #expect((release, namespace, local, remote) == ("web", "default", 2, 2))
    #expect(before.hasPrefix(localCommit))
    #expect(try git(["rev-parse", "main"], in: stores.remote).hasPrefix(remoteCommit))
    #expect(error?.description.contains("flowrel push --renumber") == true)
    #expect(try git(["rev-parse", "main"], in: b) == before, "nothing moved")
    #expect(try stores.remoteSubjects().last == "web: upgrade to revision 2")
  }

  @Test func renumberRecordsTheLocalRevisionsAgainOnTop() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web"))
    _ = try await stores.store(a).push(PushRequest())
    let b = try stores.clone("b")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    _ = try await stores.store(a).push(PushRequest())
    _ = try await stores.store(b).record(Fixtures.revision(release: "web", action: .upgrade, replicas: 3))
    _ = try await stores.store(b).record(Fixtures.revision(release: "web", action: .upgrade, replicas: 4))

    var request = PushRequest()
    request.renumber = true
    let report = try await stores.store(b).push(request)
    #expect(report.renumbered == ["default/web: 2 -> 3", "default/web: 3 -> 4"])
    #expect(try stores.remoteSubjects().suffix(4) == [
      "web: install as revision 1", "web: upgrade to revision 2", "web: upgrade to revision 3", "web: upgrade to revision 4",
    ])
    #expect(try stores.remoteIsLinearAndSound())
    // Read back from a fresh clone: gapless, and each revision holds what was recorded as it.
    let c = stores.store(try stores.clone("c"))
    let history = try c.history(release: "web", namespace: "default", max: nil)
    #expect(history.map(\.revision) == [1, 2, 3, 4])
    for (number, replicas) in [(2, 2), (3, 3), (4, 4)] {
      let revision = try c.revision(release: "web", namespace: "default", number: number)
      #expect(revision.info.revision == number)
      #expect(revision.values["replicas"] == .int(Int64(replicas)))
    }
  }

  @Test func aLostRaceIsFetchedReplayedAndPushedAgain() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a"), b = try stores.clone("b")
    _ = try await stores.store(b).record(Fixtures.revision(release: "api"))
    var request = PushRequest()
    request.backoff = 0.01
    // Another writer pushes between B's fetch and B's push.
    request.beforePush = { attempt in
      guard attempt == 1 else { return }
      _ = try stores.scratch.write("a/other.txt", Array("x\n".utf8))
      try git(["add", "other.txt"], in: a)
      try git(["commit", "-q", "-m", "Elsewhere"], in: a)
      try git(["push", "-q", "origin", "main"], in: a)
    }
    let report = try await stores.store(b).push(request)
    #expect(report.attempts == 2)
    #expect(report.replayed == 1)
    #expect(try stores.remoteSubjects() == ["Start", "Elsewhere", "api: install as revision 1"])
    #expect(try stores.remoteIsLinearAndSound())
    #expect(FileManager.default.fileExists(atPath: b + "/other.txt"), "the remote's file is checked out")
  }

  @Test func whenEveryAttemptLosesTheRemoteIsLeftToTheWinner() async throws {
    let stores = try ClonedStores()
    let b = try stores.clone("b")
    let c = try stores.clone("c")
    _ = try await stores.store(b).record(Fixtures.revision(release: "api"))
    var request = PushRequest()
    request.attempts = 2
    request.backoff = 0.01
    request.beforePush = { attempt in
      _ = try stores.scratch.write("c/other-\(attempt).txt", Array("x\n".utf8))
      try git(["add", "."], in: c)
      try git(["commit", "-q", "-m", "Elsewhere \(attempt)"], in: c)
      try git(["push", "-q", "origin", "main"], in: c)
    }
    let error = await #expect(throws: StoreError.self) { try await stores.store(b).push(request) }
    guard case .git(let cause)? = error else { Issue.record("not a git error: \(String(describing: error))"); return }
    #expect(cause.reason == .modified)
    #expect(try stores.remoteSubjects() == ["Start", "Elsewhere 1", "Elsewhere 2"])
  }

  @Test func pullFastForwardsTheBranchAndBringsTheSyncNotes() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a"), cd = try stores.clone("cd")
    let storeA = stores.store(a)
    _ = try await storeA.record(Fixtures.revision(release: "web", status: .recorded))
    let synced = SyncRecord(release: "web", namespace: "default", revision: 1, time: fixedTime, context: "prod", result: "deployed")
    try storeA.recordSync(synced)
    _ = try await storeA.push(PushRequest())

    let storeCD = stores.store(cd)
    let pulled = try await storeCD.pull(remote: nil, branch: nil)
    #expect(pulled.changed)
    #expect(try git(["rev-parse", "main"], in: cd) == git(["rev-parse", "main"], in: stores.remote))
    #expect(try git(["status", "--porcelain"], in: cd).isEmpty)
    #expect(try storeCD.syncRecords(release: "web", namespace: "default") == [synced])
    // git itself reads the note on the revision's commit.
    #expect(try git(["notes", "--ref", "flowrel", "show", "main"], in: cd) == synced.line + "\n")
    #expect(try await storeCD.pull(remote: nil, branch: nil).changed == false)
  }

  @Test func notesWrittenOnBothSidesAreMerged() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web"))
    _ = try await stores.store(a).push(PushRequest())
    let b = try stores.clone("b")
    let first = SyncRecord(release: "web", namespace: "default", revision: 1, time: fixedTime, context: "east", result: "deployed")
    let second = SyncRecord(release: "web", namespace: "default", revision: 1, time: fixedTime.addingTimeInterval(60),
                            context: "west", result: "failed")
    try stores.store(a).recordSync(first)
    try stores.store(b).recordSync(second)
    _ = try await stores.store(a).push(PushRequest())
    _ = try await stores.store(b).push(PushRequest())
    #expect(try git(["notes", "--ref", "flowrel", "show", "main"], in: stores.remote) == first.line + "\n" + second.line + "\n")
    #expect(try stores.store(b).syncRecords(release: "web", namespace: "default") == [first, second])
  }

  @Test func notesFollowTheReplayedCommits() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a"), b = try stores.clone("b")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web"))
    _ = try await stores.store(a).push(PushRequest())
    _ = try await stores.store(b).record(Fixtures.revision(release: "api"))
    let record = SyncRecord(release: "api", namespace: "default", revision: 1, time: fixedTime, context: "dev", result: "deployed")
    try stores.store(b).recordSync(record)
    _ = try await stores.store(b).push(PushRequest())
    #expect(try git(["notes", "--ref", "flowrel", "show", "main"], in: stores.remote) == record.line + "\n")
    #expect(try git(["notes", "--ref", "flowrel", "list"], in: stores.remote).split(separator: "\n").count == 1)
  }

  @Test func pullRefusesABranchWithCommitsTheRemoteLacks() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a"), b = try stores.clone("b")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web"))
    _ = try await stores.store(a).push(PushRequest())
    _ = try await stores.store(b).record(Fixtures.revision(release: "api"))
    let before = try git(["rev-parse", "main"], in: b)
    let error = await #expect(throws: StoreError.self) { try await stores.store(b).pull(remote: nil, branch: nil) }
    guard case .cannotIntegrate(_, _, let reason)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(reason.contains("run flowrel push"))
    #expect(try git(["rev-parse", "main"], in: b) == before)
  }

  @Test func anEditedReleaseFolderTheRemoteChangedStopsThePushBeforeAnythingMoves() async throws {
    let stores = try ClonedStores()
    let a = try stores.clone("a")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web"))
    _ = try await stores.store(a).push(PushRequest())
    let b = try stores.clone("b")
    _ = try await stores.store(a).record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    _ = try await stores.store(a).push(PushRequest())
    _ = try await stores.store(b).record(Fixtures.revision(release: "api"))
    // An edit by hand in the folder the remote's revision changes.
    _ = try stores.scratch.write("b/releases/default/web/release.yaml", Array("edited: by hand\n".utf8))
    let before = try git(["rev-parse", "main"], in: b)
    await #expect(throws: StoreError.self) { try await stores.store(b).push(PushRequest()) }
    #expect(try git(["rev-parse", "main"], in: b) == before)
    #expect(try git(["status", "--porcelain"], in: b) == " M releases/default/web/release.yaml\n")
    #expect(try stores.remoteSubjects().last == "web: upgrade to revision 2")
  }

  @Test(arguments: StoreKind.allCases) func syncRecordsAreKeptPerRevisionByEveryStore(kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind)
    _ = try await subject.store.record(Fixtures.revision(release: "web", status: .recorded))
    _ = try await subject.store.record(Fixtures.revision(release: "web", action: .upgrade, status: .recorded))
    let first = SyncRecord(release: "web", namespace: "default", revision: 1, time: fixedTime, context: "a", result: "deployed")
    let second = SyncRecord(release: "web", namespace: "default", revision: 2, time: fixedTime.addingTimeInterval(1), context: "a",
                            result: "failed")
    try subject.store.recordSync(first)
    try subject.store.recordSync(second)
    #expect(try subject.store.syncRecords(release: "web", namespace: "default") == [first, second])
    #expect(try subject.store.syncRecords(release: "api", namespace: "default") == [])
    var missing = first
    missing.revision = 9
    #expect(throws: StoreError.revisionNotFound(name: "web", namespace: "default", revision: 9)) { try subject.store.recordSync(missing) }
    missing.release = "api"
    #expect(throws: StoreError.releaseNotFound(name: "api", namespace: "default")) { try subject.store.recordSync(missing) }
  }

  @Test func syncRecordLinesReadBack() throws {
    let record = SyncRecord(release: "web", namespace: "prod", revision: 12, time: fixedTime, context: "my cluster", result: "deployed")
    #expect(record.line == "2025-11-23T12:13:20Z flowrel-sync namespace=prod release=web revision=12 context=my_cluster result=deployed")
    var expected = record
    expected.context = "my_cluster"
    #expect(SyncRecord(line: Substring(record.line)) == expected)
    #expect(SyncRecord(line: "2025-11-23T12:13:20Z something else") == nil)
  }
}
