import FlowrelValue
import GoTemplate
import Testing

@testable import HelmFunctions

/// The library inside real templates, run by the GoTemplate engine as Helm runs charts.
@Suite struct TemplateTests {
  let functions = HelmFunctions.library(yaml: FakeYAML())

  /// Renders template `main` of `templates` with `data`, Helm's options and `flags`.
  func render(
    _ templates: [(String, String)], main: String? = nil, data: TemplateValue = [:], flags: [String: Value] = [:]
  ) throws(TemplateError) -> String {
    var set = TemplateSet(functions: functions)
    for (name, text) in templates { try set.parse(name, text: text) }
    return try set.execute(main ?? templates[templates.count - 1].0, data: data, options: .helm(flags: flags))
  }

  func render(_ text: String, data: TemplateValue = [:], flags: [String: Value] = [:]) throws(TemplateError) -> String {
    try render([("t.yaml", text)], data: data, flags: flags)
  }

  /// The message rendering fails with.
  func error(_ text: String, data: TemplateValue = [:], flags: [String: Value] = [:]) -> TemplateError? {
    do {
      _ = try render(text, data: data, flags: flags)
      return nil
    } catch {
      return error
    }
  }

  // Helm writes template text single-quoted (`baz: '{{ include "x.fullname" . }}'`), so `tpl`
  // renders it and the quotes stay around the result, as in Helm (a double-quoted text would
  // hold `\"` and not parse as a template).
  @Test func tplOfToYamlRendersTheTemplateTextInsideValues() throws {
    let helpers = #"{{- define "x.fullname" -}}release-x{{- end }}"#
    let main = #"{{ tpl (toYaml .Values.x) . }}"#
    let data: TemplateValue = ["Values": ["x": ["baz": #"{{ include "x.fullname" . }}"#, "replicas": "{{ .Values.n }}"], "n": 3]]
    #expect(try render([("_helpers.tpl", helpers), ("x.yaml", main)], data: data) == "baz: 'release-x'\nreplicas: '3'")
  }

  @Test func includePipedIntoNindent() throws {
    let helpers = #"{{- define "labels" -}}app: {{ .name }}"# + "\n" + #"tier: {{ .tier | default "web" }}{{- end }}"#
    let main = "metadata:\n  labels:{{ include \"labels\" . | nindent 4 }}\n"
    let out = try render([("_helpers.tpl", helpers), ("x.yaml", main)], data: ["name": "api"])
    #expect(out == "metadata:\n  labels:\n    app: api\n    tier: web\n")
  }

  @Test func chartStyleFullnameHelper() throws {
    let helpers = """
      {{- define "fullname" -}}
      {{- if .Values.fullnameOverride -}}
      {{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
      {{- else -}}
      {{- $name := default .Chart.Name .Values.nameOverride -}}
      {{- if contains $name .Release.Name -}}
      {{- .Release.Name | trunc 63 | trimSuffix "-" -}}
      {{- else -}}
      {{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
      {{- end -}}
      {{- end -}}
      {{- end -}}
      """
    let main = #"name: {{ include "fullname" . | quote }}"#
    let data: TemplateValue = ["Values": [:], "Chart": ["Name": "flow"], "Release": ["Name": .string(String(repeating: "r", count: 60))]]
    #expect(try render([("_helpers.tpl", helpers), ("x.yaml", main)], data: data) == "name: \"\(String(repeating: "r", count: 60))-fl\"")
    let overridden: TemplateValue = ["Values": ["fullnameOverride": "custom-"], "Chart": ["Name": "flow"], "Release": ["Name": "r"]]
    #expect(try render([("_helpers.tpl", helpers), ("x.yaml", main)], data: overridden) == "name: \"custom\"")
  }

  @Test func includeOfAMissingTemplateFailsWithGosMessage() {
    let failure = error(#"{{ include "nope" . }}"#)
    #expect(
      failure?.message
        == #"template: t.yaml:1:3: executing "t.yaml" at <include "nope" .>: error calling include: template: no template "nope" associated with template "t.yaml""#
    )
    #expect(failure?.templateName == "t.yaml")
  }

  @Test(arguments: [50, 300, ExecutionOptions.helm().maxDepth]) func includeRecursionHitsTheEngineLimit(depth: Int) throws {
    var set = TemplateSet(functions: functions)
    try set.parse("t.yaml", text: #"{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}"#)
    var options = ExecutionOptions.helm()
    options.maxDepth = depth
    #expect {
      _ = try set.execute("t.yaml", data: [:], options: options)
    } throws: { error in
      (error as? TemplateError)?.message.hasSuffix("error calling include: exceeded maximum template depth (\(depth))") == true
    }
  }

  @Test func tplRendersValuesWithTheTopContext() throws {
    let data: TemplateValue = ["Values": ["host": "{{ .Release.Name }}.example.com"], "Release": ["Name": "web"]]
    #expect(try render("host: {{ tpl .Values.host . }}", data: data) == "host: web.example.com")
    #expect(try render(#"{{ tpl "plain text" . }}"#) == "plain text")
  }

  @Test func tplSeesChartHelpersAndItsOwnDefines() throws {
    let helpers = #"{{- define "greet" -}}hello {{ .name }}{{- end -}}"#
    let data: TemplateValue = ["Values": ["t": #"{{ include "greet" .Values }}!"#, "name": "web"]]
    #expect(try render([("_h.tpl", helpers), ("x.yaml", "{{ tpl .Values.t . }}")], data: data) == "hello web!")
    let own = #"{{ tpl "{{ define \"x\" }}X{{ .n }}{{ end }}{{ include \"x\" . }}" (dict "n" 1) }}"#
    #expect(try render(own) == "X1")
    #expect(try render(#"{{ tpl "{{ tpl \"{{ .a }}\" . }}" (dict "a" "nested") }}"#) == "nested")
  }

  @Test func tplErrorsNameGotplAsHelmDoes() {
    let failure = error(#"{{ tpl "{{ fail \"inner\" }}" . }}"#)
    #expect(failure?.message.contains("error calling tpl: error during tpl function execution for") == true)
    #expect(failure?.message.contains("template: gotpl:1:") == true)
    #expect(failure?.message.contains("inner") == true)
    let parse = error(#"{{ tpl "{{ nope }}" . }}"#)
    #expect(parse?.message.contains("cannot parse template \"{{ nope }}\"") == true)
  }

  @Test func requiredAndFailMessages() {
    let missing = error(#"{{ required "A valid .Values.who entry required!" .Values.who }}"#, data: ["Values": [:]])
    #expect(missing.map(HelmFunctions.userMessage(for:)) == "execution error at (t.yaml:1:3): A valid .Values.who entry required!")
    let failed = error(#"{{ fail "Please accept the license" }}"#)
    #expect(failed?.message == #"template: t.yaml:1:3: executing "t.yaml" at <fail "Please accept the license">: error calling fail: Please accept the license"#)
    #expect(failed.map(HelmFunctions.userMessage(for:)) == failed?.message)
  }

  @Test func nondeterministicFunctionsAreRefusedInTemplatesUnlessAllowed() throws {
    let refused = error("{{ randAlphaNum 5 }}")
    #expect(refused?.message.contains("error calling randAlphaNum: randAlphaNum gives a different result on every render") == true)
    #expect(try render("{{ randAlphaNum 5 | len }}", flags: [HelmFunctions.allowNondeterministic: true]) == "5")
    #expect(try render("{{ now | date \"2006\" | len }}", flags: [HelmFunctions.allowNondeterministic: true]) == "4")
    #expect(error("{{ uuidv4 }}") != nil)
  }

  @Test func objectsAnswerFieldsAndMethods() throws {
    #expect(try render(#"{{ (semver "1.2.3-rc.1").Major }}.{{ (semver "1.2.3-rc.1").Prerelease }}"#) == "1.rc.1")
    #expect(try render(#"{{ (semver "1.2.3").Compare (semver "1.4.0") }}"#) == "-1")
    #expect(try render(#"{{ (semver "2.0.0").GreaterThan (semver "1.4.0") }}"#) == "true")
    #expect(try render(#"{{ semver "v1.2" }}"#) == "1.2.0")
    #expect(try render(#"{{ (toDate "2006-01-02" "2017-12-31").Year }}"#) == "2017")
    #expect(try render(#"{{ (toDate "2006-01-02" "2017-12-31").Format "Jan 2" }}"#) == "Dec 31")
    #expect(try render(#"{{ toDate "2006-01-02" "2017-12-31" }}"#) == "2017-12-31 00:00:00 +0000 UTC")
  }

  @Test func sprigIdiomsOfPublicCharts() throws {
    let data: TemplateValue = ["Values": ["port": 8080, "tags": ["b", "a"], "image": ["tag": ""], "replicas": 3]]
    #expect(try render(#"{{ .Values.port | add 1 }}"#, data: data) == "8081")
    #expect(try render(#"{{ .Values.tags | sortAlpha | join "," }}"#, data: data) == "a,b")
    #expect(try render(#"{{ .Values.image.tag | default "latest" }}"#, data: data) == "latest")
    #expect(try render(#"{{ if semverCompare ">=1.21-0" "v1.27.3" }}new{{ end }}"#) == "new")
    #expect(try render(#"{{ ternary "yes" "no" (gt .Values.replicas 1) }}"#, data: data) == "yes")
    #expect(try render(#"{{ $d := dict "a" 1 "b" (list 1 2) }}{{ toJson $d }}"#) == #"{"a":1,"b":[1,2]}"#)
    #expect(try render(#"{{ set (dict "a" 1) "b" 2 | toJson }}"#) == #"{"a":1,"b":2}"#)
    #expect(try render(#"{{- $ctx := dict "a" 1 }}{{- $_ := set $ctx "key" "v" }}{{ $ctx.key }}"#) == "v")
    #expect(try render(#"{{- $_ := set .Values "added" 1 }}{{ .Values.added }}"#, data: data) == "1")
    let helpers = #"{{- define "ctx" -}}{{- $_ := set . "seen" true -}}{{- end -}}"#
    #expect(try render([("_h.tpl", helpers), ("x.yaml", #"{{- $c := dict }}{{- include "ctx" $c }}{{ $c.seen }}"#)]) == "true")
    #expect(try render(#"{{ $m := merge (dict "a" 1) (dict "a" 2 "b" 2) }}{{ $m.a }}{{ $m.b }}"#) == "12")
    #expect(try render(#"{{ range $i, $e := until 3 }}{{ $i }}{{ end }}"#) == "012")
    #expect(try render(#"{{ "a-b-c" | splitList "-" | last }}"#) == "c")
    #expect(try render(#"{{ .Values.missing | toYaml }}"#, data: data) == "null")
    #expect(try render(#"{{ toYaml .Values.tags | indent 2 }}"#, data: data) == "  - b\n  - a")
    #expect(try render(#"{{ int64 "5" | typeOf }}"#) == "int64")
    #expect(try render(#"{{ kindIs "map" .Values }}"#, data: data) == "true")
    #expect(try render(#"{{ (fromJson "{\"a\": [1]}").a }}"#) == "[1]")
    #expect(try render(#"{{ b64enc "user:pass" }}"#) == "dXNlcjpwYXNz")
    #expect(try render(#"{{ "hello" | sha256sum | trunc 8 }}"#) == "2cf24dba")
    #expect(try render(#"{{ regexReplaceAll "[^a-z0-9-]" "My_App" "-" | lower }}"#) == "-y--pp")
  }

  @Test func typedParametersRejectWrongValuesFromData() {
    let failure = error(#"{{ trunc .Values.n "abc" }}"#, data: ["Values": ["n": "5"]])
    #expect(failure?.message.contains("wrong type for value; expected int; got string") == true)
  }
}
