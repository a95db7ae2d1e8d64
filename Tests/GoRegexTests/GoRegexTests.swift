import Testing

@testable import GoRegex

/// What the differential tests cannot show: behaviour of Go releases newer than the
/// reference Go, the limits, the patterns that made the backtracking engine hang, and the
/// API's own shape.
@Suite struct GoRegexTests {
  @Test func patternsThatHungTheBacktrackingEngineGiveGoResults() throws {
    let xs = String(repeating: "x", count: 5000)
    #expect(try !GoRegex("(x+x+)+y").matches(xs))
    // Each of the 25 iterations must end in an `a`; greedy `.*` makes the match the whole text.
    let `as` = String(repeating: "a", count: 5000)
    #expect(try GoRegex("(.*a){25}").firstMatch(in: `as`)?.text == `as`)
    #expect(try GoRegex("(.*a){25}").firstMatch(in: String(repeating: "a", count: 24)) == nil)
    let hundred = String(repeating: "a", count: 100)
    #expect(try !GoRegex("((a*)*)*b").matches(hundred))
    #expect(try GoRegex("((a*)*)*b").firstMatch(in: hundred + "b")?.text == hundred + "b")
    #expect(try !GoRegex("(a+)+$").matches(String(repeating: "a", count: 40) + "b"))
    #expect(try GoRegex("(a+)+$").firstMatch(in: String(repeating: "a", count: 40))?.groups == [
      String(repeating: "a", count: 40), String(repeating: "a", count: 40),
    ])
  }

  /// Go 1.22 added `(?<name>...)`; the reference Go here is older, so this is checked by
  /// hand against the documented syntax.
  @Test func perlStyleNamedGroupsAreGroupsWithNames() throws {
    let regex = try GoRegex("(?<year>\\d{4})-(?P<month>\\d{2})")
    #expect(regex.groupNames == ["", "year", "month"])
    #expect(regex.firstMatch(in: "on 2024-05")?.groups == ["2024-05", "2024", "05"])
    #expect(regex.replacingAll(in: "2024-05", with: "${month}/$year") == "05/2024")
    // Look-behind starts like a name, and has no `>`: Go 1.22 calls it an invalid name.
    #expect(throws: GoRegexError(message: "error parsing regexp: invalid named capture: `(?<!x)`")) { try GoRegex("(?<!x)") }
    #expect(throws: GoRegexError(message: "error parsing regexp: invalid named capture: `(?<a b>`")) { try GoRegex("(?<a b>x)") }
  }

  @Test func programsBeyondTheSizeLimitAreRefused() throws {
    // 101 counted repetitions of 1000 each: within Go's repeat rule, beyond our program limit.
    let pattern = String(repeating: "a{1000}", count: 101)
    #expect(throws: GoRegexError(message: "error parsing regexp: expression too large: `\(pattern)` (it compiles to more than 100000 instructions)")) {
      try GoRegex(pattern)
    }
    #expect(try GoRegex(String(repeating: "a{1000}", count: 99)).groupNames == [""])
    // 2000 groups repeated 10 times: 60,000 instructions and 3 more (save 0, save 1, match),
    // each thread with 4002 slots.
    let groups = "(?:" + String(repeating: "(a)", count: 2000) + "){10}"
    #expect(throws: GoRegexError(message: "error parsing regexp: expression too large: `\(groups)` (its 2000 groups in 60003 instructions need more than 20000000 capture slots)")) {
      try GoRegex(groups)
    }
  }

  /// The limit is checked on the size computed before compiling, so that size must be
  /// the size of the program that compiling makes.
  @Test func sizeBeforeCompilingIsTheProgramSize() throws {
    let cases = DifferentialTests.handWritten + DifferentialTests.generatedASCII + DifferentialTests.generatedUnicode
    for pattern in Set(cases.map(\.pattern)) {
      var parser = Parser(pattern)
      guard let root = try? parser.parse(), let program = try? Program(root, pattern: pattern, groups: parser.names.count - 1) else {
        continue
      }
      #expect(Program.size(root) + 3 == program.instructions.count, "\(pattern)")
    }
  }

  @Test func deepNestingIsRefusedAsGoDoes() throws {
    func nested(_ depth: Int) -> String { String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth) }
    #expect(try GoRegex(nested(999)).firstMatch(in: "a")?.groups.count == 1000)
    #expect(throws: GoRegexError(message: "error parsing regexp: expression nests too deeply: `\(nested(1000))`")) {
      try GoRegex(nested(1000))
    }
  }

  @Test func limitsCountMatchesAndPieces() throws {
    let regex = try GoRegex("a")
    #expect(regex.allMatches(in: "banana", limit: 2).map(\.text) == ["a", "a"])
    #expect(regex.allMatches(in: "banana", limit: 0).isEmpty)
    #expect(regex.split("banana", limit: 2) == ["b", "nana"])
    #expect(regex.split("banana", limit: 0) == [])
    #expect(regex.split("banana") == ["b", "n", "n", ""])
  }

  @Test func matchesReportByteRangesOfUTF8() throws {
    let match = try GoRegex("(é)(x)?").firstMatch(in: "aéb")
    #expect(match?.ranges == [1..<3, 1..<3, nil])
    #expect(match?.groups == ["é", "é", nil])
  }

  @Test func quotedMetaMatchesItselfLiterally() throws {
    let text = "a.b*c+(d)|[e]{f}^$\\?"
    let quoted = GoRegex.quoteMeta(text)
    #expect(quoted == "a\\.b\\*c\\+\\(d\\)\\|\\[e\\]\\{f\\}\\^\\$\\\\\\?")
    #expect(try GoRegex("^" + quoted + "$").matches(text))
  }
}
