import Foundation
import FlowrelGit
import Testing

@Suite struct WorkingTreeTests {
  /// A repository with `web` and `api` folders committed and checked out, status clean.
  func checkedOut(_ box: Sandbox) throws -> Repository {
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    try repo.commitFolder("ns/web", ["a.yaml": "a1\n", "old/gone.yaml": "bye\n", "keep.yaml": "k\n"], message: "web", at: 1)
    try repo.commitFolder("ns/api", ["x.yaml": "x1\n"], message: "api", at: 2)
    let head = try repo.commitID(of: "HEAD")
    try repo.updateWorkingTree(folder: "ns/web", toMatch: head)
    try repo.updateWorkingTree(folder: "ns/api", toMatch: head)
    #expect(try box.git(["status", "--porcelain"], in: box.path("work")) == "")
    return repo
  }

  @Test func updatingOneFolderLeavesOtherWorkAlone() throws {
    let box = try Sandbox()
    let repo = try checkedOut(box)
    let work = box.path("work")
    try box.write("x2 (my edit)\n", to: "ns/api/x.yaml", in: work)
    try box.write("notes\n", to: "notes.txt", in: work)
    try box.git(["add", "notes.txt"], in: work)

    let next = try repo.commitFolder("ns/web", ["a.yaml": "a2\n", "keep.yaml": "k\n", "new/b.yaml": "b\n"],
                                     message: "web 2", at: 3)
    try repo.updateWorkingTree(folder: "ns/web", toMatch: next)

    let status = try box.git(["status", "--porcelain"], in: work)
    #expect(status == "A  notes.txt\n M ns/api/x.yaml\n")
    #expect(try box.read("ns/web/a.yaml", in: work) == "a2\n")
    #expect(try box.read("ns/web/new/b.yaml", in: work) == "b\n")
    #expect(!FileManager.default.fileExists(atPath: box.path("work/ns/web/old")))
    #expect(try box.read("ns/api/x.yaml", in: work) == "x2 (my edit)\n")
    #expect(try box.git(["ls-files", "ns/web"], in: work) == "ns/web/a.yaml\nns/web/keep.yaml\nns/web/new/b.yaml\n")
    #expect(try repo.uncommittedChanges(under: "ns/web") == [])
    try box.expectFsckClean(work)
  }

  @Test func onlyFilesWhoseContentChangedAreWritten() throws {
    let box = try Sandbox()
    let repo = try checkedOut(box)
    let work = box.path("work")
    // Old modification times show which files get written again; `git update-index --refresh`
    // records them in the index, as any git command that refreshes would.
    let old = Date(timeIntervalSince1970: 1_000_000_000)
    for file in ["a.yaml", "keep.yaml", "old/gone.yaml"] { try setModified(box.path("work/ns/web/" + file), old) }
    try setModified(box.path("work/ns/api/x.yaml"), old)
    try box.git(["update-index", "--refresh"], in: work)

    let next = try repo.commitFolder("ns/web", ["a.yaml": "a2\n", "keep.yaml": "k\n", "old/gone.yaml": "bye\n"],
                                     message: "web 2", at: 3)
    try repo.updateWorkingTree(folder: "ns/web", toMatch: next)
    #expect(try box.read("ns/web/a.yaml", in: work) == "a2\n")
    #expect(try modified(box.path("work/ns/web/a.yaml")) != old)
    #expect(try modified(box.path("work/ns/web/keep.yaml")) == old)
    #expect(try modified(box.path("work/ns/web/old/gone.yaml")) == old)
    #expect(try modified(box.path("work/ns/api/x.yaml")) == old)
    // The index's stat data describes the files as written: nothing differs, even unrefreshed.
    #expect(try box.git(["diff-files", "--name-only"], in: work) == "")
    #expect(try box.git(["status", "--porcelain"], in: work) == "")
  }

  @Test func editedReplacedOrStaleFilesAreRestored() throws {
    let box = try Sandbox()
    let repo = try checkedOut(box)
    let work = box.path("work")
    try box.write("K\n", to: "ns/web/keep.yaml", in: work)  // same size as the committed "k\n"
    try box.write("outside\n", to: "outside.txt", in: work)
    try FileManager.default.removeItem(atPath: box.path("work/ns/web/a.yaml"))
    try FileManager.default.createSymbolicLink(atPath: box.path("work/ns/web/a.yaml"), withDestinationPath: box.path("work/outside.txt"))
    try FileManager.default.removeItem(atPath: box.path("work/ns/web/old/gone.yaml"))
    // Same content, new modification time: only the index entry needs new stat data.
    try setModified(box.path("work/ns/api/x.yaml"), Date(timeIntervalSince1970: 1_000_000_000))

    try repo.updateWorkingTree(folder: "ns/web", toMatch: repo.commitID(of: "HEAD"))
    try repo.updateWorkingTree(folder: "ns/api", toMatch: repo.commitID(of: "HEAD"))
    #expect(try box.read("ns/web/keep.yaml", in: work) == "k\n")
    #expect(try box.read("ns/web/a.yaml", in: work) == "a1\n")
    #expect(try FileManager.default.attributesOfItem(atPath: box.path("work/ns/web/a.yaml"))[.type] as? FileAttributeType
      == .typeRegular)
    #expect(try box.read("outside.txt", in: work) == "outside\n")
    #expect(try box.read("ns/web/old/gone.yaml", in: work) == "bye\n")
    #expect(try modified(box.path("work/ns/api/x.yaml")) == Date(timeIntervalSince1970: 1_000_000_000))
    #expect(try box.git(["diff-files", "--name-only"], in: work) == "")
    #expect(try box.git(["status", "--porcelain"], in: work) == "?? outside.txt\n")

    // The tree records a plain file: an execute bit set since goes away.
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: box.path("work/ns/api/x.yaml"))
    try repo.updateWorkingTree(folder: "ns/api", toMatch: repo.commitID(of: "HEAD"))
    #expect(!FileManager.default.isExecutableFile(atPath: box.path("work/ns/api/x.yaml")))
    #expect(try box.git(["status", "--porcelain"], in: work) == "?? outside.txt\n")
  }

  @Test func removingAReleaseFolderDeletesItsFilesAndEntries() throws {
    let box = try Sandbox()
    let repo = try checkedOut(box)
    let next = try repo.commitFolder("ns/web", [:], message: "web removed", at: 3)
    try repo.updateWorkingTree(folder: "ns/web", toMatch: next)
    #expect(!FileManager.default.fileExists(atPath: box.path("work/ns/web")))
    #expect(FileManager.default.fileExists(atPath: box.path("work/ns/api/x.yaml")))
    #expect(try box.git(["status", "--porcelain"], in: box.path("work")) == "")
  }

  @Test func uncommittedChangesInOneFolderAreFound() throws {
    let box = try Sandbox()
    let repo = try checkedOut(box)
    let work = box.path("work")
    #expect(try repo.uncommittedChanges(under: "ns/web") == [])

    try box.write("edited\n", to: "ns/web/a.yaml", in: work)
    try box.write("edited\n", to: "ns/api/x.yaml", in: work)
    #expect(try repo.uncommittedChanges(under: "ns/web") == ["ns/web/a.yaml"])

    try box.write("staged\n", to: "ns/web/keep.yaml", in: work)
    try box.git(["add", "ns/web/keep.yaml"], in: work)
    try box.write("new\n", to: "ns/web/untracked/u.yaml", in: work)
    try FileManager.default.removeItem(atPath: box.path("work/ns/web/old/gone.yaml"))
    #expect(try repo.uncommittedChanges(under: "ns/web") == [
      "ns/web/a.yaml", "ns/web/keep.yaml", "ns/web/old/gone.yaml", "ns/web/untracked/u.yaml",
    ])
    #expect(try repo.uncommittedChanges(under: "ns/api") == ["ns/api/x.yaml"])
    #expect(try repo.uncommittedChanges(under: "ns/none") == [])
  }

  @Test func pathsRelativeToTheWorkingTree() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("work"), initialBranch: "main")
    #expect(try repo.relativePath(of: box.path("work")) == "")
    #expect(try repo.relativePath(of: box.path("work/releases/ns")) == "releases/ns")  // not created yet
    try FileManager.default.createDirectory(atPath: box.path("work/releases"), withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: box.path("link"), withDestinationPath: box.path("work/releases"))
    #expect(try repo.relativePath(of: box.path("link/ns")) == "releases/ns")
    let outside = #expect(throws: GitError.self) { try repo.relativePath(of: box.path("elsewhere")) }
    #expect(outside?.message == "\(box.path("elsewhere")) is not inside the working tree \(box.path("work"))/")
    #expect(throws: GitError.self) { try repo.relativePath(of: box.path("work/.git/refs")) }
    #expect(throws: GitError.self) { try repo.relativePath(of: box.path("workshop")) }
  }

  @Test func aBareRepositoryHasNoWorkingTree() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let commit = try repo.commitFolder("ns/web", ["a.yaml": "a\n"], message: "web", at: 1)
    let update = #expect(throws: GitError.self) { try repo.updateWorkingTree(folder: "ns/web", toMatch: commit) }
    #expect(update?.reason == .bareRepository)
    let status = #expect(throws: GitError.self) { try repo.uncommittedChanges(under: "ns/web") }
    #expect(status?.reason == .bareRepository)
    #expect(throws: GitError.self) { try repo.relativePath(of: box.path("store.git")) }
  }

  private func setModified(_ path: String, _ date: Date) throws {
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
  }

  private func modified(_ path: String) throws -> Date? {
    try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
  }
}
