import Foundation
import FlowrelGit
import Testing

@Suite struct RepositoryTests {
  @Test func createWithWorkingTreeStartsOnAnUnbornBranch() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    #expect(!repo.isBare)
    #expect(repo.workingDirectory == box.path("work") + "/")
    #expect(repo.gitDirectory == box.path("work") + "/.git/")
    #expect(try repo.head() == .unborn("main"))
    #expect(try box.git(["symbolic-ref", "HEAD"], in: box.path("work")) == "refs/heads/main\n")
  }

  @Test func createBare() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("remote.git"), bare: true, initialBranch: "trunk")
    #expect(repo.isBare)
    #expect(repo.workingDirectory == nil)
    #expect(try repo.head() == .unborn("trunk"))
    #expect(try box.git(["rev-parse", "--is-bare-repository"], in: box.path("remote.git")) == "true\n")
    #expect(try box.git(["symbolic-ref", "HEAD"], in: box.path("remote.git")) == "refs/heads/trunk\n")
  }

  @Test func defaultBranchIsMainUnlessConfigured() throws {
    let box = try Sandbox()
    #expect(try Repository.defaultInitialBranch(config: .file(box.path("missing.gitconfig"))) == "main")
    try box.git(["config", "-f", box.path("trunk.gitconfig"), "init.defaultBranch", "trunk"], in: box.path(""))
    #expect(try Repository.defaultInitialBranch(config: .file(box.path("trunk.gitconfig"))) == "trunk")
    // Without a branch, `create` asks the user's configuration: the same answer as above.
    let expected = try Repository.defaultInitialBranch(config: .user())
    #expect(try Repository.create(at: box.path("work")).head() == .unborn(expected))
  }

  @Test func createRefusesAnExistingRepository() throws {
    let box = try Sandbox()
    _ = try Repository.create(at: box.path("work"), initialBranch: "main")
    let error = #expect(throws: GitError.self) { try Repository.create(at: box.path("work"), initialBranch: "main") }
    #expect(error?.reason == .alreadyExists)
    #expect(error?.message.contains(box.path("work")) == true)
  }

  @Test func createRefusesAnInvalidBranchName() throws {
    let box = try Sandbox()
    let error = #expect(throws: GitError.self) { try Repository.create(at: box.path("work"), initialBranch: "a..b") }
    #expect(error?.reason == .invalid)
    #expect(error?.message == "'refs/heads/a..b' is not a valid reference name")
  }

  @Test func openingANonRepositoryNamesThePath() throws {
    let box = try Sandbox()
    try FileManager.default.createDirectory(atPath: box.path("plain"), withIntermediateDirectories: true)
    let error = #expect(throws: GitError.self) { try Repository.open(at: box.path("plain")) }
    #expect(error?.reason == .notFound)
    #expect(error?.function == "git_repository_open_ext")
    #expect(error?.message.hasPrefix("no git repository at \(box.path("plain")): ") == true)
    #expect(error?.description.hasSuffix("(git_repository_open_ext: not found)") == true)
  }

  @Test func openDoesNotSearchParentsButDiscoverDoes() throws {
    let box = try Sandbox()
    _ = try Repository.create(at: box.path("work"), initialBranch: "main")
    try FileManager.default.createDirectory(atPath: box.path("work/a/b"), withIntermediateDirectories: true)
    #expect(throws: GitError.self) { try Repository.open(at: box.path("work/a/b")) }
    #expect(try Repository.discover(from: box.path("work/a/b")).workingDirectory == box.path("work") + "/")
    #expect(try Repository.open(at: box.path("work")).workingDirectory == box.path("work") + "/")
  }

  @Test func headIsABranchThenDetached() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    let first = try repo.commitFolder("a", ["x": "1\n"], message: "one", at: 0)
    #expect(try repo.head() == .branch("main", first))
    #expect(try repo.head().branch == "main")
    try box.git(["checkout", "-q", "--detach", "main"], in: box.path("work"))
    let head = try repo.head()
    #expect(head == .detached(first))
    #expect(head.branch == nil)
    #expect(head.commit == first)
  }

  @Test func objectIDsAreHexNames() {
    let upper = ObjectID(hex: "4B825DC642CB6EB9A060E54BF8D69288FBEE4904")
    #expect(upper?.hex == "4b825dc642cb6eb9a060e54bf8d69288fbee4904")
    #expect(upper?.short == "4b825dc")
    #expect(upper == ObjectID(hex: "4b825dc642cb6eb9a060e54bf8d69288fbee4904"))
    #expect(ObjectID(hex: "4b825dc") == nil)
    #expect(ObjectID(hex: "zz825dc642cb6eb9a060e54bf8d69288fbee4904") == nil)
  }
}
