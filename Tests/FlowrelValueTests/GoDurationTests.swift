import FlowrelValue
import ExternalProcess
import Foundation
import Testing

/// `GoDuration` against Go's own `time.ParseDuration` and `Duration.String`, run through
/// Tests/GoDurationReference/main.go.
@Suite struct GoDurationTests {
  /// Texts chosen for each rule of Go's syntax: signs, fractions, every unit, overflow at 2^63,
  /// and each of Go's three error messages (with quoting of odd characters).
  static let chosenTexts = [
    "30s", "5m", "1h30m", "1.5s", "300ms", "0", "+0", "-0", "0s", "00", "-1.5h", "+2m", "1h2m3s4ms5us6ns", "10µs",
    "10μs", "10us", ".5s", "1.s", ".s", "-.s", ".", "1..5s", "1.2.3s", "", "-", "+", "s", "30", "1h30", "5q", "1d",
    "1 s", " 1s", "1s ", "1S", "1H", "µs", "1µ", "1hh", "1e3s", "0x10s", "-1s-1s", "1s-1s", "1é", "1\"s", "1\\s",
    "1\u{7}s", "1\ns", "1\u{FFFD}", "2562047h47m16.854775807s", "2562047h47m16.854775808s",
    "-2562047h47m16.854775808s", "-2562047h47m16.854775809s", "9223372036854775807ns", "9223372036854775808ns",
    "-9223372036854775808ns", "18446744073709551616ns", "99999999999999999999ns", "2562047.7880152155h",
    "0.000000001s", "0.0000000001s", "0.9999999999s", "1.00000000000000000000000000001s",
    "0.12345678901234567890123456789h", "153722867m", "153722868m", "1.5h1.5m1.5s1.5ms1.5us1.5ns",
    "3000000h", "1h-1m", "1.h", "007s",
  ]

  /// Lengths chosen for each branch of Go's printing: zero, each unit's boundaries, fractions
  /// with inner zeros, and both ends of the range.
  static let chosenLengths: [Int64] = [
    0, 1, -1, 999, 1_000, 1_001, 1_500, 999_999, 1_000_000, 1_050_000, 300_000_000, 999_999_999, 1_000_000_000,
    1_500_000_000, -1_500_000_000, 59_999_999_999, 60_000_000_000, 90_000_000_000, 3_599_999_999_999,
    3_600_000_000_000, 5_400_000_000_000, 3_723_004_005_006, 86_400_000_000_000, Int64.max, Int64.min,
    Int64.min + 1,
  ]

  /// A fixed pseudo-random generator, so the generated cases are the same in every run.
  struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  /// Short texts over the characters of Go's syntax (and a few that are not in it).
  static let generatedTexts: [String] = {
    var random = SplitMix(state: 2026)
    let pieces = ["0", "1", "5", "9", ".", "-", "+", "h", "m", "s", "ms", "us", "µs", "μs", "ns", "n", "u", "x", "00"]
    return (0..<3000).map { _ in
      (0..<Int.random(in: 1...7, using: &random)).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
    }
  }()

  /// Lengths spread over every order of magnitude, with both signs.
  static let generatedLengths: [Int64] = {
    var random = SplitMix(state: 63)
    return (0..<2000).map { _ in
      let bits = Int.random(in: 0...63, using: &random)
      let magnitude = Int64.random(in: 0...(bits == 63 ? Int64.max : (Int64(1) << bits)), using: &random)
      return Bool.random(using: &random) ? magnitude : -magnitude
    }
  }()

  @Test func parsesAsGoDoes() throws {
    let texts = Self.chosenTexts + Self.generatedTexts
    let go = try GoDurationReference.answers(parse: texts, format: []).parse
    try #require(go.count == texts.count, "Go answered \(go.count) of \(texts.count) cases")
    for (text, expected) in zip(texts, go) {
      do {
        let duration = try GoDuration(parsing: text)
        #expect(expected.error == "", "\(text.debugDescription): Go fails with \(expected.error)")
        #expect(duration.nanoseconds == expected.nanoseconds, "\(text.debugDescription)")
      } catch {
        #expect(error.description == expected.error, "\(text.debugDescription)")
      }
    }
  }

  @Test func printsAsGoDoes() throws {
    let lengths = Self.chosenLengths + Self.generatedLengths
    let go = try GoDurationReference.answers(parse: [], format: lengths).format
    try #require(go.count == lengths.count, "Go answered \(go.count) of \(lengths.count) cases")
    for (nanoseconds, expected) in zip(lengths, go) {
      #expect(GoDuration(nanoseconds: nanoseconds).description == expected, "\(nanoseconds)ns")
    }
  }

  @Test func whatItPrintsParsesBackToTheSameLength() throws {
    for nanoseconds in Self.chosenLengths + Self.generatedLengths {
      let duration = GoDuration(nanoseconds: nanoseconds)
      #expect(try GoDuration(parsing: duration.description) == duration)
    }
  }

  @Test func wholeSecondsSaturateInsteadOfOverflowing() {
    #expect(GoDuration.seconds(300).nanoseconds == 300_000_000_000)
    #expect(GoDuration.seconds(Int64.max).nanoseconds == Int64.max)
    #expect(GoDuration.seconds(Int64.min).nanoseconds == Int64.min)
    #expect(GoDuration.seconds(-2).swiftDuration == .seconds(-2))
  }

  @Test func errorsAreGosMessages() {
    #expect(throws: GoDurationError.unknownUnit("q", in: "5q")) { try GoDuration(parsing: "5q") }
    #expect(GoDurationError.unknownUnit("q", in: "5q").description == #"time: unknown unit "q" in duration "5q""#)
    #expect(GoDurationError.missingUnit("30").description == #"time: missing unit in duration "30""#)
    #expect(GoDurationError.invalid("µs").description == #"time: invalid duration "\xc2\xb5s""#)
  }
}

/// Go's answers, from Tests/GoDurationReference/main.go built once per test run.
enum GoDurationReference {
  struct Answers: Decodable {
    struct Parsed: Decodable {
      var nanoseconds: Int64
      var error: String
    }
    var parse: [Parsed]
    var format: [String]
  }

  /// Why Go's answers could not be had.
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The built program, or why it could not be built.
  static let binary: Result<String, Failure> = {
    guard
      let go = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map({ "\($0)/go" }).first(where: FileManager.default.isExecutableFile(atPath:))
    else { return .failure(Failure(description: "these tests need Go (`go` on PATH; apt-get install golang-go)")) }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("godurationreference-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let output = directory.appendingPathComponent("godurationreference").path
    let source = packageRoot.appendingPathComponent("Tests/GoDurationReference/main.go").path
    do {
      let (status, text) = try run(go, ["build", "-o", output, source], input: Data())
      guard status == 0 else { return .failure(Failure(description: "go build failed: \(text)")) }
    } catch {
      return .failure(Failure(description: "go build could not run: \(error)"))
    }
    return .success(output)
  }()

  static func answers(parse: [String], format: [Int64]) throws -> Answers {
    let program = try binary.get()
    let input = try JSONSerialization.data(withJSONObject: ["parse": parse, "format": format.map(NSNumber.init)])
    let (status, text) = try run(program, [], input: input)
    guard status == 0 else { throw Failure(description: "the reference program failed: \(text)") }
    return try JSONDecoder().decode(Answers.self, from: Data(text.utf8))
  }

  /// Runs a program with `input` on stdin; returns its exit status and its stdout and stderr.
  static func run(_ executable: String, _ arguments: [String], input: Data) throws -> (Int32, String) {
    let output = try ExternalProcess.run(
      executable, arguments, environment: ExternalProcess.goEnvironment, input: input, mergingErrors: true)
    return (output.status, output.text)
  }
}
