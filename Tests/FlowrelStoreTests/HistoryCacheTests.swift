import Crypto
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// The git store's history cache under `.git/flowrel/` is never the truth: whatever state it
/// is in (missing, damaged, behind the branch, from a history the branch left), the store
/// answers what the commits say. Each test records revisions whose numbers and values it
/// knows (revision N of `web` has N replicas), puts the cache in one state and checks every
/// kind of answer against those.
@Suite struct HistoryCacheTests {
  /// `web` has this many revisions: more than the store looks for by walking back from the
  /// tip (16), so old revisions are found through the cache.
  static let webRevisions = 20

  /// A repository with `api` installed (2 revisions) and then `web` (`webRevisions`).
  func makeStore(_ scratch: Scratch) async throws -> (repo: String, store: GitReleaseStore) {
    let (repo, store) = try GitStoreTests().makeRepository(scratch)
    _ = try await store.record(Fixtures.revision(release: "api"))
    _ = try await store.record(Fixtures.revision(release: "api", action: .upgrade, replicas: 2))
    for number in 1...Self.webRevisions {
      _ = try await store.record(Fixtures.revision(release: "web", action: number == 1 ? .install : .upgrade, replicas: Int64(number)))
    }
    return (repo, store)
  }

  func cacheFiles(_ repo: String) -> [String] {
    let folder = repo + "/.git/flowrel"
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return names.filter { $0.hasPrefix("history-") }.sorted().map { folder + "/" + $0 }
  }

  /// Checks history, old and new revisions, diffs and the list against `web` having revisions
  /// 1...`web` (revision N with N replicas) and `api` revisions 1...`api` (nil: uninstalled
  /// by hand, so not listed).
  func expectAnswers(_ store: GitReleaseStore, web: Int, api: Int?, apiHistory: Int = 2) throws {
    let history = try store.history(release: "web", namespace: "default", max: nil)
    #expect(history.map(\.revision) == Array(1...web))
    #expect(history.map(\.status) == Array(repeating: .superseded, count: web - 1) + [.deployed])
    #expect(try store.history(release: "web", namespace: "default", max: 3).map(\.revision) == [web - 2, web - 1, web])
    #expect(try store.history(release: "api", namespace: "default", max: nil).map(\.revision) == Array(1...apiHistory))
    for number in [1, 2, web / 2, web] {
      let revision = try store.revision(release: "web", namespace: "default", number: number)
      #expect(revision.info.revision == number)
      #expect(revision.values["replicas"] == .int(Int64(number)))
    }
    #expect(try store.revision(release: "web", namespace: "default", number: nil).info.revision == web)
    #expect(throws: StoreError.revisionNotFound(name: "web", namespace: "default", revision: web + 1)) {
      try store.revision(release: "web", namespace: "default", number: web + 1)
    }
    // Replicas are in the values and in each executor's Deployment.
    let changed = try store.diff(release: "web", namespace: "default", from: 1, to: web).map(\.identity.name)
    #expect(changed == ["flow-config", "executor0", "executor1"])
    #expect(try store.diff(release: "web", namespace: "default", from: web, to: web).isEmpty)
    let listed = try store.releases(namespace: nil).map { "\($0.release) \($0.revision)" }
    #expect(listed == (api.map { ["api \($0)"] } ?? []) + ["web \(web)"])
  }

  @Test func answersFromAWarmCacheAreWhatWasRecorded() async throws {
    let scratch = try Scratch()
    let (repo, store) = try await makeStore(scratch)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    #expect(cacheFiles(repo).count == 1)
    // A second round reads the cache as written.
    try expectAnswers(store, web: Self.webRevisions, api: 2)
  }

  @Test func aDeletedCacheIsBuiltAgain() async throws {
    let scratch = try Scratch()
    let (repo, store) = try await makeStore(scratch)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    try FileManager.default.removeItem(atPath: repo + "/.git/flowrel")
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    #expect(cacheFiles(repo).count == 1)
  }

  @Test(arguments: ["truncated", "one byte changed", "garbage", "empty"])
  func aDamagedCacheOnlyCostsTime(_ damage: String) async throws {
    let scratch = try Scratch()
    let (repo, store) = try await makeStore(scratch)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    let file = try #require(cacheFiles(repo).first)
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    switch damage {
    case "truncated": bytes.removeLast(bytes.count / 3)
    case "one byte changed": bytes[bytes.count / 2] ^= 0x01
    case "garbage": bytes = (0..<bytes.count).map { UInt8(truncatingIfNeeded: $0 &* 131) }
    default: bytes = []
    }
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    // Written again whole.
    #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: file))) != bytes)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
  }

  /// Where `needle` starts in `bytes`.
  func offsets(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
    guard bytes.count >= needle.count else { return [] }
    return (0...(bytes.count - needle.count)).filter { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
  }

  /// The first read after the damage: the whole history, or one old revision (found by its
  /// number, decoding no other entry).
  enum FirstRead: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case history, oldRevision
    var testDescription: String { rawValue }
  }

  @Test(arguments: FirstRead.allCases)
  func aCacheWhosePartDoesNotDecodeUnderAGoodChecksumIsBuiltAgain(_ first: FirstRead) async throws {
    let scratch = try Scratch()
    let (repo, store) = try await makeStore(scratch)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    let file = try #require(cacheFiles(repo).first)
    let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    // `web`'s revision 1 is the last entry of its section, the last `install` in the file (the
    // length 7, then the word): its action becomes one no store writes, and the checksum is
    // made right again, so only decoding that entry can tell.
    let action = [7] + Array("install".utf8)
    var corrupted = action
    corrupted[corrupted.count - 1] = UInt8(ascii: "X")
    var body = Array(written.dropLast(32))
    let at = try #require(offsets(of: action, in: body).last)
    body.replaceSubrange(at..<(at + action.count), with: corrupted)
    let damaged = body + Array(SHA256.hash(data: body))
    try Data(damaged).write(to: URL(fileURLWithPath: file))

    let reader = GitStoreTests().store(repo + "/releases")
    switch first {
    case .history:
      #expect(try reader.history(release: "web", namespace: "default", max: nil).map(\.revision) == Array(1...Self.webRevisions))
    case .oldRevision:
      let revision = try reader.revision(release: "web", namespace: "default", number: 1)
      #expect(revision.info.action == .install)
      #expect(revision.values["replicas"] == .int(1))
    }
    // Built again from the branch and written: the damaged entry is gone, the file is whole.
    let rebuilt = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    let checksumHolds = Array(rebuilt.suffix(32)) == Array(SHA256.hash(data: rebuilt.dropLast(32)))
    #expect(checksumHolds)
    #expect(offsets(of: corrupted, in: rebuilt).isEmpty, "the damaged entry is still in the cache file")
    #expect(offsets(of: action, in: rebuilt).count == 2, "api's and web's first revisions are in the cache file again")
    try expectAnswers(reader, web: Self.webRevisions, api: 2)
  }

  @Test func aCacheBehindTheBranchCatchesUpWithCommitsMadeElsewhere() async throws {
    let scratch = try Scratch()
    let (repo, store) = try await makeStore(scratch)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    // Another writer (another store value, as another process would be) records a revision;
    // then plain git removes `api`'s folder (a commit without flowrel's trailers).
    let other = GitStoreTests().store(repo + "/releases")
    _ = try await other.record(Fixtures.revision(release: "web", action: .upgrade, replicas: Int64(Self.webRevisions + 1)))
    try git(["rm", "-r", "-q", "releases/default/api"], in: repo)
    try git(["commit", "-q", "-m", "remove api by hand"], in: repo)
    try expectAnswers(store, web: Self.webRevisions + 1, api: nil)
    // And a flowrel revision after the plain commit.
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: Int64(Self.webRevisions + 2)))
    try expectAnswers(store, web: Self.webRevisions + 2, api: nil)
  }

  @Test func aCacheOfAHistoryTheBranchLeftIsNotUsed() async throws {
    let scratch = try Scratch()
    let (repo, store) = try await makeStore(scratch)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    // The branch goes back five commits (five revisions of `web`): the cached tip is no longer
    // in its history.
    try git(["reset", "-q", "--hard", "HEAD~5"], in: repo)
    try expectAnswers(store, web: Self.webRevisions - 5, api: 2)
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: Int64(Self.webRevisions - 4)))
    try expectAnswers(store, web: Self.webRevisions - 4, api: 2)
  }

  @Test func aHistoryWithAMergeIsReadWithoutTheCache() async throws {
    let scratch = try Scratch()
    let (repo, store) = try await makeStore(scratch)
    try expectAnswers(store, web: Self.webRevisions, api: 2)
    // Work on a side branch (committed now, after the store's fixed clock), a revision on
    // main, then a merge: history is no longer a chain, and is walked by commit time.
    try git(["checkout", "-q", "-b", "side"], in: repo)
    try Data("side\n".utf8).write(to: URL(fileURLWithPath: repo + "/SIDE.md"))
    try git(["add", "SIDE.md"], in: repo)
    try git(["commit", "-q", "-m", "side work"], in: repo)
    try git(["checkout", "-q", "main"], in: repo)
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: Int64(Self.webRevisions + 1)))
    try git(["merge", "-q", "--no-ff", "-m", "merge side", "side"], in: repo)
    try expectAnswers(store, web: Self.webRevisions + 1, api: 2)
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: Int64(Self.webRevisions + 2)))
    try expectAnswers(store, web: Self.webRevisions + 2, api: 2)
  }
}
