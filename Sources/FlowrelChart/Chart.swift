import FlowrelArchive
import FlowrelValue
import FlowrelYAML

/// A chart read into memory: its metadata, default values, optional values schema, and
/// files. Nothing here is rendered yet.
package struct Chart: Sendable {
  /// `Chart.yaml`.
  package let metadata: ChartMetadata
  /// `values.yaml`: the defaults user values are merged over (an empty map when absent).
  package let defaultValues: Value
  /// `values.schema.json`, parsed, when the chart has one.
  package let schema: Value?
  /// Every file of the chart, sorted by path.
  package let files: [ChartFile]
  /// Where the chart came from, for messages: a path, or `flowrel:NAME` for a built-in chart.
  package let source: String
  /// The charts under `charts/` (folders and `.tgz` archives), sorted by folder or file name.
  package let subcharts: [Chart]

  /// Reads a chart from its files; `source` prefixes file names in errors.
  package init(files: [ChartFile], source: String) throws(ChartError) {
    var budget = SubchartBudget()
    try self.init(files: files, source: source, budget: &budget, depth: 0)
  }

  /// Reads a chart whose nested archives may unpack to at most `budget` more bytes.
  init(files: [ChartFile], source: String, budget: inout SubchartBudget, depth: Int) throws(ChartError) {
    self.files = files
    self.source = source
    func file(_ path: String) -> ChartFile? { files.first { $0.path == path } }
    func name(_ path: String) -> String { source.isEmpty ? path : source + "/" + path }

    guard let chartFile = file("Chart.yaml") else {
      throw ChartError.unreadable(path: source, reason: "no Chart.yaml: this is not a chart (a chart is a folder with Chart.yaml, values.yaml and templates/)")
    }
    let metadataDocument: YAMLDocument
    do {
      metadataDocument = try YAML.parseDocument(chartFile.contents, file: name("Chart.yaml"))
    } catch {
      throw ChartError.yaml(error)
    }
    var metadata = try ChartMetadata(metadataDocument)
    // A Helm 2 chart lists its dependencies in requirements.yaml.
    if metadata.apiVersion == "v1", let requirements = file("requirements.yaml") {
      let value: Value
      do {
        value = try YAML.parse(requirements.contents, file: name("requirements.yaml"))
      } catch {
        throw ChartError.yaml(error)
      }
      metadata.dependencies = try ChartDependency.list(value["dependencies"], file: name("requirements.yaml"))
    }
    self.metadata = metadata

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
    subcharts = try Self.loadSubcharts(files, source: source, budget: &budget, depth: depth)
  }

  /// Loads the chart at a path (a directory or a `.tgz` archive).
  package static func load(path: String) throws(ChartError) -> Chart {
    try Chart(files: ChartFiles.load(from: path), source: path)
  }

  /// The template files: everything under `templates/`, keyed by Helm's template name
  /// `<chart name>/templates/<path>`. A library chart has only its partials (`_*.tpl`): Helm
  /// neither parses nor renders its other files.
  package var templates: [(name: String, file: ChartFile)] {
    files.filter { $0.path.hasPrefix("templates/") && (!isLibrary || Self.isPartial($0.path)) }
      .map { (metadata.name + "/" + $0.path, $0) }
  }

  /// Whether this is a library chart (`type: library`, in any case as Helm compares it): it
  /// shares named templates and renders nothing itself.
  package var isLibrary: Bool { metadata.type.lowercased() == "library" }

  /// Whether the file at `path` is a partial: its name starts with `_`.
  static func isPartial(_ path: String) -> Bool {
    (path.split(separator: "/").last ?? "").hasPrefix("_")
  }
}

/// How many bytes the `.tgz` subcharts of one chart tree may unpack to together, and how deep
/// they may nest: an archive of archives must not expand without bound.
struct SubchartBudget {
  /// Bytes left for unpacked files (Helm's limit for one chart archive, for the whole tree).
  var bytes = 100 << 20
  /// The deepest nesting of `charts/` folders.
  static let maxDepth = 20
}

extension Chart {
  /// The charts under `charts/` as Helm's loader finds them: each folder `charts/<name>/` and
  /// each `charts/<name>.tgz` archive; names starting with `_` or `.` and `.prov` files are
  /// not charts.
  static func loadSubcharts(_ files: [ChartFile], source: String, budget: inout SubchartBudget, depth: Int) throws(ChartError)
    -> [Chart]
  {
    var groups: [String: [ChartFile]] = [:]
    for file in files where file.path.hasPrefix("charts/") && !file.path.hasSuffix(".prov") {
      let rest = file.path.dropFirst("charts/".count)
      let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
      let group = String(parts[0])
      if group.hasPrefix("_") || group.hasPrefix(".") { continue }
      groups[group, default: []].append(ChartFile(path: parts.count > 1 ? String(parts[1]) : "", contents: file.contents))
    }
    guard !groups.isEmpty else { return [] }
    guard depth < SubchartBudget.maxDepth else {
      throw ChartError.unreadable(path: source + "/charts", reason: "subcharts nest deeper than \(SubchartBudget.maxDepth) levels")
    }
    var charts: [Chart] = []
    for (group, members) in groups.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
      let place = source + "/charts/" + group
      if group.hasSuffix(".tgz"), members.count == 1, members[0].path.isEmpty {
        let unpacked = try ChartFiles.loadArchive(
          members[0].contents, name: place, limits: Tar.Limits(totalBytes: budget.bytes, fileBytes: min(budget.bytes, 5 << 20)))
        budget.bytes -= unpacked.reduce(0) { $0 + $1.contents.count }
        charts.append(try Chart(files: unpacked, source: place, budget: &budget, depth: depth + 1))
      } else {
        let inFolder = members.filter { !$0.path.isEmpty }
        guard !inFolder.isEmpty else {
          throw ChartError.unreadable(path: place, reason: "is not a chart: charts/ holds chart folders and .tgz chart archives only")
        }
        charts.append(try Chart(files: inFolder, source: place, budget: &budget, depth: depth + 1))
      }
    }
    return charts
  }
}
