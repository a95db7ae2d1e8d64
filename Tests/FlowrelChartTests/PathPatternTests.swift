import Foundation
import Testing
@testable import FlowrelChart

@Suite struct PathPatternTests {
  /// Fuzzing found (issue 18) that eight `*a` then `*b` against a 40-character name took
  /// about 34 s: each star retried every split of the rest. The answers are plain to see.
  @Test func manyStarsAnswerWithoutBacktracking() throws {
    let rule = String(repeating: "*a", count: 8) + "*b"
    let rules = try IgnoreRules(parsing: rule)
    #expect(!rules.ignores(String(repeating: "a", count: 40), isDirectory: false))
    #expect(rules.ignores(String(repeating: "a", count: 39) + "b", isDirectory: false))
    #expect(!rules.ignores(String(repeating: "a", count: 7) + "b", isDirectory: false))
    for dialect in [PathPattern.Dialect.goPath, .glob] {
      let pattern = try PathPattern(rule, dialect: dialect)
      #expect(!pattern.matches(String(repeating: "a", count: 40)))
      #expect(pattern.matches(String(repeating: "a", count: 39) + "b"))
      #expect(!pattern.matches(String(repeating: "a", count: 20) + "/" + String(repeating: "a", count: 18) + "b"))
    }
    let deep = try PathPattern(String(repeating: "**a", count: 8) + "**b", dialect: .glob)
    #expect(!deep.matches(String(repeating: "a/", count: 20)))
    #expect(deep.matches(String(repeating: "a/", count: 20) + "b"))
  }

  /// Go places each run between stars once, at the first position that fits; a class that
  /// matches `/` can then leave the last star facing a `/`. gobwas/glob tries every split.
  @Test func goPathKeepsTheFirstPlacementGlobTriesAll() throws {
    #expect(try !PathPattern("*[^a]*").matches("b/c"))
    #expect(try PathPattern("*[!a]*", dialect: .glob).matches("b/c"))
  }

  @Test(arguments: [
    ("{*a,b*}c", "xxac", true), ("{*a,b*}c", "bxxc", true), ("{*a,b*}c", "xxbc", false), ("{*a,b*}c", "ac", true),
    ("x{a,{b,c}*}y", "xcqqy", true), ("x{a,{b,c}*}y", "xay", true), ("x{a,{b,c}*}y", "xaqy", false),
    ("{a,}*", "", true), ("{,}", "", true), ("a*{b,c}", "a/b", false), ("a**{b,c}", "a/q/c", true),
    ("[!a]*", "b/", false), ("x[!a]y", "x/y", true), ("*?*", "", false), ("*?*", "x", true),
  ])
  func globAlternativesAndStars(pattern: String, name: String, matches: Bool) throws {
    #expect(try PathPattern(pattern, dialect: .glob).matches(name) == matches)
  }

  /// `path.Match` answers from Go itself for seeded random patterns and names over a small
  /// alphabet, where stars, `?`, classes and `/` meet often.
  @Test func goPathPatternsAgreeWithGo() throws {
    var state: UInt64 = 18
    func next(_ bound: Int) -> Int {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Int(state >> 33) % bound
    }
    let patternPieces = ["a", "b", "/", "*", "*", "?", "[ab]", "[^a]", "\\*", "[a-b]"]
    let namePieces = ["a", "b", "/", "*"]
    var cases: [(pattern: String, name: String)] = []
    for _ in 0..<3000 {
      let pattern = (0..<next(8)).map { _ in patternPieces[next(patternPieces.count)] }.joined()
      let name = (0..<next(9)).map { _ in namePieces[next(namePieces.count)] }.joined()
      cases.append((pattern, name))
    }
    let go = try goPathMatch(cases)
    #expect(go.count == cases.count, "Go answered \(go.count) of \(cases.count) cases")
    for (index, (pattern, name)) in cases.enumerated() where index < go.count {
      let ours = (try? PathPattern(pattern).matches(name)).map { $0 ? "true" : "false" } ?? "error"
      #expect(ours == go[index], "pattern \(pattern) name \(name)")
    }
  }
}

/// Go's `path.Match` for each case: "true", "false" or "error" (a malformed pattern).
private func goPathMatch(_ cases: [(pattern: String, name: String)]) throws -> [String] {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-pathmatch-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: directory) }
  let source = directory.appendingPathComponent("main.go")
  try """
    package main

    import (
    \t"bufio"
    \t"fmt"
    \t"os"
    \t"path"
    \t"strings"
    )

    func main() {
    \tin := bufio.NewScanner(os.Stdin)
    \tfor in.Scan() {
    \t\tparts := strings.SplitN(in.Text(), "\\t", 2)
    \t\tok, err := path.Match(parts[0], parts[1])
    \t\tswitch {
    \t\tcase err != nil:
    \t\t\tfmt.Println("error")
    \t\tcase ok:
    \t\t\tfmt.Println("true")
    \t\tdefault:
    \t\t\tfmt.Println("false")
    \t\t}
    \t}
    }
    """.write(to: source, atomically: true, encoding: .utf8)
  let input = directory.appendingPathComponent("cases.txt")
  try cases.map { "\($0.pattern)\t\($0.name)\n" }.joined().write(to: input, atomically: true, encoding: .utf8)
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["go", "run", source.path]
  var environment = ProcessInfo.processInfo.environment
  environment["GO111MODULE"] = "off"
  if environment["HOME"] == nil && environment["GOCACHE"] == nil {
    environment["GOCACHE"] = directory.appendingPathComponent("cache").path
  }
  process.environment = environment
  process.standardInput = try FileHandle(forReadingFrom: input)
  let output = Pipe()
  process.standardOutput = output
  try process.run()
  let data = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  #expect(process.terminationStatus == 0, "go run failed; the test needs Go (apt-get install golang-go)")
  return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
}

@Suite struct PathPatternNestingTests {
  @Test func alternativesNestedPastTheLimitAreRefused() throws {
    let limit = PathPattern.maximumAlternativeNesting
    let fits = String(repeating: "{a,", count: limit) + "b" + String(repeating: "}", count: limit)
    #expect(try PathPattern(fits, dialect: .glob).matches("b"))
    #expect(try PathPattern(fits, dialect: .glob).matches("a"))
    let deeper = String(repeating: "{", count: 100_000) + String(repeating: "}", count: 100_000)
    #expect(throws: PathPattern.BadPattern.self) { _ = try PathPattern(deeper, dialect: .glob) }
  }
}
