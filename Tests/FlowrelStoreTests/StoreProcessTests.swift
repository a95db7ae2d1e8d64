import FlowrelAge
import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// The git store under real processes: killed writers, parallel writers, and what reaches
/// the object database.
@Suite struct StoreProcessTests {
  /// Kills a writer at 100 random moments (seeded) while it records, then checks that git
  /// finds the repository sound and that the store's history has every revision once, in order.
  @Test func killedWritersLeaveTheStoreAtItsLastGoodState() async throws {
    let scratch = try Scratch()
    let store = scratch.path + "/releases"
    let writer = try writerExecutable()
    var random = SplitMix64(seed: 0x5EED_F10E)
    var printed: [String: Set<Int>] = ["web": [], "api": []]
    for round in 0..<100 {
      let release = round % 3 == 0 ? "api" : "web"
      let process = Process()
      process.executableURL = URL(fileURLWithPath: writer)
      process.arguments = [store, release, "50"]
      let output = Pipe()
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      // Up to 0.3 s: from before the store is opened to several revisions in (a debug
      // build records one in about 20 ms), so kills land in every step of a write.
      usleep(UInt32(random.next() % 300_000))
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      for line in text.split(separator: "\n") {
        let parts = line.split(separator: " ")
        if parts.count == 3, let number = Int(parts[2]) { printed[String(parts[1]), default: []].insert(number) }
      }
    }
    // One more writer that runs to the end recovers whatever the last kill left.
    let final = try run(writer, [store, "web", "1"])
    #expect(final.status == 0, "\(final.errorText)")
    try #require(FileManager.default.fileExists(atPath: store + "/.git"), "no writer got far enough to make the repository")
    try git(["fsck", "--full", "--strict", "--no-dangling"], in: store)
    #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: store).isEmpty)
    let reader = GitReleaseStore(path: store, flowrelVersion: "test")
    for release in ["web", "api"] {
      let history = (try? reader.history(release: release, namespace: "default", max: nil)) ?? []
      #expect(history.map(\.revision) == (0..<history.count).map { $0 + 1 })
      // Every revision a writer reported is in the history (it may have died before printing one).
      #expect(printed[release, default: []].isSubset(of: Set(history.map(\.revision))))
      for info in history {
        let revision = try reader.revision(release: release, namespace: "default", number: info.revision)
        #expect(revision.manifests.count == 5)
      }
    }
  }

  /// Eight processes record into one store at once, four on one release and four on others:
  /// every revision is kept, numbers per release are 1...n without gaps or repeats. The store
  /// does not exist yet, so they also race to create its repository.
  @Test func parallelWritersAllSucceedOneAfterAnother() async throws {
    let scratch = try Scratch()
    let store = scratch.path + "/releases"
    let writer = try writerExecutable()
    let jobs: [(release: String, namespace: String)] = [
      ("web", "default"), ("web", "default"), ("web", "default"), ("web", "default"),
      ("api", "default"), ("api", "default"), ("web", "dev"), ("search", "dev"),
    ]
    let results = ResultsBox()
    DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
      let job = jobs[index]
      results.set(index, Result { try run(writer, [store, job.release, "6", "--namespace", job.namespace]) })
    }
    var numbers: [String: [Int]] = [:]
    for (index, job) in jobs.enumerated() {
      let result = try results.get(index).get()
      #expect(result.status == 0, "\(result.errorText)")
      for line in result.output.split(separator: "\n") {
        if let number = Int(line.split(separator: " ").last ?? "") { numbers["\(job.namespace)/\(job.release)", default: []].append(number) }
      }
    }
    let expected = ["default/web": 24, "default/api": 12, "dev/web": 6, "dev/search": 6]
    let reader = GitReleaseStore(path: store, flowrelVersion: "test")
    for (release, count) in expected {
      #expect(numbers[release, default: []].sorted() == Array(1...count), "\(release)")
      let parts = release.split(separator: "/").map(String.init)
      #expect(try reader.history(release: parts[1], namespace: parts[0], max: nil).map(\.revision) == Array(1...count))
    }
    #expect(try git(["rev-list", "--count", "HEAD"], in: store) == "48\n")
    try git(["fsck", "--full", "--strict", "--no-dangling"], in: store)
    #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: store).isEmpty)
  }

  /// Records secrets (changed, unchanged, rolled back, rotated, uninstalled) and searches every object of
  /// the repository, every file under `.git` and the working tree for them: none is found.
  @Test func noSecretReachesTheRepositoryInClear() async throws {
    let scratch = try Scratch()
    let path = scratch.path + "/releases"
    let store = GitReleaseStore(path: path, secrets: secretSettings(AgeIdentity.generate()), flowrelVersion: "test",
                                environment: testEnvironment)
    let passwords = ["Tr0ub4dor&3-alpha", "correct horse battery staple", "pa55-beta-ÿ€"]
    _ = try await store.record(Fixtures.revision(release: "web", password: passwords[0], notes: "Password: \(passwords[0])\n"))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, password: passwords[0]))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, password: passwords[1]))
    let first = try store.revision(release: "web", namespace: "default", number: 1)
    var rollback = Fixtures.revision(release: "web", action: .rollback)
    (rollback.values, rollback.manifests, rollback.notes) = (first.values, first.manifests, first.notes)
    rollback.secretValuePaths = first.secretValuePaths
    _ = try await store.record(rollback)
    var rotate = Fixtures.revision(release: "web", action: .rotate)
    let latest = try store.revision(release: "web", namespace: "default", number: nil)
    (rotate.values, rotate.manifests, rotate.notes, rotate.secretValuePaths) =
      (latest.values, latest.manifests, latest.notes, latest.secretValuePaths)
    _ = try await store.record(rotate)
    _ = try await store.record(Fixtures.revision(release: "api", namespace: "dev", password: passwords[2],
                                           secretPaths: [ValuePathFixture.image]))
    _ = try await store.recordUninstall(release: "web", namespace: "default", description: "Uninstall complete")
    let chartMarked = "jina/executor:3.20"
    var needles: [String] = []
    for secret in passwords { needles += [secret, Data(secret.utf8).base64EncodedString()] }
    let objects = try run("/usr/bin/env", ["git", "cat-file", "--batch-all-objects", "--batch"], in: path).outputData
    #expect(objects.count > 10_000)
    var haystacks: [(String, Data)] = [("objects", objects)]
    let walker = FileManager.default.enumerator(atPath: path)
    while let file = walker?.nextObject() as? String {
      var isFolder: ObjCBool = false
      let full = path + "/" + file
      if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue {
        haystacks.append((file, try Data(contentsOf: URL(fileURLWithPath: full))))
      }
    }
    for (name, data) in haystacks {
      for needle in needles { #expect(data.range(of: Data(needle.utf8)) == nil, "\(needle) found in \(name)") }
    }
    // The chart-marked value of `api` is encrypted in its values.yaml (it is plain in manifests).
    let apiValues = try git(["show", "HEAD:dev/api/values.yaml"], in: path)
    #expect(!apiValues.contains(chartMarked))
  }
}

/// Paths the secret tests mark as the chart's secrets.
enum ValuePathFixture {
  static let image = FlowrelValue.ValuePath([.key("image")])
}

/// Results handed from parallel workers to the test.
final class ResultsBox: @unchecked Sendable {
  private let lock = NSLock()
  private var results: [Int: Result<ProcessResult, any Error>] = [:]
  func set(_ index: Int, _ result: Result<ProcessResult, any Error>) { lock.withLock { results[index] = result } }
  func get(_ index: Int) throws -> Result<ProcessResult, any Error> {
    guard let result = lock.withLock({ results[index] }) else { throw StoreTestError("worker \(index) left no result") }
    return result
  }
}

/// A small seeded generator (SplitMix64), so the kill moments are the same on every run.
struct SplitMix64 {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
