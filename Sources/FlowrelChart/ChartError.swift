import FlowrelYAML
import GoTemplate

/// Why a chart could not be loaded, checked or rendered.
public enum ChartError: Error, Sendable, Equatable, CustomStringConvertible {
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

  public var description: String {
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
      error.description
    }
  }
}
