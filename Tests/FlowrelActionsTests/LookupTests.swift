import FlowrelActions
import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelValue
import Foundation
import KubeTestSupport
import Testing

/// A chart whose one template copies what `lookup` finds into a ConfigMap `copy`: the `color`
/// of ConfigMap `source` in the release namespace ("none" when nothing is found), the kind of
/// Deployment `web`'s `spec.replicas` (a number from the cluster), how many ConfigMaps a list
/// of every namespace holds and the kind of its first item, whether a missing object is an
/// empty map, and the name of the cluster-wide Namespace (its namespace argument ignored).
final class LookupChart {
  let folder: URL

  init() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-lookup-chart-\(UUID().uuidString)")
    let files = [
      "Chart.yaml": "apiVersion: v2\nname: looker\nversion: 0.1.0\n",
      "templates/copy.yaml": """
        {{- $source := lookup "v1" "ConfigMap" .Release.Namespace "source" }}
        {{- $web := lookup "apps/v1" "Deployment" .Release.Namespace "web" }}
        {{- $all := lookup "v1" "ConfigMap" "" "" }}
        {{- $missing := lookup "v1" "Secret" .Release.Namespace "no-such-secret" }}
        {{- $namespace := lookup "v1" "Namespace" "ignored" .Release.Namespace }}
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: copy
        data:
          color: {{ dig "data" "color" "none" $source | quote }}
          replicasKind: {{ kindOf (dig "spec" "replicas" "" $web) | quote }}
          listed: {{ len (default list $all.items) | quote }}
          listedKind: {{ (first (default list $all.items) | default dict).kind | default "" | quote }}
          missingIsEmpty: {{ eq (len $missing) 0 | quote }}
          namespace: {{ dig "metadata" "name" "" $namespace | quote }}

        """,
    ]
    for (path, text) in files {
      let file = folder.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: file)
    }
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  var selection: ChartSelection { ChartSelection(reference: folder.path) }

  /// The `data` of ConfigMap `copy` among `manifests`.
  static func copied(_ manifests: [Manifest]) -> Value? {
    manifests.first { $0.identity.kind == "ConfigMap" && $0.identity.name == "copy" }?.content["data"]
  }
}


@Suite struct LookupTests {
  /// A fixture whose fake cluster holds the lookup sources.
  func fixture() throws -> ActionFixture {
    let fx = ActionFixture()
    var live: [ObjectIdentity: Value] = [:]
    for manifest in try lookupSources(namespace: fx.namespace) { live[manifest.identity] = manifest.content }
    let namespace: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(fx.namespace)]]
    live[ObjectIdentity(apiVersion: "v1", kind: "Namespace", namespace: nil, name: fx.namespace)] = namespace
    fx.kube.liveObjects = live
    return fx
  }

  func install(_ fx: ActionFixture, chart: LookupChart, configure: (inout Install) -> Void = { _ in }) async throws -> DeployResult {
    var action = Install(config: fx.config)
    action.release = "web"
    action.chart = chart.selection
    configure(&action)
    return try await action.run()
  }

  @Test func installReadsTheClusterThroughTheKubeClient() async throws {
    let fx = try fixture()
    let chart = try LookupChart()
    let result = try await install(fx, chart: chart)
    let data = LookupChart.copied(result.manifests)
    #expect(data?["color"] == "blue")
    // Kubernetes' JSON reader (apimachinery util/json) makes an integer an int64.
    #expect(data?["replicasKind"] == "int64")
    #expect(data?["listed"] == "1")
    #expect(data?["missingIsEmpty"] == "true")
    #expect(data?["namespace"] == .string(fx.namespace))
    let lookups = fx.kube.calls.filter { $0.kind == .lookup }
    #expect(lookups == [
      .lookup(apiVersion: "v1", kind: "ConfigMap", namespace: fx.namespace, name: "source"),
      .lookup(apiVersion: "apps/v1", kind: "Deployment", namespace: fx.namespace, name: "web"),
      .lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "", name: ""),
      .lookup(apiVersion: "v1", kind: "Secret", namespace: fx.namespace, name: "no-such-secret"),
      .lookup(apiVersion: "v1", kind: "Namespace", namespace: "ignored", name: fx.namespace),
    ])
  }

  @Test func upgradeAndServerDryRunReadTheCluster() async throws {
    let fx = try fixture()
    let chart = try LookupChart()
    _ = try await install(fx, chart: chart)
    var upgrade = Upgrade(config: fx.config)
    upgrade.release = "web"
    upgrade.chart = chart.selection
    #expect(LookupChart.copied(try await upgrade.run().manifests)?["color"] == "blue")
    let serverDryRun = try await install(fx, chart: chart) { action in
      action.replace = true
      action.options.dryRun = true
      action.options.dryRunOnServer = true
    }
    #expect(LookupChart.copied(serverDryRun.manifests)?["color"] == "blue")
  }

  @Test(arguments: ["dry-run", "no-apply"])
  func clientDryRunAndNoApplyFindNothing(mode: String) async throws {
    let fx = try fixture()
    let chart = try LookupChart()
    let result = try await install(fx, chart: chart) { action in
      if mode == "dry-run" { action.options.dryRun = true } else { action.options.noApply = true }
    }
    let data = LookupChart.copied(result.manifests)
    #expect(data?["color"] == "none")
    #expect(data?["listed"] == "0")
    #expect(data?["namespace"] == "")
    #expect(!fx.kube.calls.contains { $0.kind == .lookup })
  }

  @Test func templateFindsNothing() async throws {
    let fx = try fixture()
    let chart = try LookupChart()
    var template = Template(config: fx.config)
    template.chart = chart.selection
    let result = try await template.run()
    #expect(LookupChart.copied(result.manifests.map(\.manifest))?["color"] == "none")
    #expect(fx.kube.calls.isEmpty)
  }

  @Test func aFailedLookupFailsTheRenderAndNothingIsApplied() async throws {
    let fx = try fixture()
    let chart = try LookupChart()
    fx.kube.fail(.lookup, with: .unservedAPIVersion("apps/v1"))
    let error = await actionError { _ = try await install(fx, chart: chart) }
    let message = error.map { "\($0)" } ?? ""
    #expect(message.contains("error calling lookup: the cluster does not serve the API version \"apps/v1\""), "\(message)")
    #expect(!fx.kube.calls.contains { $0.kind == .apply })
    #expect(throws: (any Error).self) { try fx.history() }
  }
}

/// `lookup` through the real kubectl against the API test server.
@Suite(.serialized) struct LookupEndToEndTests {
  @Test func installGetsWhatTheClusterHoldsAndTemplateGetsNothing() async throws {
    let fx = try LifecycleFixture()
    let chart = try LookupChart()
    let kube = fx.server.client()
    _ = try await kube.ensureNamespace(fx.namespace)
    try await kube.apply(try lookupSources(namespace: fx.namespace), forceConflicts: false)

    var install = Install(config: fx.config())
    install.release = "search-flow"
    install.chart = chart.selection
    let result = try await install.run()
    let data = LookupChart.copied(result.manifests)
    #expect(data?["color"] == "blue")
    #expect(data?["replicasKind"] == "int64")
    #expect(data?["listed"] == "1", "the one ConfigMap there before the install")
    #expect(data?["listedKind"] == "ConfigMap", "items carry the list's kind, as client-go's decoder gives them")
    #expect(data?["missingIsEmpty"] == "true")
    #expect(data?["namespace"] == .string(fx.namespace))
    #expect(try await fx.stored("ConfigMap", "copy")?["data"]?["color"] == "blue")

    var template = Template(config: fx.config())
    template.chart = chart.selection
    let rendered = try await template.run()
    #expect(LookupChart.copied(rendered.manifests.map(\.manifest))?["color"] == "none")
  }
}
