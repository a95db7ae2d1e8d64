import FlowrelValue
import FlowrelYAML
import OrderedCollections
import Testing

@Test func emitsGoYAMLBlockLayout() {
  let value: Value = [
    "name": "web",
    "replicas": 3,
    "ports": [["name": "http", "port": 80], ["name": "grpc", "port": 9090]],
    "args": ["--port=8080", "-v"],
    "nested": ["list": [["a", "b"], []], "empty": [:]],
    "none": nil,
    "ratio": 0.5,
    "on": true,
  ]
  #expect(
    YAML.emit(value) == """
      name: web
      replicas: 3
      ports:
      - name: http
        port: 80
      - name: grpc
        port: 9090
      args:
      - --port=8080
      - -v
      nested:
        list:
        - - a
          - b
        - []
        empty: {}
      none: null
      ratio: 0.5
      "on": true

      """)
}

@Test func sortedKeysUseByteOrder() {
  let value: Value = ["b": 1, "a": ["z": 1, "Z": 2, "é": 3, "e": 4], "B": 2]
  #expect(YAML.emit(value, sortedKeys: true) == "B: 2\na:\n  Z: 2\n  e: 4\n  z: 1\n  é: 3\nb: 1\n")
  #expect(YAML.emit(value) == "b: 1\na:\n  z: 1\n  Z: 2\n  é: 3\n  e: 4\nB: 2\n")
}

@Test func topLevelScalarsAndEmptyCollections() {
  #expect(YAML.emit(nil) == "null\n")
  #expect(YAML.emit([:]) == "{}\n")
  #expect(YAML.emit([]) == "[]\n")
  #expect(YAML.emit("plain") == "plain\n")
  #expect(YAML.emit(["a", ["b": []]]) == "- a\n- b: []\n")
}

@Test(arguments: [
  ("on", "\"on\""), ("yes", "\"yes\""), ("N", "\"N\""), ("0755", "\"0755\""), ("1e3", "\"1e3\""),
  ("null", "\"null\""), ("~", "\"~\""), ("", "\"\""), ("123", "\"123\""), ("-1.5", "\"-1.5\""),
  (".inf", "\".inf\""), ("0o17", "\"0o17\""), ("0x_1F", "\"0x_1F\""), ("1:20", "\"1:20\""),
  ("1_000.5", "\"1_000.5\""), ("2001-12-14", "\"2001-12-14\""), ("=", "\"=\""), ("<<", "\"<<\""),
  (" lead", "\" lead\""), ("trail ", "\"trail \""), ("a: b", "\"a: b\""), ("a:", "\"a:\""), ("a #b", "\"a #b\""),
  ("-", "\"-\""), ("- a", "\"- a\""), ("*x", "\"*x\""), ("&x", "\"&x\""), ("!x", "\"!x\""), ("%x", "\"%x\""),
  ("@x", "\"@x\""), ("`x", "\"`x\""), ("? x", "\"? x\""), ("|x", "\"|x\""), (">x", "\">x\""), ("'x", "\"'x\""),
  ("\"x", "\"\\\"x\""), ("[x", "\"[x\""), ("{x", "\"{x\""), ("#x", "\"#x\""), (",x", "\",x\""), ("---", "\"---\""),
  ("...x", "\"...x\""), ("a\tb", "\"a\\tb\""), ("a\rb", "\"a\\rb\""), ("nul\0", "\"nul\\0\""), ("bell\u{07}", "\"bell\\a\""),
  ("del\u{7F}", "\"del\\x7F\""), ("nel\u{85}", "\"nel\\N\""), ("ls\u{2028}", "\"ls\\L\""), ("bom\u{FEFF}", "\"bom\\uFEFF\""),
  ("back\\slash", "back\\slash"), ("-v", "-v"), ("a:b", "a:b"), ("a#b", "a#b"), ("1.2.3", "1.2.3"), ("512Mi", "512Mi"),
  ("100m", "100m"), ("héllo 😀", "héllo 😀"), ("http://x:80/a?b#c", "http://x:80/a?b#c"), ("tRue", "tRue"),
])
func quotesExactlyWhenNeeded(_ text: String, _ expected: String) throws {
  #expect(YAML.emit(["k": .string(text)]) == "k: \(expected)\n")
  #expect(try YAML.parse(YAML.emit(.string(text))) == .string(text))
}

@Test(arguments: [
  ("a\nb", "|-\n  a\n  b\n"), ("a\nb\n", "|\n  a\n  b\n"), ("a\nb\n\n", "|+\n  a\n  b\n\n"),
  ("  indented\nx", "|2-\n    indented\n  x\n"), ("\nleading", "|2-\n\n  leading\n"), ("\n", "|2+\n\n"), ("\n\n", "|2+\n\n\n"),
  ("a\n\n\nb", "|-\n  a\n\n\n  b\n"),
])
func multiLineStringsAreLiteralBlocks(_ text: String, _ expected: String) throws {
  #expect(YAML.emit(.string(text)) == expected)
  #expect(try YAML.parse(expected) == .string(text))
  let nested: Value = ["a": ["b": .string(text), "l": [.string(text), [.string(text)]]]]
  #expect(try YAML.parse(YAML.emit(nested)) == nested)
}

@Test func multiLineStringsThatABlockCannotHoldAreDoubleQuoted() {
  #expect(YAML.emit(.string("trailing \nspace")) == "\"trailing \\nspace\"\n")
  #expect(YAML.emit(.string("ends in space\n ")) == "\"ends in space\\n \"\n")
  #expect(YAML.emit(.string("tab\there\n")) == "\"tab\\there\\n\"\n")
  #expect(YAML.emit(.string("cr\r\n")) == "\"cr\\r\\n\"\n")
}

@Test(arguments: [
  (2.0, "2.0"), (-0.0, "-0.0"), (0.5, "0.5"), (1e6, "1.0e+06"), (1.5e6, "1.5e+06"), (123456.0, "123456.0"),
  (1e-7, "1.0e-07"), (0.0001, "0.0001"), (1e21, "1.0e+21"), (Double.infinity, ".inf"), (-Double.infinity, "-.inf"),
  (Double.nan, ".nan"), (Double.leastNonzeroMagnitude, "5.0e-324"), (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"),
])
func doublesReadBackAsDoubles(_ d: Double, _ expected: String) throws {
  #expect(YAML.emit(.double(d)) == expected + "\n")
  #expect(try YAML.parse(expected) == .double(d))
}

@Test func keysAreQuotedLikeValuesAndLongKeysAreExplicit() throws {
  let long = String(repeating: "k", count: 200)
  let value: Value = ["on": 1, "1": 2, "a: b": 3, "": 4, "multi\nline": 5, .init(stringLiteral: long): ["x": 1], "l": ["z"]]
  let text = YAML.emit(value)
  #expect(text.hasPrefix("\"on\": 1\n\"1\": 2\n\"a: b\": 3\n\"\": 4\n\"multi\\nline\": 5\n? \(long)\n: x: 1\nl:\n- z\n"))
  #expect(try YAML.parse(text) == value)
  let longList: Value = .map([long: ["a", "b"], long + "2": "s", long + "3": [:]])
  #expect(try YAML.parse(YAML.emit(longList)) == longList)
}

/// Keys longer than 128 bytes are written as explicit keys (`? key` then `: value`), as
/// go-yaml does; shorter ones, plain or quoted, as `key: value`.
@Test func longKeysAreExplicit() throws {
  let long = String(repeating: "k", count: 129)
  let quoted = String(repeating: "#", count: 64) + ": " + String(repeating: "q", count: 64)
  let value: Value = .map([long: "v", String(long.dropLast()): ["a"], quoted: 1, "short: one": 2])
  let text = YAML.emit(value)
  #expect(text == """
    ? \(long)
    : v
    \(long.dropLast()):
    - a
    ? "\(quoted)"
    : 1
    "short: one": 2

    """)
  #expect(try YAML.parse(text) == value)
}
