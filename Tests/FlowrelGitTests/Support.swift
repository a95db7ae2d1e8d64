import Foundation
import FlowrelGit
import Testing

/// A temporary directory for one test, removed when the test drops it, with a git CLI that
/// ignores the user's configuration and the process's `GIT_*` variables.
final class Sandbox {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-git-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  /// The absolute path of `name` inside the sandbox.
  func path(_ name: String) -> String { root.appendingPathComponent(name).path }

  /// Runs `git` in `directory` (with `input` on its standard input, when given) and returns its
  /// standard output; throws when it exits non-zero.
  @discardableResult
  func git(_ arguments: [String], in directory: String, input: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
    environment["HOME"] = path("home")
    environment["XDG_CONFIG_HOME"] = path("home/.config")
    environment["GIT_CONFIG_NOSYSTEM"] = "1"
    environment["GIT_AUTHOR_NAME"] = "CLI"
    environment["GIT_AUTHOR_EMAIL"] = "cli@example.com"
    environment["GIT_COMMITTER_NAME"] = "CLI"
    environment["GIT_COMMITTER_EMAIL"] = "cli@example.com"
    environment["LC_ALL"] = "C"
    process.environment = environment
    let output = Pipe()
    let errors = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-git-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errors) }
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errors)
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try stdin.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      let message = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
      throw CLIError(message: "git \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(message)")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// Writes `text` to `relative` under `directory`, creating folders.
  func write(_ text: String, to relative: String, in directory: String) throws {
    let url = URL(fileURLWithPath: directory).appendingPathComponent(relative)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  /// Reads the text of `relative` under `directory`.
  func read(_ relative: String, in directory: String) throws -> String {
    try String(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(relative), encoding: .utf8)
  }

  /// Checks the repository's objects and references with `git fsck`, which fails on any error.
  func expectFsckClean(_ directory: String) throws {
    let report = try git(["fsck", "--strict", "--no-dangling"], in: directory)
    #expect(!report.contains("error"), "git fsck: \(report)")
  }
}

/// A failed CLI call in a test.
struct CLIError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}

/// A fixed signature, `n` seconds after a fixed moment, so history order and output are stable.
func testSignature(_ n: Int = 0) -> Signature {
  Signature(name: "Test", email: "test@example.com", time: Date(timeIntervalSince1970: Double(1_700_000_000 + n)))
}

/// The bytes of `text`.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

extension Repository {
  /// Commits `files` as the content of `folder` on `branch`, the way the release store will:
  /// tree from the branch tip, commit, compare-and-swap the branch. Returns the new commit.
  @discardableResult
  func commitFolder(_ folder: String, _ files: [String: String], message: String, at n: Int, branch: String = "main")
    throws -> ObjectID
  {
    let reference = Repository.branchReference(branch)
    let parent = try referenceTarget(reference)
    let tree = try writeTree(replacingFolder: folder, in: parent, with: files.mapValues(bytes))
    let commit = try createCommit(
      tree: tree, parents: parent.map { [$0] } ?? [], message: message, author: testSignature(n),
      committer: testSignature(n))
    try updateReference(reference, to: commit, expecting: parent, message: "test: \(message)")
    return commit
  }
}
