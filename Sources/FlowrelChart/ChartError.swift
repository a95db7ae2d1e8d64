/// Why a chart could not be loaded, checked or rendered.
public enum ChartError: Error, Sendable, Equatable, CustomStringConvertible {
  /// A `.helmignore` line that cannot be used.
  case badIgnoreRule(file: String, line: Int, rule: String, reason: String)
  /// `Chart.yaml` is missing, or a field in it is missing or wrong.
  case badMetadata(file: String, field: String, reason: String)

  public var description: String {
    switch self {
    case .badIgnoreRule(let file, let line, let rule, let reason):
      "\(file):\(line): ignore rule \"\(rule)\": \(reason)"
    case .badMetadata(let file, let field, let reason):
      field.isEmpty ? "\(file): \(reason)" : "\(file): \(field): \(reason)"
    }
  }
}
