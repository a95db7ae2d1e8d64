import FlowrelValue
import GoTemplate
import OrderedCollections
import Synchronization
import Testing

@testable import HelmFunctions

/// Helm's own functions (pkg/engine): include, tpl, required, lookup, and the YAML functions
/// through an injected codec.
@Suite struct HelmTests {
  @Test func includeExecutesTheNamedTemplateWithItsData() throws {
    let environment = FakeEnvironment(templates: ["helper": "name={{ . }}"])
    #expect(try show("include", "helper", "web", environment: environment) == "name=web")
    #expect(failure("include", "nope", 1, environment: environment) == "no such template \"nope\"")
    #expect(failure("include", 1, 1, environment: environment) == "wrong type for value; expected string; got int")
  }

  @Test func tplRendersAsGotplAndWrapsErrorsAsHelmDoes() throws {
    let environment = FakeEnvironment()
    #expect(try show("tpl", "x={{ . }}", 5, environment: environment) == "x=5")
    #expect(environment.rendered.first?.name == "gotpl")
    environment.renderError = TemplateError(.parse, "template: gotpl:1: unexpected \"}\" in operand")
    #expect(
      failure("tpl", "{{ } }}", nil, environment: environment)
        == "cannot parse template \"{{ } }}\": template: gotpl:1: unexpected \"}\" in operand")
    environment.renderError = TemplateError(.execution, "template: gotpl:1:3: executing \"gotpl\" at <.x.y>: nil pointer")
    #expect(
      failure("tpl", "{{ .x.y }}", nil, environment: environment)
        == "error during tpl function execution for \"{{ .x.y }}\": template: gotpl:1:3: executing \"gotpl\" at <.x.y>: nil pointer")
    environment.renderError = TemplateError(.limit, "exceeded maximum template depth (200)")
    #expect(failure("tpl", "{{ tpl . . }}", nil, environment: environment) == "exceeded maximum template depth (200)")
  }

  @Test func requiredFailsOnNilAndEmptyStringOnly() throws {
    let message = "A valid .Values.who entry required!"
    #expect(failure("required", .string(message), nil) == "HELM_ERR_STARTA valid .Values.who entry required!HELM_ERR_END")
    #expect(failure("required", .string(message), .missing) != nil)
    #expect(failure("required", .string(message), "") != nil)
    #expect(try show("required", "m", 0) == "0")
    #expect(try show("required", "m", false) == "false")
    #expect(try show("required", "m", []) == "[]")
    #expect(try show("required", "m", "x") == "x")
  }

  @Test func userMessageTurnsRequiredIntoHelmsExecutionError() {
    let decorated = TemplateError(
      .function,
      "template: chart/templates/x.yaml:3:12: executing \"chart/templates/x.yaml\" at <required \"who?\" .Values.who>: "
        + "error calling required: HELM_ERR_STARTwho?HELM_ERR_END")
    #expect(HelmFunctions.userMessage(for: decorated) == "execution error at (chart/templates/x.yaml:3:12): who?")
    let plain = TemplateError(.function, "template: x:1:3: executing \"x\" at <fail \"no\">: error calling fail: no")
    #expect(HelmFunctions.userMessage(for: plain) == plain.message)
    #expect(HelmFunctions.userMessage(for: TemplateError(.function, "HELM_ERR_STARTbareHELM_ERR_END")) == "execution error: bare")
  }

  @Test func lookupFindsNothingWithoutACluster() throws {
    #expect(try show("lookup", "v1", "Secret", "default", "x") == "map[]")
    #expect(try type("lookup", "v1", "Pod", "", "") == "map[string]interface {}")
    #expect(failure("lookup", "v1", "Pod") == "wrong number of args for lookup: want 4 got 2")
  }

  @Test func lookupAsksTheExecutionsClusterAndTypesNumbersAsKubernetesJSONDoes() throws {
    let cluster = StubCluster(answer: try Value(jsonText: #"{"kind":"ConfigMap","spec":{"replicas":3,"ratio":0.5,"whole":2.0,"list":[1,1e2]}}"#))
    let environment = FakeEnvironment(options: { var options = ExecutionOptions(); options.lookup = cluster; return options }())
    let found = try call("lookup", "v1", "ConfigMap", "ns", "settings", environment: environment)
    #expect(cluster.asked.withLock { $0 } == [["v1", "ConfigMap", "ns", "settings"]])
    // apimachinery's JSON reader: integers as int64, everything else float64.
    #expect(found.goTypeName == "map[string]interface {}")
    guard case .map(let top) = found, case .map(let spec)? = top["spec"], case .list(let list)? = spec["list"] else {
      Issue.record("not a map with spec.list: \(goFormat(found))")
      return
    }
    #expect(spec["replicas"]?.goKindName == "int64")
    #expect(spec["ratio"]?.goKindName == "float64")
    #expect(spec["whole"]?.goKindName == "float64")
    #expect(list.elements.map(\.goKindName) == ["int64", "float64"])
    #expect(goFormat(found) == "map[kind:ConfigMap spec:map[list:[1 100] ratio:0.5 replicas:3 whole:2]]")
  }

  @Test func lookupFailsWithTheClustersErrorAndChecksItsArguments() throws {
    let cluster = StubCluster(answer: .emptyMap, error: StubCluster.Failure(message: "the cluster does not serve the API version \"x/v9\""))
    let environment = FakeEnvironment(options: { var options = ExecutionOptions(); options.lookup = cluster; return options }())
    #expect(failure("lookup", "x/v9", "Thing", "", "", environment: environment) == "the cluster does not serve the API version \"x/v9\"")
    #expect(failure("lookup", "v1", "Pod", 1, "", environment: environment) == "wrong type for value; expected string; got int")
    #expect(cluster.asked.withLock { $0 }.count == 1, "a call with a bad argument does not reach the cluster")
  }

  // Expected texts are Helm's (sigs.k8s.io/yaml and go-yaml v3, run through Tests/SprigReference).
  @Test func toYamlIsHelmsAndTrimsOneTrailingNewline() throws {
    #expect(try show("toYaml", ["b": 1, "a": [true]]) == "a:\n- true\nb: 1")
    #expect(try show("toYamlPretty", ["b": 1, "a": [true]]) == "a:\n  - true\nb: 1")
    #expect(try show("toYaml", nil) == "null")
  }

  @Test func toYamlSortsKeysAsGoYAMLDoes() throws {
    let keys = ["_x", "9", "10", "B", "a-b", "a.b", "a_b", "a9", "a10", "aB", "b"]
    let map = TemplateValue.map(TemplateMap(OrderedDictionary(uniqueKeysWithValues: keys.reversed().map { ($0, TemplateValue.int(1)) })))
    #expect(try show("toYaml", map) == "_x: 1\n\"9\": 1\n\"10\": 1\nB: 1\na-b: 1\na.b: 1\na_b: 1\na9: 1\na10: 1\naB: 1\nb: 1")
  }

  @Test func toYamlFoldsLongTextAfterColumnEighty() throws {
    let text = "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore"
    #expect(
      try show("toYaml", ["text": .string(text)])
        == "text: lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n  incididunt ut labore")
  }

  @Test func toYamlWritesNumbersThroughJSONAsHelmDoes() throws {
    let numbers: TemplateValue = [1.5, 1e21, 1e-7, 0.000001, 100000000.5, 12345678901234567890.0, .double(-0.0)]
    #expect(try show("toYaml", ["f": numbers]) == "f:\n- 1.5\n- 1e+21\n- 1e-07\n- 1e-06\n- 1.000000005e+08\n- 12345678901234567000\n- 0")
  }

  @Test func toYamlQuotesWhatWouldReadBackAsAnotherType() throws {
    let strings: TemplateValue = ["true", "1.0", "2001-12-14", "0x1F", "1:20", "~", "", "a: b", "#c"]
    #expect(try show("toYaml", ["s": strings]) == "s:\n- \"true\"\n- \"1.0\"\n- \"2001-12-14\"\n- \"0x1F\"\n- \"1:20\"\n- \"~\"\n- \"\"\n- 'a: b'\n- '#c'")
  }

  @Test func toYamlPrettyIndentsListsUnderTheirKey() throws {
    let value: TemplateValue = ["a": [["b": [1]]], "m": "x\ny\n"]
    #expect(try show("toYamlPretty", value) == "a:\n  - b:\n      - 1\nm: |\n  x\n  y")
  }

  @Test func toYamlOfValuesNestedTooDeeplyIsEmpty() throws {
    var value: TemplateValue = 1
    for _ in 0...HelmYAML.maximumDepth { value = [value] }
    #expect(try show("toYaml", value) == "")
    #expect(failure("mustToYaml", value) == "the value is nested more than \(HelmYAML.maximumDepth) levels deep")
  }

  @Test func toYamlOfWhatGoCannotWriteIsEmpty() throws {
    #expect(try show("toYaml", .double(.nan)) == "")
    #expect(try show("toYaml", ["f": .function(TemplateFunction { _, _ in .null })]) == "")
    // JSON carries DEL raw and go-yaml's reader refuses it.
    #expect(try show("toYaml", "a\u{7F}") == "")
    #expect(try show("toYamlPretty", .double(.nan)) == ".nan")
  }

  @Test func fromYamlPutsErrorsIntoAnErrorKey() throws {
    #expect(try show("fromYaml", #"{"a": {"b": 1}}"#) == "map[a:map[b:1]]")
    #expect(try show("fromYaml", "") == "map[]")
    #expect(try show("fromYaml", "bad") == "map[Error:yaml: line 1: did not find expected key]")
    #expect(
      try show("fromYaml", "[1]")
        == "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}]"
    )
    #expect(
      try show("fromYaml", "\"s\"")
        == "map[Error:error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}]"
    )
  }

  @Test func fromYamlArrayPutsErrorsIntoTheList() throws {
    #expect(try show("fromYamlArray", "[1, 2]") == "[1 2]")
    #expect(try show("fromYamlArray", "") == "[]")
    #expect(try show("fromYamlArray", "bad") == "[yaml: line 1: did not find expected key]")
    #expect(
      try show("fromYamlArray", "{}")
        == "[error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}]")
  }

  @Test func yamlFunctionsWithoutACodecSaySo() throws {
    let bare = Library.standard(yaml: nil)
    let body = try #require(bare.bodies["fromYaml"])
    #expect {
      _ = try body(TemplateArguments(functionName: "fromYaml", values: ["a: 1"]), FakeEnvironment())
    } throws: { error in
      "\(error)" == "fromYaml needs a YAML codec, and this function library was built without one"
    }
  }
}

/// A cluster that answers every lookup with `answer` (or fails with `error`) and records the
/// questions.
final class StubCluster: ClusterLookup {
  struct Failure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }

  let answer: Value
  let error: Failure?
  let asked = Mutex<[[String]]>([])

  init(answer: Value, error: Failure? = nil) {
    self.answer = answer
    self.error = error
  }

  func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value {
    asked.withLock { $0.append([apiVersion, kind, namespace, name]) }
    if let error { throw error }
    return answer
  }
}
