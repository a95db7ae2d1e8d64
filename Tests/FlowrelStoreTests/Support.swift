import FlowrelAge
import FlowrelGit
import FlowrelStore
import Foundation
import Testing

/// The stores the conformance suite runs against.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
  case memory, git
  var testDescription: String { rawValue }
}

/// A fixed revision time, so stored files are the same on every run.
let fixedTime = Date(timeIntervalSince1970: 1_763_900_000)

/// A store of `kind` used with `identity` (secrets encrypted to its recipient and read with
/// it), and a view of the same store without recipients or identities.
struct StoreUnderTest {
  let store: any ReleaseStore
  let keyless: any ReleaseStore
  /// The git store's folder (nil for the in-memory store).
  let path: String?
  let scratch: Scratch?
  /// The same store with other secret settings.
  let view: @Sendable (SecretSettings) -> any ReleaseStore

  init(_ kind: StoreKind, identity: AgeIdentity? = nil) throws {
    switch kind {
    case .memory:
      let memory = MemoryReleaseStore(secrets: secretSettings(identity), flowrelVersion: "test", clock: { fixedTime })
      view = { memory.withSecrets($0) }
      (store, path, scratch) = (memory, nil, nil)
    case .git:
      let scratch = try Scratch()
      let path = scratch.path + "/releases"
      view = { GitReleaseStore(path: path, secrets: $0, flowrelVersion: "test", environment: testEnvironment, clock: { fixedTime }) }
      (store, self.path, self.scratch) = (view(secretSettings(identity)), path, scratch)
    }
    keyless = view(SecretSettings())
  }
}

/// Secret settings with `identity`: secrets encrypted to its recipient and read with it.
func secretSettings(_ identity: AgeIdentity?, engine: GitOpsEngine? = nil) -> SecretSettings {
  guard let identity else { return SecretSettings(engine: engine) }
  return SecretSettings(recipients: [identity.recipient], keyring: AgeKeyring(identities: [identity]), engine: engine)
}

/// Signatures that do not depend on the machine's git configuration.
let testEnvironment = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
                       "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com"]

/// A temporary folder, removed when the value goes away.
final class Scratch: @unchecked Sendable {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `text` to `name` inside the folder and returns its path.
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let file = path + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }
}

/// A key of flowrel's old format for tests: 32 fixed bytes.
func testKey(_ seed: UInt8 = 7) throws -> SecretKey { try SecretKey(bytes: (0..<32).map { UInt8($0) &* 31 &+ seed }) }

/// Runs `git` with `arguments` in `directory`; returns standard output, failing on a non-zero exit.
@discardableResult
func git(_ arguments: [String], in directory: String, input: Data? = nil, allowFailure: Bool = false) throws -> String {
  let result = try run("/usr/bin/env", ["git"] + arguments, in: directory, input: input)
  if allowFailure && result.status != 0 { return "" }
  guard result.status == 0 else {
    throw StoreTestError("git \(arguments.joined(separator: " ")) failed (\(result.status)): \(result.errorText)")
  }
  return result.output
}

/// The result of a finished process.
struct ProcessResult {
  let status: Int32
  let outputData: Data
  let errorText: String
  var output: String { String(decoding: outputData, as: UTF8.self) }
}

/// Runs an executable to completion, collecting its output.
func run(
  _ executable: String, _ arguments: [String], in directory: String? = nil, input: Data? = nil, environment extra: [String: String] = [:]
) throws -> ProcessResult {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
  var environment = ProcessInfo.processInfo.environment
  for (name, value) in testEnvironment.merging(extra, uniquingKeysWith: { $1 }) { environment[name] = value }
  process.environment = environment
  let output = Pipe(), errors = Pipe(), stdin = Pipe()
  process.standardOutput = output
  process.standardError = errors
  process.standardInput = stdin
  try process.run()
  if let input { stdin.fileHandleForWriting.write(input) }
  try stdin.fileHandleForWriting.close()
  // Read both pipes before waiting, so a large output cannot block the child.
  let errorData = DataBox()
  let group = DispatchGroup()
  group.enter()
  let errorHandle = errors.fileHandleForReading
  DispatchQueue.global().async {
    errorData.set(errorHandle.readDataToEndOfFile())
    group.leave()
  }
  let data = output.fileHandleForReading.readDataToEndOfFile()
  group.wait()
  process.waitUntilExit()
  return ProcessResult(status: process.terminationStatus, outputData: data, errorText: String(decoding: errorData.get(), as: UTF8.self))
}

/// A failed test step, with its message.
struct StoreTestError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// Data handed from a reader thread to the waiting one.
final class DataBox: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  func set(_ value: Data) { lock.withLock { data = value } }
  func get() -> Data { lock.withLock { data } }
}

/// The stress writer executable, built next to the test bundle (SwiftPM puts every product of
/// a build in one folder: `.build/debug` or `.build/<triple>/debug`).
func writerExecutable() throws -> String {
  var candidates = [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
  for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
    candidates.append(bundle.bundleURL.deletingLastPathComponent())
  }
  for folder in candidates {
    let path = folder.appendingPathComponent("StoreStressWriter").path
    if FileManager.default.isExecutableFile(atPath: path) { return path }
  }
  throw StoreTestError(
    "StoreStressWriter not found next to the tests (looked in \(candidates.map(\.path))): build it with `swift build --build-tests`")
}

/// The store error `body` throws, or nil when it succeeds.
func storeError<T>(_ body: () throws(StoreError) -> T) -> StoreError? {
  do {
    _ = try body()
    return nil
  } catch {
    return error
  }
}
