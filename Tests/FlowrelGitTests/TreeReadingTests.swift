import Foundation
import FlowrelGit
import Testing

/// What the store's history cache and its records read from trees and commits, checked against
/// the git command line.
@Suite struct TreeReadingTests {
  @Test func treeEntriesFolderIDsAndFileIDsAreGitsOwn() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    try repo.commitFolder("releases/ns/web", ["release.yaml": "r\n", "manifests/a.yaml": "a\n"], message: "web", at: 0)
    let tip = try repo.commitFolder("releases/ns/api", ["release.yaml": "s\n"], message: "api", at: 1)
    let work = box.path("work")
    let listed = try box.git(["ls-tree", "HEAD:releases/ns"], in: work).split(separator: "\n").map { line in
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      return "\(fields[1]) \(fields[2]) \(fields[3])"
    }
    let folder = try #require(try repo.folderID(at: "releases/ns", inTree: tip))
    #expect(try repo.treeEntries(folder).map { "\($0.isFolder ? "tree" : "blob") \($0.id.hex) \($0.name)" } == listed)
    #expect(folder.hex == (try box.git(["rev-parse", "HEAD:releases/ns"], in: work)).trimmingCharacters(in: .whitespacesAndNewlines))
    #expect(try repo.folderID(at: "releases/ns/web/release.yaml", inTree: tip) == nil)  // a file
    #expect(try repo.folderID(at: "releases/other", inTree: tip) == nil)
    let ids = try repo.fileIDs(under: "releases/ns/web", inTree: tip)
    #expect(ids.keys.sorted() == ["manifests/a.yaml", "release.yaml"])
    let hashed = try box.git(["hash-object", "--stdin"], in: work, input: "a\n").trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(ids["manifests/a.yaml"]?.hex == hashed)
    #expect(try Repository.blobID(of: bytes("a\n")).hex == hashed)
  }

  @Test func aLogThatMayExamineFewCommitsSaysWhetherItSawEnough() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    try repo.commitFolder("ns/web", ["x": "1\n"], message: "web 1", at: 0)
    for n in 1...5 { try repo.commitFolder("ns/api", ["x": "\(n)\n"], message: "api \(n)", at: n) }
    let tip = try #require(try repo.referenceTarget("refs/heads/main"))
    // `web` changed six commits back: not within five, found within six.
    let cut = try repo.log(from: tip, touching: "ns/web", limit: 1, examining: 5)
    #expect(cut.commits.isEmpty && !cut.complete)
    let whole = try repo.log(from: tip, touching: "ns/web", limit: 1, examining: 6)
    #expect(whole.commits.map(\.summary) == ["web 1"] && whole.complete)
    // Found the newest `api` change at once; a history shorter than the bound is complete.
    let recent = try repo.log(from: tip, touching: "ns/api", limit: 1, examining: 1)
    #expect(recent.commits.map(\.summary) == ["api 5"] && recent.complete)
    let all = try repo.log(from: tip, touching: "ns/api", limit: nil, examining: 100)
    #expect(all.commits.count == 5 && all.complete)
  }
}
