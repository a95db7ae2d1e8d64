import FlowrelValue
import GoYAMLWriter
import OrderedCollections
import Testing

@testable import HelmFunctions

/// `toYaml`, `toYamlPretty` and the JSON functions against Helm's own (sigs.k8s.io/yaml over
/// go-yaml v2, go-yaml v3 with indent 2, `encoding/json` through Helm's and Sprig's wrappers,
/// run by Tests/SprigReference): the same values through both, byte for byte. The values are
/// hand-picked edge cases plus many generated ones.
@Suite struct OutputDifferentialTests {
  /// Strings that stress quoting: every word go-yaml resolves, numbers in every syntax,
  /// timestamps, indicators at the start, middle and end, breaks, tabs, control characters.
  static let specialStrings: [String] = [
    "", " ", "a", "true", "True", "TRUE", "false", "yes", "Yes", "no", "NO", "on", "Off", "y", "n", "Y", "N", "~", "null", "Null",
    "NULL", ".nan", ".NaN", ".inf", "-.inf", "+.INF", "<<", "0", "00", "-0", "+1", "1", "12", "-12", "1.5", "1.", ".5", "-.5",
    "+.5", ".", "..", "1e3", "1E3", "1e+3", "1e-3", ".5e3", "1e400", "1e-400", ".5e400", "0x1F", "0X1f", "0x", "0o17", "0O17",
    "0o-17", "0b101", "0b-101", "-0b101", "-0o17", "0b", "0b2", "08", "09.5", "1_000", "1__0", "_1", "1_", "0x_1F",
    "99999999999999999999", "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
    "0xFFFFFFFFFFFFFFFF", "0x1FFFFFFFFFFFFFFFF", "1:20", "190:20:30", "190:20:30.15", "-1:30", "1:60", "1:5:", "1_0:20",
    "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.10Z", "2001-12-14 21:59:43.10", "2001-12-14  21:59:43",
    "2001-13-14", "2001-02-30", "2001-2-3", "20011-12-14", "2001-12-14x", "2001-12-14T25:00:00Z", "2001-12-14T21:59:43+24:00",
    "2001-12-14T21:59:43,5Z", "- a", "-a", "-", "--", "---", "--- a", "...", "... a", "? a", "?a", ": a", ":a", "a: b", "a:b",
    "a:", "a #b", "a#b", "#a", "a,b", "[a]", "{a}", "a]", "&a", "*a", "!a", "|a", ">a", "'a", "\"a", "%a", "@a", "`a", "a'b",
    "a\"b", "a\\b", "{{ include \"x.fullname\" . }}", "{{ .Values.x }}-suffix", "a b", " a", "a ", "a  b", "a\tb", "\ta",
    "a\t", "a\nb", "a\n", "\na", "a\n\n", "\n", "\n\n", "a\n b", "a \nb", "a\r\nb", "a\rb", "a\u{85}b", "a\u{2028}b",
    "a\u{2029}", "a\u{A0}b", "\u{A0}", "é", "日本語", "a😀b", "😀", "\u{FEFF}a", "a\u{FEFF}", "a\u{7F}", "a\u{80}", "\u{1B}[0m",
    "a\u{0}b", "a\u{7}b", "a\u{B}b", "\u{FFFD}", "\u{E000}", "\u{FFFE}", "Ǆ", "a:\n  b", "  indented\nlines", "trailing \n",
    "key:value", "http://example.com/a?b=c#d", "C:\\path", "=", "*", "&", "!", "%", "@", "`", "|", ">", "[", "]", "{", "}", ",",
    "?", ":", "#",
  ]

  /// Keys that stress go-yaml's key order: digits against letters, digit runs compared as
  /// numbers, leading zeros, punctuation, non-ASCII letters and digits.
  static let specialKeys: [String] = [
    "_x", "9", "10", "B", "a-b", "a.b", "a_b", "a9", "a10", "aB", "b", "a", "A", "", " ", "a01", "a1", "a001", "a0", "a00",
    "a010", "a10b", "a10a", "a9z", "1a", "1", "01", "001", "x2y", "x10y", "x2", "é", "É", "z", "Z", "日", "٣", "a٣", "a3", "~",
    "-", ".", "0", "00", "a0b", "a00b", "a100", "a099", "1.5", "true", "null", "key with spaces", "k:v", "#k", "10a", "9a",
    "99999999999999999999", "99999999999999999998", "a99999999999999999999", "a99999999999999999998", "ab", "aB1", "a1B",
    String(repeating: "k", count: 128), String(repeating: "k", count: 129), "multi\nline", "😀", "a😀", "a\u{85}b",
    String(repeating: "k", count: 1022), String(repeating: "k", count: 1023), String(repeating: "<", count: 170) + "kk",
    String(repeating: "<", count: 170) + "kkk", String(repeating: "é", count: 1023),
  ]

  /// Whether go-yaml orders `key` consistently: a run of digits with a leading zero compares
  /// inconsistently (`1` < `01`, `1a` < `01`, but `01` against `1a` depends on the run
  /// lengths), and Go's order then depends on its random map iteration. Such keys are
  /// checked alone, never two in one map.
  static func ordersConsistently(_ key: String) -> Bool {
    let scalars = Array(key.unicodeScalars)
    return !scalars.indices.contains { i in
      GoYAMLScalars.isDigit(scalars[i]) && scalars[i] == "0" && (i == 0 || !GoYAMLScalars.isDigit(scalars[i - 1]))
        && i + 1 < scalars.count && GoYAMLScalars.isDigit(scalars[i + 1])
    }
  }

  static func word(_ random: inout Generator) -> String {
    let pieces = [
      "a", "bc", "Def", "x1", "42", "-", "_", ".", ":", ": ", " #", "#", "'", "\"", "\\", " ", "  ", "\n", "\t", "{{", "}}", "é",
      "😀", ",", "[", "]", "&", "*", "!", "|", ">", "?", "%", "@", "`", "~", "1e3", "0x", "true", "\u{2028}", "\r",
    ]
    var s = ""
    for _ in 0..<random.next(upTo: 6) { s += pieces[random.next(upTo: pieces.count)] }
    return s
  }

  /// A long text of words and spaces, to fold at go-yaml v2's width.
  static func prose(_ random: inout Generator) -> String {
    let words = ["lorem", "ipsum", "dolor", "sit", "amet,", "x", "consectetur", "a-very-long-word-without-spaces-at-all", "é", "'q'"]
    var s = ""
    for n in 0..<(10 + random.next(upTo: 40)) {
      if n > 0 { s += random.next(upTo: 8) == 0 ? "  " : " " }
      s += words[random.next(upTo: words.count)]
    }
    switch random.next(upTo: 6) {
    case 0: return "\"" + s
    case 1: return s + "\n" + s
    case 2: return "{{ " + s + " }}"
    case 3: return s + ": x"
    default: return s
    }
  }

  static func scalar(_ random: inout Generator) -> Value {
    switch random.next(upTo: 12) {
    case 0: return .int(Int64(random.next(upTo: 2001)) - 1000)
    case 1:
      let doubles: [Double] = [1.5, -0.25, 1e21, 1e20, 1e-7, 0.000001, 123456789.5, 3.0e100, 5e-324, -0.0, 12345678901234567890.0, 0.1]
      return .double(doubles[random.next(upTo: doubles.count)])
    case 2: return .bool(random.next(upTo: 2) == 0)
    case 3: return .null
    case 4, 5: return .string(specialStrings[random.next(upTo: specialStrings.count)])
    case 6: return .string(prose(&random))
    default: return .string(word(&random))
    }
  }

  static func value(_ random: inout Generator, depth: Int) -> Value {
    let shape = depth >= 4 ? 0 : random.next(upTo: 4)
    switch shape {
    case 1:
      return .list((0..<random.next(upTo: 4)).map { _ in value(&random, depth: depth + 1) })
    case 2, 3:
      var map = OrderedDictionary<String, Value>()
      for _ in 0..<random.next(upTo: 5) {
        let key = random.next(upTo: 2) == 0 ? specialKeys[random.next(upTo: specialKeys.count)] : word(&random)
        if ordersConsistently(key) { map[key] = value(&random, depth: depth + 1) }
      }
      return .map(map)
    default:
      return scalar(&random)
    }
  }

  /// Every value as data for both functions: the edge cases alone, under a key and in a
  /// list, then generated trees.
  static let values: [Value] = {
    var values: [Value] = []
    for s in specialStrings + specialKeys {
      values.append(.string(s))
      values.append(.map([s: .string(s)]))
      values.append(.list([.string(s), .map(["k": .list([.string(s)])])]))
    }
    let ordered = specialKeys.filter(ordersConsistently).filter { $0.utf8.count < 1000 }
    values.append(.map(OrderedDictionary(uniqueKeysWithValues: ordered.reversed().map { ($0, Value.int(1)) })))
    let nested: Value = .map([
      "a": .list([.list([.int(1), .list([.int(2)])]), .map(["b": .list([.int(3)]), "c": .map([:])]), .list([])]),
      "d": .map(["e": .map(["f": .list([.map(["g": .string("long " + String(repeating: "text ", count: 30))])])])]),
    ])
    values.append(nested)
    var random = Generator(seed: 17)
    for _ in 0..<600 { values.append(value(&random, depth: 0)) }
    return values
  }()

  static func cases(_ function: String) -> [SprigCase] {
    values.map { value in
      // The data is encoded by flowrel; both sides read it back from the same JSON text.
      let data = (try? Value.map(["v": value]).jsonText()) ?? "{}"
      return SprigCase(template: "{{ \(function) .v }}", data: data)
    }
  }

  @Test(arguments: ["toYaml", "toYamlPretty", "toJson", "toPrettyJson", "toRawJson"]) func matchesHelm(_ function: String) throws {
    let cases = Self.cases(function)
    let reference = try SprigReference.outcomes(cases).get()
    try #require(reference.count == cases.count, "the reference gave \(reference.count) outcomes for \(cases.count) cases")
    var mismatches = 0
    for (testCase, expected) in zip(cases, reference) {
      let actual = SprigReference.flowrel(testCase)
      if actual != expected {
        mismatches += 1
        if mismatches <= 20 { Issue.record("\(testCase.data): flowrel \(actual), Helm \(expected)") }
      }
    }
    #expect(mismatches == 0, "\(mismatches) of \(cases.count) differ")
  }

  /// Helm's common idiom `tpl (toYaml .Values.x) .` needs template text single-quoted, as Helm writes it.
  @Test func templateTextIsSingleQuotedAsInHelm() throws {
    let cases = [SprigCase(template: "{{ toYaml .v }}", data: #"{"v": {"baz": "{{ include \"x.fullname\" . }}"}}"#)]
    let reference = try SprigReference.outcomes(cases).get()
    try #require(reference.count == 1)
    #expect(reference[0].output == "baz: '{{ include \"x.fullname\" . }}'")
    #expect(SprigReference.flowrel(cases[0]) == reference[0])
  }
}

/// A small deterministic generator (SplitMix64), so that the generated cases are the same on every run.
struct Generator {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next(upTo bound: Int) -> Int {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    z ^= z >> 31
    return Int(z % UInt64(max(bound, 1)))
  }
}
