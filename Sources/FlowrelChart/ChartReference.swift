import FlowrelBuiltinCharts
import Foundation

extension Chart {
  /// The chart used when a command names none: flowrel's generic Jina Flow chart.
  package static let defaultName = "flow"

  /// The chart a command-line argument names: a chart directory or `.tgz` archive when a
  /// file of that name exists, else a chart built into flowrel (`flow`); no argument means
  /// the built-in `flow` chart.
  package static func resolve(_ reference: String?) throws(ChartError) -> Chart {
    let name = reference ?? defaultName
    if reference != nil, FileManager.default.fileExists(atPath: name) {
      return try load(path: name)
    }
    guard let chart = try builtin(name) else { throw ChartError.notFound(path: name) }
    return chart
  }

  /// The chart built into flowrel under `name`, or `nil` when there is none (a folder of that
  /// name in the current directory is never looked at).
  package static func builtin(_ name: String) throws(ChartError) -> Chart? {
    guard let files = BuiltinCharts.files(of: name) else { return nil }
    return try Chart(files: files.map { ChartFile(path: $0.path, contents: Array($0.text.utf8)) }, source: "flowrel:" + name)
  }
}
