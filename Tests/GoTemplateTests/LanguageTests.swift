import FlowrelValue
import GoTemplate
import Testing

/// Language features newer than Debian's Go 1.19, checked against Go's documentation.
@Suite struct NewerGoFeatureTests {
  // Go 1.22: "{{range pipeline}}: ... The value of the pipeline must be an array, slice, map,
  // iter.Seq, iter.Seq2, integer or channel"; an integer n iterates 0..n-1.
  @Test func rangeOverAnInteger() throws {
    #expect(try render("{{range 3}}{{.}},{{end}}") == "0,1,2,")
    #expect(try render("{{range $i := .}}[{{$i}}]{{end}}", 2) == "[0][1]")
    #expect(try render("{{range 0}}x{{else}}none{{end}}") == "none")
    #expect(try render("{{range -2}}x{{else}}none{{end}}") == "none")
    #expect(try render("{{range 5}}{{if eq . 2}}{{break}}{{end}}{{.}}{{end}}") == "01")
  }

  @Test func rangeOverAnIntegerRefusesTwoVariables() {
    #expect(throws: TemplateError.self) { try render("{{range $i, $v := 3}}{{end}}") }
    do {
      _ = try render("{{range $i, $v := 3}}{{end}}")
    } catch {
      #expect(error.detail == "can't use 3 to iterate over more than one variable")
    }
  }

  // Go 1.23: "{{with pipeline}} T1 {{else with pipeline}} T0 {{end}}".
  @Test func elseWith() throws {
    let text = "{{with .a}}A{{.}}{{else with .b}}B{{.}}{{else}}C{{end}}"
    #expect(try render(text, ["a": 1, "b": 2]) == "A1")
    #expect(try render(text, ["b": 2]) == "B2")
    #expect(try render(text, [:]) == "C")
  }
}

/// Helm's behaviour around the engine: missing keys, strict mode, `<no value>`.
@Suite struct HelmModeTests {
  let values: TemplateValue = ["Values": ["a": ["b": 1], "list": [1, 2]]]

  @Test func missingKeysRenderEmpty() throws {
    #expect(try render("[{{.Values.nope}}]", values, options: .helm()) == "[]")
    #expect(try render("[{{index .Values \"nope\"}}]", values, options: .helm()) == "[]")
  }

  @Test func helmRemovesEveryNoValue() throws {
    #expect(try render("a<no value>b{{.Values.nope}}", values, options: .helm()) == "ab")
    #expect(try render("a<no value>b", values) == "a<no value>b")
  }

  @Test func noValueRemovalIsOnePassLikeGosReplaceAll() throws {
    // Go's strings.ReplaceAll does not rescan what a removal joins together.
    #expect(try render("<<no value>no value>>", values, options: .helm()) == "<no value>>")
    #expect(try render("<no value<no value>>é<no value>", values, options: .helm()) == "<no value>é")
    #expect(try render("<no valu", values, options: .helm()) == "<no valu")
  }

  @Test func aFieldOfAMissingKeyIsANilPointer() {
    do {
      _ = try render("x\n  {{ .Values.nope.deeper }}", values, options: .helm())
      Issue.record("expected an error")
    } catch {
      #expect(
        error.message == "template: t:2:12: executing \"t\" at <.Values.nope.deeper>: nil pointer evaluating interface {}.deeper")
      #expect(error.line == 2 && error.column == 12)
    }
  }

  @Test func strictModeNamesTheMissingKey() {
    do {
      _ = try render("{{ .Values.a.c }}", values, options: .helm(strict: true))
      Issue.record("expected an error")
    } catch {
      #expect(error.message == "template: t:1:10: executing \"t\" at <.Values.a.c>: map has no entry for key \"c\"")
    }
  }

  @Test func flagsReachFunctions() throws {
    var functions = TemplateFunctions()
    functions.register("allowed") { _, context in .bool(context.options.flag("allowNondeterministic")) }
    let options = ExecutionOptions.helm(flags: ["allowNondeterministic": true])
    #expect(try render("{{allowed}}", options: options, functions: functions) == "true")
    #expect(try render("{{allowed}}", functions: functions) == "false")
  }
}

/// Go's numeric kinds and typed collections that function libraries return.
@Suite struct TypedValueTests {
  let data: TemplateValue = [
    "i64": .int64(5), "u": .uint(7), "strs": .list(TemplateList(["a", "b"], elementTypeName: "string")),
    "labels": .map(TemplateMap(["k": "v"], elementTypeName: "string")),
  ]

  @Test func kindsPrintAndCompareAsInGo() throws {
    #expect(try render(#"{{ printf "%T %T %T %T" .i64 .u .strs .labels }}"#, data)
      == "int64 uint64 []string map[string]string")
    #expect(try render("{{ eq .i64 5 }} {{ lt 3 .i64 }} {{ eq .u 7 }} {{ lt -1 .u }} {{ gt .u .i64 }}", data)
      == "true true true true true")
    #expect(try render("{{ range .i64 }}{{ printf \"%T\" . }}{{ end }}", ["i64": .int64(1)]) == "int64")
  }

  @Test func typedElementsAreNotInterfaces() throws {
    // Elements of a []string are strings to Go, not interface {} values.
    #expect(failure { try render("{{ range .strs }}{{ .x }}{{ end }}", data) }?.detail == "can't evaluate field x in type string")
    #expect(failure { try render("{{ .labels.k.x }}", data) }?.detail == "can't evaluate field x in type string")
    #expect(try render("[{{ .labels.nope }}]", data, options: .helm()) == "[]")
  }

  @Test func typedValuesConvertToPlainData() {
    #expect(data.plainValue == ["i64": 5, "u": 7, "strs": ["a", "b"], "labels": ["k": "v"]])
  }
}

/// Texts parsed on their own (`TemplateSet.parse(_:text:functions:)`) and added in order make
/// the same set as parsing them one after the other, redefinitions included.
@Suite struct SeparatelyParsedTextTests {
  let texts = [
    ("a", #"{{define "x"}}first{{end}}{{define "y"}}kept{{end}}{{template "x"}}"#),
    ("b", #"{{define "x"}}second{{end}}{{define "y"}} {{/* empty */}} {{end}}"#),
    ("c", #"{{template "x"}}/{{template "y"}}"#),
  ]

  @Test func addingInOrderEqualsParsingInOrder() throws {
    var oneByOne = TemplateSet()
    for (name, text) in texts { try oneByOne.parse(name, text: text) }
    var added = TemplateSet()
    let parsed = try texts.map { try TemplateSet.parse($0.0, text: $0.1, functions: added.functions) }
    for text in parsed { added.add(text) }
    #expect(added.names == oneByOne.names)
    for name in ["a", "c"] {
      #expect(try added.execute(name, data: .null) == oneByOne.execute(name, data: .null))
    }
    // The later definition wins; a definition of only spaces and comments replaces nothing.
    #expect(try added.execute("c", data: .null) == "second/kept")
  }
}

/// Where flowrel deliberately differs from Go: an integer against a float. Helm reads every
/// number of a values file as a float, so templates written for Helm compare values with
/// floats; flowrel keeps integers, and compares them with floats by value (Go: "incompatible
/// types for comparison"). Helm's own outcomes are checked in HelmFunctionsTests ("Helm's float values").
@Suite struct IntegerAgainstFloatTests {
  @Test func comparisonsAreNumeric() throws {
    #expect(try render("{{eq 1 1.0}} {{eq 1.0 1}} {{ne 1 1.5}} {{eq 2 1.0 2.0}}") == "true true true true")
    #expect(try render("{{lt 1 1.5}} {{lt 1.5 1}} {{le 2 2.0}} {{gt 2 1.5}} {{ge -1 -1.5}} {{lt -2 -1.5}}") == "true false true true true true")
    #expect(try render("{{if gt .replicas 1.0}}many{{end}}", ["replicas": 3]) == "many")
  }

  @Test func comparisonsAreExactAtTheLimits() throws {
    // 2^63 as a float is above every Int64; Int64.max converts to it, so a rounding
    // comparison would call them equal.
    #expect(try render("{{eq . 9223372036854775808.0}} {{lt . 9223372036854775808.0}}", .int(Int64.max)) == "false true")
    #expect(try render("{{eq . -9223372036854775808.0}} {{le . -9223372036854775808.0}}", .int(Int64.min)) == "true true")
    #expect(try render("{{lt . 1e300}} {{gt . -1e300}} {{eq 0 -0.0}}", .int(5)) == "true true true")
  }

  @Test func nanIsUnordered() throws {
    let nan = TemplateValue.double(.nan)
    #expect(try render("{{eq 1 .}} {{lt 1 .}} {{lt . 1}}", nan) == "false false false")
  }

  @Test func otherMixturesStayIncompatible() {
    #expect(throws: TemplateError.self) { try render("{{eq 1 \"1\"}}") }
    #expect(throws: TemplateError.self) { try render("{{lt 1.5 true}}") }
  }
}
