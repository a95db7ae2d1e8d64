import FlowrelValue
import GoTemplate
import OrderedCollections
import Testing

extension TemplateValue {
  /// The entry `name` of a map (`.missing` otherwise), for reading results in tests.
  subscript(field name: String) -> TemplateValue {
    if case .map(let map) = self { return map[name] ?? .missing }
    return .missing
  }
}

/// `set` and `unset` as Sprig writes them (they change their first argument in place), on top
/// of the `dict`, `list` and `include` of `collectionFunctions()`.
func mutatingFunctions() -> TemplateFunctions {
  var functions = collectionFunctions()
  functions.register("set") { args, _ in
    try args.expectCount(3)
    let map = try args.map(at: 0)
    try map.set(try args.string(at: 1), args[2])
    return .map(map)
  }
  functions.register("unset") { args, _ in
    try args.expectCount(2)
    let map = try args.map(at: 0)
    map.remove(try args.string(at: 1))
    return .map(map)
  }
  return functions
}

/// Maps are references, as in Go: what `set` changes through one holder, every holder sees.
@Suite struct MutableMapTests {
  func run(_ text: String, _ data: TemplateValue = [:], also: [(String, String)] = []) throws -> String {
    var set = TemplateSet(functions: mutatingFunctions())
    try set.parse("t", text: text)
    for (name, text) in also { try set.parse(name, text: text) }
    return try set.execute("t", data: data, options: .helm())
  }

  /// Chart-shaped data: `.Values` wraps plain data, as the chart renderer passes it.
  func chartData() throws -> TemplateValue {
    let values = try Value(jsonText: #"{"name": "web", "sub": {"a": 1}, "items": [{"n": 1}, {"n": 2}]}"#)
    return ["Values": TemplateValue(values)]
  }

  @Test func setOnADictVariableIsSeenThroughTheVariable() throws {
    #expect(try run(#"{{ $d := dict }}{{ $_ := set $d "a" 1 }}{{ $d.a }}"#) == "1")
    #expect(try run(#"{{- $ctx := dict "x" 0 }}{{- $_ := set $ctx "key" "v" }}{{ $ctx.key }} {{ $ctx }}"#) == "v map[key:v x:0]")
  }

  @Test func setOnValuesIsSeenByLaterReadsIncludesAndTemplates() throws {
    let text = #"""
      {{- $_ := set .Values "x" 1 }}{{ .Values.x }} {{ include "show" . }} {{ template "show" . }} {{ .Values.name }}
      {{- define "show" }}[{{ .Values.x }}]{{ end }}
      """#
    #expect(try run(text, chartData()) == "1 [1] [1] web")
  }

  @Test func setInsideAnIncludeChangesTheCallersData() throws {
    let text = #"{{ include "change" . }}{{ .Values.sub.k }} {{ .Values.sub.a }}"#
    let helpers = #"{{ define "change" }}{{ $_ := set .Values.sub "k" 2 }}{{ end }}"#
    #expect(try run(text, chartData(), also: [("helpers", helpers)]) == "2 1")
  }

  @Test func nestedValuesMapsAreTheSameMapOnEveryRead() throws {
    #expect(try run(#"{{ $_ := set .Values.sub "k" 2 }}{{ .Values.sub.k }} {{ .Values.sub }}"#, chartData()) == "2 map[a:1 k:2]")
    // Through a variable holding the nested map, and through `index`.
    #expect(try run(#"{{ $s := .Values.sub }}{{ $_ := set $s "k" 3 }}{{ .Values.sub.k }}{{ (index .Values "sub").k }}"#, chartData()) == "33")
  }

  @Test func mapsInsideListsAndMapsAreSharedWithEveryHolder() throws {
    let text = #"""
      {{- $d := dict }}{{ $l := list $d }}{{ $m := dict "in" $d }}{{ $_ := set $d "a" 1 -}}
      {{ (index $l 0).a }} {{ $m.in.a }} {{ $l }} {{ $m }}
      """#
    #expect(try run(text) == "1 1 [map[a:1]] map[in:map[a:1]]")
    // Maps inside lists of chart data: `range` and `index` hand out the same map.
    let items = #"{{ range .Values.items }}{{ $_ := set . "seen" true }}{{ end }}{{ (index .Values.items 1).seen }} {{ .Values.items }}"#
    #expect(try run(items, chartData()) == "true [map[n:1 seen:true] map[n:2 seen:true]]")
  }

  @Test func unsetRemovesForEveryHolder() throws {
    #expect(try run(#"{{ $s := .Values.sub }}{{ $_ := unset .Values.sub "a" }}{{ .Values.sub }} {{ len $s }}"#, chartData()) == "map[] 0")
  }

  @Test func changesReachThePlainDataView() throws {
    let data = try chartData()
    _ = try run(#"{{ $_ := set .Values.sub "k" (list 1 (dict "z" true)) }}{{ $_ := set (index .Values.items 0) "n" 9 }}"#, data)
    guard case .map(let top) = data, let values = top["Values"] else {
      Issue.record("no Values")
      return
    }
    let expected = try Value(jsonText: #"{"name": "web", "sub": {"a": 1, "k": [1, {"z": true}]}, "items": [{"n": 9}, {"n": 2}]}"#)
    #expect(values.plainValue == expected)
  }

  @Test func changesLastForLaterExecutionsWithTheSameData() throws {
    // Helm executes every file with the same `.Values`, so a change made by one is seen by the next.
    var set = TemplateSet(functions: mutatingFunctions())
    try set.parse("a", text: #"{{ $_ := set .Values "fromA" "yes" }}"#)
    try set.parse("b", text: #"{{ .Values.fromA }}"#)
    let data = try chartData()
    #expect(try set.execute("b", data: data, options: .helm()) == "")
    _ = try set.execute("a", data: data, options: .helm())
    #expect(try set.execute("b", data: data, options: .helm()) == "yes")
  }

  @Test func executionsOnSeveralThreadsMayShareAndChangeTheData() async throws {
    var set = TemplateSet(functions: mutatingFunctions())
    try set.parse("t", text: #"{{ range 200 }}{{ $_ := set $.Values.sub (print "k" $.Template) . }}{{ len $.Values.sub }}{{ end }}"#)
    let values = try chartData()
    let outputs = try await withThrowingTaskGroup(of: String.self) { group in
      for i in 0..<8 {
        group.addTask { [set] in
          let data: TemplateValue = .map(TemplateMap(["Values": values[field: "Values"], "Template": .int(Int64(i))]))
          return try set.execute("t", data: data, options: .helm())
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(outputs.count == 8)
    // Every execution's key, each set last to 199, in the one shared map.
    let sub = values[field: "Values"][field: "sub"]
    if case .map(let map) = sub { #expect(map.sortedKeys == ["a"] + (0..<8).map { "k\($0)" }) }
    for i in 0..<8 { #expect(sub[field: "k\(i)"].plainValue == .int(199)) }
  }

  @Test func rangeOverAMapThatChangesVisitsTheKeysItStartedWith() throws {
    // Go ranges over the sorted entries of the start, whatever the body changes.
    let text = #"{{ $d := dict "a" 1 "b" 2 "c" 3 }}{{ range $k, $v := $d }}{{ $_ := set $d "z" 0 }}{{ $_ := unset $d "b" }}{{ $_ := set $d "c" 9 }}{{ $k }}={{ $v }};{{ end }} {{ $d }}"#
    #expect(try render(text, [:], functions: mutatingFunctions()) == "a=1;b=2;c=3; map[a:1 c:9 z:0]")
  }

  @Test func aMapCannotHoldItself() {
    let error = failure { try run(#"{{ $d := dict }}{{ $l := list $d }}{{ $_ := set $d "l" $l }}"#) }
    #expect(error?.message == #"template: t:1:44: executing "t" at <set $d "l" $l>: error calling set: a map cannot hold itself (setting key "l")"#)
    let values = failure { try run(#"{{ $_ := set .Values.sub "up" .Values }}"#, chartData()) }
    #expect(values?.detail == #"error calling set: a map cannot hold itself (setting key "up")"#)
  }

  @Test func aMapCannotHoldItselfThroughMapsThatHoldIt() throws {
    // Every way a map comes to sit inside another: a dict's entries, `set`, a list's elements.
    for text in [
      #"{{ $a := dict }}{{ $b := dict "a" $a }}{{ $_ := set $a "b" $b }}"#,
      #"{{ $a := dict }}{{ $b := dict }}{{ $_ := set $b "a" $a }}{{ $_ := set $a "b" $b }}"#,
      #"{{ $a := dict }}{{ $b := dict "l" (list 1 (list $a)) }}{{ $_ := set $a "b" (list $b) }}"#,
    ] {
      let error = failure { try run(text) }
      #expect(error?.detail == #"error calling set: a map cannot hold itself (setting key "b")"#)
    }
    #expect(try run(#"{{ $a := dict }}{{ $b := dict "a" (dict) }}{{ $_ := set $a "b" $b }}{{ $a }}"#) == "map[b:map[a:map[]]]")
  }

  @Test func aMillionLevelChainBuiltWithSetNeitherCrashesPrintingNorFreeing() throws {
    var functions = mutatingFunctions()
    functions.register("isPlain") { args, _ in .bool(args[0].plainValue != nil) }
    // Past the nesting limit, printing stops and there is no plain value; freeing is iterative.
    let chain = #"{{ $root := dict }}{{ $cur := $root }}{{ range N }}{{ $n := dict }}{{ $_ := set $cur "n" $n }}{{ $cur = $n }}{{ end }}{{ isPlain $root }} {{ $root }}"#
    let levels = TemplateValue.maxNesting + 1
    let printed = String(repeating: "map[n:", count: levels) + "<nested too deep>" + String(repeating: "]", count: levels)
    #expect(try render(chain.replacingOccurrences(of: "N", with: "1000000"), [:], functions: functions) == "false " + printed)
    let allowed = try render(chain.replacingOccurrences(of: "N", with: "\(TemplateValue.maxNesting - 1)"), [:], functions: functions)
    #expect(allowed.hasPrefix("true map[n:map[n:") && !allowed.contains("too deep"))
  }

  /// Helm's `chartutil.Values`: a Go map type with methods, holding its map.
  struct ValuesObject: TemplateObject {
    let map: TemplateMap
    var goTypeName: String { "chartutil.Values" }
    var goKindName: String { "map" }
    var underlyingMap: TemplateMap? { map }
    func member(named name: String) -> TemplateMember? { nil }
  }

  @Test func objectsOfGoMapTypesAreMapArgumentsAndChangeInPlace() throws {
    let values = ValuesObject(map: TemplateMap(["a": 1] as OrderedDictionary<String, TemplateValue>))
    #expect(try run(#"{{ $_ := set .Values "b" 2 }}{{ .Values.b }} {{ len .Values }}"#, ["Values": .object(values)]) == "2 2")
    #expect(values.map["b"]?.plainValue == .int(2))
    // A Go slice type of strings is no []interface {}.
    var functions = mutatingFunctions()
    functions.register("count") { args, _ in .int(Int64(try args.list(at: 0).count)) }
    let versions: TemplateValue = .object(VersionSet(versions: ["v1"]))
    #expect(
      failure { try render("{{ count . }}", versions, functions: functions) }?.detail
        == "wrong type for value; expected []interface {}; got chartutil.VersionSet")
  }

  @Test func theSwiftAPIChangesTheMapInPlace() throws {
    let map = TemplateMap(try Value(jsonText: #"{"a": {"b": 1}, "c": 2}"#).mapValue ?? [:])
    let copy = map
    guard case .map(let inner)? = map["a"], case .map(let again)? = copy["a"] else {
      Issue.record("no nested map")
      return
    }
    #expect(inner.isIdentical(to: again))
    #expect(!inner.isIdentical(to: TemplateMap(["b": 1] as OrderedDictionary<String, TemplateValue>)))
    try inner.set("x", "y")
    #expect(copy.remove("c") != nil)
    #expect(copy.remove("nope") == nil)
    #expect(map.keys == ["a"])
    #expect(map.plainValue == (try Value(jsonText: #"{"a": {"b": 1, "x": "y"}}"#)))
    #expect(map.entries["a"].map { if case .map(let m) = $0 { m.isIdentical(to: inner) } else { false } } == true)
  }
}
