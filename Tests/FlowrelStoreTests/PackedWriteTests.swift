import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// A first record of a large release goes into the object database as one pack, which git
/// reads like any other; later small records stay loose objects.
@Suite struct PackedWriteTests {
  func counts(_ repo: String) throws -> (loose: Int, packed: Int, packs: Int) {
    var fields: [String: Int] = [:]
    for line in try git(["count-objects", "-v"], in: repo).split(separator: "\n") {
      let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
      if parts.count == 2, let value = Int(parts[1]) { fields[parts[0]] = value }
    }
    return (fields["count"] ?? -1, fields["in-pack"] ?? -1, fields["packs"] ?? -1)
  }

  @Test func aLargeFirstRecordIsOnePackThatGitReads() async throws {
    let scratch = try Scratch()
    let (repo, store) = try GitStoreTests().makeRepository(scratch)
    let before = try counts(repo)
    let recorded = try await store.record(Fixtures.revision(release: "big", executors: 80))
    let after = try counts(repo)
    #expect(after.loose == before.loose)
    #expect(after.packs == before.packs + 1)
    // The pack holds every object the new commit added, as git lists them, and nothing that
    // is not in the commit (libgit2 may repeat an object the repository had loose).
    let reachable = { (revision: String) throws -> Set<Substring> in
      Set(try git(["rev-list", "--objects", revision], in: repo).split(separator: "\n").map { $0.prefix(40) })
    }
    let added = try reachable("HEAD").subtracting(reachable("HEAD~1"))
    let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: repo + "/.git/objects/pack").first { $0.hasSuffix(".idx") })
    let packed = try git(["verify-pack", "-v", repo + "/.git/objects/pack/" + pack], in: repo).split(separator: "\n")
      .filter { $0.split(separator: " ").count > 2 && ["blob", "tree", "commit"].contains($0.split(separator: " ")[1]) }
      .map { $0.prefix(40) }
    #expect(Set(packed).isSuperset(of: added))
    #expect(Set(packed).isSubset(of: try reachable("HEAD")))
    #expect(after.packed == before.packed + packed.count)
    try git(["fsck", "--strict", "--no-dangling"], in: repo)
    #expect(try git(["status", "--porcelain"], in: repo).isEmpty)
    #expect(try git(["ls-files", "releases/default/big/manifests"], in: repo).split(separator: "\n").count == 83)
    #expect(try store.revision(release: "big", namespace: "default", number: nil) == recorded)
    // A one-value upgrade writes its few objects loose.
    _ = try await store.record(Fixtures.revision(release: "big", action: .upgrade, replicas: 2, executors: 80))
    #expect(try counts(repo).packs == after.packs)
    #expect(try counts(repo).loose > after.loose)
    #expect(try store.revision(release: "big", namespace: "default", number: 1) == recorded)
    #expect(try store.revision(release: "big", namespace: "default", number: nil).values["replicas"] == .int(2))
    try git(["fsck", "--strict", "--no-dangling"], in: repo)
  }
}
