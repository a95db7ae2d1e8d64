import FlowrelGit
import FlowrelStore
import Foundation
import StoreFixtures

// The release store with a 750-object release:
//
//   StoreBenchmark DIR [HISTORY] [SAMPLES]
//
// Records SAMPLES revisions through the store (each changing one value) into a fresh store,
// at half of HISTORY and at HISTORY revisions; the history in between is built on a fast path
// (revision N's files are the last recorded revision's, with the revision number and the
// one changed value replaced, committed with `git fast-import`). Then times history, reading the
// oldest revision, and diffs, and prints `key value` lines for Benchmarks/store.sh.

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  FileHandle.standardError.write(Data("usage: StoreBenchmark DIR [HISTORY] [SAMPLES]\n".utf8))
  exit(1)
}
let directory = arguments[1]
let historyLength = arguments.count > 2 ? Int(arguments[2]) ?? 10_000 : 10_000
let samples = arguments.count > 3 ? Int(arguments[3]) ?? 20 : 20
let storePath = directory + "/repo/releases"
let releaseFolder = "releases/default/big"
let executors = 747  // + gateway Deployment, Service and ConfigMap = 750 objects

func revision(_ number: Int) -> NewRevision {
  Fixtures.revision(release: "big", action: number == 1 ? .install : .upgrade, executors: executors, setting: "value-\(number)")
}

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

func report(_ key: String, _ value: Double) { print(key, String(format: "%.1f", value)) }
func report(_ key: String, count: Int) { print(key, count) }

do {
  _ = try GitReleaseStore(path: directory + "/repo", flowrelVersion: "bench").initialize()
  let store = GitReleaseStore(path: storePath, flowrelVersion: "bench")
  var recorded = 0
  /// Records `samples` revisions through `into` and reports the median and fastest time.
  func recordSamples(_ label: String, into target: GitReleaseStore = store) async throws {
    var times: [Double] = []
    for _ in 0..<samples {
      recorded += 1
      let next = revision(recorded)
      // Timed here rather than through `milliseconds`: recording waits for the write lock (async).
      let start = DispatchTime.now().uptimeNanoseconds
      _ = try await target.record(next)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    report("record_ms_at_\(label)", median(times))
    report("record_min_ms_at_\(label)", times.min() ?? 0)
  }

  try await recordSamples("start")

  /// Commits revisions up to `target` through `git fast-import` (each commit changes the three
  /// files a one-value change touches), then checks the folder out once through FlowrelGit.
  func fastForward(to target: Int) throws {
    let repo = try Repository.open(at: directory + "/repo")
    guard case .branch(let branch, let tip) = try repo.head() else { throw StoreError.detachedHead(repository: directory) }
    let template = try repo.readFolder(releaseFolder, inTree: tip)
    let tipCommit: Commit = try repo.commit(tip)
    let templateMessage = tipCommit.message
    let base = recorded
    func replace(_ text: String, _ number: Int) -> String {
      text.replacingOccurrences(of: "value-\(base)", with: "value-\(number)")
        .replacingOccurrences(of: "revision: \(base)\n", with: "revision: \(number)\n")
        .replacingOccurrences(of: "to revision \(base)\n", with: "to revision \(number)\n")
        .replacingOccurrences(of: "Flowrel-Revision: \(base)\n", with: "Flowrel-Revision: \(number)\n")
    }
    func data(_ text: String) -> Data { Data("data \(text.utf8.count)\n".utf8) + Data(text.utf8) + Data("\n".utf8) }
    var stream = Data()
    let time = Int(Date().timeIntervalSince1970)
    while recorded < target {
      recorded += 1
      stream += Data("commit refs/heads/\(branch)\ncommitter bench <bench@localhost> \(time) +0000\n".utf8)
      stream += data(replace(templateMessage, recorded))
      if recorded == base + 1 { stream += Data("from \(tip.hex)\n".utf8) }
      for name in ["release.yaml", "values.yaml", "manifests/configmap-flow-config.yaml"] {
        stream += Data("M 100644 inline \(releaseFolder)/\(name)\n".utf8)
        stream += data(replace(String(decoding: template[name] ?? [], as: UTF8.self), recorded))
      }
    }
    let file = directory + "/fast-import.stream"
    try stream.write(to: URL(fileURLWithPath: file))
    let importer = Process()
    importer.executableURL = URL(fileURLWithPath: "/bin/sh")
    importer.arguments = ["-c", "git -C \"$1/repo\" fast-import --quiet < \"$2\"", "sh", directory, file]
    try importer.run()
    importer.waitUntilExit()
    guard importer.terminationStatus == 0 else { throw StoreError.damaged(file: file, problem: "git fast-import failed") }
    try FileManager.default.removeItem(atPath: file)
    let reopened = try Repository.open(at: directory + "/repo")
    guard let newTip = try reopened.head().commit else { throw StoreError.detachedHead(repository: directory) }
    try reopened.updateWorkingTree(folder: releaseFolder, toMatch: newTip)
  }

  let buildStart = DispatchTime.now().uptimeNanoseconds
  try fastForward(to: historyLength / 2 - samples)
  try await recordSamples("half")
  try fastForward(to: historyLength - samples)
  try await recordSamples("full")
  report("fast_path_build_s", Double(DispatchTime.now().uptimeNanoseconds - buildStart) / 1e9)
  // The same on a branch that is not checked out: no working-tree files or index to update.
  let branchStore = GitReleaseStore(path: storePath, branch: "bench-branch", flowrelVersion: "bench")
  try await recordSamples("branch", into: branchStore)
  recorded -= samples
  report("revisions", count: recorded)

  var history: [RevisionInfo] = []
  report("history_all_ms", try median((0..<3).map { _ in try milliseconds { history = try store.history(release: "big", namespace: "default", max: nil) } }))
  report("history_entries", count: history.count)
  report("history_256_ms", try median((0..<3).map { _ in try milliseconds { _ = try store.history(release: "big", namespace: "default", max: 256) } }))
  report("get_latest_ms", try median((0..<3).map { _ in try milliseconds { _ = try store.revision(release: "big", namespace: "default", number: nil) } }))
  report("get_oldest_ms", try median((0..<3).map { _ in try milliseconds { _ = try store.revision(release: "big", namespace: "default", number: 1) } }))
  var changes: [ObjectChange] = []
  report("diff_last_two_ms", try median((0..<3).map { _ in try milliseconds {
    changes = try store.diff(release: "big", namespace: "default", from: recorded - 1, to: recorded) } }))
  report("diff_last_two_objects", count: changes.count)
  report("diff_first_last_ms", try median((0..<3).map { _ in try milliseconds {
    changes = try store.diff(release: "big", namespace: "default", from: 1, to: recorded) } }))
  report("diff_first_last_objects", count: changes.count)
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
