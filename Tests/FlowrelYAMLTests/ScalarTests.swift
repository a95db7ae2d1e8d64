import FlowrelValue
import FlowrelYAML
import Testing

/// A scalar as written in YAML and the value Helm (go-yaml v2) reads from it.
struct ScalarCase: Sendable, CustomTestStringConvertible {
  let yaml: String
  let value: Value
  init(_ yaml: String, _ value: Value) {
    self.yaml = yaml
    self.value = value
  }
  var testDescription: String { "\(yaml.debugDescription) -> \(value)" }
}

let scalarCases: [ScalarCase] = [
  // Booleans: YAML 1.1 words in three case forms; other spellings are strings.
  .init("true", true), .init("True", true), .init("TRUE", true),
  .init("false", false), .init("False", false), .init("FALSE", false),
  .init("yes", true), .init("Yes", true), .init("YES", true),
  .init("no", false), .init("No", false), .init("NO", false),
  .init("on", true), .init("On", true), .init("ON", true),
  .init("off", false), .init("Off", false), .init("OFF", false),
  .init("y", true), .init("Y", true), .init("n", false), .init("N", false),
  .init("tRue", "tRue"), .init("yES", "yES"), .init("oN", "oN"),
  .init("yess", "yess"), .init("truest", "truest"), .init("Nope", "Nope"), .init("offset", "offset"),
  // Nulls.
  .init("null", nil), .init("Null", nil), .init("NULL", nil), .init("~", nil), .init("", nil),
  .init("nULL", "nULL"),
  // Integers: every base go-yaml reads, signs, underscores; never floats.
  .init("0", 0), .init("-0", 0), .init("+12", 12), .init("-17", -17),
  .init("0755", 493), .init("0o17", 15), .init("0O17", 15), .init("-0o17", -15),
  .init("0x1F", 31), .init("0X1f", 31), .init("0x_1F", 31), .init("+0x10", 16), .init("-0x10", -16),
  .init("0b1010", 10), .init("-0b101", -5), .init("0B11", 3),
  .init("1_000", 1000), .init("1__0", 10),
  // Digits only are read without the general rules up to 18 digits; past that, the general rules.
  .init("8080", 8080), .init("999999999999999999", 999_999_999_999_999_999),
  .init("1000000000000000000", 1_000_000_000_000_000_000), .init("12a", "12a"), .init("1 2", "1 2"),
  .init("9223372036854775807", .int(Int64.max)), .init("-9223372036854775808", .int(Int64.min)),
  // Beyond Int64: a double, as go-yaml's uint64/float64 becomes in Helm.
  .init("9223372036854775808", .double(0x1p63)),
  .init("0xFFFFFFFFFFFFFFFF", .double(Double(UInt64.max))),
  .init("-9223372036854775809", .double(-0x1p63)),
  .init("0x1FFFFFFFFFFFFFFFF", "0x1FFFFFFFFFFFFFFFF"),
  // Not octal, but go-yaml's float rule accepts it.
  .init("08", .double(8)), .init("09.5", .double(9.5)),
  .init("0x", "0x"), .init("0b", "0b"), .init("0b102", "0b102"), .init("0o8", "0o8"),
  // Floats.
  .init("1.5", 1.5), .init(".5", 0.5), .init("+.5", 0.5), .init("-.5", -0.5), .init("1.", 1.0),
  .init("1e3", 1000.0), .init("1E3", 1000.0), .init("1.5e-3", 0.0015), .init("-1.5E+3", -1500.0),
  .init("1_000.5", 1000.5), .init(".5_5", 0.55), .init("-0.0", .double(-0.0)), .init("6.02e23", 6.02e23),
  .init(".inf", .double(.infinity)), .init(".Inf", .double(.infinity)), .init(".INF", .double(.infinity)),
  .init("+.inf", .double(.infinity)), .init("-.inf", .double(-.infinity)), .init("-.Inf", .double(-.infinity)),
  .init(".nan", .double(.nan)), .init(".NaN", .double(.nan)), .init(".NAN", .double(.nan)),
  // Overflow to infinity is a string in go-yaml, as are near misses.
  .init("1e999", "1e999"), .init("._5", "._5"), .init(".inF", ".inF"), .init("+.nan", "+.nan"),
  .init("1e", "1e"), .init("e3", "e3"), .init(".", "."), .init("+", "+"), .init("_1", "_1"),
  // go-yaml v2 reads neither sexagesimal numbers nor timestamps (they stay strings).
  .init("1:20", "1:20"), .init("190:20:30.15", "190:20:30.15"), .init("2001-12-14", "2001-12-14"),
  .init("2001-12-14T21:59:43.10Z", "2001-12-14T21:59:43.10Z"),
  .init("1.2.3", "1.2.3"), .init("512Mi", "512Mi"), .init("=", "="), .init("<<", "<<"),
  .init("a b  c", "a b  c"), .init("héllo wörld", "héllo wörld"), .init("a:b", "a:b"), .init("a#b", "a#b"),
  // Quoted and block scalars are strings.
  .init("'true'", "true"), .init("\"123\"", "123"), .init("'~'", "~"), .init("\"\"", ""), .init("'null'", "null"),
  .init("\"a\\tb\\u00e9\\x41\"", "a\tbéA"), .init("'it''s'", "it's"),
  .init("|\n  123\n", "123\n"), .init(">-\n  yes\n  no\n", "yes no"), .init("|+\n  a\n\n", "a\n\n"),
  // Explicit tags.
  .init("!!str 123", "123"), .init("!!str yes", "yes"), .init("!!int \"42\"", 42), .init("!!int 0x10", 16),
  .init("!!float 1", 1.0), .init("!!float \"2.5\"", 2.5), .init("!!float 0x10", 16.0),
  .init("!!bool yes", true), .init("!!bool \"false\"", false), .init("!!null ''", nil), .init("!!null ~", nil),
  .init("!!binary aGVsbG8=", "hello"), .init("!!binary /w==", "\u{FFFD}"), .init("!!binary |\n  aGVs\n  bG8=\n", "hello"),
  .init("!!timestamp 2001-12-14", "2001-12-14"), .init("!custom 12", "12"), .init("! 12", "12"),
]

@Test(arguments: scalarCases)
func scalarReadsAsHelmReadsIt(_ c: ScalarCase) throws {
  let value = try YAML.parse(c.yaml)
  #expect(value == c.value)
  if !c.yaml.contains("\n") {
    // The same scalar as a map value and as a flow list item.
    #expect(try YAML.parse("key: \(c.yaml)") == ["key": c.value])
    #expect(try YAML.parse("[\(c.yaml)]") == [c.value] || c.yaml.isEmpty)
  }
  let emitted = YAML.emit(value)
  #expect(try YAML.parse(emitted) == value, "emitted as \(emitted.debugDescription)")
  #expect(try YAML.parse(YAML.emit(["k": value, "l": [value]])) == ["k": value, "l": [value]])
}

@Test func integersStayIntegersAndDoublesStayDoubles() throws {
  #expect(try YAML.parse("1000000") == .int(1_000_000))
  #expect(try YAML.parse("1000000.0") == .double(1_000_000))
  #expect(try YAML.parse("2") != .double(2))
}

@Test func mapKeysTakeTheirStringForm() throws {
  let value = try YAML.parse("1: a\n0x10: b\ntrue: c\nno: d\n1.5: e\n0.1: f\n1e10: g\n.inf: h\n\"2\": i\n")
  #expect(Array(value.mapValue?.keys ?? []) == ["1", "16", "true", "false", "1.5", "0.1", "1e+10", ".inf", "2"])
}

@Test func quotedMergeKeyIsAnOrdinaryKey() throws {
  #expect(try YAML.parse("base: &b {x: 1}\nm:\n  \"<<\": *b\n") == ["base": ["x": 1], "m": ["<<": ["x": 1]]])
  #expect(try YAML.parse("base: &b {x: 1}\nm:\n  !!merge <<: *b\n") == ["base": ["x": 1], "m": ["x": 1]])
}
