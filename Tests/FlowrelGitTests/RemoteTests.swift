import Foundation
import FlowrelGit
import Testing

@Suite struct RemoteTests {
  @Test func remotesAreAddedAndLookedUp() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    #expect(try repo.remoteNames() == [])
    #expect(try repo.remoteURL("origin") == nil)
    try repo.addRemote("origin", url: box.path("remote.git"))
    try repo.addRemote("backup", url: "https://example.com/store.git")
    #expect(try repo.remoteNames() == ["backup", "origin"])
    #expect(try repo.remoteURL("origin") == box.path("remote.git"))
    let twice = #expect(throws: GitError.self) { try repo.addRemote("origin", url: box.path("other.git")) }
    #expect(twice?.reason == .alreadyExists)
    let missing = #expect(throws: GitError.self) { try repo.push(["refs/heads/main:refs/heads/main"], to: "nowhere") }
    #expect(missing?.reason == .notFound)
    #expect(missing?.message.hasPrefix("no remote 'nowhere'") == true)
  }

  @Test func pushFastForwardsThenRejectsADivergedBranch() throws {
    let box = try Sandbox()
    _ = try Repository.create(at: box.path("remote.git"), bare: true, initialBranch: "main")
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    try repo.addRemote("origin", url: box.path("remote.git"))
    try repo.commitFolder("ns/web", ["a.yaml": "1\n"], message: "one", at: 1)
    try repo.push(["refs/heads/main:refs/heads/main"], to: "origin")
    let second = try repo.commitFolder("ns/web", ["a.yaml": "2\n"], message: "two", at: 2)
    try repo.push(["refs/heads/main:refs/heads/main"], to: "origin")
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == second.hex + "\n")
    try box.expectFsckClean(box.path("remote.git"))

    // Another writer with unrelated history pushes to the same branch.
    let other = try Repository.create(at: box.path("other"), initialBranch: "main")
    try other.addRemote("origin", url: box.path("remote.git"))
    try other.commitFolder("ns/api", ["b.yaml": "b\n"], message: "theirs", at: 3)
    let rejected = #expect(throws: GitError.self) { try other.push(["refs/heads/main:refs/heads/main"], to: "origin") }
    #expect(rejected?.reason == .rejected)
    #expect(rejected?.message.hasPrefix("push of refs/heads/main to 'origin' rejected: not a fast-forward") == true)
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == second.hex + "\n")
  }

  @Test func aReferenceTheRemoteRefusesIsNamedWithItsReason() throws {
    let box = try Sandbox()
    _ = try Repository.create(at: box.path("remote.git"), bare: true, initialBranch: "main")
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    try repo.addRemote("origin", url: box.path("remote.git"))
    let first = try repo.commitFolder("ns/web", ["a.yaml": "1\n"], message: "one", at: 1)
    try repo.push(["refs/heads/main:refs/heads/main"], to: "origin")
    try repo.commitFolder("ns/web", ["a.yaml": "2\n"], message: "two", at: 2)
    // A writer in the remote holds the branch's lock, so the remote cannot update it.
    try box.write("", to: "refs/heads/main.lock", in: box.path("remote.git"))
    let refused = #expect(throws: GitError.self) { try repo.push(["refs/heads/main:refs/heads/main"], to: "origin") }
    #expect(refused?.reason == .rejected)
    #expect(refused?.message.hasPrefix("push to 'origin' rejected by the remote: refs/heads/main (") == true)
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == first.hex + "\n")
  }

  @Test func compareAndSwapPushRefusesARemoteReferenceThatMoved() throws {
    let box = try Sandbox()
    _ = try Repository.create(at: box.path("remote.git"), bare: true, initialBranch: "main")
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    try repo.addRemote("origin", url: box.path("remote.git"))
    let first = try repo.commitFolder("ns/web", ["a.yaml": "1\n"], message: "one", at: 1)
    let update = RemoteUpdate(localReference: "refs/heads/main", remoteReference: "refs/heads/main", expected: nil)
    try repo.pushCompareAndSwap([update], to: "origin")
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == first.hex + "\n")
    // The remote holds `first`, not nothing: refused, and the remote keeps its value.
    try repo.commitFolder("ns/web", ["a.yaml": "2\n"], message: "two", at: 2)
    let moved = #expect(throws: GitError.self) { try repo.pushCompareAndSwap([update], to: "origin") }
    #expect(moved?.reason == .modified)
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == first.hex + "\n")
    #expect(try box.git(["for-each-ref", "refs/flowrel"], in: box.path("remote.git")).isEmpty, "no private reference left")
    // A plain push checks the value the remote advertises against the expected one before sending.
    let advertised = #expect(throws: GitError.self) {
      try repo.push(["refs/heads/main:refs/heads/main"], to: "origin", expecting: ["refs/heads/main": nil])
    }
    #expect(advertised?.reason == .modified)
    #expect(advertised?.message.contains("expected no reference, found \(first.short)") == true)
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == first.hex + "\n")
    var expected = update
    expected.expected = first
    try repo.pushCompareAndSwap([expected], to: "origin")
    try box.expectFsckClean(box.path("remote.git"))
  }

  @Test func fetchBringsTheRemoteBranchAndSkipsAMissingOne() throws {
    let box = try Sandbox()
    _ = try Repository.create(at: box.path("remote.git"), bare: true, initialBranch: "main")
    let writer = try Repository.create(at: box.path("writer"), initialBranch: "main")
    try writer.addRemote("origin", url: box.path("remote.git"))
    let tip = try writer.commitFolder("ns/web", ["a.yaml": "1\n"], message: "one", at: 1)
    try writer.push(["refs/heads/main:refs/heads/main"], to: "origin")
    let reader = try Repository.create(at: box.path("reader"), initialBranch: "main")
    try reader.addRemote("origin", url: box.path("remote.git"))
    try reader.fetch(["+refs/heads/main:refs/remotes/origin/main", "+refs/notes/flowrel:refs/flowrel/remote-notes/origin"],
                     from: "origin")
    #expect(try reader.referenceTarget("refs/remotes/origin/main") == tip)
    #expect(try reader.referenceTarget("refs/flowrel/remote-notes/origin") == nil)
  }

  @Test func notesOfBothSidesAreMergedAsGitsCatSortUniq() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    let one = try repo.commitFolder("ns/web", ["a.yaml": "1\n"], message: "one", at: 1)
    let two = try repo.commitFolder("ns/web", ["a.yaml": "2\n"], message: "two", at: 2)
    let base = try repo.settingNote("b\n", on: one, at: nil, author: testSignature(3))
    let ours = try repo.settingNote("a\nb\n", on: one, at: base, author: testSignature(4))
    var theirs = try repo.settingNote("b\nc\n", on: one, at: base, author: testSignature(5))
    theirs = try repo.settingNote("x\n", on: two, at: theirs, author: testSignature(6))
    let merged = try repo.mergingNotes(ours, theirs, author: testSignature(7))
    let mergedID = try #require(merged)
    try repo.updateReference("refs/notes/flowrel", to: mergedID, expecting: nil, message: "test")
    // git reads what was written, and merges the same way.
    #expect(try box.git(["notes", "--ref", "flowrel", "show", one.hex], in: box.path("work")) == "a\nb\nc\n")
    #expect(try box.git(["notes", "--ref", "flowrel", "show", two.hex], in: box.path("work")) == "x\n")
    let theirID = try #require(theirs), ourID = try #require(ours)
    try repo.updateReference("refs/notes/ours", to: ourID, expecting: nil, message: "test")
    try repo.updateReference("refs/notes/theirs", to: theirID, expecting: nil, message: "test")
    _ = try box.git(["notes", "--ref", "ours", "merge", "-s", "cat_sort_uniq", "refs/notes/theirs"], in: box.path("work"))
    #expect(try box.git(["notes", "--ref", "ours", "show", one.hex], in: box.path("work")) == "a\nb\nc\n")
    #expect(try repo.isAncestor(ourID, of: mergedID) && repo.isAncestor(theirID, of: mergedID))
  }

  @Test func aCommitsChangesAreReplayedOntoAnotherTree() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    let base = try repo.commitFolder("ns/web", ["a.yaml": "1\n", "b.yaml": "b\n"], message: "base", at: 1)
    let mine = try repo.commitFolder("ns/web", ["a.yaml": "2\n"], message: "mine", at: 2)
    let theirs = try repo.writeTree(replacingFolder: "ns/api", in: base, with: ["c.yaml": bytes("c\n")])
    let changed = try repo.changes(from: base, to: mine).map(\.path)
    #expect(changed == ["ns/web/a.yaml", "ns/web/b.yaml"])
    let replayed = try repo.tree(theirs, taking: changed, from: mine)
    #expect(try repo.files(under: "", inTree: replayed) == ["ns/api/c.yaml", "ns/web/a.yaml"])
    #expect(try repo.readFile("ns/web/a.yaml", inTree: replayed) == bytes("2\n"))
  }

  @Test func httpsCredentialsComeFromGitsCredentialHelper() throws {
    let box = try Sandbox()
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
    environment["HOME"] = box.path("")
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_TERMINAL_PROMPT"] = "0"
    #expect(GitCredentialHelper.fill(url: "https://git.example.com/team/store.git", user: nil, environment: environment) == nil,
            "no helper and no terminal: no credentials")
    // A helper that answers with the host and path git asked about, as git passes them.
    environment["GIT_CONFIG_COUNT"] = "2"
    environment["GIT_CONFIG_KEY_0"] = "credential.helper"
    environment["GIT_CONFIG_VALUE_0"] =
      "!f() { while read -r line; do case $line in host=*) echo username=${line#host=};; path=*) echo password=${line#path=};; esac; done; }; f"
    environment["GIT_CONFIG_KEY_1"] = "credential.useHttpPath"
    environment["GIT_CONFIG_VALUE_1"] = "true"
    let answer = GitCredentialHelper.fill(url: "https://git.example.com:8443/team/store.git", user: nil, environment: environment)
    #expect(answer?.user == "git.example.com:8443")
    #expect(answer?.password == "team/store.git")
  }
}
