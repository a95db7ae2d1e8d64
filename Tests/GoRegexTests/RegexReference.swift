import ExternalProcess
import Foundation
import GoRegex

/// One differential case: a pattern, a text to run it on, and a replacement template.
struct RegexCase: Codable, Sendable, CustomStringConvertible {
  var pattern: String
  var input: String
  var replacement: String = "<$1>"
  var description: String { "pattern \(pattern.debugDescription) on \(input.debugDescription)" }
}

/// What Go's regexp does with a case (Tests/RegexReference/main.go), or what GoRegex does:
/// the compile error, or the results of the calls Sprig and flowrel make.
struct RegexOutcome: Codable, Equatable, CustomStringConvertible {
  var error: String?
  var match = false
  /// Byte offsets of the first match and its groups, -1 for a group that did not take part.
  var submatch: [Int] = []
  var all: [[Int]] = []
  var find2: [String] = []
  var replace = ""
  var literal = ""
  var split: [String] = []
  var split2: [String] = []

  var description: String {
    if let error { return "error \(error.debugDescription)" }
    return "match \(match) submatch \(submatch) all \(all) find2 \(find2) replace \(replace.debugDescription) "
      + "literal \(literal.debugDescription) split \(split) split2 \(split2)"
  }

  /// GoRegex's outcome for `testCase`, through the module's API.
  init(goRegex testCase: RegexCase) {
    let regex: GoRegex
    do {
      regex = try GoRegex(testCase.pattern)
    } catch {
      self.error = error.message
      return
    }
    func offsets(_ match: GoRegexMatch) -> [Int] {
      match.ranges.flatMap { range in range.map { [$0.lowerBound, $0.upperBound] } ?? [-1, -1] }
    }
    match = regex.matches(testCase.input)
    submatch = regex.firstMatch(in: testCase.input).map(offsets) ?? []
    all = regex.allMatches(in: testCase.input).map(offsets)
    find2 = regex.allMatches(in: testCase.input, limit: 2).map(\.text)
    replace = regex.replacingAll(in: testCase.input, with: testCase.replacement)
    literal = regex.replacingAll(in: testCase.input, with: testCase.replacement, literal: true)
    split = regex.split(testCase.input)
    split2 = regex.split(testCase.input, limit: 2)
  }
}

/// Go's regexp, through Tests/RegexReference/main.go built once per test run (it needs
/// only Go's standard library: apt-get install golang-go).
enum RegexReference {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The built reference program, or why it could not be built.
  static let binary: Result<URL, Failure> = {
    let fileManager = FileManager.default
    let directory = fileManager.temporaryDirectory.appendingPathComponent("regexreference-\(getpid())")
    guard let go = ["/usr/bin/go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go"].first(where: fileManager.isExecutableFile) else {
      return .failure(Failure(description: "the regexp differential tests need Go: apt-get install golang-go"))
    }
    let output = directory.appendingPathComponent("regexreference")
    let environment = [
      "GO111MODULE": "off", "GOCACHE": directory.appendingPathComponent("cache").path, "PATH": "/usr/bin:/bin",
      "HOME": directory.path,
    ]
    let source = packageRoot.appendingPathComponent("Tests/RegexReference/main.go").path
    switch run(go, ["build", "-o", output.path, source], environment: environment, input: Data()) {
    case .success((0, _)): return .success(output)
    case .success((_, let text)): return .failure(Failure(description: "go build failed: \(text)"))
    case .failure(let error): return .failure(error)
    }
  }()

  /// Runs `executable` with `input` on stdin; its exit status and combined output.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String], input: Data
  ) -> Result<(Int32, Data), Failure> {
    do {
      let output = try ExternalProcess.run(executable, arguments, environment: environment, input: input, mergingErrors: true)
      return .success((output.status, output.stdout))
    } catch {
      return .failure(Failure(description: "\(executable) could not run: \(error)"))
    }
  }

  /// Go's outcomes for `cases`, one for each, in order.
  static func outcomes(_ cases: [RegexCase]) -> Result<[RegexOutcome], Failure> {
    let url: URL
    switch binary {
    case .failure(let error): return .failure(error)
    case .success(let built): url = built
    }
    guard let input = try? JSONEncoder().encode(cases) else { return .failure(Failure(description: "cases do not encode as JSON")) }
    switch run(url.path, [], environment: [:], input: input) {
    case .failure(let error): return .failure(error)
    case .success((let status, let data)):
      guard status == 0, let outcomes = try? JSONDecoder().decode([RegexOutcome].self, from: data) else {
        return .failure(Failure(description: "reference program failed: \(String(decoding: data, as: UTF8.self))"))
      }
      guard outcomes.count == cases.count else {
        return .failure(Failure(description: "reference program answered \(outcomes.count) of \(cases.count) cases"))
      }
      return .success(outcomes)
    }
  }
}
