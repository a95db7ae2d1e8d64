import FlowrelActions
import Foundation
import Testing

/// A folder standing for a git work tree (it has `.git`) with charts written into it.
struct ChartWorkTree {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-deps-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent(".git"), withIntermediateDirectories: true)
  }

  /// Writes `text` at `path` inside the work tree.
  func write(_ path: String, _ text: String) throws {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

  func text(_ relative: String) throws -> String { try String(contentsOfFile: path(relative), encoding: .utf8) }

  func bytes(_ relative: String) -> Data? { FileManager.default.contents(atPath: path(relative)) }

  func remove() { try? FileManager.default.removeItem(at: root) }

  /// An `app` chart depending on `db` through `file://../db`, and the `db` chart.
  static func withFileDependency() throws -> ChartWorkTree {
    let tree = try ChartWorkTree()
    try tree.write("app/Chart.yaml", """
      apiVersion: v2
      name: app
      version: 1.0.0
      dependencies:
        - name: db
          version: ~1.2.0
          repository: file://../db
      """)
    try tree.write("app/templates/a.yaml", "kind: {{ .Subcharts.db.Values.size }}\n")
    try tree.write("db/Chart.yaml", "apiVersion: v2\nname: db\nversion: 1.2.3\n")
    try tree.write("db/values.yaml", "size: 10\n")
    try tree.write("db/templates/cm.yaml", "size: {{ .Values.size }}\n")
    return tree
  }
}

@Suite struct DependencyVerbTests {
  let config = ActionFixture().config

  func build(_ chart: String, update: Bool = false) throws -> [String] {
    var action = DependencyBuild(config: config)
    action.chartPath = chart
    action.update = update
    return try action.run()
  }

  func list(_ chart: String) throws -> String {
    var action = DependencyList(config: config)
    action.chartPath = chart
    return try Output.dependencies(action.run())
  }

  /// `update` writes the lock as Helm writes it (the digest checked with Python's hashlib on
  /// the JSON Go's encoder writes for Helm's `Dependency`) and packs `db` into charts/.
  @Test func updateLocksAndPacksAFileDependency() throws {
    let tree = try ChartWorkTree.withFileDependency()
    defer { tree.remove() }
    #expect(try build(tree.path("app"), update: true) == ["Saving 1 charts", "Deleting outdated charts"])
    let lock = try tree.text("app/Chart.lock").split(separator: "\n", omittingEmptySubsequences: false)
    #expect(Array(lock.prefix(5)) == [
      "dependencies:", "- name: db", "  repository: file://../db", "  version: 1.2.3",
      "digest: sha256:3bdf05b9ff281ffbe86393b752b6def9cb221782cce000628a6ae01647b4ad97",
    ])
    #expect(lock.count == 7 && lock[5].hasPrefix("generated: \"") && lock[6].isEmpty)
    #expect(try list(tree.path("app")) == "NAME\tVERSION\tREPOSITORY  \tSTATUS\ndb  \t~1.2.0 \tfile://../db\tok\n\n")
    // The packed chart renders as a subchart.
    let chart = try Chart.load(path: tree.path("app"))
    #expect(chart.subcharts.map(\.source) == [tree.path("app") + "/charts/db-1.2.3.tgz"])
    let output = try chart.render(RenderRequest(release: ReleaseInfo(name: "r", namespace: "n")))
    #expect(output.rendered.templates.map(\.text) == ["size: 10\n", "kind: 10\n"])
  }

  /// The same dependencies give the same bytes: the archive has no times, the lock keeps its
  /// time when nothing it locks changed; `build` follows the lock.
  @Test func packingIsDeterministic() throws {
    let tree = try ChartWorkTree.withFileDependency()
    defer { tree.remove() }
    _ = try build(tree.path("app"), update: true)
    let (lock, archive) = (tree.bytes("app/Chart.lock"), tree.bytes("app/charts/db-1.2.3.tgz"))
    try FileManager.default.removeItem(atPath: tree.path("app/charts"))
    _ = try build(tree.path("app"), update: true)
    #expect(tree.bytes("app/Chart.lock") == lock)
    #expect(tree.bytes("app/charts/db-1.2.3.tgz") == archive)
    try FileManager.default.removeItem(atPath: tree.path("app/charts"))
    #expect(try build(tree.path("app")) == ["Saving 1 charts", "Deleting outdated charts"])
    #expect(tree.bytes("app/charts/db-1.2.3.tgz") == archive)
  }

  @Test func buildRefusesALockOutOfSync() throws {
    let tree = try ChartWorkTree.withFileDependency()
    defer { tree.remove() }
    _ = try build(tree.path("app"), update: true)
    try tree.write("app/Chart.yaml", try tree.text("app/Chart.yaml").replacingOccurrences(of: "~1.2.0", with: "^1.0.0"))
    #expect {
      _ = try build(tree.path("app"))
    } throws: { error in
      "\(error)".hasSuffix(
        "the lock file (Chart.lock) is out of sync with the dependencies file (Chart.yaml). Please update the dependencies (flowrel dependency update)")
    }
  }

  /// Helm's own test chart issue-7214 (helm/helm cmd/helm/testdata): its Chart.yaml entry and
  /// the Chart.lock Helm wrote for it; with the chart vendored, `build` accepts the lock (the
  /// digest matches Helm's) and keeps the vendored chart instead of downloading it.
  @Test func buildAcceptsHelmsLockAndKeepsAVendoredRemoteChart() throws {
    let tree = try ChartWorkTree()
    defer { tree.remove() }
    try tree.write("app/Chart.yaml", """
      apiVersion: v2
      name: chrt-7214
      version: 0.1.0
      dependencies:
        - name: postgresql
          version: 6.5.9
          repository: https://kubernetes-charts.storage.googleapis.com
          condition: postgresql.enabled
      """)
    try tree.write("app/Chart.lock", """
      dependencies:
      - name: postgresql
        repository: https://kubernetes-charts.storage.googleapis.com
        version: 6.5.9
      digest: sha256:bc78b47b5a97f33923d7e3f1582bc2fb246f08783cb2d004142de93b0023ea4c
      generated: "2020-04-12T00:42:43.331577986+05:30"
      """)
    try tree.write("app/charts/postgresql/Chart.yaml", "apiVersion: v2\nname: postgresql\nversion: 6.5.9\n")
    #expect(try build(tree.path("app")) == [
      "Saving 1 charts", "Dependency postgresql is vendored at \(tree.path("app"))/charts/postgresql; kept", "Deleting outdated charts",
    ])
    try FileManager.default.removeItem(atPath: tree.path("app/charts"))
    #expect {
      _ = try build(tree.path("app"))
    } throws: { error in
      "\(error)" == "https://kubernetes-charts.storage.googleapis.com: dependency postgresql 6.5.9 comes from a remote repository, and flowrel does not download charts: put the chart under charts/ (for example with helm dependency build) or use a file:// repository"
    }
  }

  @Test func aFileDependencyMustStayInsideTheWorkTree() throws {
    let tree = try ChartWorkTree()
    defer { tree.remove() }
    try tree.write("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: x\n    repository: file://../../x\n")
    #expect {
      _ = try build(tree.path("app"), update: true)
    } throws: { error in
      "\(error)".hasPrefix("file://../../x: leaves ") && "\(error)".hasSuffix("(the git work tree of the chart); a file:// dependency must be inside it")
    }
  }

  @Test func listWithoutDependenciesWarns() throws {
    let tree = try ChartWorkTree()
    defer { tree.remove() }
    try tree.write("app/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n")
    try tree.write("app/charts/extra/Chart.yaml", "apiVersion: v2\nname: extra\nversion: 1.0.0\n")
    #expect(try list(tree.path("app")) == "WARNING: no dependencies at \(tree.path("app"))/charts\n")
  }
}
