import Foundation
import FlowrelGit
import Testing

@Suite struct HistoryTests {
  @Test func firstCommitCreatesTheBranchAnUnbornHeadNames() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    let tree = try repo.writeTree(replacingFolder: "ns/web", in: nil, with: ["a.yaml": bytes("a\n")])
    let author = Signature(name: "Ann Author", email: "ann@example.com", time: Date(timeIntervalSince1970: 1_700_000_000),
                           offsetMinutes: 60)
    let commit = try repo.createCommit(tree: tree, parents: [], message: "web: install\n\nFlowrel-Revision: 1\n",
                                       author: author, committer: testSignature(5))
    #expect(try repo.head() == .unborn("main"))  // creating a commit moves nothing
    try repo.updateReference("refs/heads/main", to: commit, expecting: nil, message: "flowrel: install")
    #expect(try repo.head() == .branch("main", commit))
    let log = try box.git(["log", "--format=%H|%an|%ae|%ad|%cn|%s", "--date=raw"], in: box.path("work"))
    #expect(log == "\(commit.hex)|Ann Author|ann@example.com|1700000000 +0100|Test|web: install\n")
    let read = try repo.commit(commit)
    #expect(read.tree == tree)
    #expect(read.parents == [])
    #expect(read.author == author)
    #expect(read.summary == "web: install")
    #expect(read.message == "web: install\n\nFlowrel-Revision: 1\n")
    try box.expectFsckClean(box.path("work"))
  }

  @Test func compareAndSwapMovesTheBranchOnlyFromTheExpectedCommit() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let first = try repo.commitFolder("a", ["x": "1\n"], message: "one", at: 0)
    let tree = try repo.writeTree(replacingFolder: "a", in: first, with: ["x": bytes("2\n")])
    let second = try repo.createCommit(tree: tree, parents: [first], message: "two", author: testSignature(1),
                                       committer: testSignature(1))
    let third = try repo.createCommit(tree: tree, parents: [first], message: "three", author: testSignature(2),
                                      committer: testSignature(2))
    try repo.updateReference("refs/heads/main", to: second, expecting: first, message: "two")
    #expect(try repo.referenceTarget("refs/heads/main") == second)

    // A writer that read `first` before `second` landed must not overwrite it.
    let moved = #expect(throws: GitError.self) {
      try repo.updateReference("refs/heads/main", to: third, expecting: first, message: "three")
    }
    #expect(moved?.reason == .modified)
    #expect(moved?.message == "refs/heads/main was moved by someone else: expected \(first.short), found \(second.short)")
    #expect(try repo.referenceTarget("refs/heads/main") == second)

    let exists = #expect(throws: GitError.self) {
      try repo.updateReference("refs/heads/main", to: third, expecting: nil, message: "three")
    }
    #expect(exists?.message == "refs/heads/main was moved by someone else: expected no reference, found \(second.short)")
    let gone = #expect(throws: GitError.self) {
      try repo.updateReference("refs/heads/other", to: third, expecting: first, message: "three")
    }
    #expect(gone?.message == "refs/heads/other was moved by someone else: expected \(first.short), found no reference")
    #expect(try repo.referenceTarget("refs/heads/other") == nil)
    try repo.updateReference("refs/heads/other", to: third, expecting: nil, message: "branch")
    #expect(try repo.referenceTarget("refs/heads/other") == third)
    try box.expectFsckClean(box.path("store.git"))
  }

  @Test func twoWritersWithTheirOwnHandlesOneWinsTheOtherIsTold() throws {
    let box = try Sandbox()
    let mine = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let theirs = try Repository.open(at: box.path("store.git"))
    let base = try mine.commitFolder("ns/web", ["a.yaml": "1\n"], message: "one", at: 1)
    #expect(try theirs.referenceTarget("refs/heads/main") == base)
    try theirs.commitFolder("ns/api", ["b.yaml": "b\n"], message: "theirs", at: 2)
    let tree = try mine.writeTree(replacingFolder: "ns/web", in: base, with: ["a.yaml": bytes("2\n")])
    let commit = try mine.createCommit(tree: tree, parents: [base], message: "mine", author: testSignature(3),
                                       committer: testSignature(3))
    let lost = #expect(throws: GitError.self) {
      try mine.updateReference("refs/heads/main", to: commit, expecting: base, message: "mine")
    }
    #expect(lost?.reason == .modified)
    #expect(try box.git(["log", "--format=%s", "main"], in: box.path("store.git")) == "theirs\none\n")
  }

  @Test func logLimitedToAFolderListsOnlyCommitsThatChangedIt() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    let c1 = try repo.commitFolder("ns/web", ["a.yaml": "1\n"], message: "web 1", at: 1)
    let c2 = try repo.commitFolder("ns/api", ["a.yaml": "1\n"], message: "api 1", at: 2)
    let c3 = try repo.commitFolder("ns/web", ["a.yaml": "2\n", "b/c.yaml": "c\n"], message: "web 2", at: 3)
    let c4 = try repo.commitFolder("ns/web", ["a.yaml": "2\n", "b/c.yaml": "c\n"], message: "web same", at: 4)
    let c5 = try repo.commitFolder("ns/web", [:], message: "web removed", at: 5)
    let tip = try repo.commitID(of: "main")

    let web = try repo.log(from: tip, touching: "ns/web")
    #expect(web.map(\.id) == [c5, c3, c1])
    #expect(web.map(\.summary) == ["web removed", "web 2", "web 1"])
    #expect(web.first?.author == testSignature(5))
    let cli = try box.git(["log", "--format=%H", "main", "--", "ns/web"], in: box.path("work"))
    #expect(cli == web.map { $0.id.hex + "\n" }.joined())
    #expect(try repo.log(from: tip, touching: "ns/api").map(\.id) == [c2])
    #expect(try repo.log(from: tip, touching: "ns/web/b/c.yaml").map(\.id) == [c5, c3])
    #expect(try repo.log(from: tip).map(\.id) == [c5, c4, c3, c2, c1])
    #expect(try repo.log(from: tip, touching: "ns/web", limit: 2).map(\.id) == [c5, c3])
    #expect(try repo.log(from: c2, touching: "ns/web").map(\.id) == [c1])
  }

  @Test func aLinearHistoryIsListedInChainOrderWhateverTheClocksSaid() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    // Committer times go backwards and repeat: the walk still follows the parents.
    var commits: [ObjectID] = []
    for (n, time) in [50, 40, 40, 60, 10, 30].enumerated() {
      commits.append(try repo.commitFolder("ns/web", ["a.yaml": "\(n)\n"], message: "web \(n)", at: time))
    }
    let tip = try repo.commitID(of: "main")
    let newestFirst = Array(commits.reversed())
    #expect(try repo.log(from: tip, touching: "ns/web").map(\.id) == newestFirst)
    #expect(try repo.log(from: tip, touching: "ns/web", limit: 3).map(\.id) == Array(newestFirst.prefix(3)))
    let cli = try box.git(["log", "--format=%H", "main", "--", "ns/web"], in: box.path("work"))
    #expect(cli == newestFirst.map { $0.hex + "\n" }.joined())
  }

  @Test func patchMatchesTheGitCommandLine() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    let old = try repo.commitFolder("ns/web", [
      "release.yaml": "revision: 1\nstatus: deployed\n", "manifests/deployment-web.yaml": "kind: Deployment\nreplicas: 1\n",
      "manifests/old.yaml": "kind: ConfigMap\n",
    ], message: "one", at: 1)
    try repo.commitFolder("ns/api", ["release.yaml": "revision: 1\n"], message: "api", at: 2)
    let new = try repo.commitFolder("ns/web", [
      "release.yaml": "revision: 2\nstatus: deployed\n", "manifests/deployment-web.yaml": "kind: Deployment\nreplicas: 3\n",
      "manifests/nested/new.yaml": "kind: Service\n",
    ], message: "two", at: 3)
    let oldTree = try repo.treeID(of: old.hex)
    let newTree = try repo.treeID(of: "main")

    let whole = try repo.patch(from: oldTree, to: newTree)
    #expect(whole == (try box.git(["diff", oldTree.hex, newTree.hex], in: box.path("work"))))
    #expect(whole.contains("diff --git a/ns/api/release.yaml b/ns/api/release.yaml\nnew file mode 100644\n"))
    let limited = try repo.patch(from: old, to: new, under: "ns/web")
    #expect(limited == (try box.git(["diff", old.hex, new.hex, "--", "ns/web"], in: box.path("work"))))
    #expect(!limited.contains("ns/api"))
    let first = try repo.patch(from: nil, to: old)
    #expect(first.hasPrefix("diff --git a/ns/web/manifests/deployment-web.yaml b/ns/web/manifests/deployment-web.yaml\n"
      + "new file mode 100644\n"))
    #expect(try repo.patch(from: new, to: new) == "")

    #expect(try repo.changes(from: old, to: new, under: "ns/web") == [
      FileChange(path: "ns/web/manifests/deployment-web.yaml", kind: .modified),
      FileChange(path: "ns/web/manifests/nested/new.yaml", kind: .added),
      FileChange(path: "ns/web/manifests/old.yaml", kind: .deleted),
      FileChange(path: "ns/web/release.yaml", kind: .modified),
    ])
    #expect(try repo.changes(from: old, to: new).count == 5)
    #expect(try repo.changes(from: new, to: nil, under: "ns/api") == [FileChange(path: "ns/api/release.yaml", kind: .deleted)])
  }

  @Test func readingAtARevision() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let first = try repo.commitFolder("ns/web", ["release.yaml": "revision: 1\n", "m/a.yaml": "a\n"], message: "one", at: 1)
    try repo.commitFolder("ns/web", ["release.yaml": "revision: 2\n"], message: "two", at: 2)

    #expect(try repo.files(under: "ns/web", inTree: repo.treeID(of: "main~1")) == ["m/a.yaml", "release.yaml"])
    #expect(try repo.files(under: "ns/web", inTree: repo.treeID(of: "HEAD")) == ["release.yaml"])
    #expect(try repo.readFile("ns/web/release.yaml", inTree: repo.treeID(of: "refs/heads/main")) == bytes("revision: 2\n"))
    #expect(try repo.readFile("ns/web/release.yaml", inTree: first) == bytes("revision: 1\n"))
    #expect(try repo.readFile("ns/web/release.yaml", inTree: repo.treeID(of: first.hex)) == bytes("revision: 1\n"))
    #expect(try repo.commitID(of: String(first.hex.prefix(10))) == first)

    let missing = #expect(throws: GitError.self) { try repo.treeID(of: "no-such-branch") }
    #expect(missing?.reason == .notFound)
    #expect(missing?.message.hasPrefix("revision 'no-such-branch' not found in \(box.path("store.git"))/: ") == true)
    let blob = try #require(try repo.entryID(at: "ns/web/release.yaml", inTree: first))
    let notCommit = #expect(throws: GitError.self) { try repo.commitID(of: blob.hex) }
    #expect(notCommit?.message.hasPrefix("revision '\(blob.hex)' does not name a commit") == true)
  }
}
