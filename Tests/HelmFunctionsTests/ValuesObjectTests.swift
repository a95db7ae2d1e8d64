import FlowrelValue
import GoTemplate
import OrderedCollections
import Testing

@testable import HelmFunctions

/// The methods of Helm's `chartutil.Values` (pkg/chartutil/values.go: `AsMap`, `YAML`,
/// `Table`, `PathValue`), which Go's templates find before a key of the same name. The type
/// itself is checked against Go + Sprig in `SprigDifferentialTests` ("Helm's chartutil.Values").
@Suite struct ValuesObjectTests {
  let functions = HelmFunctions.library(yaml: FakeYAML())

  /// `text` with `.Values` a `chartutil.Values` over `values` (read as JSON).
  func render(_ text: String, values: String = #"{"a": {"b": {"c": 1}, "s": "x"}, "n": null, "YAML": "key"}"#) throws -> String {
    guard case .map(let map) = try Value(jsonText: values) else { throw HelmFunctionsError("not a map") }
    var set = TemplateSet(functions: functions)
    try set.parse("t", text: text)
    let top: TemplateValue = .map(TemplateMap(["Values": .object(ValuesObject(TemplateMap(map)))] as OrderedDictionary<String, TemplateValue>))
    return try set.execute("t", data: top, options: .helm())
  }

  /// The error message of rendering `text`, after Go's `executing "t" at <...>: ` prefix.
  func failure(_ text: String) -> String? {
    do {
      _ = try render(text)
      return nil
    } catch let error as TemplateError {
      return error.detail
    } catch {
      return "\(error)"
    }
  }

  @Test func asMapIsThePlainMapOfTheSameValues() throws {
    #expect(try render(#"{{ typeOf .Values.AsMap }} {{ dig "a" "b" "c" 0 .Values.AsMap }}"#) == "map[string]interface {} 1")
    #expect(try render(#"{{ $_ := set .Values.AsMap "z" 9 }}{{ .Values.z }}"#) == "9")
  }

  /// A method wins over a key of its name; other keys are keys.
  @Test func yamlIsTheValuesAsHelmsYAMLWithItsNewline() throws {
    #expect(try render(#"{{ .Values.YAML }}"#, values: #"{"b": [1], "a": "x"}"#) == "a: x\nb:\n- 1\n")
    #expect(try render(#"{{ index .Values "YAML" }}"#) == "key")
  }

  @Test func tableIsTheMapAtADottedPath() throws {
    #expect(try render(#"{{ typeOf (.Values.Table "a.b") }} {{ (.Values.Table "a.b").c }}"#) == "chartutil.Values 1")
    #expect(failure(#"{{ .Values.Table "a.s" }}"#) == #"error calling Table: "s" is not a table"#)
    #expect(failure(#"{{ .Values.Table "a.nope.c" }}"#) == #"error calling Table: "nope" is not a table"#)
    #expect(failure(#"{{ .Values.Table }}"#) == "wrong number of args for Table: want 1 got 0")
  }

  @Test func pathValueIsAValueThatIsNoMap() throws {
    #expect(try render(#"{{ .Values.PathValue "a.b.c" }} {{ .Values.PathValue "a.s" }} {{ .Values.PathValue "n" }}"#) == "1 x ")
    #expect(failure(#"{{ .Values.PathValue "a.b" }}"#) == #"error calling PathValue: "b" is not a value"#)
    #expect(failure(#"{{ .Values.PathValue "a.x.c" }}"#) == #"error calling PathValue: "c" is not a value"#)
    #expect(failure(#"{{ .Values.PathValue "" }}"#) == "error calling PathValue: YAML path cannot be empty")
  }
}
