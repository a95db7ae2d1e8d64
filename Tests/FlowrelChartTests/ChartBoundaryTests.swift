import Foundation
import Testing
@testable import FlowrelChart

/// A chart never reads outside its folder: links that leave it and special files are refused.
@Suite struct ChartBoundaryTests {
  let chartFiles = [
    "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "templates/a.yaml": "kind: ConfigMap\n",
  ]

  /// The error loading the chart throws, as the user reads it.
  func loadError(_ chart: TemporaryChart) -> String? {
    do {
      _ = try ChartFiles.load(from: chart.root.path)
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test(arguments: ["templates/passwd.yaml", "values.yaml", "Chart.yaml", "files/secret.txt", "charts/sub", ".helmignore"])
  func aLinkLeavingTheChartIsRefused(_ place: String) throws {
    let outside = try TemporaryChart(["Chart.yaml": "apiVersion: v2\nname: outside\nversion: 0.1.0\n", "data.txt": "secret"])
    var files = chartFiles
    files.removeValue(forKey: place)
    let chart = try TemporaryChart(files)
    let link = chart.root.appendingPathComponent(place)
    try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
    let target = place == "charts/sub" ? outside.root.path : outside.root.appendingPathComponent("data.txt").path
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
    let message = try #require(loadError(chart))
    #expect(message.contains(link.path))
    #expect(message.contains("a symbolic link to \(URL(fileURLWithPath: target).resolvingSymlinksInPath().path), outside the chart"))
  }

  @Test func theIssuesLinkToEtcPasswdIsRefused() throws {
    let chart = try TemporaryChart(chartFiles)
    try FileManager.default.createSymbolicLink(
      atPath: chart.root.appendingPathComponent("templates/passwd.yaml").path, withDestinationPath: "/etc/passwd")
    #expect(loadError(chart)?.contains("a symbolic link to /etc/passwd, outside the chart") == true)
  }

  @Test func aLinkInsideTheChartIsRead() throws {
    let chart = try TemporaryChart(chartFiles)
    try FileManager.default.createSymbolicLink(
      atPath: chart.root.appendingPathComponent("templates/b.yaml").path, withDestinationPath: "a.yaml")
    let files = try ChartFiles.load(from: chart.root.path)
    #expect(files.first { $0.path == "templates/b.yaml" }?.contents == Array("kind: ConfigMap\n".utf8))
  }

  @Test func aLinkTheHelmignoreLeavesOutIsNotRead() throws {
    var files = chartFiles
    files[".helmignore"] = "outside.txt\n"
    let chart = try TemporaryChart(files)
    try FileManager.default.createSymbolicLink(
      atPath: chart.root.appendingPathComponent("outside.txt").path, withDestinationPath: "/etc/passwd")
    #expect(try ChartFiles.load(from: chart.root.path).map(\.path) == [".helmignore", "Chart.yaml", "templates/a.yaml"])
  }

  @Test func aFIFOIsRefusedWithoutBeingOpened() throws {
    let chart = try TemporaryChart(chartFiles)
    let fifo = chart.root.appendingPathComponent("templates/pipe.yaml").path
    #expect(mkfifo(fifo, 0o644) == 0)
    let message = try #require(loadError(chart))
    #expect(message.contains("\(fifo): a FIFO (named pipe), not a regular file"))
  }

  @Test func aLinkToADeviceIsRefused() throws {
    let chart = try TemporaryChart(chartFiles)
    let link = chart.root.appendingPathComponent("templates/zero.yaml").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/zero")
    #expect(loadError(chart)?.contains("a symbolic link to /dev/zero, outside the chart") == true)
  }
}
