import FlowrelValue
import FlowrelYAML
import GoTemplate
import HelmFunctions

/// Why a chart could not be loaded, its values assembled or checked, or it could not be rendered.
package enum ChartError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A `.helmignore` line that cannot be used.
  case badIgnoreRule(file: String, line: Int, rule: String, reason: String)
  /// `Chart.yaml` is missing, or a field in it is missing or wrong.
  case badMetadata(file: String, field: String, reason: String)
  /// No chart at this path, and no built-in chart of this name.
  case notFound(path: String)
  /// A chart file or archive that cannot be read.
  case unreadable(path: String, reason: String)
  /// A YAML file of the chart (or a values file) that does not parse.
  case yaml(YAMLError)
  /// A template that does not parse or fails while executing.
  case template(TemplateError)
  /// A template's output that is not YAML; `text` is the output, which `--debug` shows.
  case renderedYAML(template: String, error: YAMLError, text: String)
  /// A rendered document that is not a valid Kubernetes object; `place` is `template:line`.
  case badObject(place: String, reason: String)

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
  /// A value the chart's templates refused (`required` or `fail` with a message that starts
  /// with the value's path), placed where the user gave it.
  case invalidValue(origin: ValueOrigin, message: String)

  package var description: String {
    switch self {
    case .badIgnoreRule(let file, let line, let rule, let reason):
      "\(file):\(line): ignore rule \"\(rule)\": \(reason)"
    case .badMetadata(let file, let field, let reason):
      field.isEmpty ? "\(file): \(reason)" : "\(file): \(field): \(reason)"
    case .notFound(let path):
      "\(path): no such chart (neither a chart directory, a .tgz archive, nor a built-in chart)"
    case .unreadable(let path, let reason):
      "\(path): \(reason)"
    case .yaml(let error):
      error.description
    case .template(let error):
      HelmFunctions.userMessage(for: error)
    case .renderedYAML(let template, let error, _):
      "\(template): the output is not valid YAML at line \(error.line), column \(error.column) of the rendered text: \(error.message) (--debug shows the rendered text)"
    case .badObject(let place, let reason):
      "\(place): \(reason)"
    case .invalidSetArgument(let flag, let argument, let message):
      "\(flag.rawValue) \(Self.quote(argument)): \(message)"
    case .valuesNotAMap(let source, let found):
      "\(source): values must be a map at the top level, found \(found)"
    case .unparsableSchema(let file, let error):
      "\(file):\(error.line):\(error.column): \(error.message)"
    case .invalidSchema(let file, let message):
      "\(file): invalid schema: \(message)"
    case .schemaViolations(let file, let violations):
      if violations.count == 1, let only = violations.first, only.origin != nil {
        // One value at fault, placed in the user's file: one line, as a compiler says it.
        only.description
      } else {
        "values do not match \(file):\n" + violations.map { "- \($0)" }.joined(separator: "\n")
      }
    case .invalidValue(let origin, let message):
      origin.place(message)
    }
  }
}

extension ChartError {
  /// Text in double quotes, escaped as JSON escapes it, to show user input in messages.
  static func quote(_ text: String) -> String {
    // Encoding a string cannot fail (only non-finite numbers can).
    (try? Value.string(text).jsonText(JSONEncodingOptions(escapeHTML: false))) ?? "\"\(text)\""
  }

  /// A value's kind with its article, for messages: "a string", "an int", "null".
  static func describe(_ value: Value) -> String {
    switch value {
    case .null: "null"
    case .int, .int64: "an int"
    default: "a \(value.kindName)"
    }
  }
}
