import FlowrelValue

/// One place where values break their schema.
package struct SchemaViolation: Sendable, Hashable, CustomStringConvertible {
  /// Where the offending value is (or, for a missing required property, would be).
  package var path: ValuePath
  /// What was expected, and what was found.
  package var message: String
  /// Whether the violation is about the key at `path` (an unknown property), not its value.
  package var isAboutKey: Bool
  /// Where the user gave the value (or the map that lacks a required key); `nil` when the
  /// value is the chart's default, or the violation was found without the user's values.
  package var origin: ValueOrigin?
  /// For a wrong type: the JSON types the schema allows here (so that `anyOf` can tell a
  /// branch of another type from a branch that nearly matched).
  var expectedTypes: [String]?

  /// A violation at `path`.
  package init(path: ValuePath, message: String, isAboutKey: Bool = false) {
    self.path = path
    self.message = message
    self.isAboutKey = isAboutKey
  }

  /// `path: message`, placed at the value's origin when it is known.
  package var description: String { origin.map { $0.place("\(path): \(message)") } ?? "\(path): \(message)" }
}

/// A chart's `values.schema.json`: JSON Schema draft-07, checked the way Helm checks values.
///
/// Supported: `type` (a name or a list; `integer` accepts integers and whole doubles), `enum`,
/// `const`, `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` (draft-07 numbers),
/// `multipleOf` (exact in decimal, so 0.3 is a multiple of 0.1), `minLength`/`maxLength`
/// (Unicode code points), `pattern`, `items` (one schema or a tuple) with `additionalItems`,
/// `minItems`/`maxItems`, `uniqueItems`, `contains`, `properties`, `patternProperties`,
/// `additionalProperties`, `required`, `minProperties`/`maxProperties`, `propertyNames`,
/// `dependencies`, `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`, boolean schemas, and
/// `$ref` inside the document (`#`, `#/definitions/x`, JSON pointers with `~0`/`~1` and
/// percent escapes; other keywords beside a `$ref` are ignored, as draft-07 says).
/// `default` is never applied and `format` is not checked. Patterns are Go regular
/// expressions (GoRegex), as Helm's validator, written in Go, compiles them.
///
/// The custom keyword `"x-flowrel-secret": true` marks the values a schema applies to as secret.
package struct ValuesSchema: Sendable {
  /// The schema document.
  package let document: Value
  /// The file the schema came from, for messages.
  package let file: String

  /// A schema from its parsed document, which must be a JSON object or a boolean.
  package init(_ document: Value, file: String = "values.schema.json") throws(ChartError) {
    switch document {
    case .map, .bool: break
    default:
      throw ChartError.invalidSchema(
        file: file, message: "the schema must be a JSON object or a boolean, found \(document.kindName)")
    }
    self.document = document
    self.file = file
  }

  /// A schema from JSON text.
  package init(jsonText: String, file: String = "values.schema.json") throws(ChartError) {
    let document: Value
    do {
      document = try Value(jsonText: jsonText)
    } catch {
      throw ChartError.unparsableSchema(file: file, error)
    }
    try self.init(document, file: file)
  }

  /// Every place where `values` breaks the schema, sorted by path, then message. Throws only
  /// when the schema itself cannot be used.
  package func violations(of values: Value) throws(ChartError) -> [SchemaViolation] {
    try evaluate(values).violations
  }

  /// Throws `ChartError.schemaViolations` listing every violation when `values` break the schema.
  package func validate(_ values: Value) throws(ChartError) {
    _ = try check(values)
  }

  /// The paths of the values in `values` that the schema marks `"x-flowrel-secret": true`,
  /// sorted: through `properties`, `patternProperties`, `additionalProperties`, `items`,
  /// `additionalItems`, `$ref`, `allOf`, and the branches of `anyOf`/`oneOf`/`if` that the
  /// value matches. A marked map or list is secret as a whole. Only present values are listed.
  package func secretPaths(in values: Value) throws(ChartError) -> [ValuePath] {
    try evaluate(values).secrets
  }

  /// `validate` and `secretPaths` in one pass over the values, as rendering needs both.
  package func check(_ values: Value) throws(ChartError) -> [ValuePath] {
    let result = try evaluate(values)
    if !result.violations.isEmpty { throw ChartError.schemaViolations(file: file, result.violations) }
    return result.secrets
  }

  /// One evaluation of the whole schema: violations and secret paths, each sorted.
  private func evaluate(_ values: Value) throws(ChartError) -> (violations: [SchemaViolation], secrets: [ValuePath]) {
    var evaluator = SchemaEvaluator(root: document, file: file)
    let outcome = try evaluator.evaluate(values, at: .root, schema: document, pointer: "#")
    let violations = Set(outcome.violations).sorted { a, b in
      a.path == b.path ? a.message < b.message : ValuePathOrder.precedes(a.path, b.path)
    }
    return (violations, Set(outcome.secrets).sorted(by: ValuePathOrder.precedes))
  }
}

/// A total order on paths for deterministic output: component by component, a key before an
/// index, keys by their Unicode scalars, indices numerically; a prefix comes first.
enum ValuePathOrder {
  static func precedes(_ a: ValuePath, _ b: ValuePath) -> Bool {
    for (x, y) in zip(a.components, b.components) where x != y {
      switch (x, y) {
      case (.key(let k1), .key(let k2)): return k1.unicodeScalars.lexicographicallyPrecedes(k2.unicodeScalars)
      case (.index(let i1), .index(let i2)): return i1 < i2
      case (.key, .index): return true
      case (.index, .key): return false
      }
    }
    return a.components.count < b.components.count
  }
}
