import FlowrelChart
import FlowrelValue
import Foundation
import Testing

/// One `--set`-family argument applied to starting values, and what Helm makes of it.
struct SetCase: Sendable, CustomTestStringConvertible {
  /// The result: the values as JSON (keys in insertion order), or the error's full text.
  enum Expected: Sendable {
    case values(String)
    case error(String)
  }

  var flag: SetFlag = .set
  var start = "{}"
  var argument: String
  var expected: Expected

  var testDescription: String { "\(flag.rawValue) \(argument)" }
}

private func ok(_ argument: String, _ json: String, flag: SetFlag = .set, start: String = "{}") -> SetCase {
  SetCase(flag: flag, start: start, argument: argument, expected: .values(json))
}

private func fails(_ argument: String, _ message: String, flag: SetFlag = .set, start: String = "{}") -> SetCase {
  SetCase(flag: flag, start: start, argument: argument, expected: .error("\(flag.rawValue) \"\(argument.replacing("\\", with: "\\\\").replacing("\"", with: "\\\""))\": \(message)"))
}

/// Cases from Helm's documentation ("The Format and Limitations of --set") and the behaviour
/// of its `strvals` parser.
let setCases: [SetCase] = [
  // Pairs and separators.
  ok("name1=value1", #"{"name1":"value1"}"#),
  ok("name1=value1,name2=value2", #"{"name1":"value1","name2":"value2"}"#),
  ok("name1=value1,name2=value2,", #"{"name1":"value1","name2":"value2"}"#),
  ok("name1=,name2=value2", #"{"name1":"","name2":"value2"}"#),
  ok("name1=one two three,name2=three two one", #"{"name1":"one two three","name2":"three two one"}"#),
  ok("a=b=c", #"{"a":"b=c"}"#),
  ok("my-key.sub-key=v", #"{"my-key":{"sub-key":"v"}}"#),
  ok("=1", #"{}"#),
  fails("name1=value1,,,,name2=value2,", #"empty key: a "," must be followed by name=value"#),
  fails("name1,name2=", #"key "name1" has no value (a "," cannot follow a name without "=")"#),
  fails("name1,name2=value2", #"key "name1" has no value (a "," cannot follow a name without "=")"#),
  fails("name1", #"key "name1" has no value"#),
  // Escapes.
  ok(#"name1=one\,two,name2=three\,four"#, #"{"name1":"one,two","name2":"three,four"}"#),
  ok(#"name1=one\=two,name2=three\=four"#, #"{"name1":"one=two","name2":"three=four"}"#),
  ok(#"nodeSelector.kubernetes\.io/role=master"#, #"{"nodeSelector":{"kubernetes.io/role":"master"}}"#),
  ok(#"a\[0\]=x"#, #"{"a[0]":"x"}"#),
  // Typing.
  ok("name1=null,f=false,t=true", #"{"name1":null,"f":false,"t":true}"#),
  ok("u=TRUE,m=FaLsE,n=NULL", #"{"u":true,"m":false,"n":null}"#),
  ok("a=nulls,b=yes,c=on", #"{"a":"nulls","b":"yes","c":"on"}"#),
  ok("zero_int=0,long_int=1234567890", #"{"zero_int":0,"long_int":1234567890}"#),
  ok("leading_zeros=00009,hex=0x10,exp=1e3,float=1.5", #"{"leading_zeros":"00009","hex":"0x10","exp":"1e3","float":"1.5"}"#),
  ok("neg=-5,plus=+5,negzero=-0,negpadded=-01", #"{"neg":-5,"plus":5,"negzero":0,"negpadded":-1}"#),
  ok("max=9223372036854775807,over=9223372036854775808", #"{"max":9223372036854775807,"over":"9223372036854775808"}"#),
  ok("a=null", #"{"a":null}"#, start: #"{"a":{"b":1}}"#),
  // Nested names.
  ok("outer.inner=value", #"{"outer":{"inner":"value"}}"#),
  ok("outer.middle.inner=value", #"{"outer":{"middle":{"inner":"value"}}}"#),
  ok("outer.inner1=value,outer.inner2=value2", #"{"outer":{"inner1":"value","inner2":"value2"}}"#),
  ok("outer.inner1=value,outer.middle.inner=value", #"{"outer":{"inner1":"value","middle":{"inner":"value"}}}"#),
  ok("outer.inner1=value1,outer.inner3=value3,outer.inner4=4", #"{"outer":{"inner1":"value1","inner2":"value2","inner3":"value3","inner4":4}}"#,
     start: #"{"outer":{"inner1":"overwrite","inner2":"value2"}}"#),
  ok("name1.name2=", #"{"name1":{"name2":""}}"#),
  fails("name1.name2", #"key "name2" has no value"#),
  fails("name1.=name2", #"key map "name1" has no value"#),
  fails("name1.,name2", #"empty key: a "," must be followed by name=value"#),
  fails("a.b=1", #"cannot set a key inside "a": it is a string, not a map"#, start: #"{"a":"text"}"#),
  fails("a.b=1", #"cannot set a key inside "a": it is null, not a map"#, start: #"{"a":null}"#),
  // Lists in braces.
  ok("name1={value1,value2}", #"{"name1":["value1","value2"]}"#),
  ok("name1={value1,value2},name2={value1,value2}", #"{"name1":["value1","value2"],"name2":["value1","value2"]}"#),
  ok("name1={1021,902}", #"{"name1":[1021,902]}"#),
  ok("name1.name2={value1,value2}", #"{"name1":{"name2":["value1","value2"]}}"#),
  ok("name={a, b, c}", #"{"name":["a"," b"," c"]}"#),
  // Helm's docs promise `{}` and `[]` give an empty list; its parser gives these (helm/helm#31061).
  ok("name={}", #"{"name":[""]}"#),
  ok("name=[]", #"{"name":"[]"}"#),
  ok(#"name={a\,b,c\}}"#, #"{"name":["a,b","c}"]}"#),
  fails("name1={1021,902", #"list must end with "}""#),
  // Indices.
  ok("list[0]=foo", #"{"list":["foo"]}"#),
  ok("list[0]=foo,list[1]=bar", #"{"list":["foo","bar"]}"#),
  ok("list[0]=foo,list[1]=bar,", #"{"list":["foo","bar"]}"#),
  ok("list[0]=foo,list[3]=bar", #"{"list":["foo",null,null,"bar"]}"#),
  ok("list[0].foo=bar", #"{"list":[{"foo":"bar"}]}"#),
  ok("list[0].foo=bar,list[0].hello=world", #"{"list":[{"foo":"bar","hello":"world"}]}"#),
  ok("servers[0].port=80,servers[0].host=example", #"{"servers":[{"port":80,"host":"example"}]}"#),
  ok("name1.name2[0].foo=bar,name1.name2[1].foo=bar", #"{"name1":{"name2":[{"foo":"bar"},{"foo":"bar"}]}}"#),
  ok("name1.name2[1].foo=bar,name1.name2[0].foo=bar", #"{"name1":{"name2":[{"foo":"bar"},{"foo":"bar"}]}}"#),
  ok("name1.name2[1].foo=bar", #"{"name1":{"name2":[null,{"foo":"bar"}]}}"#),
  ok("noval[0]", #"{"noval":[]}"#),
  ok("noval[0]=", #"{"noval":[""]}"#),
  ok("nested[0][0]=1", #"{"nested":[[1]]}"#),
  ok("nested[1][1]=1", #"{"nested":[null,[null,1]]}"#),
  ok("listOuter[0][0].status=alive", #"{"listOuter":[[{"type":"listValue","status":"alive"}]]}"#,
     start: #"{"listOuter":[[{"type":"listValue"}]]}"#),
  ok("a[1]=x", #"{"a":[1,"x",3]}"#, start: #"{"a":[1,2,3]}"#),
  ok("a[0].b=1", #"{"a":[{"b":1}]}"#, start: #"{"a":["text"]}"#),
  ok("a[+1]=x", #"{"a":[null,"x"]}"#),
  // Helm drops an empty value after a list element's key at the very end; flowrel keeps it.
  ok("a[0].b=", #"{"a":[{"b":""}]}"#),
  fails("list[0].foo=bar,list[-30].hello=world", "negative list index -30 is not allowed"),
  fails("list[0]=foo,list[-20]=bar", "negative list index -20 is not allowed"),
  fails("illegal[0]name.foo=bar", #"unexpected "name" after the list index [0]"#),
  fails("a[x]=1", #"invalid list index "x": expected a whole number"#),
  fails("a[1", #"unterminated index "[1" after "a""#),
  fails("a[65537]=x", "list index 65537 is greater than the maximum of 65536"),
  fails("a[0]=1", #"cannot index "a" with [0]: it is a map, not a list"#, start: #"{"a":{"b":1}}"#),
  fails("a[0][0]=1", #"cannot index element [0] with [0]: it is a string, not a list"#, start: #"{"a":["s"]}"#),
  fails("]={}].", #"cannot set a key inside "]": it is a list, not a map"#),

  // --set-string keeps every value a string.
  ok("long_int_string=1234567890,boolean=true,is_null=null,zero=0", #"{"long_int_string":"1234567890","boolean":"true","is_null":"null","zero":"0"}"#, flag: .setString),
  ok("outer.inner1=1,outer.inner3=3", #"{"outer":{"inner1":"1","inner2":"value2","inner3":"3"}}"#, flag: .setString,
     start: #"{"outer":{"inner1":"overwrite","inner2":"value2"}}"#),
  ok("a={1,true}", #"{"a":["1","true"]}"#, flag: .setString),

  // --set-json takes JSON values; an empty value is null.
  ok(#"a.b={"x":1}"#, #"{"a":{"b":{"x":1}}}"#, flag: .setJSON),
  ok(#"outer.inner1="1",outer.inner3=3,outer.inner4=true,outer.inner5="true""#,
     #"{"outer":{"inner1":"1","inner2":"value2","inner3":3,"inner4":true,"inner5":"true"}}"#, flag: .setJSON,
     start: #"{"outer":{"inner1":"overwrite","inner2":"value2"}}"#),
  ok(#"outer.inner1=,outer.inner3={"aa":"1","cc":[1,2,3]},outer.inner3.cc[1]=null"#,
     #"{"outer":{"inner1":null,"inner3":{"aa":"1","cc":[1,null,3]}}}"#, flag: .setJSON, start: #"{"outer":{"inner1":{"x":"y"}}}"#),
  ok(#"list=[1,"two",{"three":3}] ,b= "x y" ,c=1.5"#, #"{"list":[1,"two",{"three":3}],"b":"x y","c":1.5}"#, flag: .setJSON),
  ok(#"a[1]={"k":"v,w"}"#, #"{"a":[null,{"k":"v,w"}]}"#, flag: .setJSON),
  fails("a=abc", #"invalid JSON value "abc": 1:1: unexpected character 'a', expected a value"#, flag: .setJSON),
  fails(#"a={"x":1"#, #"invalid JSON value "{\"x\":1": 1:7: unexpected end of input, expected ',' or '}'"#, flag: .setJSON),
  fails(#"{"a":1}"#, #"key "{\"a\":1}" has no value"#, flag: .setJSON),

  // --set-literal: the whole rest of the argument, unescaped.
  ok(#"a.b=x,y\z={1}"#, #"{"a":{"b":"x,y\\z={1}"}}"#, flag: .setLiteral),
  ok("list[1]=1,2", #"{"list":[null,"1,2"]}"#, flag: .setLiteral),
]

@Test(arguments: setCases)
func setArgument(_ testCase: SetCase) throws {
  var values = try Value(jsonText: testCase.start)
  switch testCase.expected {
  case .values(let json):
    try testCase.flag.apply(testCase.argument, to: &values)
    #expect(values == (try Value(jsonText: json)))
  case .error(let message):
    let error = #expect(throws: ChartError.self) { try testCase.flag.apply(testCase.argument, to: &values) }
    #expect(error?.description == message)
  }
}

@Test func setAtTheMaximumIndexFillsWithNulls() throws {
  var values = Value.emptyMap
  try SetFlag.set.apply("a[65536]=x", to: &values)
  let list = try #require(values["a"]?.listValue)
  #expect(list.count == 65537)
  #expect(list.last == "x")
  #expect(list.dropLast().allSatisfy { $0 == .null })
}

@Test func nameNestingIsLimitedToThirtyLevels() throws {
  let thirty = (1...31).map { "n\($0)" }.joined(separator: ".")
  var values = Value.emptyMap
  try SetFlag.set.apply(thirty + "=v", to: &values)
  #expect(values.value(at: ValuePath((1...31).map { .key("n\($0)") })) == "v")

  let deeper = (1...32).map { "n\($0)" }.joined(separator: ".") + "=v"
  let error = #expect(throws: ChartError.self) { try SetFlag.set.apply(deeper, to: &values) }
  #expect(error?.description.hasSuffix("name nests deeper than the maximum of 30 levels") == true)
}

@Test func setFileReadsEachPathThroughTheReader() throws {
  let files = ["cert.pem": "-----BEGIN-----\nabc\n", "a.txt": "A", "b.txt": "B,1"]
  var values = Value.emptyMap
  var asked: [String] = []
  try SetFlag.setFile.apply("tls.cert=cert.pem,names={a.txt,b.txt}", to: &values) { path in
    asked.append(path)
    return try #require(files[path])
  }
  #expect(asked == ["cert.pem", "a.txt", "b.txt"])
  #expect(values == ["tls": ["cert": "-----BEGIN-----\nabc\n"], "names": ["A", "B,1"]])
}

@Test func setFileReportsAnUnreadableFile() throws {
  struct Missing: Error, CustomStringConvertible { var description: String { "no such file" } }
  var values = Value.emptyMap
  let error = #expect(throws: ChartError.self) {
    try SetFlag.setFile.apply("key=missing.txt", to: &values) { _ in throw Missing() }
  }
  #expect(error?.description == #"--set-file "key=missing.txt": cannot read file "missing.txt": no such file"#)
}

@Test func flagsAreListedInHelmsOrder() {
  #expect(SetFlag.allCases.map(\.rawValue) == ["--set-json", "--set", "--set-string", "--set-file", "--set-literal"])
}

@Test func listNestingIsLimited() throws {
  var values = Value.emptyMap
  try SetFlag.set.apply("a" + String(repeating: "[0]", count: 100) + "=1", to: &values)
  var inner = try #require(values["a"])
  for _ in 1..<100 { inner = try #require(inner[0]) }
  #expect(inner == [1])

  let deeper = "a" + String(repeating: "[0]", count: 101) + "=1"
  let error = #expect(throws: ChartError.self) { try SetFlag.set.apply(deeper, to: &values) }
  #expect(error?.description.hasSuffix("lists nest deeper than the maximum of 100 levels") == true)
}

@Test func aFailedArgumentLeavesTheValuesAsTheyWere() throws {
  var values: Value = ["keep": 1]
  #expect(throws: ChartError.self) { try SetFlag.set.apply("a=1,b", to: &values) }
  #expect(values == ["keep": 1])
}

@Test func setNeedsMapValues() throws {
  var values: Value = [1]
  let error = #expect(throws: ChartError.self) { try SetFlag.set.apply("a=1", to: &values) }
  #expect(error?.description == #"--set "a=1": values must be a map, found list"#)
}

extension SetFlag {
  /// Applies an argument that names no file to read (`--set-file` arguments give their reader).
  func apply(_ argument: String, to values: inout Value) throws(ChartError) {
    try apply(argument, to: &values) { path in
      Issue.record("no file should be read, but \(path) was")
      return ""
    }
  }
}
