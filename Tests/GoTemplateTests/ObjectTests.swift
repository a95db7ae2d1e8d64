import FlowrelValue
import GoTemplate
import OrderedCollections
import Testing

/// Helm-style objects: `.Files.Get "x"`, `.Capabilities.APIVersions.Has "v1"`, fields.
struct Files: TemplateObject {
  let files: [String: String]
  var goTypeName: String { "engine.files" }
  var goKindName: String { "map" }
  var underlyingMap: TemplateMap? {
    TemplateMap(OrderedDictionary(uniqueKeysWithValues: files.sorted { $0.key < $1.key }.map { ($0.key, TemplateValue.string($0.value)) }))
  }
  func member(named name: String) -> TemplateMember? {
    switch name {
    case "Get":
      .method(TemplateFunction { args, _ in
        try args.expectCount(1)
        return .string(files[try args.string(at: 0)] ?? "")
      })
    default: nil
    }
  }
}

struct VersionSet: TemplateObject {
  let versions: [String]
  var goTypeName: String { "chartutil.VersionSet" }
  var goKindName: String { "slice" }
  var underlyingList: TemplateList? { TemplateList(versions.map { .string($0) }, elementTypeName: "string") }
  var formatted: String { "[" + versions.joined(separator: " ") + "]" }
  func member(named name: String) -> TemplateMember? {
    name == "Has"
      ? .method(TemplateFunction { args, _ in .bool(versions.contains(try args.string(at: 0))) }) : nil
  }
}

struct Capabilities: TemplateObject {
  var goTypeName: String { "*chartutil.Capabilities" }
  func member(named name: String) -> TemplateMember? {
    switch name {
    case "APIVersions": .field(.object(VersionSet(versions: ["v1", "apps/v1"])))
    case "KubeVersion": .field(["Major": "1", "Minor": "29"])
    default: nil
    }
  }
}

/// `dict` and `list` as a function library would write them, to build values holding objects.
func collectionFunctions() -> TemplateFunctions {
  var functions = TemplateFunctions()
  functions.register("dict") { args, _ in
    var entries = OrderedDictionary<String, TemplateValue>()
    var i = 0
    while i + 1 < args.count {
      entries[try args.string(at: i)] = args[i + 1]
      i += 2
    }
    return .map(TemplateMap(entries))
  }
  functions.register("list") { args, _ in .list(TemplateList(args.values)) }
  functions.register("include") { args, context in
    try args.expectCount(2)
    return .string(try context.executeTemplate(named: try args.string(at: 0), data: args[1]))
  }
  functions.register("tpl") { args, context in
    try args.expectCount(2)
    return .string(try context.render(text: try args.string(at: 0), name: "tpl", data: args[1]))
  }
  functions.register("fail") { args, _ in throw TemplateError.failure(try args.string(at: 0)) }
  return functions
}

@Suite struct ObjectTests {
  let top: TemplateValue = [
    "Values": TemplateValue(["name": "web", "ports": [80, 443]] as Value),
    "Files": .object(Files(files: ["a.txt": "hello"])),
    "Capabilities": .object(Capabilities()),
  ]

  func run(_ text: String) throws -> String {
    try render(text, top, functions: collectionFunctions())
  }

  @Test func methodsTakeTheFollowingArguments() throws {
    #expect(try run(#"{{ .Files.Get "a.txt" }}|{{ .Files.Get "b" }}"#) == "hello|")
    #expect(try run(#"{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "x" }}"#) == "true false")
    #expect(try run(#"{{ "a.txt" | .Files.Get }}"#) == "hello")
    #expect(try run("{{ .Capabilities.KubeVersion.Minor }} {{ .Capabilities.APIVersions }}") == "29 [v1 apps/v1]")
  }

  @Test func objectsTravelInsideDictAndList() throws {
    let text = #"""
      {{- define "item" }}{{ .root.Values.name }}:{{ .item }}:{{ .root.Files.Get "a.txt" }}{{ end -}}
      {{- range .Values.ports }}{{ include "item" (dict "root" $ "item" .) }};{{ end -}}
      {{- with index (list $.Capabilities) 0 }}{{ .APIVersions.Has "v1" }}{{ end }}
      """#
    #expect(try run(text) == "web:80:hello;web:443:hello;true")
  }

  @Test func unknownMembersAndWrongCallsFailLikeGo() {
    // Go names the static type: objects held in a map[string]interface {} are `interface {}`.
    #expect(failure { try run("{{ .Capabilities.Nope }}") }?.detail == "can't evaluate field Nope in type interface {}")
    #expect(
      failure { try run("{{ $c := .Capabilities }}{{ $c.Nope }}") }?.detail
        == "can't evaluate field Nope in type *chartutil.Capabilities")
    #expect(
      failure { try run(#"{{ .Files.Get "a" "b" }}"#) }?.message
        == #"template: t:1:9: executing "t" at <.Files.Get>: wrong number of args for Get: want 1 got 2"#)
  }

  @Test func mapAndSliceTypesWithMethodsActAsCollections() throws {
    #expect(try run(#"{{ range $path, $text := .Files }}{{ $path }}={{ $text }};{{ end }}"#) == "a.txt=hello;")
    #expect(try run(#"{{ len .Files }} {{ index .Files "a.txt" }} {{ .Files.Get "a.txt" }} {{ if .Files }}some{{ end }}"#) == "1 hello hello some")
    #expect(try run(#"{{ range .Capabilities.APIVersions }}{{ . }},{{ end }} {{ index .Capabilities.APIVersions 1 }}"#) == "v1,apps/v1, apps/v1")
    #expect(try run(#"{{ $f := .Files }}[{{ $f.nope }}]"#) == "[<no value>]")
  }

  @Test func callInvokesFunctionValues() throws {
    let add = TemplateFunction { args, _ in .int(try args.int(at: 0) + (try args.int(at: 1))) }
    #expect(try render("{{ call .add 2 3 }}", ["add": .function(add)]) == "5")
    #expect(
      failure { try render("{{ call .add 2 }}", ["add": .function(add)]) }?.message
        == "template: t:1:3: executing \"t\" at <call .add 2>: error calling call: wrong number of args for call: want at least 2 got 1")
  }

  @Test func typesOfBuiltValues() throws {
    #expect(
      try run(#"{{ printf "%T %T %T" (dict "a" 1) (list 1) .Capabilities }}"#)
        == "map[string]interface {} []interface {} *chartutil.Capabilities")
  }
}

@Suite struct ContextTests {
  func run(_ text: String, _ data: TemplateValue = [:], options: ExecutionOptions = ExecutionOptions()) throws -> String {
    try render(text, data, options: options, functions: collectionFunctions())
  }

  @Test func aTestingContextCallsFunctionsOutsideAnExecution() throws {
    var set = TemplateSet()
    try set.parse("greet", text: "hi {{ . }}")
    let context = TemplateContext(testing: set, options: .helm(flags: ["allowNondeterministic": true]))
    let function = TemplateFunction { args, context in
      .string(try context.executeTemplate(named: "greet", data: args[0]) + (context.options.flag("allowNondeterministic") ? "!" : ""))
    }
    #expect(try function.body(TemplateArguments(functionName: "f", values: ["bob"]), context).stringValue == "hi bob!")
  }

  @Test func includeRendersANamedTemplateIntoAString() throws {
    #expect(try run(#"{{ define "x" }}<{{ . }}>{{ end }}{{ include "x" 5 | printf "%s!" }}"#) == "<5>!")
  }

  @Test func includeOfAnUnknownTemplateIsGoError() {
    #expect(
      failure { try run(#"{{ include "nope" . }}"#) }?.message
        == #"template: t:1:3: executing "t" at <include "nope" .>: error calling include: template: no template "nope" associated with template "t""#)
  }

  @Test func recursiveIncludeStopsAtTheDepthLimit() {
    let error = failure {
      try run(#"{{ define "r" }}{{ include "r" . }}{{ end }}{{ include "r" . }}"#, options: ExecutionOptions(maxDepth: 50))
    }
    #expect(error?.kind == .limit)
    #expect(error?.message == #"template: t:1:19: executing "r" at <include "r" .>: error calling include: exceeded maximum template depth (50)"#)
  }

  @Test func recursiveTemplateStopsAtTheDepthLimit() {
    let error = failure { try run(#"{{ define "r" }}x{{ template "r" . }}{{ end }}{{ template "r" . }}"#) }
    #expect(error?.kind == .limit)
    #expect(error?.message == #"template: t:1:29: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (1000)"#)
  }

  @Test func deepNestingInsideRecursionStopsAtALimit() {
    // Blocks do not count towards the depth; 250 in each call use up the stack first in a
    // debug build (see DeepRecursionTests), which is an error too, not a crash.
    let blocks = String(repeating: "{{ if 1 }}", count: 250) + "{{ template \"r\" . }}" + String(repeating: "{{ end }}", count: 250)
    let error = failure { try run("{{ define \"r\" }}" + blocks + "{{ end }}{{ template \"r\" . }}") }
    #expect(error?.kind == .limit)
    let detail = error?.detail ?? ""
    #expect(
      detail == "exceeded maximum template depth (1000)" || detail == "blocks and template calls nested too deep for the execution stack",
      "\(detail)")
  }

  @Test func deepNestingIsAParseError() {
    let text = String(repeating: "{{ if 1 }}", count: 301) + String(repeating: "{{ end }}", count: 301)
    #expect(failure { try run(text) }?.message == "template: t:1: actions nested deeper than 300 levels")
    let parens = "{{ print " + String(repeating: "(print ", count: 301) + "1" + String(repeating: ")", count: 301) + " }}"
    #expect(failure { try run(parens) }?.message == "template: t:1: actions nested deeper than 300 levels")
  }

  @Test func endlessWorkStopsAtTheStepLimit() {
    let error = failure {
      try run("{{ range 1000000000 }}{{ range 1000000000 }}x{{ end }}{{ end }}", options: ExecutionOptions(maxSteps: 10_000))
    }
    #expect(error?.kind == .limit)
    #expect(error?.detail.hasPrefix("exceeded the limit of 10000 steps") == true)
  }

  @Test func tplUsesTheSetsDefinitionsAndItsOwn() throws {
    let text = #"{{ define "greet" }}hi {{ . }}{{ end }}{{ tpl "{{ define \"own\" }}own{{ end }}{{ include \"greet\" .name }} {{ template \"own\" }}" . }}"#
    #expect(try run(text, ["name": "bob"]) == "hi bob own")
    // The definition made inside tpl is gone afterwards.
    #expect(failure { try run(#"{{ tpl "{{ define \"own\" }}own{{ end }}" . }}{{ include "own" . }}"#) } != nil)
  }

  @Test func includeKeepsNoValueUntilTheEndButTplRemovesIt() throws {
    let options = ExecutionOptions.helm()
    let text = #"{{ define "x" }}{{ .nope }}{{ end }}{{ include "x" . | len }} {{ tpl "{{ .nope }}" . | len }} [{{ include "x" . }}]"#
    #expect(try run(text, options: options) == "10 0 []")
  }

  @Test func tplReturnsPlainTextUnparsed() throws {
    #expect(try run(#"{{ tpl "no actions } here {" . }}"#) == "no actions } here {")
  }

  @Test func errorsInDefinitionsNameTheFileTheyCameFrom() {
    var set = TemplateSet()
    let error = failure {
      try set.parse("chart/templates/_helpers.tpl", text: "{{ define \"h\" }}\n  {{ .a.b }}{{ end }}")
      try set.parse("chart/templates/x.yaml", text: "x: {{ template \"h\" . }}")
      return try set.execute("chart/templates/x.yaml", data: ["a": 5])
    }
    #expect(error?.templateName == "chart/templates/_helpers.tpl")
    #expect(error?.line == 2 && error?.column == 7)
    #expect(
      error?.message
        == #"template: chart/templates/_helpers.tpl:2:7: executing "h" at <.a.b>: can't evaluate field b in type interface {}"#)
  }

  @Test func functionErrorsAreDecoratedWithThePosition() {
    #expect(
      failure { try run("a\n {{ fail \"boom\" }}") }?.message
        == #"template: t:2:4: executing "t" at <fail "boom">: error calling fail: boom"#)
  }

  @Test func argumentHelpersFollowGoAssignability() throws {
    var functions = collectionFunctions()
    functions.register("upper") { args, _ in .string(try args.string(at: 0).uppercased()) }
    functions.register("keys") { args, _ in .list(TemplateList(try args.map(at: 0).sortedKeys.map { .string($0) }, elementTypeName: "string")) }
    functions.register("count") { args, _ in .int(Int64(try args.list(at: 0).count)) }
    functions.register("half") { args, _ in .double(try args.float(at: 0) / 2) }
    let data: TemplateValue = ["m": ["b": 1, "a": 2], "l": [1, 2, 3], "n": nil, "f": 3.0]
    func run(_ text: String, _ options: ExecutionOptions = ExecutionOptions()) throws -> String {
      try render(text, data, options: options, functions: functions)
    }
    #expect(try run("{{ upper \"x\" }} {{ keys .m }} {{ count .l }} {{ half .f }} {{ keys .nope }} {{ count .nope }}") == "X [a b] 3 1.5 [] 0")
    // A nil read from a map is an interface {} to Go; Helm users meet this as `upper .Values.missing`.
    #expect(failure { try run("{{ upper .n }}") }?.detail == "wrong type for value; expected string; got interface {}")
    #expect(failure { try run("{{ upper .nope }}", .helm()) }?.detail == "wrong type for value; expected string; got interface {}")
    #expect(failure { try run("{{ upper .nope }}") }?.detail == "invalid value; expected string")
    #expect(failure { try run("{{ keys .l }}") }?.detail == "wrong type for value; expected map[string]interface {}; got []interface {}")
    #expect(failure { try run("{{ half 1 }}") }?.detail == "wrong type for value; expected float64; got int")
  }

  @Test func argumentErrorsAreGoStyle() {
    #expect(
      failure { try run(#"{{ include 1 . }}"#) }?.message
        == #"template: t:1:3: executing "t" at <include>: wrong type for value; expected string; got int"#)
  }
}
