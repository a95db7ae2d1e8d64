import FlowrelArchive
import FlowrelChart
import FlowrelSemVer
import FlowrelStore
import Foundation

/// `flowrel dependency list [CHART]`: each `dependencies` entry of a chart folder and whether
/// `charts/` holds it, with Helm's statuses (`ok` for an archive, `unpacked` for a folder,
/// `missing`, `wrong version`, `invalid version`).
package struct DependencyList: Sendable {
  let config: ActionConfiguration
  /// The chart folder.
  package var chartPath = "."

  /// What `run` found.
  package struct Result: Sendable {
    /// `name, version, repository, status` for each entry, in the order of `dependencies`.
    package var rows: [[String]]
    /// `charts/`, for the message when there are no dependencies.
    package var chartsFolder: String
    /// Charts under `charts/` that no entry names.
    package var unlisted: [String]
  }

  /// A list with `config` (nothing of it is used: the chart folder is all it reads).
  package init(config: ActionConfiguration) { self.config = config }

  /// The entries and their status.
  package func run() throws(ActionError) -> Result {
    let chart = try ActionError.wrapping { try Chart.load(path: chartPath) }
    let rows = chart.metadata.dependencies.map { entry in
      [entry.name, entry.version, entry.repository, Self.status(of: entry, in: chart)]
    }
    let names = Set(chart.metadata.dependencies.map(\.name))
    // Named as Go's filepath.Join names them: `charts/x` for the chart in `.`.
    let charts = chartPath == "." || chartPath == "./" ? "charts" : (chartPath as NSString).appendingPathComponent("charts")
    let unlisted = chart.subcharts.filter { !names.contains($0.metadata.name) }.map {
      (charts as NSString).appendingPathComponent(($0.source as NSString).lastPathComponent)
    }
    return Result(rows: rows, chartsFolder: charts, unlisted: unlisted)
  }

  /// Helm's status of one entry: the last chart of that name under `charts/` decides.
  static func status(of entry: ChartDependency, in chart: Chart) -> String {
    guard let sub = chart.subcharts.last(where: { $0.metadata.name == entry.name }) else { return "missing" }
    if sub.metadata.version.original != entry.version {
      guard let constraint = try? VersionConstraint(entry.version) else { return "invalid version" }
      if !constraint.isSatisfied(by: sub.metadata.version) { return "wrong version" }
    }
    return sub.source.hasSuffix(".tgz") ? "ok" : "unpacked"
  }
}

/// `flowrel dependency build [CHART]` and `flowrel dependency update [CHART]`: put each
/// dependency under `charts/`. `file://` dependencies are packed as deterministic `.tgz`
/// archives; dependencies without a repository must be folders under `charts/` already; a
/// remote repository (`https://`, `oci://`, `@name`) is never contacted: its chart must be
/// vendored under `charts/` at the locked version. `build` follows `Chart.lock` (and checks its
/// digest); `update` (or `build` without a lock) chooses the versions and writes the lock.
package struct DependencyBuild: Sendable {
  let config: ActionConfiguration
  /// The chart folder.
  package var chartPath = "."
  /// Choose the versions again and rewrite the lock (`dependency update`).
  package var update = false

  /// A build with `config` (nothing of it is used: the chart folder is all it touches).
  package init(config: ActionConfiguration) { self.config = config }

  /// What was done, one line each, as Helm words them.
  package func run() throws(ActionError) -> [String] {
    let chart = try ActionError.wrapping { try Chart.load(path: chartPath) }
    let requested = chart.metadata.dependencies
    let isV1 = chart.metadata.apiVersion == "v1"
    let lockName = isV1 ? "requirements.lock" : "Chart.lock"
    let lockPath = (chartPath as NSString).appendingPathComponent(lockName)
    let existing = try FileManager.default.contents(atPath: lockPath).map { data throws(ActionError) in
      try ActionError.wrapping { try ChartLock(parsing: [UInt8](data), name: lockPath) }
    }
    var lines: [String] = []
    let locked: [ChartLock.Entry]
    if !update, let existing {
      guard ChartLock.digest(requested: requested, locked: existing.dependencies) == existing.digest else {
        let file = isV1 ? "requirements.yaml" : "Chart.yaml"
        throw .chart(.unreadable(
          path: lockPath,
          reason: "the lock file (\(lockName)) is out of sync with the dependencies file (\(file)). Please update the dependencies (flowrel dependency update)"))
      }
      locked = existing.dependencies
    } else {
      locked = try requested.map { entry throws(ActionError) in try resolve(entry, in: chart) }
      let digest = ChartLock.digest(requested: requested, locked: locked)
      // The same choice keeps the lock as it is, time included, so that it does not change on every run.
      if existing?.dependencies != locked || existing?.digest != digest {
        let lock = ChartLock(dependencies: locked, digest: digest, generated: Timestamp.format(Date()))
        try write(Array(try ActionError.wrapping { try lock.text() }.utf8), to: lockPath)
      }
    }
    lines.append("Saving \(locked.count) charts")
    let charts = (chartPath as NSString).appendingPathComponent("charts")
    var kept: Set<String> = []
    for entry in locked {
      if entry.repository.isEmpty {
        lines.append("Dependency \(entry.name) did not declare a repository. Assuming it exists in the charts directory")
        guard chart.subcharts.contains(where: { $0.metadata.name == entry.name && !$0.source.hasSuffix(".tgz") }) else {
          throw .chart(.notFound(path: (charts as NSString).appendingPathComponent(entry.name)))
        }
      } else if let local = try localPath(entry.repository) {
        let sub = try ActionError.wrapping { try Chart.load(path: local) }
        let files = try ActionError.wrapping { try ChartFiles.load(from: local) }
        let name = "\(sub.metadata.name)-\(sub.metadata.version.original).tgz"
        let archive = try ActionError.wrapping {
          try Tar.writeGzipped(files.map { ArchiveEntry(path: sub.metadata.name + "/" + $0.path, contents: $0.contents) })
        }
        try FileManager.default.createDirectory(atPath: charts, withIntermediateDirectories: true, attributes: nil, orThrow: charts)
        try write(archive, to: (charts as NSString).appendingPathComponent(name))
        kept.insert(name)
      } else {
        guard let vendored = chart.subcharts.first(where: { $0.metadata.name == entry.name && $0.metadata.version.original == entry.version }) else {
          throw .chart(.unreadable(
            path: entry.repository,
            reason: "dependency \(entry.name) \(entry.version) comes from a remote repository, and flowrel does not download charts: put the chart under charts/ (for example with helm dependency build) or use a file:// repository"))
        }
        lines.append("Dependency \(entry.name) is vendored at \(vendored.source); kept")
      }
    }
    // Archives of the file:// dependencies at other versions are outdated, as Helm removes them.
    lines.append("Deleting outdated charts")
    let names = Set(locked.filter { $0.repository.hasPrefix("file://") }.map(\.name))
    // charts/ exists unless nothing was packed and nothing vendored; then nothing is outdated either.
    for file in (try? FileManager.default.contentsOfDirectory(atPath: charts)) ?? [] where file.hasSuffix(".tgz") && !kept.contains(file) {
      guard let sub = chart.subcharts.first(where: { $0.source.hasSuffix("/charts/" + file) }), names.contains(sub.metadata.name) else { continue }
      let path = (charts as NSString).appendingPathComponent(file)
      do {
        try FileManager.default.removeItem(atPath: path)
      } catch {
        throw .file(path: path, reason: "is outdated but cannot be removed: \(error.localizedDescription)")
      }
    }
    return lines
  }

  /// The version `update` locks for an entry: the `file://` chart's version, or that of the
  /// chart under `charts/` for one without a repository or from a remote repository.
  func resolve(_ entry: ChartDependency, in chart: Chart) throws(ActionError) -> ChartLock.Entry {
    let candidate: Chart?
    if let local = try localPath(entry.repository) {
      candidate = try ActionError.wrapping { try Chart.load(path: local) }
    } else {
      candidate = chart.subcharts.first { $0.metadata.name == entry.name && entry.accepts(version: $0.metadata.version) }
      if candidate == nil && !entry.repository.isEmpty {
        throw .chart(.unreadable(
          path: entry.repository,
          reason: "dependency \(entry.name) comes from a remote repository, and flowrel does not download charts: put a chart of version \(entry.version.isEmpty ? "any" : entry.version) under charts/ (for example with helm dependency build) or use a file:// repository"))
      }
    }
    guard let candidate else {
      throw .chart(.notFound(path: (chartPath as NSString).appendingPathComponent("charts/" + entry.name)))
    }
    guard candidate.metadata.name == entry.name, entry.accepts(version: candidate.metadata.version) else {
      throw .chart(.badMetadata(
        file: candidate.source + "/Chart.yaml", field: "version",
        reason: "can't get a valid version for dependency \(entry.name): this is \(candidate.metadata.name) \(candidate.metadata.version.original), which does not meet \(entry.version)"))
    }
    return ChartLock.Entry(name: entry.name, version: candidate.metadata.version.original, repository: entry.repository)
  }

  /// The folder a `file://` repository names, relative to the chart; `nil` for other
  /// repositories. It must stay inside the git work tree the chart is in (or, outside any,
  /// the chart's parent folder), so a chart cannot pack files from elsewhere on the machine.
  func localPath(_ repository: String) throws(ActionError) -> String? {
    guard repository.hasPrefix("file://") else { return nil }
    let relative = String(repository.dropFirst("file://".count))
    let chartURL = URL(fileURLWithPath: chartPath).standardizedFileURL.resolvingSymlinksInPath()
    let target = URL(fileURLWithPath: relative, relativeTo: chartURL).standardizedFileURL.resolvingSymlinksInPath()
    var boundary = chartURL.deletingLastPathComponent()
    var folder = chartURL
    while folder.path != "/" {
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) {
        boundary = folder
        break
      }
      folder = folder.deletingLastPathComponent()
    }
    let inside = boundary.path == "/" ? "/" : boundary.path + "/"
    guard target.path.hasPrefix(inside) else {
      throw .chart(.unreadable(path: repository, reason: "leaves \(boundary.path) (the git work tree of the chart); a file:// dependency must be inside it"))
    }
    return target.path
  }

  private func write(_ bytes: [UInt8], to path: String) throws(ActionError) {
    do {
      try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw .file(path: path, reason: "cannot be written: \(error.localizedDescription)")
    }
  }
}

extension FileManager {
  /// `createDirectory` with flowrel's error.
  fileprivate func createDirectory(atPath path: String, withIntermediateDirectories: Bool, attributes: [FileAttributeKey: Any]?, orThrow name: String) throws(ActionError) {
    do {
      try createDirectory(atPath: path, withIntermediateDirectories: withIntermediateDirectories, attributes: attributes)
    } catch {
      throw .file(path: name, reason: "cannot be created: \(error.localizedDescription)")
    }
  }
}

extension Output {
  /// `dependency list` as Helm prints it: the table, then a warning for each chart under
  /// `charts/` that `dependencies` does not name; or a warning when there are no dependencies.
  package static func dependencies(_ result: DependencyList.Result) throws(ActionError) -> String {
    guard !result.rows.isEmpty else { return "WARNING: no dependencies at \(result.chartsFolder)\n" }
    let table = try Table(columns: ["NAME", "VERSION", "REPOSITORY", "STATUS"], rows: result.rows).formatted(.table)
    return table + "\n" + result.unlisted.map { "WARNING: \"\($0)\" is not in Chart.yaml.\n" }.joined()
  }
}
