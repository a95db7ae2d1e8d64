import FlowrelBuiltinCharts
import Foundation

/// `flowrel create`: a new chart, started from the built-in `flow` chart.
package enum ChartScaffold {
  /// Writes a copy of the built-in `flow` chart to `path`, named after the folder.
  /// Refuses an existing path, so nothing is overwritten.
  package static func create(at path: String) throws(ChartError) {
    let name = (path as NSString).lastPathComponent
    // A chart's name becomes part of object names, so it follows the rules of a DNS label.
    guard ObjectNames.isLabel(name), let first = name.unicodeScalars.first, ("a"..."z").contains(first) else {
      throw ChartError.badMetadata(file: path, field: "name",
        reason: "\"\(name)\" is not a valid chart name: use lowercase letters, digits and '-', starting with a letter")
    }
    guard !FileManager.default.fileExists(atPath: path) else {
      throw ChartError.unreadable(path: path, reason: "already exists; flowrel create writes a new folder and overwrites nothing")
    }
    guard let files = BuiltinCharts.files(of: Chart.defaultName) else { throw ChartError.notFound(path: Chart.defaultName) }
    do {
      for file in files {
        var text = file.text
        if file.path == "Chart.yaml" {
          text = text.replacingOccurrences(of: "\nname: \(Chart.defaultName)\n", with: "\nname: \(name)\n")
        }
        let url = URL(fileURLWithPath: path).appendingPathComponent(file.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
      }
    } catch {
      throw ChartError.unreadable(path: path, reason: "cannot write the chart: \(error.localizedDescription)")
    }
  }
}

