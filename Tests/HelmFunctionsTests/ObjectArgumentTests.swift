import FlowrelValue
import GoTemplate
import OrderedCollections
import Testing

@testable import HelmFunctions

/// Objects of Go map and slice types with methods (Helm's `chartutil.Values`,
/// `chartutil.VersionSet`) reach Sprig's reflection as the map or slice they are.
@Suite struct ObjectArgumentTests {
  struct VersionSet: TemplateObject {
    var goTypeName: String { "chartutil.VersionSet" }
    var goKindName: String { "slice" }
    func member(named name: String) -> TemplateMember? { nil }
    var underlyingList: TemplateList? { TemplateList(["v1", "apps/v1"] as [Value]) }
  }

  struct Values: TemplateObject {
    let entries: OrderedDictionary<String, Value>
    var goTypeName: String { "chartutil.Values" }
    var goKindName: String { "map" }
    func member(named name: String) -> TemplateMember? { nil }
    var underlyingMap: TemplateMap? { TemplateMap(entries) }
  }

  let versions = TemplateValue.object(VersionSet())
  let values = TemplateValue.object(Values(entries: ["b": [1, 2], "a": "x"]))
  let noValues = TemplateValue.object(Values(entries: [:]))

  @Test func sliceObjectsAreLists() throws {
    #expect(try show("has", "apps/v1", versions) == "true")
    #expect(try show("first", versions) == "v1")
    #expect(try show("join", ",", versions) == "v1,apps/v1")
    #expect(try show("sortAlpha", versions) == "[apps/v1 v1]")
    #expect(try show("concat", versions, ["x"]) == "[v1 apps/v1 x]")
    #expect(try show("slice", versions, 1) == "[apps/v1]")
    #expect(try show("kindOf", versions) == "slice")
    #expect(try show("toJson", versions) == #"["v1","apps/v1"]"#)
  }

  @Test func mapObjectsAreMapsToReflection() throws {
    #expect(try show("toJson", values) == #"{"a":"x","b":[1,2]}"#)
    #expect(try show("toYaml", values) == "a: x\nb:\n- 1\n- 2")
    #expect(try show("empty", noValues) == "true")
    #expect(try show("empty", values) == "false")
    #expect(try show("default", "d", noValues) == "d")
    #expect(try show("kindIs", "map", values) == "true")
    #expect(try show("typeOf", values) == "chartutil.Values")
  }
}
