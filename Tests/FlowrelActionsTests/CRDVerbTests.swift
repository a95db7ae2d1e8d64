import FlowrelActions
import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import KubeTestSupport
import Testing

/// A chart with a CRD in `crds/` (Widgets of example.com), a Widget of that kind and a
/// ConfigMap in `templates/`.
final class CRDChart {
  let folder: URL
  static let crd = ObjectIdentity(
    apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", namespace: nil, name: "widgets.example.com")

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-crd-chart-\(UUID().uuidString)")
    try write("Chart.yaml", "apiVersion: v2\nname: widgets\nversion: 0.1.0\n")
    try write("values.yaml", "size: 1\n")
    try writeCRD(label: nil)
    try write("templates/widget.yaml", """
      apiVersion: example.com/v1
      kind: Widget
      metadata:
        name: w
      spec:
        size: {{ .Values.size }}

      """)
    try write("templates/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: widgets-config\ndata:\n  size: \"{{ .Values.size }}\"\n")
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  /// Writes `text` to the chart's file at `path`.
  func write(_ path: String, _ text: String) throws {
    let file = folder.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
  }

  /// The CRD file; `label` changes it (as a newer chart version would).
  func writeCRD(label: String?) throws {
    try write("crds/widgets.yaml", """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata:
        name: widgets.example.com
      \(label.map { "  labels:\n    version: \($0)" } ?? "")
      spec:
        group: example.com
        scope: Namespaced
        names:
          kind: Widget
          plural: widgets
          singular: widget
        versions:
        - name: v1
          served: true
          storage: true
          schema:
            openAPIV3Schema:
              type: object
              x-kubernetes-preserve-unknown-fields: true

      """)
  }

  func install(_ config: ActionConfiguration, size: Int64 = 1) throws -> Install {
    var action = Install(config: config)
    action.release = "widgets"
    action.chart = ChartSelection(reference: folder.path)
    action.values = try UserValues(files: [ValuesFile(name: "values.yml", value: ["size": .int(size)])])
    return action
  }

  func upgrade(_ config: ActionConfiguration, size: Int64) throws -> Upgrade {
    var action = Upgrade(config: config)
    action.release = "widgets"
    action.chart = ChartSelection(reference: folder.path)
    action.values = try UserValues(files: [ValuesFile(name: "values.yml", value: ["size": .int(size)])])
    return action
  }
}

/// Install, upgrade, rollback and uninstall with a chart's `crds/`, against the recording fake.
@Suite struct CRDVerbTests {
  static let widget = ObjectIdentity(apiVersion: "example.com/v1", kind: "Widget", namespace: "search", name: "w")
  static let config = ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: "search", name: "widgets-config")

  /// The objects each call of `kinds` was about, in call order.
  func objects(_ kube: FakeKubeClient) -> [String] {
    kube.calls.compactMap { call in
      switch call {
      case .currentObjects(let ids): "currentObjects " + ids.map(\.name).joined(separator: ",")
      case .apply(let ids, _): "apply " + ids.map(\.name).joined(separator: ",")
      case .waitUntilReady(let ids, let timeout): "waitUntilReady " + ids.map(\.name).joined(separator: ",") + " \(timeout)"
      case .delete(let ids): "delete " + ids.map(\.name).joined(separator: ",")
      default: nil
      }
    }
  }

  @Test func installCreatesTheCRDsFirstAndWaitsUntilTheyAreEstablished() async throws {
    let fx = ActionFixture()
    let chart = try CRDChart()
    let result = try await chart.install(fx.config).run()
    #expect(objects(fx.kube) == [
      "currentObjects widgets.example.com", "apply widgets.example.com", "waitUntilReady widgets.example.com 1m0s",
      "apply widgets-config,w",
    ])
    #expect(result.revision?.crds.map(\.identity) == [CRDChart.crd])
    #expect(result.manifests.map(\.identity) == [Self.config, Self.widget], "the CRD is not one of the release's objects")
    let stored = try fx.store.revision(release: "widgets", namespace: fx.namespace, number: 1)
    #expect(stored.crds.map(\.identity) == [CRDChart.crd])
    #expect(stored.crds.first?.content["spec"]?["names"]?["kind"] == "Widget")
  }

  @Test func aCRDThatExistsIsLeftAsItIs() async throws {
    let fx = ActionFixture()
    fx.kube.liveObjects = [CRDChart.crd: ["kind": "CustomResourceDefinition"]]
    let chart = try CRDChart()
    let result = try await chart.install(fx.config).run()
    #expect(objects(fx.kube) == ["currentObjects widgets.example.com", "apply widgets-config,w"])
    #expect(result.revision?.crds.map(\.identity) == [CRDChart.crd], "recorded all the same")
  }

  @Test func skipCRDsNeitherCreatesNorRecordsThem() async throws {
    let fx = ActionFixture()
    let chart = try CRDChart()
    var install = try chart.install(fx.config)
    install.skipCRDs = true
    let result = try await install.run()
    #expect(objects(fx.kube) == ["apply widgets-config,w"])
    #expect(result.revision?.crds == [])
  }

  @Test func upgradeAndRollbackKeepTheInstalledCRDsWithoutTouchingThem() async throws {
    let fx = ActionFixture()
    let chart = try CRDChart()
    let installed = try await chart.install(fx.config).run()
    try chart.writeCRD(label: "2")
    try chart.write("crds/gadgets.yaml", CRDChart.gadgetCRD)
    let before = fx.kube.calls.count
    let upgraded = try await chart.upgrade(fx.config, size: 2).run()
    #expect(upgraded.revision?.crds == installed.revision?.crds, "the chart's new crds/ are not read on upgrade")
    var rollback = Rollback(config: fx.config)
    rollback.release = "widgets"
    let rolledBack = try await rollback.run()
    #expect(rolledBack.revision?.crds == installed.revision?.crds)
    let later = fx.kube.calls.dropFirst(before)
    let touched = later.flatMap { call -> [ObjectIdentity] in
      switch call {
      case .apply(let ids, _), .delete(let ids), .currentObjects(let ids), .waitUntilReady(let ids, _): ids
      default: []
      }
    }
    #expect(!touched.contains { $0.kind == "CustomResourceDefinition" }, "\(later)")
    #expect(later.contains { $0 == .apply([Self.config, Self.widget], forceConflicts: false) })
  }

  @Test func uninstallKeepsTheCRDs() async throws {
    let fx = ActionFixture()
    let chart = try CRDChart()
    _ = try await chart.install(fx.config).run()
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "widgets"
    _ = try await uninstall.run()
    #expect(fx.kube.calls.last == .delete([Self.widget, Self.config]))
  }

  @Test func aFailedCRDCreationFailsTheInstallBeforeAnythingElseIsApplied() async throws {
    let fx = ActionFixture()
    fx.kube.fail(.waitUntilReady, with: .waitTimedOut(timeout: .seconds(60), notReady: []))
    let chart = try CRDChart()
    let error = await actionError { _ = try await chart.install(fx.config).run() }
    guard case .deployFailed? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(objects(fx.kube) == [
      "currentObjects widgets.example.com", "apply widgets.example.com", "waitUntilReady widgets.example.com 1m0s",
    ])
  }
}

extension CRDChart {
  static let gadgetCRD = """
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: gadgets.example.com
    spec:
      group: example.com
      scope: Namespaced
      names: {kind: Gadget, plural: gadgets}
      versions: [{name: v1, served: true, storage: true}]

    """
}

/// The chart's CRDs through the real kubectl and the API test server, which learns the CRD's
/// kind: install creates the CRD and then a Widget of its kind; an upgrade changes the Widget and
/// leaves the CRD alone; uninstall deletes the Widget and keeps the CRD.
@Suite(.serialized) struct CRDEndToEndTests {
  @Test func aChartWithACRDAndAnObjectOfItsKindInstallsUpgradesAndUninstalls() async throws {
    let fx = try LifecycleFixture()
    let chart = try CRDChart()
    func stored(_ kind: String, _ name: String) async throws -> Value? {
      try await fx.server.storedObjects().first { $0["kind"]?.stringValue == kind && $0["metadata"]?["name"]?.stringValue == name }
    }
    var install = try chart.install(fx.config())
    install.options = fx.options(wait: true)
    _ = try await install.run()
    #expect(try await stored("CustomResourceDefinition", "widgets.example.com") != nil)
    #expect(try await stored("Widget", "w")?["spec"]?["size"] == 1)
    let kustomization = try String(
      contentsOf: fx.folder.appendingPathComponent("releases/search/widgets/kustomization.yaml"), encoding: .utf8)
    let resources = kustomization.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("- ") }
    #expect(resources.first == "- crds/customresourcedefinition-widgets.example.com.yaml", "\(kustomization)")
    #expect(resources.count == 3)

    try chart.writeCRD(label: "2")
    var upgrade = try chart.upgrade(fx.config(), size: 3)
    upgrade.options = fx.options(wait: true)
    _ = try await upgrade.run()
    #expect(try await stored("Widget", "w")?["spec"]?["size"] == 3)
    let crd = try await stored("CustomResourceDefinition", "widgets.example.com")
    #expect(crd != nil)
    #expect(crd?["metadata"]?["labels"]?["version"] == nil, "the upgrade did not change the CRD")

    var uninstall = Uninstall(config: fx.config())
    uninstall.release = "widgets"
    _ = try await uninstall.run()
    #expect(try await stored("Widget", "w") == nil)
    #expect(try await stored("CustomResourceDefinition", "widgets.example.com") != nil, "uninstall keeps CRDs")
  }
}
