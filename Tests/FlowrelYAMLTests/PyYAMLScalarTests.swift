import FlowrelValue
import FlowrelYAML
import Foundation
import Testing

/// `YAMLScalarRules.pyyaml` and `.jina` against PyYAML and Jina themselves: `PyYAML/scalars.json`
/// holds how PyYAML's SafeLoader types each case, `PyYAML/jina.json` what Jina 3.34 makes of
/// the same Flow YAML values (both written by `PyYAML/scalars.py`, so the test needs no Python).
@Suite struct PyYAMLScalarTests {
  /// One case: a map value's YAML text, the type Python gives it, and that value as JSON.
  struct Case: CustomTestStringConvertible, Sendable {
    let rules: YAMLScalarRules
    let text: String
    let type: String
    let value: Value
    var testDescription: String { "\(rules): \(text.isEmpty ? "(empty)" : text) -> \(type)" }
  }

  static func cases(_ file: String, _ rules: YAMLScalarRules) -> [Case] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("PyYAML/\(file)")
    guard let data = try? Data(contentsOf: url), let json = try? Value(jsonText: String(decoding: data, as: UTF8.self)),
      let list = json["cases"]?.listValue
    else { return [] }
    return list.compactMap { entry in
      guard let items = entry.listValue, items.count == 3, let text = items[0].stringValue, let type = items[1].stringValue
      else { return nil }
      return Case(rules: rules, text: text, type: type, value: items[2])
    }
  }

  static let pyyaml = cases("scalars.json", .pyyaml)
  static let jina = cases("jina.json", .jina)

  @Test func theFixturesHaveEveryCase() {
    #expect(Self.pyyaml.count > 150, "PyYAML/scalars.json is missing or unreadable")
    #expect(Self.jina.count == Self.pyyaml.count, "PyYAML/jina.json is missing or has other cases")
  }

  @Test(arguments: pyyaml + jina)
  func scalarsGetPythonsTypes(_ given: Case) throws {
    let document = given.text.isEmpty ? "v:\n" : "v: \(given.text)\n"
    let actual = try #require(try YAML.parse(document, scalars: given.rules)["v"])
    let expected = try Self.expected(given.type, given.value, text: given.text)
    #expect(Self.same(actual, expected), "Python: \(expected), flowrel: \(actual)")
  }

  /// The value flowrel should hold for a Python value given as [type, JSON].
  static func expected(_ type: String, _ value: Value, text: String) throws -> Value {
    switch type {
    case "null": return .null
    case "bool", "str": return value
    // Timestamps stay their text: Value has no dates (see PyYAMLResolver).
    case "timestamp": return .string(text)
    case "int":
      // Python's ints are unbounded; beyond Int64 flowrel holds a double.
      let digits = try #require(value.stringValue)
      if let exact = Int64(digits) { return .int(exact) }
      return .double(try #require(Double(digits)))
    case "float":
      let repr = try #require(value.stringValue)
      return .double(try #require(repr == "inf" ? Double.infinity : repr == "-inf" ? -Double.infinity : Double(repr)))
    case "list":
      return .list(try (value.listValue ?? []).map { item in
        let pair = item.listValue ?? []
        return try expected(pair.first?.stringValue ?? "", pair.count > 1 ? pair[1] : .null, text: "")
      })
    default:
      Issue.record("unknown type \(type) in the fixture")
      return .null
    }
  }

  /// Equal values, NaN equal to NaN.
  static func same(_ a: Value, _ b: Value) -> Bool {
    if case .double(let x) = a, case .double(let y) = b, x.isNaN, y.isNaN { return true }
    if case .list(let x) = a, case .list(let y) = b { return x.count == y.count && zip(x, y).allSatisfy { same($0, $1) } }
    return a == b
  }

  /// The Helm rules, which stay the default, type the same texts differently.
  @Test func helmRulesStayTheDefault() throws {
    let text = "a: y\nb: 1e3\nc: 1:30\nd: 0o17\ne: on\n"
    #expect(try YAML.parse(text) == ["a": true, "b": 1000.0, "c": "1:30", "d": 15, "e": true])
    #expect(try YAML.parse(text, scalars: .pyyaml) == ["a": "y", "b": "1e3", "c": 90, "d": "0o17", "e": true])
    #expect(try YAML.parse(text, scalars: .jina) == ["a": "y", "b": 1000.0, "c": 90, "d": "0o17", "e": "on"])
  }

  /// Tags apply PyYAML's rules to the tagged text too; Jina reads quoted values again, but
  /// not map keys.
  @Test func taggedQuotedAndKeys() throws {
    #expect(try YAML.parse("a: !!int 1:30\nb: 'yes'\nc: !!str 7\n", scalars: .pyyaml) == ["a": 90, "b": "yes", "c": "7"])
    #expect(try YAML.parse("'7': '7'\nl: ['8', x]\n", scalars: .jina) == ["7": 7, "l": [8, "x"]])
  }
}
