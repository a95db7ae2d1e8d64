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
