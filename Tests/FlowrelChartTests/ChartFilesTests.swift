import Foundation
import Testing
@testable import FlowrelChart

/// A chart folder in a fresh temporary directory, removed when the test ends.
final class TemporaryChart {
  let root: URL

  init(_ files: [String: String]) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-chart-\(UUID().uuidString)")
    for (path, text) in files {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  /// Runs a command in the chart's parent folder and fails the test if it fails.
  func run(_ arguments: [String], in directory: URL? = nil) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory ?? root
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(arguments) failed")
  }
}

@Suite struct ChartFilesTests {
  let layout = [
    "Chart.yaml": "apiVersion: v2\nname: flow\nversion: 0.1.0\n",
    "values.yaml": "replicas: 1\n",
    "templates/deployment.yaml": "kind: Deployment\n",
    "templates/_helpers.tpl": "{{- define \"x\" }}{{ end }}",
    "templates/sub/service.yaml": "kind: Service\n",
    "templates/.swp": "editor junk",
    "docs/notes.txt": "ignored",
    "files/config.json": "{}",
    ".helmignore": "# comment\ndocs/\n*.bak\n",
    "old.bak": "ignored",
  ]

  @Test func directoryLoadingAppliesHelmignoreAndSorts() throws {
    let chart = try TemporaryChart(layout)
    let files = try ChartFiles.load(from: chart.root.path)
    #expect(files.map(\.path) == [
      ".helmignore", "Chart.yaml", "files/config.json", "templates/_helpers.tpl", "templates/deployment.yaml",
      "templates/sub/service.yaml", "values.yaml",
    ])
    #expect(files.first { $0.path == "values.yaml" }?.contents == Array("replicas: 1\n".utf8))
  }

  @Test func archiveGivesTheSameFilesAsTheDirectory() throws {
    let chart = try TemporaryChart(layout.filter { !["docs/notes.txt", "old.bak", "templates/.swp"].contains($0.key) })
    let parent = chart.root.deletingLastPathComponent()
    let archive = parent.appendingPathComponent(chart.root.lastPathComponent + ".tgz")
    defer { try? FileManager.default.removeItem(at: archive) }
    try chart.run(["tar", "czf", archive.path, chart.root.lastPathComponent], in: parent)
    let fromArchive = try ChartFiles.load(from: archive.path)
    #expect(fromArchive == (try ChartFiles.load(from: chart.root.path)))
  }

  @Test func linkedDirectoriesDoNotLoop() throws {
    let chart = try TemporaryChart(["Chart.yaml": "x", "templates/a.yaml": "a"])
    try FileManager.default.createSymbolicLink(
      atPath: chart.root.appendingPathComponent("templates/loop").path, withDestinationPath: chart.root.path)
    let files = try ChartFiles.load(from: chart.root.path)
    #expect(files.map(\.path).contains("templates/a.yaml"))
    #expect(files.count < 10)
  }

  @Test func missingChartAndBadArchiveAreClearErrors() throws {
    #expect(throws: ChartError.notFound(path: "/nonexistent/chart")) { try ChartFiles.load(from: "/nonexistent/chart") }
    let chart = try TemporaryChart(["not-a-chart.tgz": "plain text"])
    #expect {
      try ChartFiles.load(from: chart.root.appendingPathComponent("not-a-chart.tgz").path)
    } throws: { error in
      "\(error)".contains("not-a-chart.tgz: not a valid gzip archive")
    }
  }
}
