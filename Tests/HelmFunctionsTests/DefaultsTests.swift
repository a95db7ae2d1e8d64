import FlowrelValue
import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's defaults.md: default, empty, coalesce, all, any, ternary and the JSON functions
/// (with Helm's versions of toJson, fromJson, fromJsonArray).
@Suite struct DefaultsTests {
  @Test func defaultReplacesEveryEmptyValue() throws {
    #expect(try show("default", "foo", "bar") == "bar")
    for empty: TemplateValue in [nil, .missing, "", 0, 0.0, false, [], [:]] {
      #expect(try show("default", "foo", empty) == "foo")
    }
    #expect(try show("default", "foo") == "foo")
    #expect(try show("default", "foo", "0") == "0")
    #expect(try show("default", 1, [0]) == "[0]")
    #expect(try type("default", 1, .int64(5)) == "int64")
    #expect(failure("default") == "wrong number of args for default: want at least 1 got 0")
  }

  @Test func emptyFollowsGoZeroValues() throws {
    #expect(try show("empty", "") == "true")
    #expect(try show("empty", " ") == "false")
    #expect(try show("empty", .int64(0)) == "true")
    #expect(try show("empty", .uint(0)) == "true")
    #expect(try show("empty", [nil]) == "false")
    #expect(try show("empty", ["a": nil]) == "false")
    #expect(try show("empty", .object(VersionObject(version: .init(major: 0, minor: 0, patch: 0)))) == "false")
  }

  @Test func coalesceAllAny() throws {
    #expect(try show("coalesce", 0, 1, 2) == "1")
    #expect(try show("coalesce", nil, "", "x") == "x")
    #expect(try show("coalesce", nil, "") == "<nil>")
    #expect(try show("all", 1, "a", true) == "true")
    #expect(try show("all", 1, "", true) == "false")
    #expect(try show("all") == "true")
    #expect(try show("any", 0, "", "x") == "true")
    #expect(try show("any", 0, nil) == "false")
    #expect(try show("any") == "false")
  }

  @Test func ternaryTakesTheConditionLast() throws {
    #expect(try show("ternary", "foo", "bar", true) == "foo")
    #expect(try show("ternary", "foo", "bar", false) == "bar")
    #expect(failure("ternary", "foo", "bar", "true") == "wrong type for value; expected bool; got string")
  }

  @Test func toJsonSortsKeysAndEscapesHTML() throws {
    let value: TemplateValue = ["b": [1, 2.5, nil], "a": "<x&y>"]
    #expect(try show("toJson", value) == #"{"a":"\u003cx\u0026y\u003e","b":[1,2.5,null]}"#)
    #expect(try show("toRawJson", value) == #"{"a":"<x&y>","b":[1,2.5,null]}"#)
    #expect(try show("toPrettyJson", ["a": [1]]) == "{\n  \"a\": [\n    1\n  ]\n}")
    #expect(try show("toJson", nil) == "null")
    #expect(try show("toJson", .int64(5)) == "5")
    #expect(try show("mustToJson", "x") == "\"x\"")
    #expect(try show("mustToRawJson", "<") == "\"<\"")
    #expect(try show("mustToPrettyJson", [:]) == "{}")
  }

  @Test func toJsonOfUnencodableValuesIsEmptyButMustFails() throws {
    #expect(try show("toJson", .double(.nan)) == "")
    #expect(failure("mustToJson", .double(.infinity)) == "json: unsupported value: +Inf")
    let function = TemplateValue.function(TemplateFunction { _, _ in .null })
    #expect(failure("mustToJson", ["f": function])?.hasPrefix("json: unsupported type") == true)
  }

  @Test func toJsonOfTimesAndVersionsUsesTheirJSONForms() throws {
    let time = TimeObject(time: GoTime(seconds: 0, nanoseconds: 0, offset: 0, zoneName: "UTC"))
    #expect(try show("toJson", ["t": .object(time)]) == #"{"t":"1970-01-01T00:00:00Z"}"#)
    #expect(try show("toJson", try call("semver", "v1.2.3")) == #""1.2.3""#)
  }

  @Test func fromJsonPutsErrorsIntoTheMap() throws {
    #expect(try show("fromJson", #"{"a": 1, "b": [true]}"#) == "map[a:1 b:[true]]")
    #expect(try type("fromJson", #"{"a": 1}"#) == "map[string]interface {}")
    #expect(try show("fromJson", "") .hasPrefix("map[Error:"))
    #expect(
      try show("fromJson", "[1]") == "map[Error:json: cannot unmarshal array into Go value of type map[string]interface {}]")
    #expect(try show("fromJson", "null") == "map[]")
    let bad = try call("fromJson", "{")
    guard case .map(let map) = bad, case .string(let message)? = map["Error"] else {
      Issue.record("fromJson of bad JSON gave \(goFormat(bad))")
      return
    }
    #expect(!message.isEmpty)
  }

  @Test func fromJsonArrayPutsErrorsIntoTheList() throws {
    #expect(try show("fromJsonArray", "[1, \"a\"]") == "[1 a]")
    #expect(try show("fromJsonArray", "null") == "[]")
    #expect(try show("fromJsonArray", "{}") == "[json: cannot unmarshal object into Go value of type []interface {}]")
    #expect(try call("fromJsonArray", "[").goTypeName == "[]interface {}")
  }

  @Test func mustFromJsonReturnsAnyValueOrFails() throws {
    #expect(try show("mustFromJson", "3") == "3")
    #expect(try show("mustFromJson", "[1]") == "[1]")
    #expect(failure("mustFromJson", "{") != nil)
  }
}
