import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import Testing

/// A store folder or a revision's file that no file system takes is refused before anything
/// is written: no folder, no repository, no commit, no moved branch.
@Suite struct StoreWriteSafetyTests {
  func store(_ path: String) -> GitReleaseStore {
    GitReleaseStore(path: path, flowrelVersion: "test", environment: testEnvironment, clock: { fixedTime })
  }

  func configMap(_ name: String) throws -> NewRevision {
    let map = try Manifest(content: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["k": "v"]])
    return NewRevision(
      release: "web", namespace: "default", action: .install, status: .recorded, chart: ChartReference(name: "x", version: "1.0.0"),
      values: .emptyMap, manifests: [map], notes: nil, description: "Install complete")
  }

  /// The issue's input: a `--store` folder whose name has 300 characters.
  @Test func aStoreFolderNameOfThreeHundredCharactersIsRefusedClearly() async throws {
    let scratch = try Scratch()
    let path = scratch.path + "/" + String(repeating: "s", count: 300)
    let error = await #expect(throws: StoreError.self) { _ = try await store(path).record(try configMap("a")) }
    #expect(error?.description == "cannot write to the store \(path): the folder name \"\(String(repeating: "s", count: 40))...\" "
      + "is 300 bytes long; file systems allow at most 255 (choose a shorter --store); nothing was written")
    #expect(throws: StoreError.self) { _ = try store(path).initialize() }
    #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty)
  }

  @Test func aStoreFolderNameOfTwoHundredFiftyFiveCharactersWorks() async throws {
    let scratch = try Scratch()
    let path = scratch.path + "/" + String(repeating: "s", count: 255)
    #expect(try await store(path).record(try configMap("a")).info.revision == 1)
    #expect(try store(path).revision(release: "web", namespace: "default", number: nil).info.revision == 1)
  }

  /// A file whose path in the work tree would pass the system's limit: refused before the
  /// tree is built, so the branch stays where it was and the folder is not written.
  @Test func aFileThatCouldNotBeCheckedOutIsRefusedBeforeTheTreeIsBuilt() async throws {
    let scratch = try Scratch()
    let repo = scratch.path + "/repo"
    try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
    try git(["init", "-q", "-b", "main"], in: repo)
    try Data("# ops\n".utf8).write(to: URL(fileURLWithPath: repo + "/README.md"))
    try git(["add", "README.md"], in: repo)
    try git(["commit", "-q", "-m", "start"], in: repo)
    let before = try git(["rev-parse", "main"], in: repo)
    // Deep enough that the store folder is accepted, but a long object file name is not.
    var path = repo
    while path.utf8.count < 3700 { path += "/" + String(repeating: "d", count: 250) }
    path += "/" + String(repeating: "e", count: 3960 - path.utf8.count - 1)
    let deep = store(path)
    let error = await #expect(throws: StoreError.self) {
      _ = try await deep.record(try configMap(String(repeating: "c", count: 200)))
    }
    #expect(error?.description.contains("the system takes at most 4095; nothing was written") == true, "\(String(describing: error))")
    #expect(try git(["rev-parse", "main"], in: repo) == before)
    #expect(!FileManager.default.fileExists(atPath: path + "/default"))
    // A short name fits, and is recorded as revision 1: the refused one left nothing behind.
    #expect(try await deep.record(try configMap("short")).info.revision == 1)
  }

  /// A commit someone else made on the branch between two writes stays in its history: the
  /// next revision is made on top of it, never by moving the branch back.
  @Test func aCommitMadeBetweenTwoWritesIsKept() async throws {
    let scratch = try Scratch()
    let repo = scratch.path
    try git(["init", "-q", "-b", "main"], in: repo)
    let flowrel = store(repo + "/releases")
    _ = try await flowrel.record(try configMap("a"))
    try Data("by hand\n".utf8).write(to: URL(fileURLWithPath: repo + "/notes.txt"))
    try git(["add", "notes.txt"], in: repo)
    try git(["-c", "user.name=Other", "-c", "user.email=o@example.com", "commit", "-q", "-m", "someone else"], in: repo)
    let theirs = try git(["rev-parse", "main"], in: repo)
    _ = try await flowrel.record(try configMap("b"))
    #expect(try git(["rev-parse", "main~1"], in: repo) == theirs)
    let subjects = try git(["log", "--format=%s", "main"], in: repo).split(separator: "\n")
    #expect(subjects.count == 3 && subjects[1] == "someone else")
    #expect(try flowrel.revision(release: "web", namespace: "default", number: nil).info.revision == 2)
  }
}
