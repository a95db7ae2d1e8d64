import FlowrelActions
import FlowrelChart
import FlowrelValue
import Foundation

/// A chart written to a temporary folder (removed with it) for the end-to-end tests, and the
/// install and upgrade of it as release `search-flow` against a `LifecycleFixture`.
class FolderChart {
  let folder: URL

  /// Writes `files` (paths inside the chart to their text) under a new folder named `prefix-<uuid>`.
  init(prefix: String, files: [String: String]) throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    for (path, text) in files {
      let file = folder.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: file)
    }
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  func install(_ fx: LifecycleFixture, _ values: Value = [:]) throws -> Install {
    var action = Install(config: fx.config())
    action.release = "search-flow"
    action.chart = ChartSelection(reference: folder.path)
    action.values = try UserValues(files: [ValuesFile(name: "values.yml", value: values)])
    action.options = fx.options()
    return action
  }

  func upgrade(_ fx: LifecycleFixture, _ values: Value = [:]) throws -> Upgrade {
    var action = Upgrade(config: fx.config())
    action.release = "search-flow"
    action.chart = ChartSelection(reference: folder.path)
    action.values = try UserValues(files: [ValuesFile(name: "values.yml", value: values)])
    action.options = fx.options()
    return action
  }
}
