import FlowrelValue
import FlowrelYAML
import Foundation
import Testing

/// `YAMLScalarRules.pyyaml` against PyYAML itself: `PyYAML/scalars.json` holds how PyYAML's
/// SafeLoader types each case (written by `PyYAML/scalars.py`, so the test needs no Python).
@Suite struct PyYAMLScalarTests {
  /// One case: the plain scalar's text, PyYAML's type for it, and its value as JSON text.
  struct Case: CustomTestStringConvertible {
    let text: String
    let type: String
    let value: Value
    var testDescription: String { "\(text.isEmpty ? "(empty)" : text) -> \(type)" }
  }

  static let cases: [Case] = {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("PyYAML/scalars.json")
    guard let data = try? Data(contentsOf: file), let json = try? Value(jsonText: String(decoding: data, as: UTF8.self)),
      let list = json["cases"]?.listValue
    else { return [] }
    return list.compactMap { entry in
      guard let items = entry.listValue, items.count == 3, let text = items[0].stringValue, let type = items[1].stringValue
      else { return nil }
      return Case(text: text, type: type, value: items[2])
    }
  }()

  @Test func theFixtureHasEveryCase() {
    #expect(Self.cases.count > 100, "PyYAML/scalars.json is missing or unreadable")
  }

  @Test(arguments: cases)
  func plainScalarsGetPyYAMLsTypes(_ given: Case) throws {
    let document = given.text.isEmpty ? "v:\n" : "v: \(given.text)\n"
    let actual = try #require(try YAML.parse(document, scalars: .pyyaml)["v"])
    switch given.type {
    case "null": #expect(actual == .null)
    case "bool": #expect(actual == given.value)
    case "str": #expect(actual == given.value)
    // Timestamps stay their text: Value has no dates (see PyYAMLResolver).
    case "timestamp": #expect(actual == .string(given.text))
    case "int":
      // Python's ints are unbounded; beyond Int64 flowrel holds a double.
      let digits = try #require(given.value.stringValue)
      if let exact = Int64(digits) {
        #expect(actual == .int(exact))
      } else {
        #expect(actual == .double(try #require(Double(digits))), "flowrel reads \(actual)")
      }
    case "float":
      let repr = try #require(given.value.stringValue)
      let expected = try #require(repr == "inf" ? Double.infinity : repr == "-inf" ? -Double.infinity : Double(repr))
      guard case .double(let number) = actual else {
        Issue.record("\(given.text): PyYAML reads a float, flowrel \(actual)")
        return
      }
      #expect(number == expected || (number.isNaN && expected.isNaN))
    default:
      Issue.record("unknown type \(given.type) in the fixture")
    }
  }

  /// The Helm rules, which stay the default, type the same texts differently.
  @Test func helmRulesStayTheDefault() throws {
    let text = "a: y\nb: 1e3\nc: 1:30\nd: 0o17\n"
    #expect(try YAML.parse(text) == ["a": true, "b": 1000.0, "c": "1:30", "d": 15])
    #expect(try YAML.parse(text, scalars: .pyyaml) == ["a": "y", "b": "1e3", "c": 90, "d": "0o17"])
  }

  /// Tags apply PyYAML's rules to the tagged text too, and quoted scalars stay strings.
  @Test func taggedAndQuotedScalars() throws {
    #expect(try YAML.parse("a: !!int 1:30\nb: 'yes'\nc: !!str 7\n", scalars: .pyyaml) == ["a": 90, "b": "yes", "c": "7"])
  }
}
