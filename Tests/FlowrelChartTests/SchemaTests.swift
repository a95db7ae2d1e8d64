@testable import FlowrelChart
import FlowrelValue
import Testing

/// A schema, a value, and the violations (`path: message`, sorted) the value must produce.
struct SchemaCase: Sendable, CustomTestStringConvertible {
  var schema: String
  var value: String
  var violations: [String]

  var testDescription: String { "\(schema) with \(value)" }
}

private func check(_ schema: String, _ value: String, _ violations: [String] = []) -> SchemaCase {
  SchemaCase(schema: schema, value: value, violations: violations)
}

let schemaCases: [SchemaCase] = [
  // type
  check(#"{"type":"integer"}"#, "3"),
  check(#"{"type":"integer"}"#, "3.0"),
  check(#"{"type":"integer"}"#, "3.5", ["(root): expected integer, found number"]),
  check(#"{"type":"number"}"#, "1"),
  check(#"{"type":["string","null"]}"#, "null"),
  check(#"{"type":["string","null"]}"#, "1", ["(root): expected string or null, found integer"]),
  check(#"{"type":"object"}"#, "[]", ["(root): expected object, found array"]),
  check(#"{"type":"boolean"}"#, #""true""#, ["(root): expected boolean, found string"]),
  // properties, with the path of the offending value
  check(#"{"properties":{"executors":{"items":{"properties":{"replicas":{"type":"integer"}}}}}}"#,
        #"{"executors":[{"replicas":1},{"replicas":"3"}]}"#, [#"executors[1].replicas: expected integer, found string"#]),
  check(#"{"properties":{"a":{"type":"string"}}}"#, #"{"b":1}"#),
  // required (default is never applied)
  check(#"{"properties":{"a":{"required":["name","image"]}}}"#, #"{"a":{"name":"x"}}"#, ["a.image: required property is missing"]),
  check(#"{"properties":{"a":{"default":1}},"required":["a"]}"#, "{}", ["a: required property is missing"]),
  check(#"{"required":["a"]}"#, #"{"a":null}"#),
  // additionalProperties and patternProperties
  check(#"{"properties":{"a":{}},"additionalProperties":false}"#, #"{"a":1,"b":2}"#,
        [#"b: unknown key; allowed here: "a""#]),
  check(#"{"additionalProperties":{"type":"string"}}"#, #"{"x":"1","y":2}"#, ["y: expected string, found integer"]),
  check(#"{"patternProperties":{"^env_":{"type":"string"}},"additionalProperties":false}"#, #"{"env_a":"x","env_b":1,"other":true}"#,
        ["env_b: expected string, found integer", #"other: unknown key; allowed here: keys matching "^env_""#]),
  // items, additionalItems, minItems, maxItems, uniqueItems, contains
  check(#"{"items":{"type":"string"}}"#, #"["a","b"]"#),
  check(#"{"items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}"#, #"["a",1,true]"#,
        ["[2]: item not allowed: #/items describes only 2 items and additionalItems is false"]),
  check(#"{"items":[{"type":"string"}],"additionalItems":{"type":"boolean"}}"#, #"["a",true,3]"#, ["[2]: expected boolean, found integer"]),
  check(#"{"items":[{"type":"string"},{"type":"integer"}],"additionalItems":false}"#, #"["a"]"#),
  check(#"{"minItems":2}"#, "[1]", ["(root): expected at least 2 items, found 1"]),
  check(#"{"maxItems":1}"#, "[1,2]", ["(root): expected at most 1 items, found 2"]),
  check(#"{"uniqueItems":true}"#, #"[1,"1",true,[1],{"a":1}]"#),
  check(#"{"uniqueItems":true}"#, #"[1,2,1.0,{"a":1,"b":2},{"b":2,"a":1}]"#, [
    "(root): items [0] and [2] are equal, but uniqueItems requires distinct items",
    "(root): items [3] and [4] are equal, but uniqueItems requires distinct items",
  ]),
  check(#"{"contains":{"type":"integer"}}"#, #"["a",2]"#),
  check(#"{"contains":{"type":"integer"}}"#, #"["a","b"]"#, ["(root): expected at least one item matching the schema at #/contains"]),
  // enum and const (numbers by value, maps whatever their key order)
  check(#"{"enum":["a","b",1]}"#, "1.0"),
  check(#"{"enum":["a","b",1]}"#, #""c""#, [#"(root): expected one of "a", "b", 1, found "c""#]),
  check(#"{"const":{"a":[1,2],"b":null}}"#, #"{"b":null,"a":[1,2]}"#),
  check(#"{"const":{"a":[1,2]}}"#, #"{"a":[2,1]}"#, [#"(root): expected {"a":[1,2]}, found {"a":[2,1]}"#]),
  // numeric limits (draft-07 exclusive forms) and multipleOf
  check(#"{"minimum":1,"maximum":10}"#, "10"),
  check(#"{"minimum":1,"maximum":10}"#, "0", ["(root): expected a number >= 1, found 0"]),
  check(#"{"minimum":1,"maximum":10}"#, "10.5", ["(root): expected a number <= 10, found 10.5"]),
  check(#"{"exclusiveMinimum":1,"exclusiveMaximum":10}"#, "5.5"),
  check(#"{"exclusiveMinimum":1,"exclusiveMaximum":10}"#, "1", ["(root): expected a number > 1, found 1"]),
  check(#"{"exclusiveMinimum":1,"exclusiveMaximum":10}"#, "10", ["(root): expected a number < 10, found 10"]),
  check(#"{"minimum":0}"#, #""-1""#),
  check(#"{"multipleOf":0.1}"#, "0.3"),
  check(#"{"multipleOf":0.01}"#, "19.99"),
  check(#"{"multipleOf":2}"#, "4.0"),
  check(#"{"multipleOf":5}"#, "7", ["(root): expected a multiple of 5, found 7"]),
  check(#"{"multipleOf":0.5}"#, "1.25", ["(root): expected a multiple of 0.5, found 1.25"]),
  check(#"{"multipleOf":1e-300}"#, "1e300"),
  // minLength and maxLength count Unicode code points; pattern is not anchored
  check(#"{"minLength":2,"maxLength":3}"#, #""é🎉""#),
  check(#"{"minLength":2,"maxLength":3}"#, #""a""#, ["(root): expected at least 2 characters, found 1"]),
  check(#"{"minLength":2,"maxLength":3}"#, #""🎉🎉🎉🎉""#, ["(root): expected at most 3 characters, found 4"]),
  check(#"{"pattern":"^[a-z]+$"}"#, #""abc""#),
  check(#"{"pattern":"^[a-z]+$"}"#, #""ab1""#, [#"(root): expected a string matching "^[a-z]+$", found "ab1""#]),
  check(#"{"pattern":"b"}"#, #""abc""#),
  check(#"{"pattern":"^\\d+$"}"#, "12"),
  check(#"{"pattern":"^\\d+$"}"#, #""123""#),
  check(#"{"pattern":"^\\d+$"}"#, #""12a""#, [#"(root): expected a string matching "^\\d+$", found "12a""#]),
  check(#"{"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}"#, #""test-searcher""#),
  check(#"{"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"}"#, #""-bad""#,
        [#"(root): expected a string matching "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", found "-bad""#]),
  // A choice of words is said in words, with the nearest word when one is close.
  check(#"{"pattern":"^(grpc|http)$"}"#, #""smtp""#, [#"(root): expected one of grpc, http, found "smtp""#]),
  check(#"{"pattern":"^([Gg][Rr][Pp][Cc]|[Hh][Tt][Tt][Pp])$"}"#, #""GRPC""#),
  check(#"{"pattern":"^([Gg][Rr][Pp][Cc]|[Hh][Tt][Tt][Pp])$"}"#, #""grcp""#,
        [#"(root): expected one of grpc, http (in any case), found "grcp"; did you mean "grpc"?"#]),
  check(#"{"pattern":"^docker://."}"#, #""x""#, [#"(root): expected a string starting with "docker://", found "x""#]),
  check(#"{"pattern":"^a\\.b$"}"#, #""ab""#, [#"(root): expected one of a.b, found "ab"; did you mean "a.b"?"#]),
  check(#"{"enum":["Always","Never"]}"#, #""always""#, [#"(root): expected one of Always, Never, found "always"; did you mean "Always"?"#]),
  check(#"{"enum":["a b",1,null]}"#, "2", [#"(root): expected one of "a b", 1, null, found 2"#]),
  // `.` is one code point, as in ECMA-262: a precomposed é is one, e and a combining accent two.
  check(#"{"pattern":"^.$"}"#, #""\u00e9""#),
  check(#"{"pattern":"^.$"}"#, #""e\u0301""#, ["(root): expected a string matching \"^.$\", found \"e\u{0301}\""]),
  // minProperties, maxProperties, propertyNames, dependencies
  check(#"{"minProperties":1}"#, "{}", ["(root): expected at least 1 properties, found 0"]),
  check(#"{"maxProperties":1}"#, #"{"a":1,"b":2}"#, ["(root): expected at most 1 properties, found 2"]),
  check(#"{"propertyNames":{"pattern":"^[a-z]+$"}}"#, #"{"ok":1,"Bad":2}"#,
        [#"Bad: invalid property name "Bad": expected a string matching "^[a-z]+$", found "Bad""#]),
  check(#"{"dependencies":{"tls":["cert","key"]}}"#, #"{"tls":true,"cert":"c"}"#, [#"key: required property is missing ("tls" is present)"#]),
  check(#"{"dependencies":{"tls":{"required":["cert"]}}}"#, #"{"tls":true}"#, ["cert: required property is missing"]),
  check(#"{"dependencies":{"tls":["cert"]}}"#, #"{"other":1}"#),
  // allOf, anyOf, oneOf, not
  check(#"{"allOf":[{"type":"integer"},{"minimum":3}]}"#, "2", ["(root): expected a number >= 3, found 2"]),
  check(#"{"anyOf":[{"type":"string"},{"type":"integer","minimum":1}]}"#, "1"),
  check(#"{"anyOf":[{"type":"string"},{"type":"integer","minimum":1}]}"#, "0",
        // The branch of the value's own type is the one meant: only its reason is given.
        ["(root): expected a number >= 1, found 0"]),
  check(#"{"anyOf":[{"type":"string","minLength":5,"pattern":"^x"},{"type":"integer"}]}"#, #""ab""#,
        ["(root): expected a string starting with \"x\", found \"ab\"", "(root): expected at least 5 characters, found 2"]),
  check(#"{"oneOf":[{"type":"integer"},{"minimum":0}]}"#, "-1"),
  check(#"{"oneOf":[{"type":"integer"},{"minimum":0}]}"#, "5",
        ["(root): matches 2 schemas in #/oneOf (#/oneOf/0, #/oneOf/1), but must match exactly one"]),
  check(#"{"oneOf":[{"type":"integer"},{"minimum":0}]}"#, "-1.5",
        ["(root): expected a number >= 0, found -1.5"]),
  check(#"{"anyOf":[{"type":"string"},{"type":"array"}]}"#, "1", ["(root): expected string or array, found integer"]),
  check(#"{"not":{"type":"string"}}"#, "1"),
  check(#"{"not":{"type":"string"}}"#, #""x""#, ["(root): must not match the schema at #/not"]),
  // if / then / else
  check(#"{"if":{"properties":{"kind":{"const":"gpu"}}},"then":{"required":["gpus"]},"else":{"properties":{"gpus":{"const":0}}}}"#,
        #"{"kind":"gpu","gpus":1}"#),
  check(#"{"if":{"properties":{"kind":{"const":"gpu"}}},"then":{"required":["gpus"]},"else":{"properties":{"gpus":{"const":0}}}}"#,
        #"{"kind":"gpu"}"#, ["gpus: required property is missing"]),
  check(#"{"if":{"properties":{"kind":{"const":"gpu"}}},"then":{"required":["gpus"]},"else":{"properties":{"gpus":{"const":0}}}}"#,
        #"{"kind":"cpu","gpus":2}"#, ["gpus: expected 0, found 2"]),
  // boolean schemas
  check("true", #"{"anything":[1]}"#),
  check("false", "1", ["(root): no value is allowed here (the schema at # is false)"]),
  check(#"{"properties":{"a":false,"b":true}}"#, #"{"a":1,"b":2}"#, ["a: no value is allowed here (the schema at #/properties/a is false)"]),
  // $ref inside the document
  check(##"{"definitions":{"port":{"type":"integer","maximum":65535}},"properties":{"http":{"$ref":"#/definitions/port"}}}"##,
        #"{"http":70000}"#, ["http: expected a number <= 65535, found 70000"]),
  check(##"{"definitions":{"a/b":{"type":"string"},"c~d":{"type":"integer"},"e f":{"type":"boolean"}},"properties":{"x":{"$ref":"#/definitions/a~1b"},"y":{"$ref":"#/definitions/c~0d"},"z":{"$ref":"#/definitions/e%20f"}}}"##,
        #"{"x":1,"y":"s","z":0}"#, ["x: expected string, found integer", "y: expected integer, found string", "z: expected boolean, found integer"]),
  check(##"{"properties":{"a":{"type":"string"},"b":{"$ref":"#/properties/a"}}}"##, ##"{"b":1}"##, ["b: expected string, found integer"]),
  check(##"{"allOf":[{"type":"object"},{"required":["a"]}],"properties":{"b":{"$ref":"#/allOf/1"}}}"##, ##"{"a":1,"b":{}}"##,
        ["b.a: required property is missing"]),
  check(##"{"definitions":{"s":{"type":"string"}},"properties":{"a":{"$ref":"#/definitions/s","minLength":5}}}"##, ##"{"a":"x"}"##),
  check(##"{"type":"object","properties":{"child":{"$ref":"#"}}}"##, ##"{"child":{"child":3}}"##, ["child.child: expected object, found integer"]),
  check(##"{"definitions":{"node":{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/definitions/node"}}}}},"$ref":"#/definitions/node"}"##,
        #"{"name":"root","children":[{"name":"a","children":[{"name":1}]}]}"#, ["children[0].children[0].name: expected string, found integer"]),
]

@Test(arguments: schemaCases)
func schemaKeyword(_ testCase: SchemaCase) throws {
  let schema = try ValuesSchema(jsonText: testCase.schema)
  let found = try schema.violations(of: try Value(jsonText: testCase.value))
  #expect(found.map(\.description) == testCase.violations)
}

@Test func violationsAreSortedByPathThenMessage() throws {
  let schema = try ValuesSchema(jsonText: #"{"properties":{"a":{"items":{"type":"string","minLength":2}}},"required":["z","b"]}"#)
  let values = try Value(jsonText: #"{"a":["ok",1,"x","yy","zz","ww","vv","uu","tt","ss",2]}"#)
  #expect(try schema.violations(of: values).map(\.description) == [
    "a[1]: expected string, found integer",
    "a[2]: expected at least 2 characters, found 1",
    "a[10]: expected string, found integer",
    "b: required property is missing",
    "z: required property is missing",
  ])
}

@Test func validateReportsEveryViolationAtOnce() throws {
  let schema = try ValuesSchema(
    jsonText: #"{"required":["name"],"properties":{"executors":{"items":{"properties":{"replicas":{"type":"integer"}}}}}}"#)
  let error = #expect(throws: ChartError.self) {
    try schema.validate(try Value(jsonText: #"{"executors":[{"replicas":"3"}]}"#))
  }
  #expect(error?.description == """
    values do not match values.schema.json:
    - executors[0].replicas: expected integer, found string
    - name: required property is missing
    """)
  try schema.validate(try Value(jsonText: #"{"name":"flow","executors":[{"replicas":3}]}"#))
}

/// A schema that cannot be used, and the message that says why.
@Test(arguments: [
  (##"{"properties":{"a":{"$ref":"#/definitions/missing"}}}"##, ##"{"a":1}"##,
   ##"$ref "#/definitions/missing" at #/properties/a does not resolve: # has no "definitions""##),
  (##"{"definitions":{},"properties":{"a":{"$ref":"#/definitions/missing"}}}"##, ##"{"a":1}"##,
   ##"$ref "#/definitions/missing" at #/properties/a does not resolve: #/definitions has no "missing""##),
  (##"{"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},"properties":{"x":{"$ref":"#/definitions/a"}}}"##, ##"{"x":1}"##,
   "$ref cycle #/definitions/a -> #/definitions/b -> #/definitions/a (reached for the value at x)"),
  (##"{"definitions":{"a":{"allOf":[{"$ref":"#/definitions/a"}]}},"$ref":"#/definitions/a"}"##, "1",
   "$ref cycle #/definitions/a -> #/definitions/a (reached for the value at (root))"),
  (#"{"$ref":"other.json#/x"}"#, "1",
   #"$ref "other.json#/x" at #: only references inside the schema (starting with #) are supported"#),
  (##"{"$ref":"#node"}"##, "1", ##"$ref "#node" at #: only JSON pointers (#/...) are supported, not anchors"##),
  (##"{"type":"int"}"##, "1", ##"#/type: unknown type "int""##),
  (##"{"properties":{"a":{"pattern":"("}}}"##, ##"{"a":"x"}"##, ##"#/properties/a/pattern: "(" is not a valid regular expression (error parsing regexp: missing closing ): `(`)"##),
  (##"{"minimum":1,"exclusiveMinimum":true}"##, "2", "#/exclusiveMinimum must be a number"),
  (##"{"multipleOf":0}"##, "2", "#/multipleOf must be a number greater than 0"),
  (##"{"required":"a"}"##, "{}", "#/required must be a list of strings"),
  (##"{"anyOf":[]}"##, "1", "#/anyOf must be a non-empty list of schemas"),
  (##"{"items":3}"##, "[1]", "#/items must be a schema (an object or a boolean), found int"),
  (##"{"x-flowrel-secret":"yes"}"##, "1", "#/x-flowrel-secret must be a boolean"),
])
func unusableSchema(_ schema: String, _ value: String, _ message: String) throws {
  let parsed = try ValuesSchema(jsonText: schema)
  let error = #expect(throws: ChartError.self) { try parsed.violations(of: try Value(jsonText: value)) }
  #expect(error?.description == "values.schema.json: invalid schema: \(message)")
}

@Test func schemaTextMustBeJSONObjectOrBoolean() throws {
  let syntax = #expect(throws: ChartError.self) { try ValuesSchema(jsonText: #"{"type": }"#) }
  #expect(syntax?.description == "values.schema.json:1:10: unexpected character '}', expected a value")
  let list = #expect(throws: ChartError.self) { try ValuesSchema(jsonText: "[1]", file: "charts/flow/values.schema.json") }
  #expect(list?.description == "charts/flow/values.schema.json: invalid schema: the schema must be a JSON object or a boolean, found list")
}

@Test func deeplyNestedSchemasAreRefusedNotOverflowed() throws {
  let depth = 400
  let schema = String(repeating: #"{"items":"#, count: depth) + "true" + String(repeating: "}", count: depth)
  let value = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
  let parsed = try ValuesSchema(jsonText: schema)
  let error = #expect(throws: ChartError.self) { try parsed.violations(of: try Value(jsonText: value)) }
  #expect(error?.description.contains("schemas nest deeper than 256 levels") == true)
}

private let secretSchema = """
  {"properties":{
     "db":{"properties":{"password":{"type":"string","x-flowrel-secret":true},"user":{"type":"string"}}},
     "executors":{"items":{"properties":{"env":{"additionalProperties":{"x-flowrel-secret":true}}}}},
     "tokens":{"x-flowrel-secret":true},
     "missing":{"x-flowrel-secret":true},
     "extra":{"patternProperties":{"^key_":{"x-flowrel-secret":true}}},
     "ref":{"$ref":"#/definitions/secret"},
     "choice":{"oneOf":[{"type":"string","x-flowrel-secret":true},{"type":"integer"}]},
     "plain":{"x-flowrel-secret":false}},
   "definitions":{"secret":{"x-flowrel-secret":true}}}
  """

@Test func secretPathsFollowTheSchemaIntoListsMapsAndReferences() throws {
  let schema = try ValuesSchema(jsonText: secretSchema)
  let values = try Value(jsonText: """
    {"db":{"password":"p","user":"u"},
     "executors":[{"env":{"A":"1","B":"2"}},{"name":"x"},{"env":{"C":"3"}}],
     "tokens":["t1"],"extra":{"key_a":1,"other":2},"ref":"r","choice":5,"plain":"p"}
    """)
  #expect(try schema.secretPaths(in: values).map(\.description) == [
    "db.password", "executors[0].env.A", "executors[0].env.B", "executors[2].env.C", "extra.key_a", "ref", "tokens",
  ])
}

@Test func secretPathsOnlyCountTheMatchingBranch() throws {
  let schema = try ValuesSchema(jsonText: secretSchema)
  #expect(try schema.secretPaths(in: try Value(jsonText: #"{"choice":"s"}"#)) == [ValuePath([.key("choice")])])
  #expect(try schema.secretPaths(in: try Value(jsonText: #"{"choice":1}"#)).isEmpty)
}

/// Keys in JSON pointers: `~` and `/` escaped (RFC 6901), anything else as it is.
@Test func pointerKeysEscapeTildeAndSlashOnly() {
  #expect(SchemaEvaluator.escape("app.kubernetes.io/name") == "app.kubernetes.io~1name")
  #expect(SchemaEvaluator.escape("a~/b") == "a~0~1b")
  #expect(SchemaEvaluator.escape("replicas") == "replicas")
  #expect(SchemaEvaluator.escape("") == "")
}

/// Suggestions are made only when the name is close enough to be the one meant.
@Test(arguments: [
  ("shard", ["shards", "replicas"], "shards"),
  ("bogus", ["gpus", "host", "uses"], nil),
  ("resorces", ["resources", "replicas"], "resources"),
  ("uses_wiht", ["uses_with", "uses"], "uses_with"),
  ("zzzzzzzzzzzz", ["name", "uses"], nil),
  ("gpus", ["gpus"], nil),
  ("grcp", ["grpc", "http"], "grpc"),
  ("c", ["a", "b"], nil),
] as [(String, [String], String?)])
func nearestNameSuggestsOnlyPlausibleNames(given: String, known: [String], expected: String?) {
  #expect(NearestName.suggestion(for: given, among: known) == expected)
}
