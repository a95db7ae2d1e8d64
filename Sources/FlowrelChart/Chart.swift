import FlowrelValue
import FlowrelYAML

/// A chart read into memory: its metadata, default values, optional values schema, and
/// files. Nothing here is rendered yet.
public struct Chart: Sendable {
  /// `Chart.yaml`.
  public let metadata: ChartMetadata
  /// `values.yaml`: the defaults user values are merged over (an empty map when absent).
  public let defaultValues: Value
  /// `values.schema.json`, parsed, when the chart has one.
  public let schema: Value?
  /// Every file of the chart, sorted by path.
  public let files: [ChartFile]
  /// Where the chart came from, for messages: a path, or `flowrel:NAME` for a built-in chart.
  public let source: String

  /// Reads a chart from its files; `source` prefixes file names in errors.
  public init(files: [ChartFile], source: String) throws(ChartError) {
    self.files = files
    self.source = source
    func file(_ path: String) -> ChartFile? { files.first { $0.path == path } }
    func name(_ path: String) -> String { source.isEmpty ? path : source + "/" + path }

    guard let chartFile = file("Chart.yaml") else {
      throw ChartError.unreadable(path: source, reason: "no Chart.yaml: this is not a chart (a chart is a folder with Chart.yaml, values.yaml and templates/)")
    }
    let metadataValue: Value
    do {
      metadataValue = try YAML.parse(chartFile.contents, file: name("Chart.yaml"))
    } catch {
      throw ChartError.yaml(error)
    }
    metadata = try ChartMetadata(metadataValue, file: name("Chart.yaml"))

    if let valuesFile = file("values.yaml") {
      let value: Value
      do {
        // The chart's own values are typed as its users' values files are.
        value = try YAML.parse(valuesFile.contents, file: name("values.yaml"), scalars: metadata.valuesScalarRules)
      } catch {
        throw ChartError.yaml(error)
      }
      guard value.isNull || value.mapValue != nil else {
        throw ChartError.unreadable(path: name("values.yaml"), reason: "must be a map of values, not a \(value.kindName)")
      }
      defaultValues = value.isNull ? .emptyMap : value
    } else {
      defaultValues = .emptyMap
    }

    if let schemaFile = file("values.schema.json") {
      do {
        schema = try Value(jsonText: String(decoding: schemaFile.contents, as: UTF8.self))
      } catch {
        throw ChartError.unreadable(path: name("values.schema.json") + ":\(error.line):\(error.column)", reason: error.message)
      }
    } else {
      schema = nil
    }
  }

  /// Loads the chart at a path (a directory or a `.tgz` archive).
  public static func load(path: String) throws(ChartError) -> Chart {
    try Chart(files: ChartFiles.load(from: path), source: path)
  }

  /// The template files: everything under `templates/`, keyed by Helm's template name
  /// `<chart name>/templates/<path>`.
  public var templates: [(name: String, file: ChartFile)] {
    files.filter { $0.path.hasPrefix("templates/") }.map { (metadata.name + "/" + $0.path, $0) }
  }
}
