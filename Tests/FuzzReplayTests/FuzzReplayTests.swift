import FlowrelFuzzTargets
import Foundation
import Testing

/// Replays every committed fuzz input through the fuzzers' own entry point: the seeds in
/// Fuzz/Corpus/<target> and every input a campaign found failing, in Fuzz/Regressions/<target>.
/// An input that crashes or hangs a target crashes or hangs this test the same way.
@Suite struct FuzzReplayTests {
  static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fuzz")

  /// The files of `folder`/`target`, sorted so the replay order is the same on every run.
  static func inputs(_ folder: String, _ target: FuzzTarget) -> [URL] {
    let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.sorted().map { directory.appendingPathComponent($0) }
  }

  @Test(arguments: FuzzTarget.allCases)
  func replaysTheSeedCorpus(_ target: FuzzTarget) throws {
    let seeds = Self.inputs("Corpus", target)
    #expect(!seeds.isEmpty, "every target has seeds in Fuzz/Corpus/\(target.rawValue)")
    for seed in seeds { target.run(Array(try Data(contentsOf: seed))) }
  }

  @Test(arguments: FuzzTarget.allCases)
  func replaysEveryInputThatFailed(_ target: FuzzTarget) throws {
    for input in Self.inputs("Regressions", target) { target.run(Array(try Data(contentsOf: input))) }
  }

  @Test func everyTargetHasAFolderAndNoFolderIsUnknown() throws {
    let names = Set(FuzzTarget.allCases.map(\.rawValue))
    for folder in ["Corpus", "Regressions"] {
      let found = try FileManager.default.contentsOfDirectory(atPath: Self.fuzz.appendingPathComponent(folder).path)
      #expect(Set(found).subtracting(names).isEmpty, "Fuzz/\(folder) holds only target folders")
    }
  }
}
