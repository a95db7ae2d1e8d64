import FlowrelValue
import GoTemplate

/// `.Values` as Helm gives it to templates: a `chartutil.Values`, Go's named map type with
/// methods over the chart's values (maps inside it stay `map[string]interface {}`). Sprig's
/// reflection sees its type (`typeOf .Values` is `chartutil.Values`, `kindOf` is `map`);
/// functions that take a `map[string]interface {}` take it as its map, and what they return is
/// then a plain map again, as in Go. The map is held, not copied: `set .Values` changes it.
package struct ValuesObject: TemplateObject {
  /// The values; the same reference on every read, so changes are seen by all holders.
  package let map: TemplateMap

  /// `map` as a `chartutil.Values`.
  package init(_ map: TemplateMap) { self.map = map }

  package var goTypeName: String { "chartutil.Values" }
  package var goKindName: String { "map" }
  package var formatted: String { GoFormat.string(.map(map)) }
  package var underlyingMap: TemplateMap? { map }

  /// Helm's methods of `Values`, which Go's templates find before a key of the same name
  /// (`.Values.YAML` calls the method even when the values have a `YAML` key).
  package func member(named name: String) -> TemplateMember? {
    let map = map
    switch name {
    case "AsMap":
      return .method(TemplateFunction(goTypeName: "func() map[string]interface {}") { arguments, _ in
        try arguments.expectCount(0)
        return .map(map)
      })
    case "YAML":
      return .method(TemplateFunction(goTypeName: "func() (string, error)") { arguments, _ in
        try arguments.expectCount(0)
        guard let value = try jsonCompatible(.map(map)) else {
          throw failure("error marshaling into JSON: the values hold a value JSON cannot write")
        }
        return .string(try HelmYAML.marshal(value))
      })
    case "Table":
      return .method(TemplateFunction(goTypeName: "func(string) (chartutil.Values, error)") { arguments, _ in
        try arguments.expectCount(1)
        return .object(ValuesObject(try Self.table(map, try arguments.string(at: 0))))
      })
    case "PathValue":
      return .method(TemplateFunction(goTypeName: "func(string) (interface {}, error)") { arguments, _ in
        try arguments.expectCount(1)
        return try Self.pathValue(map, try arguments.string(at: 0))
      })
    case "Encode":
      // It writes to an `io.Writer`, which no template value is.
      return .method(TemplateFunction(goTypeName: "func(io.Writer) error") { arguments, _ in
        try arguments.expectCount(1)
        throw TemplateArguments.typeError(arguments[0], expected: "io.Writer")
      })
    default:
      return nil
    }
  }

  /// Helm's `Table`: the map at the dotted `path` (each step a map), or Helm's error naming
  /// the first step that is missing or not a map.
  static func table(_ map: TemplateMap, _ path: String) throws(HelmFunctionsError) -> TemplateMap {
    var table = map
    for key in path.split(separator: ".", omittingEmptySubsequences: false).map(String.init) {
      guard let next = table[key], let nested = tableValue(next) else {
        throw HelmFunctionsError("\(GoFormat.quote(key)) is not a table")
      }
      table = nested
    }
    return table
  }

  /// Helm's `PathValue`: the value at the dotted `path` when it is not itself a map, else
  /// Helm's error naming the last step.
  static func pathValue(_ map: TemplateMap, _ path: String) throws(HelmFunctionsError) -> TemplateValue {
    guard !path.isEmpty else { throw HelmFunctionsError("YAML path cannot be empty") }
    var keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let last = keys.removeLast()
    let noValue = HelmFunctionsError("\(GoFormat.quote(last)) is not a value")
    let table: TemplateMap
    do throws(HelmFunctionsError) {
      table = keys.isEmpty ? map : try Self.table(map, keys.joined(separator: "."))
    } catch {
      throw noValue
    }
    guard let value = table[last], !isPlainMap(value) else { throw noValue }
    return value
  }

  /// The map a step of a path reaches: a plain map or another `Values` (Helm's `tableLookup`).
  private static func tableValue(_ value: TemplateValue) -> TemplateMap? {
    switch value {
    case .map(let map) where map.elementTypeName == "interface {}": map
    case .object(let object as ValuesObject): object.map
    default: nil
    }
  }

  /// Whether `value` is a `map[string]interface {}` (Helm's `istable`, which a `Values` is not).
  private static func isPlainMap(_ value: TemplateValue) -> Bool {
    if case .map(let map) = value { return map.elementTypeName == "interface {}" }
    return false
  }
}
