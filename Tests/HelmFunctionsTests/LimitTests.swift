import FlowrelValue
import GoTemplate
import GoYAMLWriter
import Testing

@testable import HelmFunctions

/// toJson, toYaml and replace stop at their limits with a message instead of exhausting memory.
@Suite struct LimitTests {
  func error(_ text: String) -> TemplateError? {
    do {
      var set = TemplateSet(functions: HelmFunctions.library(yaml: FakeYAML()))
      try set.parse("t.yaml", text: text)
      _ = try set.execute("t.yaml", data: [:], options: .helm())
      return nil
    } catch {
      return error
    }
  }

  func render(_ text: String) throws -> String {
    var set = TemplateSet(functions: HelmFunctions.library(yaml: FakeYAML()))
    try set.parse("t.yaml", text: text)
    return try set.execute("t.yaml", data: [:], options: .helm())
  }

  /// The issue's input: a list whose 2^25 leaves share one value.
  @Test(arguments: ["toJson", "mustToJson", "toPrettyJson", "toRawJson", "toYaml", "mustToYaml", "toYamlPretty"])
  func sharedLeavesAreRefusedBeforeTheyAreBuiltOut(_ function: String) {
    let text = "{{ $x := list 1 }}{{ range 25 }}{{ $x = list $x $x }}{{ end }}{{ \(function) $x }}"
    let failure = error(text)
    #expect(failure?.kind == .limit)
    #expect(failure?.message.hasSuffix("the value would be more than 104857600 bytes as JSON, the most flowrel converts") == true, "\(String(describing: failure))")
  }

  /// 2^15 shared leaves are 2 * length(k-1) + 3 bytes of JSON: converted and written in full.
  @Test func sharedLeavesWithinTheLimitAreWritten() throws {
    var length = 3
    for _ in 0..<15 { length = 2 * length + 3 }
    let text = "{{ $x := list 1 }}{{ range 15 }}{{ $x = list $x $x }}{{ end }}{{ toJson $x }}"
    #expect(try render(text).utf8.count == length)
  }

  @Test func replaceRefusesAHugeResult() {
    let failure = error(#"{{ replace "" (repeat 20000 "y") (repeat 20000 "x") }}"#)
    #expect(failure?.detail.hasSuffix("replace would make a string of more than 104857600 bytes") == true, "\(String(describing: failure))")
    #expect(error(#"{{ replace "x" (repeat 20000 "y") (repeat 20000 "x") }}"#)?.detail.hasSuffix("replace would make a string of more than 104857600 bytes") == true)
  }

  @Test func replaceWithinTheLimitStillWorks() throws {
    #expect(try render(#"{{ replace "" "-" "abc" }}"#) == "-a-b-c-")
    #expect(try render(#"{{ replace "ab" "xyz" "abcab" }}"#) == "xyzcxyz")
  }

  /// Indentation grows with the nesting: 900 levels are about 0.9 MB of YAML from 0.1 MB of JSON.
  @Test(arguments: [GoYAMLDialect.v2, .v3])
  func yamlTextPastItsLimitIsALimitError(_ dialect: GoYAMLDialect) throws {
    var value = Value.string("x")
    for _ in 0..<900 { value = .map([String(repeating: "k", count: 100): value]) }
    let error = #expect(throws: GoYAMLError.self) { try GoYAML.text(value, GoYAMLOptions(dialect: dialect, maximumBytes: 500_000)) }
    #expect(error?.isLimit == true)
    #expect(error?.message == "the YAML text would be longer than 500000 bytes, the most flowrel writes")
    let text = try GoYAML.text(value, GoYAMLOptions(dialect: dialect, maximumBytes: 5_000_000))
    #expect(text.utf8.count > 500_000)
    #expect(GoYAML.defaultMaximumBytes == 100 << 20)
  }
}
