import FlowrelArchive
import FlowrelManifest
import FlowrelValue
import Foundation
import Testing
@testable import FlowrelChart

/// A chart's `crds/` folders as Helm's `Chart.CRDObjects` reads them (pkg/chart/chart.go): every
/// file under `crds/` whose extension is `.yaml`, `.yml` or `.json` in any case, never templated,
/// the chart's own first and then each subchart's that values leave enabled, named by the chart's
/// path in the tree (aliases applied).
@Suite struct ChartCRDTests {
  static let crd = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: widgets.example.com
    spec:
      group: example.com
      names: {kind: Widget, plural: widgets}
      scope: Namespaced
      versions: [{name: v1, served: true, storage: true}]

    """

  @Test func theFilesHelmCountsAsCRDsAreRead() throws {
    let chart = try makeTree([
      "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
      "crds/a.yaml": Self.crd,
      "crds/b.YML": "# only a comment\n",
      "crds/c.json": "{}",
      "crds/nested/d.yaml": "---\n",
      "crds/README.md": "not a CRD",
      "crds/e.yaml.txt": "not a CRD",
      "templates/crds/f.yaml": "kind: NotACRD\n",
    ], source: "c")
    let output = try renderTree(chart)
    #expect(output.crds.map(\.name) == ["c/crds/a.yaml", "c/crds/b.YML", "c/crds/c.json", "c/crds/nested/d.yaml"])
  }

  @Test func aCRDFileIsNeverTemplated() throws {
    let text = "# {{ .Values.never }}\n" + Self.crd
    let chart = try makeTree(["Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n", "crds/a.yaml": text], source: "c")
    let output = try renderTree(chart)
    #expect(output.crds == [ChartCRDFile(name: "c/crds/a.yaml", contents: Array(text.utf8))])
    #expect(output.rendered.templates.isEmpty)
  }

  /// Helm's order: the parent's own files, then each enabled subchart's (its tree order: the
  /// charts `dependencies` does not list, then the listed ones), under their aliases; a
  /// subchart switched off by its condition brings none.
  @Test func subchartsBringTheirCRDsUnderTheirAliasesUnlessSwitchedOff() throws {
    let subchart = { (name: String) in
      ["Chart.yaml": "apiVersion: v2\nname: \(name)\nversion: 1.0.0\n", "crds/\(name).yaml": Self.crd]
    }
    var files: [String: String] = [
      "Chart.yaml": """
        apiVersion: v2
        name: app
        version: 1.0.0
        dependencies:
          - name: cache
            version: 1.0.0
            alias: sessions
          - name: queue
            version: 1.0.0
            condition: queue.enabled
        """,
      "values.yaml": "queue:\n  enabled: false\n",
      "crds/own.yaml": Self.crd,
    ]
    for (path, text) in subchart("extra") { files["charts/extra/" + path] = text }
    for (path, text) in subchart("queue") { files["charts/queue/" + path] = text }
    let chart = try makeTree(files, archives: ["charts/cache-1.0.0.tgz": Dictionary(uniqueKeysWithValues: subchart("cache").map { ("cache/" + $0.key, $0.value) })], source: "app")
    #expect(try renderTree(chart).crds.map(\.name) == ["app/crds/own.yaml", "app/charts/extra/crds/extra.yaml", "app/charts/sessions/crds/cache.yaml"])
    let enabled = try renderTree(chart, values: ["queue": ["enabled": true]])
    #expect(enabled.crds.map(\.name).last == "app/charts/queue/crds/queue.yaml")
  }

  @Test func theObjectsAreReadAsWrittenWithTheNamespaceOnlyWhereNamespaced() throws {
    let file = ChartCRDFile(name: "c/crds/a.yaml", contents: Array((Self.crd + "---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n").utf8))
    let objects = try [file].objects(namespace: "ns")
    #expect(objects.map(\.identity) == [
      ObjectIdentity(apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", namespace: nil, name: "widgets.example.com"),
      ObjectIdentity(apiVersion: "example.com/v1", kind: "Widget", namespace: "ns", name: "w"),
    ])
    // Helm applies crds/ as written: no release labels.
    #expect(objects[0].content["metadata"]?["labels"] == nil)
    #expect(objects[0].content["spec"]?["group"] == "example.com")
  }

  @Test func aBadDocumentIsPlacedAtItsFileAndLine() throws {
    let file = ChartCRDFile(name: "c/crds/a.yaml", contents: Array((Self.crd + "---\nkind: Widget\n").utf8))
    #expect(throws: ChartError.self) { try [file].objects(namespace: "ns") }
    do {
      _ = try [file].objects(namespace: "ns")
    } catch {
      #expect(error.description.hasPrefix("c/crds/a.yaml:10: "), "\(error)")
    }
    let twice = ChartCRDFile(name: "c/crds/b.yaml", contents: Array(Self.crd.utf8))
    let again = ChartCRDFile(name: "c/crds/a.yaml", contents: Array(Self.crd.utf8))
    #expect(throws: ChartError.self) { try [again, twice].objects(namespace: "ns") }
    // The store keeps crds/ unencrypted, so a Secret there is refused before anything is applied.
    let secret = ChartCRDFile(name: "c/crds/s.yaml", contents: Array("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  k: dg==\n".utf8))
    #expect(throws: ChartError.self) { try [secret].objects(namespace: "ns") }
  }

  /// The chart boundary holds for `crds/` as for every file: a link out of the chart is refused.
  @Test(arguments: ["crds/passwd.yaml", "crds"])
  func aLinkOutOfTheChartInCRDsIsRefused(_ place: String) throws {
    let outside = try TemporaryChart(["stolen.yaml": Self.crd])
    let chart = try TemporaryChart(["Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n"])
    let link = chart.root.appendingPathComponent(place)
    try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
    let target = place == "crds" ? outside.root.path : outside.root.appendingPathComponent("stolen.yaml").path
    try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: target)
    #expect(throws: ChartError.self) { try Chart.load(path: chart.root.path) }
    do {
      _ = try Chart.load(path: chart.root.path)
    } catch {
      #expect("\(error)".contains("outside the chart"))
    }
  }
}

/// `template --show-only` selection: Go's `filepath.Match` against the path without the chart's
/// name, as Helm's template command does; a pattern that matches nothing is an error.
@Suite struct ShowOnlyTests {
  let rendered = RenderedChart(templates: [
    RenderedTemplate(name: "c/charts/sub/templates/svc.yaml", text: "kind: Service\n"),
    RenderedTemplate(name: "c/templates/a.yaml", text: "kind: A\n"),
    RenderedTemplate(name: "c/templates/b.yml", text: "kind: B\n"),
    RenderedTemplate(name: "c/templates/empty.yaml", text: "\n  \n"),
    RenderedTemplate(name: "c/templates/tests/t.yaml", text: "kind: T\n"),
  ], notes: nil)
  let crds = [ChartCRDFile(name: "c/crds/w.yaml", contents: [])]

  func selected(_ patterns: [String]) throws -> [String] {
    let (chart, crds) = try ShowOnly(patterns).select(rendered, crds: crds, chartName: "c")
    return crds.map(\.name) + chart.templates.map(\.name)
  }

  @Test func globsMatchAsGosFilepathMatch() throws {
    #expect(try selected(["templates/*.yaml"]) == ["c/templates/a.yaml"])  // `*` stops at `/`; empty output is no match
    #expect(try selected(["templates/tests/*"]) == ["c/templates/tests/t.yaml"])
    #expect(try selected(["templates/?.y*"]) == ["c/templates/a.yaml", "c/templates/b.yml"])
    #expect(try selected(["templates/[^b].y*ml"]) == ["c/templates/a.yaml"])
    #expect(try selected(["charts/*/templates/*"]) == ["c/charts/sub/templates/svc.yaml"])
    #expect(try selected(["crds/*", "c/templates/b.yml"]) == ["c/crds/w.yaml", "c/templates/b.yml"])
  }

  @Test(arguments: ["templates/empty.yaml", "templates/missing.yaml", "*.yaml", "templates/[", "sub/templates/svc.yaml"])
  func aPatternThatMatchesNothingIsAnError(_ pattern: String) {
    #expect(throws: ChartError.self) { try selected(["templates/a.yaml", pattern]) }
  }
}
