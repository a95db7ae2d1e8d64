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
    let missing = #expect(throws: GitError.self) { try repo.push(branch: "main", to: "nowhere") }
    #expect(missing?.reason == .notFound)
    #expect(missing?.message.hasPrefix("no remote 'nowhere'") == true)
  }

  @Test func pushFastForwardsThenRejectsADivergedBranch() throws {
    let box = try Sandbox()
    _ = try Repository.create(at: box.path("remote.git"), bare: true, initialBranch: "main")
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    try repo.addRemote("origin", url: box.path("remote.git"))
    try repo.commitFolder("ns/web", ["a.yaml": "1\n"], message: "one", at: 1)
    try repo.push(branch: "main", to: "origin")
    let second = try repo.commitFolder("ns/web", ["a.yaml": "2\n"], message: "two", at: 2)
    try repo.push(branch: "main", to: "origin")
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == second.hex + "\n")
    try box.expectFsckClean(box.path("remote.git"))

    // Another writer with unrelated history pushes to the same branch.
    let other = try Repository.create(at: box.path("other"), initialBranch: "main")
    try other.addRemote("origin", url: box.path("remote.git"))
    try other.commitFolder("ns/api", ["b.yaml": "b\n"], message: "theirs", at: 3)
    let rejected = #expect(throws: GitError.self) { try other.push(branch: "main", to: "origin") }
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
    try repo.push(branch: "main", to: "origin")
    try repo.commitFolder("ns/web", ["a.yaml": "2\n"], message: "two", at: 2)
    // A writer in the remote holds the branch's lock, so the remote cannot update it.
    try box.write("", to: "refs/heads/main.lock", in: box.path("remote.git"))
    let refused = #expect(throws: GitError.self) { try repo.push(branch: "main", to: "origin") }
    #expect(refused?.reason == .rejected)
    #expect(refused?.message.hasPrefix("push to 'origin' rejected by the remote: refs/heads/main (") == true)
    #expect(try box.git(["rev-parse", "refs/heads/main"], in: box.path("remote.git")) == first.hex + "\n")
  }
}
