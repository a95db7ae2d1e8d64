import FlowrelValue

/// Why a chart's values could not be assembled (files, `--set` flags, defaults) or checked against its schema.
public enum ValuesError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A `--set`-style argument that does not parse, does not fit the values it is applied to,
  /// or (for `--set-file`) names a file that cannot be read.
  case invalidSetArgument(flag: SetFlag, argument: String, message: String)
  /// A values file (or the chart's defaults) whose top level is not a map.
  case valuesNotAMap(source: String, found: String)
  /// A schema file that is not valid JSON.
  case unparsableSchema(file: String, JSONError)
  /// A schema that cannot be used: a keyword of the wrong type, an unknown type name, a `$ref`
  /// that does not resolve or loops, a pattern that is not a regular expression.
  case invalidSchema(file: String, message: String)
  /// Values that do not match the schema; every violation, sorted by path.
  case schemaViolations(file: String, [SchemaViolation])

  public var description: String {
    switch self {
    case .invalidSetArgument(let flag, let argument, let message):
      return "\(flag.rawValue) \(Self.quote(argument)): \(message)"
    case .valuesNotAMap(let source, let found):
      return "\(source): values must be a map at the top level, found \(found)"
    case .unparsableSchema(let file, let error):
      return "\(file):\(error.line):\(error.column): \(error.message)"
    case .invalidSchema(let file, let message):
      return "\(file): invalid schema: \(message)"
    case .schemaViolations(let file, let violations):
      let lines = violations.map { "- \($0)" }.joined(separator: "\n")
      return "values do not match \(file):\n\(lines)"
    }
  }
}

extension ValuesError {
  /// Text in double quotes, escaped as JSON escapes it, to show user input in messages.
  static func quote(_ text: String) -> String {
    // Encoding a string cannot fail (only non-finite numbers can).
    (try? Value.string(text).jsonText(JSONEncodingOptions(escapeHTML: false))) ?? "\"\(text)\""
  }

  /// A value's kind with its article, for messages: "a string", "an int", "null".
  static func describe(_ value: Value) -> String {
    switch value {
    case .null: "null"
    case .int: "an int"
    default: "a \(value.kindName)"
    }
  }
}
