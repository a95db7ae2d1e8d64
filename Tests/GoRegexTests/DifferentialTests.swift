import Testing

@testable import GoRegex

/// GoRegex against Go's regexp (Tests/RegexReference/main.go), case by case: the compile
/// error, or every result of the calls Sprig and flowrel make.
@Suite struct DifferentialTests {
  /// Hand-written cases: syntax and its errors, flags, classes, anchors, priorities,
  /// submatches, empty matches, expansion templates, splitting, Unicode.
  static let handWritten: [RegexCase] = {
    var cases: [RegexCase] = []
    func add(_ pattern: String, _ inputs: [String], _ replacement: String = "<$1>") {
      for input in inputs { cases.append(RegexCase(pattern: pattern, input: input, replacement: replacement)) }
    }
    // Errors, each as Go words it.
    for pattern in [
      "(", ")", "a)", "(a", "a)(", "*a", "+", "?", "a**", "a*+", "a*?*", "a???", "a{2}*", "a{2}{3}", "(*)", "a|*",
      "[a", "[", "[]", "[^]", "[z-a]", "[a-\\d]", "\\", "a\\", "\\1", "\\8", "\\q", "\\C", "\\é", "\\x", "\\xZ1", "\\x1",
      "\\x{110000}", "\\x{}", "\\x{41", "\\x{4g}", "\\p", "\\p{", "\\p{Foo}", "\\pX", "\\p^L", "[\\pX]", "[[:foo:]]",
      "[[:alpha:]", "(?=x)", "(?!x)", "(?P<>a)", "(?P<a-b>x)", "(?P<name", "(?P=name)", "(?i", "(?", "(?-)", "(?i-)",
      "(?--i)", "(?z)", "(?i)*", "x{1001}", "x{2,1}", "x{1000,1001}", "(x{100}){11}", "((x{10}){10}){11}", "x{99999999999}",
      "[\\b]", "(?P<n>a", "a(?i)*b",
    ] {
      add(pattern, ["x"])
    }
    // Go's limit on nesting.
    for depth in [999, 1000] {
      add(String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth), ["a"])
      add(String(repeating: "(", count: depth) + "a", ["a"])
      add("a" + String(repeating: "*(?i)", count: depth), ["aa"])
    }
    for depth in [500, 501] {
      add(String(repeating: "(a", count: depth) + String(repeating: ")", count: depth), ["aa"])
    }
    add(String(repeating: "(?:", count: 1500) + "a" + String(repeating: ")", count: 1500), ["a"])
    // Braces that are not repetitions are literal.
    add("x{01}", ["x{01}", "x"])
    add("a{,5}", ["a{,5}"])
    add("{", ["{"])
    add("a{", ["a{"])
    add("a{1", ["a{1"])
    add("a{1,", ["a{1,"])
    add("a{x}", ["a{x}"])
    add("}", ["}"])
    add("x{1000}", ["x"])
    add("(x{100}){10}", ["x"])
    add("x{1000,}", ["xx"])
    // Empty things.
    add("", ["", "abc"])
    add("(?:)", ["ab"])
    add("()", ["ab"], "[$1]")
    add("|", ["ab"])
    add("a||b", ["ab"])
    add("(|a)", ["a"])
    add("(|a)*", ["aa"])
    add("(|a)+", ["aa"])
    add("(a|)*", ["aa"])
    add("(a*)*", ["b", "aa"])
    add("(a*)+", ["b", "aa"])
    add("(a*|b)*", ["ab", "ba"])
    add("(?:a*)*?b", ["aab"])
    add("^*a", ["a"])
    add("$*", ["a"])
    add("\\b*x", ["x"])
    add("(?:^)*a", ["ba"])
    // Priorities: leftmost-first, greedy and lazy.
    add("a|ab", ["ab"])
    add("ab|a", ["ab"])
    add("(a|ab)(c|bcd)(d*)", ["abcd"])
    add("(a+)(b+)?", ["aab", "aa"], "$2|$1")
    add("x*", ["xxxy", "y"])
    add("x*?", ["xxxy"])
    add("x+?", ["xxxy"])
    add("x??", ["xxxy"])
    add("(?U)x*", ["xxxy"])
    add("(?U)x*?", ["xxxy"])
    add("(?U:x+)x+", ["xxxx"])
    add("a{2,3}", ["aaaa", "aaaaaaa"])
    add("a{2,3}?", ["aaaa"])
    add("a{2,}", ["a", "aaaaa"])
    add("a{2}", ["aaaaa"])
    add("x{0}", ["x"])
    add("(x){0}y", ["xy"])
    add("(?:x{2}){2}", ["xxxxx"])
    add("(a|b)*", ["abab"])
    add("((a)|b)+", ["ab"])
    add("(a)|b", ["b"])
    add("(a)|(b)", ["b", "ab"], "[$1|$2]")
    add("(a*)(a*)", ["aaa"])
    add("(a*?)(a*)", ["aaa"])
    add("(.*)(\\d+)", ["abc123"])
    add("(.*?)(\\d+)", ["abc123"])
    add("(a|ab)(bc|c)", ["abc"])
    // Anchors and boundaries.
    add("^$", ["", "\n", "a"])
    add("(?m)^$", ["a\n\nb", "\n"])
    add("(?m)^", ["a\nb\n"], "#")
    add("(?m)$", ["a\nb\n"], "#")
    add("$", ["a\n", "a"], "#")
    add("^", ["abc"], "#")
    add("a$", ["a\n", "a"])
    add("(?m)a$", ["a\nb"])
    add("\\Aa", ["aa"])
    add("a\\z", ["aa"])
    add("(?m)\\Aa", ["b\na"])
    add("\\bx\\b", ["x xx x", "xx"], "[$0]")
    add("\\B", ["ab c"], "|")
    add("\\b", ["héllo wörld", "a-b"], "|")
    add("\\b\\w+\\b", ["one two  three"])
    // Dot, newlines, flags.
    add(".", ["a\nb", "\n"])
    add("(?s).", ["a\nb"])
    add("(?s:.)\\n.", ["\n\nx", "a\nb"])
    add("a.c", ["a\rc", "a\nc", "a😀c"])
    add("...", ["日本語"])
    add("[^a]", ["\n"])
    add("(?i)k", ["K\u{212A}k"])
    add("(?i)[k]", ["K\u{212A}k"])
    add("(?i)[^k]+", ["\u{212A}xk"])
    add("(?i)ς", ["Σσς"])
    add("(?i)hello", ["say HeLLo"])
    add("(?i)(?-i:a)A", ["aa", "Aa", "aA"])
    add("(?i:a)a", ["AA", "Aa"])
    add("a(?i)b|c", ["C", "aB"])
    add("(?i)\\w", ["\u{212A}", "\u{17F}"])
    add("(?i)[a-c]+", ["ABCd"])
    add("(?i)\\x41", ["a"])
    add("(?is)A.B", ["a\nb"])
    add("(?im)^b$", ["a\nB\nc"])
    add("(?i-s:a.)", ["A\n", "Ax"])
    // Classes.
    add("[a-c-e]+", ["a-e-bd"])
    add("[-a]+", ["-a-"])
    add("[a-]+", ["-a-"])
    add("[]a]+", ["]a]b"])
    add("[^]a]+", ["]ab"])
    add("[a\\]]+", ["a]"])
    add("[\\[]", ["a[x"])
    add("[[]x", ["a[x"])
    add("[a&&b]+", ["a&&b"])
    add("[\\-]", ["-"])
    add("[^^]+", ["^^a^"])
    add("[\\^a]+", ["^a"])
    add("[[:alpha:]]+", ["ab12cd"])
    add("[[:^alpha:]]+", ["ab12cd"])
    add("[[:word:][:space:]]+", ["a b_c-d"])
    add("[[:punct:]]+", ["a!/:@[`{~b"])
    add("[[:xdigit:]]+", ["0x1fAg"])
    add("[:alpha:]+", [":alp"])
    add("[[:alpha:]-z]+", ["a-z"])
    add("[\\d-z]+", ["1-z"])
    add("\\d+", ["٣3"])
    add("\\D+", ["٣3"])
    add("\\w+", ["héllo"])
    add("\\W+", ["héllo"])
    add("\\s+", ["a \t\n\u{0B}\u{0C}\r b"])
    add("\\S+", ["a \u{0B}b"])
    add("[\\s\\d]+", ["1 2x"])
    add("[^\\d\\s]+", ["1 ab2"])
    add("\\pL+", ["héllo wörld"])
    add("\\p{L}+", ["日本語 abc"])
    add("\\PL+", ["abc123 def"])
    add("\\p{^L}+", ["abc123 def"])
    add("\\P{^L}+", ["abc123 def"])
    add("\\p{Greek}+", ["abc αβγ"])
    add("\\p{Lu}+", ["abcDEF"])
    add("\\p{Ll}", ["ABc"])
    add("\\pN+", ["x١٢٣4Ⅻ"])
    add("\\p{Nd}+", ["x١٢٣4Ⅻ"])
    add("\\p{Han}+", ["日本語かな"])
    add("\\p{Hiragana}+", ["日本語かな"])
    add("\\p{Cyrillic}", ["abcжx"])
    add("\\p{Any}+", ["a\nb"])
    add("\\pZ", ["a b"])
    add("\\p{Sm}+", ["1+2=3"])
    add("\\pP+", ["a,.!b"])
    add("\\pC", ["a\u{01}b"])
    add("[\\p{Greek}\\d]+", ["α1β x"])
    add("[^\\p{Greek}]+", ["αβab"])
    add("(?i)\\p{Lu}+", ["abcDEF"])
    add("(?i)\\P{Lu}+", ["abcDEF1"])
    add("[^\\x00-\\x{10FFFF}]", ["abc"])
    add("[^\\x00-\\x{10FFFF}]|a", ["abc"])
    add("[日-語]+", ["日本語"])
    add("😀*", ["😀😀a"])
    add("\\x{1F600}", ["😀"])
    // Escapes.
    add("\\x41\\x{42}", ["AB"])
    add("\\101", ["A"])
    add("\\0", ["\u{0}"])
    add("\\12", ["\n"])
    add("\\1234", ["S4"])
    add("\\a\\f\\t\\n\\r\\v", ["\u{07}\u{0C}\t\n\r\u{0B}"])
    add("\\.\\_\\-\\ \\#", ["._- #"])
    add("\\Qa.b\\E+", ["a.bbb", "axb"])
    add("\\Q*\\E*", ["**"])
    add("\\Qab", ["ab"])
    add("\\Q", ["ab"])
    add("\\Q\\E", ["ab"])
    add("(?i)\\QAB\\E", ["ab"])
    // Groups and names.
    add("(?P<first>\\w+) (?P<last>\\w+)", ["Alan Turing"], "${last}, ${first}")
    add("(?P<first>\\w+) (?P<last>\\w+)", ["Alan Turing"], "$last $first")
    add("(?P<x>a)|(?P<x>b)", ["b"], "[$x]")
    add("(?P<x>a)(?P<x>b)", ["ab"], "[$x]")
    add("(a)(b)?", ["a"], "[$2]")
    add("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)", ["abcdefghij"], "$10|$1 0|${1}0")
    add("(a)", ["a"], "$1x")
    add("(a)", ["a"], "${1}x")
    add("(a)", ["a"], "$")
    add("(a)", ["a"], "$$")
    add("(a)", ["a"], "${")
    add("(a)", ["a"], "${}")
    add("(a)", ["a"], "${1")
    add("(a)", ["a"], "$01")
    add("(a)", ["a"], "$0$0")
    add("(a)", ["a"], "$2")
    add("(a)", ["a"], "$-")
    add("(a)", ["a"], "$é")
    add("(?P<é>a)", ["a"], "$é")
    add("(a)", ["a"], "$100000000")
    add("(a)(?:b)(c)", ["abc"], "$2$1")
    // Finding, replacing and splitting around empty matches.
    add("a*", ["baaac", ""], "-")
    add("a*?", ["baaac"], "-")
    add("b*", ["abc", "abbc"], "-")
    add("x*", ["abc"], "-")
    add("", ["abc", "日本"], "-")
    add("a|b", ["xaybz"])
    add(",", ["a,b,,c,", ",", ""])
    add("x*", ["axbxc", "xx"])
    add("^", ["abc"])
    add("$", ["abc"])
    add("z+", ["pizza"])
    add("a", ["banana", "a", "aa"])
    add("\\s*", ["a b  c"])
    add("(?m)^\\s*", ["a\n  b\n"], "> ")
    add("é|", ["aéb"], "-")
    add("[2,4,6,8]", ["123456789"])
    add("[a-zA-Z][1-9]", ["abcd1234"])
    add("^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[A-Za-z]{2,}$", ["test@acme.com", "x@y"])
    // Patterns a backtracking engine takes exponential or polynomial time over.
    add("(x+x+)+y", [String(repeating: "x", count: 5000)])
    add("(.*a){25}", [String(repeating: "a", count: 5000)])
    add("(a*)*b", [String(repeating: "a", count: 100)])
    add("((a*)*)*c", [String(repeating: "a", count: 100)])
    add("(a+)+$", [String(repeating: "a", count: 40) + "b"])
    add("(a|aa)+$", [String(repeating: "a", count: 60) + "b"])
    add("(\\w+\\s?)+$", [String(repeating: "word ", count: 30) + "!"])
    return cases
  }()

  /// Deterministic random small patterns over a small alphabet, each on two texts.
  static func generated(
    seed: UInt64, count: Int, atoms: [String], operators: [String], alphabet: [Character]
  ) -> [RegexCase] {
    var random = SplitMix(seed: seed)
    let replacements = ["<$1>", "$0", "${1}${2}", "x", "$$", "[$2]", ""]
    func pattern(_ depth: Int) -> String {
      switch random.next(depth > 2 ? 3 : 8) {
      case 0, 1, 2: return atoms[random.next(atoms.count)]
      case 3: return "(" + pattern(depth + 1) + ")"
      case 4: return (random.next(2) == 0 ? "(?:" : "(?i:") + pattern(depth + 1) + ")"
      case 5: return pattern(depth + 1) + "|" + pattern(depth + 1)
      case 6: return pattern(depth + 1) + operators[random.next(operators.count)]
      default: return pattern(depth + 1) + pattern(depth + 1)
      }
    }
    var cases: [RegexCase] = []
    for _ in 0..<count {
      let p = pattern(0)
      for _ in 0..<2 {
        let input = String((0..<random.next(9)).map { _ in alphabet[random.next(alphabet.count)] })
        cases.append(RegexCase(pattern: p, input: input, replacement: replacements[random.next(replacements.count)]))
      }
    }
    return cases
  }

  /// Operators, anchors, flags and ASCII classes over `a`, `b` and a few others.
  static let generatedASCII = generated(
    seed: 18, count: 150,
    atoms: ["a", "b", ".", "[ab]", "[^a]", "\\b", "\\B", "^", "$", "(?i)A", "\\w", "[a-c]", "(?m)$", "(?m)^", "(?s).", "", "(?U)a*"],
    operators: ["*", "+", "?", "*?", "+?", "??", "{0,2}", "{1}", "{2,}", "{1,3}?", "{0}"],
    alphabet: Array("aabbc \nA"))

  /// Unicode classes, scripts and case folding (σ/ς/Σ, k/K/Kelvin, ß/ẞ, ǅ) on such text.
  static let generatedUnicode = generated(
    seed: 7, count: 100,
    atoms: [
      "é", "[à-ÿ]", "\\pL", "\\p{Greek}", "\\PL", "(?i)σ", "(?i)[k-m]", "(?i)ǅ", "\\d", "[^\\w\\s]", "[[:punct:]]",
      "\\x{3b1}", "(?i)ß", ".", "\\S", "[\\p{Lu}\\d]", "(?i)\\p{Ll}", "(?i)[^\\x{212a}]", "\\b", "😀", "[😀-😂]",
    ],
    operators: ["*", "+", "?", "*?", "{1,2}", "{2}"],
    alphabet: Array("aéÉσΣςßẞkK\u{212A}ǅǄǆα1٣ !\n😀😁Zz_"))

  /// Random strings of syntax characters, most of them errors: Go's error and its place.
  /// `(?<` is left out: the reference Go (1.19) predates `(?<name>...)`.
  static let generatedSyntax: [RegexCase] = {
    var random = SplitMix(seed: 5)
    let pieces = Array("()[]{}*+?|^$\\.-:,0123aAbPpLdwsQEx<>=!imsU_ ").map(String.init)
      + ["\\p{Greek}", "[:alpha:]", "(?i)", "(?P<n>", "(?:", "{2,3}", "\\x{41}", "\\Q"]
    var cases: [RegexCase] = []
    while cases.count < 300 {
      let pattern = (0..<(1 + random.next(8))).map { _ in pieces[random.next(pieces.count)] }.joined()
      let alphabet = Array("aAb01 \n{}")
      let input = String((0..<random.next(8)).map { _ in alphabet[random.next(alphabet.count)] })
      if !pattern.contains("(?<") { cases.append(RegexCase(pattern: pattern, input: input, replacement: "<$1>$n")) }
    }
    return cases
  }()

  static func compare(_ cases: [RegexCase]) {
    switch RegexReference.outcomes(cases) {
    case .failure(let error):
      Issue.record("no reference outcome: \(error)")
    case .success(let outcomes):
      // `outcomes` has one entry per case (checked by `outcomes`), so none is dropped.
      for (testCase, go) in zip(cases, outcomes) {
        let ours = RegexOutcome(goRegex: testCase)
        #expect(ours == go, "\(testCase)\n  Go:      \(go)\n  GoRegex: \(ours)")
      }
    }
  }

  @Test func handWrittenCasesAgreeWithGo() {
    #expect(Self.handWritten.count > 300)
    Self.compare(Self.handWritten)
  }

  @Test func generatedCasesAgreeWithGo() {
    #expect(Self.generatedASCII.count == 300)
    Self.compare(Self.generatedASCII)
  }

  @Test func generatedSyntaxCasesAgreeWithGo() {
    #expect(Self.generatedSyntax.count == 300)
    Self.compare(Self.generatedSyntax)
  }

  @Test func generatedUnicodeCasesAgreeWithGo() {
    #expect(Self.generatedUnicode.count == 200)
    Self.compare(Self.generatedUnicode)
  }
}

/// A small deterministic generator (SplitMix64), so that generated cases are the same on
/// every run.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }

  /// A number in 0..<bound.
  mutating func next(_ bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Int(z % UInt64(bound))
  }
}
