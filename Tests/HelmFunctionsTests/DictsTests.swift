import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's dicts.md. Maps are references: set, unset and merge change their first argument.
@Suite struct DictsTests {
  /// A new map on every use, since the functions under test change it.
  var person: TemplateValue { ["name1": "value1", "name2": "value2", "name3": "value 3"] }

  @Test func documentedExamples() throws {
    #expect(try show("dict", "name1", "value1", "name2", "value2") == "map[name1:value1 name2:value2]")
    #expect(try show("get", person, "name1") == "value1")
    #expect(try show("get", person, "missing") == "")
    #expect(try show("set", person, "name4", "value4") == "map[name1:value1 name2:value2 name3:value 3 name4:value4]")
    #expect(try show("unset", person, "name1") == "map[name2:value2 name3:value 3]")
    #expect(try show("hasKey", person, "name1") == "true")
    #expect(try show("hasKey", person, "nope") == "false")
    #expect(try show("pluck", "name1", ["name1": "one"], ["name2": "two"], ["name1": "uno"]) == "[one uno]")
    #expect(try show("keys", ["b": 1, "a": 2]) == "[a b]")
    #expect(try show("keys", ["b": 1], ["a": 2, "b": 3]) == "[b a b]")
    #expect(try show("pick", person, "name1", "name3") == "map[name1:value1 name3:value 3]")
    #expect(try show("omit", person, "name1", "name3") == "map[name2:value2]")
    #expect(try show("values", ["b": 1, "a": 2]) == "[2 1]")
  }

  @Test func dictKeysAreStringifiedAndAnOddKeyGetsEmptyString() throws {
    #expect(try show("dict", 1, "a", true, "b", "odd") == "map[1:a odd: true:b]")
    #expect(try show("dict") == "map[]")
    #expect(try type("dict") == "map[string]interface {}")
    #expect(try show("dict", "a", 1, "a", 2) == "map[a:2]")
  }

  @Test func digWalksNestedMapsWithADefault() throws {
    let data: TemplateValue = ["user": ["role": ["humanName": "admin"]]]
    #expect(try show("dig", "user", "role", "humanName", "guest", data) == "admin")
    #expect(try show("dig", "user", "missing", "humanName", "guest", data) == "guest")
    #expect(try show("dig", "user", "role", "x", data) == "map[humanName:admin]")
    #expect(failure("dig", "a", data) == "dig needs at least three arguments")
    #expect(failure("dig", "a", "d", "notamap") == "interface conversion: interface {} is string, not map[string]interface {}")
    #expect(failure("dig", 1, "d", data) == "interface conversion: interface {} is int, not string")
    #expect(
      failure("dig", "user", "role", "humanName", "x", "d", data)
        == "interface conversion: interface {} is string, not map[string]interface {}")
  }

  @Test func mergeFillsOnlyMissingOrEmptyValuesDeeply() throws {
    let destination: TemplateValue = ["default": "default", "overwrite": "me", "key": true, "nested": ["a": 1, "empty": ""]]
    let source: TemplateValue = ["overwrite": "overwritten", "key": false, "nested": ["b": 2, "a": 9, "empty": "x"], "new": [1]]
    #expect(
      try show("merge", destination, source)
        == "map[default:default key:true nested:map[a:1 b:2 empty:x] new:[1] overwrite:me]")
  }

  @Test func mergeOverwriteReplacesValuesDeeply() throws {
    let destination: TemplateValue = ["default": "default", "overwrite": "me", "key": true, "nested": ["a": 1, "keep": 3]]
    let source: TemplateValue = ["overwrite": "overwritten", "key": false, "nested": ["a": 9]]
    #expect(
      try show("mergeOverwrite", destination, source)
        == "map[default:default key:false nested:map[a:9 keep:3] overwrite:overwritten]")
  }

  @Test func mergeWithSeveralSourcesAndNils() throws {
    #expect(try show("merge", ["a": 1], ["a": 2, "b": 2], ["b": 3, "c": 3]) == "map[a:1 b:2 c:3]")
    #expect(try show("merge", ["a": 1], ["a": nil]) == "map[a:1]")
    #expect(try show("mergeOverwrite", ["a": 1], ["a": nil]) == "map[a:<nil>]")
    #expect(try show("mergeOverwrite", ["a": [1, 2]], ["a": [3]]) == "map[a:[3]]")
    #expect(try show("merge", ["a": [1, 2]], ["a": [3]]) == "map[a:[1 2]]")
    #expect(try show("merge", .missing, ["a": 1]) == "map[a:1]")
    #expect(try show("mustMerge", [:], ["x": ["y": 1]]) == "map[x:map[y:1]]")
    // mergo never replaces a non-empty value with a map, even when overwriting.
    #expect(try show("mustMergeOverwrite", ["x": "s"], ["x": ["y": 1]]) == "map[x:s]")
    #expect(try show("mergeOverwrite", ["x": ""], ["x": ["y": 1]]) == "map[x:map[y:1]]")
  }

  @Test func mapParametersRejectOtherTypes() {
    #expect(failure("get", "abc", "k") == "wrong type for value; expected map[string]interface {}; got string")
    #expect(failure("merge", ["a": 1], [1]) == "wrong type for value; expected map[string]interface {}; got []interface {}")
    #expect(failure("hasKey", ["a": 1], 1) == "wrong type for value; expected string; got int")
  }

  @Test func noValueIsAnEmptyMapButANilFromDataIsNot() throws {
    #expect(try show("hasKey", .missing, "a") == "false")
    #expect(try show("keys", .missing) == "[]")
    #expect(try show("get", .missing, "a") == "")
    #expect(failure("hasKey", nil, "a") == "wrong type for value; expected map[string]interface {}; got interface {}")
  }

  @Test func deepCopyGivesAnEqualValueThatChangesApart() throws {
    let value: TemplateValue = ["a": [1, ["b": "c"]], "m": ["x": 1]]
    let copy = try call("deepCopy", value)
    #expect(goFormat(copy) == goFormat(value))
    _ = try call("set", copy, "new", 1)
    guard case .map(let copied) = copy, case .map(let inner)? = copied["m"] else { return }
    try inner.set("y", 2)
    #expect(goFormat(value) == "map[a:[1 map[b:c]] m:map[x:1]]")
    #expect(try show("mustDeepCopy", 5) == "5")
  }

  @Test func setUnsetAndMergeChangeTheirFirstArgument() throws {
    let map: TemplateValue = ["a": 1]
    _ = try call("set", map, "b", 2)
    #expect(goFormat(map) == "map[a:1 b:2]")
    _ = try call("unset", map, "a")
    #expect(goFormat(map) == "map[b:2]")
    _ = try call("merge", map, ["b": 9, "c": ["x": 1]])
    #expect(goFormat(map) == "map[b:2 c:map[x:1]]")
    _ = try call("mergeOverwrite", map, ["b": 9])
    #expect(goFormat(map) == "map[b:9 c:map[x:1]]")
    #expect(failure("set", .missing, "k", 1) == "assignment to entry in nil map")
    #expect(try show("unset", .missing, "k") == "map[]")
  }

  @Test func mergeSharesSourceMapsAndChangesNestedDestinationMaps() throws {
    let nested: TemplateValue = ["x": 1]
    let source: TemplateValue = ["n": nested]
    let destination: TemplateValue = [:]
    _ = try call("merge", destination, source)
    guard case .map(let merged) = destination, case .map(let shared)? = merged["n"] else { return }
    try shared.set("y", 2)
    // The source's nested map is the one now in the destination, as in Go.
    #expect(goFormat(source) == "map[n:map[x:1 y:2]]")
    let deep: TemplateValue = ["n": ["keep": 1]]
    let inner = try call("get", deep, "n")
    _ = try call("mergeOverwrite", deep, ["n": ["add": 2]])
    #expect(goFormat(inner) == "map[add:2 keep:1]")
  }

  @Test func aMapCannotBeSetIntoItself() {
    let map: TemplateValue = ["a": 1]
    #expect(failure("set", map, "self", map)?.contains("a map cannot hold itself") == true)
  }
}
