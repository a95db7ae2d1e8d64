import FlowrelActions
import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import KubeTestSupport
import Testing

/// A small chart in a temporary folder: a ConfigMap `web-config` and a Deployment `web`
/// selecting `app: <app>`; `extra` adds a ConfigMap `web-extra`, `invalid` an annotation the
/// API test server refuses (with that message), `slowDeletion` the test server's deletion
/// delay on `web-config`.
final class WebChart: FolderChart {
  init() throws {
    let files = [
      "Chart.yaml": "apiVersion: v2\nname: web\nversion: 0.1.0\n",
      "values.yaml": "app: a\ncolor: blue\nextra: false\ninvalid: \"\"\nslowDeletion: \"\"\n",
      "templates/config.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-config
          {{- if .Values.slowDeletion }}
          annotations:
            flowrel.test/deletion-delay: {{ .Values.slowDeletion | quote }}
          {{- end }}
        data:
          app: {{ .Values.app }}
          color: {{ .Values.color }}
        {{- if .Values.extra }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-extra
        data:
          extra: "yes"
        {{- end }}

        """,
      "templates/deployment.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          {{- if .Values.invalid }}
          annotations:
            flowrel.test/invalid: {{ .Values.invalid | quote }}
          {{- end }}
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: {{ .Values.app }}
          template:
            metadata:
              labels:
                app: {{ .Values.app }}
            spec:
              containers:
              - name: web
                image: nginx:1.27

        """,
    ]
    try super.init(prefix: "flowrel-web-chart", files: files)
  }
}

extension LifecycleFixture {
  /// The object of `kind` named `name` in the release's namespace, as the server stores it.
  func stored(_ kind: String, _ name: String) async throws -> Value? {
    try await server.storedObjects().first {
      $0["kind"]?.stringValue == kind && $0["metadata"]?["name"]?.stringValue == name
        && $0["metadata"]?["namespace"]?.stringValue == namespace
    }
  }
}

@Suite(.serialized) struct ClusterFlagEndToEndTests {
  @Test func serverDryRunShowsTheServersValidationErrorAndChangesNothing() async throws {
    let fx = try LifecycleFixture()
    let chart = try WebChart()
    _ = try await fx.server.client().ensureNamespace(fx.namespace)

    var refused = try chart.install(fx, ["invalid": "replicas must be odd"])
    refused.options.dryRun = true
    refused.options.dryRunOnServer = true
    let error = await actionError { _ = try await refused.run() }
    guard case .kube(.validationFailed(let message))? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("replicas must be odd"), "\(message)")
    #expect(error?.exitCode == 2)

    var accepted = try chart.install(fx)
    accepted.options.dryRun = true
    accepted.options.dryRunOnServer = true
    let result = try await accepted.run()
    #expect(result.revision == nil)
    #expect(try await fx.stored("Deployment", "web") == nil, "the server stored nothing (dryRun=All)")
    #expect(try await fx.stored("ConfigMap", "web-config") == nil)
    let patches = try await fx.server.requests().filter { $0.method == "PATCH" && $0.path.hasSuffix("/deployments/web") }
    #expect(patches.count == 2, "both dry runs asked the server about the Deployment")
    #expect(throws: StoreError.releaseNotFound(name: "search-flow", namespace: fx.namespace)) { try fx.history() }
  }

  @Test func cleanupOnFailDeletesWhatTheFailedUpgradeCreated() async throws {
    let fx = try LifecycleFixture()
    let chart = try WebChart()
    _ = try await chart.install(fx).run()
    var upgrade = try chart.upgrade(fx, ["extra": true, "invalid": "no"])
    upgrade.options.cleanupOnFail = true
    let error = await actionError { _ = try await upgrade.run() }
    guard case .deployFailed(revision: 2, restoredRevision: nil, cause: .applyFailed)? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(try await fx.stored("ConfigMap", "web-extra") == nil, "created by the failed attempt: deleted")
    #expect(try await fx.stored("ConfigMap", "web-config") != nil, "there before: kept")
    #expect(try await fx.stored("Deployment", "web") != nil, "there before: kept")
    #expect(try fx.history().map(\.status) == [.deployed, .failed])
  }

  @Test func withoutCleanupOnFailTheCreatedObjectsStay() async throws {
    let fx = try LifecycleFixture()
    let chart = try WebChart()
    _ = try await chart.install(fx).run()
    let error = await actionError { _ = try await chart.upgrade(fx, ["extra": true, "invalid": "no"]).run() }
    guard case .deployFailed? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(try await fx.stored("ConfigMap", "web-extra") != nil)
  }

  @Test func forceRecreatesAnObjectWhoseImmutableFieldChanged() async throws {
    let fx = try LifecycleFixture()
    let chart = try WebChart()
    _ = try await chart.install(fx).run()
    let before = try #require(try await fx.stored("Deployment", "web"))
    let configBefore = try #require(try await fx.stored("ConfigMap", "web-config"))

    let refused = await actionError { _ = try await chart.upgrade(fx, ["app": "b"]).run() }
    guard case .deployFailed(revision: 2, restoredRevision: nil, cause: .applyFailed(let message))? = refused else {
      Issue.record("\(String(describing: refused))"); return
    }
    #expect(message.contains("field is immutable"), "\(message)")

    var forced = try chart.upgrade(fx, ["app": "b"])
    forced.options.force = true
    let result = try await forced.run()
    #expect(result.revision?.info.revision == 3)
    #expect(result.revision?.info.status == .deployed)
    let after = try #require(try await fx.stored("Deployment", "web"))
    #expect(after["spec"]?["selector"]?["matchLabels"]?["app"] == "b")
    #expect(after["metadata"]?["uid"] != before["metadata"]?["uid"], "deleted and created again")
    let configAfter = try #require(try await fx.stored("ConfigMap", "web-config"))
    #expect(configAfter["data"]?["app"] == "b")
    #expect(configAfter["metadata"]?["uid"] == configBefore["metadata"]?["uid"], "replaced in place")
    #expect(try fx.history().map(\.status) == [.superseded, .failed, .deployed])

    // The replaced objects are flowrel's to apply again: no conflict with the replacement.
    let next = try await chart.upgrade(fx, ["app": "b", "color": "red"]).run()
    #expect(next.revision?.info.status == .deployed)
    #expect(try await fx.stored("ConfigMap", "web-config")?["data"]?["color"] == "red")
  }

  @Test func uninstallWaitWaitsUntilTheObjectsAreGone() async throws {
    let fx = try LifecycleFixture()
    let chart = try WebChart()
    _ = try await chart.install(fx, ["slowDeletion": "1"]).run()
    var uninstall = Uninstall(config: fx.config())
    uninstall.release = "search-flow"
    uninstall.wait = true
    uninstall.timeout = .seconds(30)
    _ = try await uninstall.run()
    #expect(try await fx.stored("ConfigMap", "web-config") == nil, "gone when uninstall returns, though its deletion took a second")
    #expect(try fx.history().last?.status == .uninstalled)
  }

  @Test func uninstallWaitTimesOutOnAnObjectThatStays() async throws {
    let fx = try LifecycleFixture()
    let chart = try WebChart()
    _ = try await chart.install(fx, ["slowDeletion": "never"]).run()
    var uninstall = Uninstall(config: fx.config())
    uninstall.release = "search-flow"
    uninstall.wait = true
    uninstall.timeout = .seconds(1)
    let error = await actionError { _ = try await uninstall.run() }
    guard case .uninstallIncomplete(revision: 2, cause: .deleteTimedOut(_, let remaining))? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(remaining.map(\.name) == ["web-config"])
    #expect(error?.description.contains("timed out after 1s") == true, "\(String(describing: error))")
    #expect(try await fx.stored("Deployment", "web") == nil)
    #expect(try fx.history().last?.status == .uninstalled)
  }

  @Test func thePostRenderedObjectsReachTheClusterAndTheStore() async throws {
    let fx = try LifecycleFixture()
    let chart = try WebChart()
    let script = try PostRendererScript("sed -e 's/^  replicas: 1$/  replicas: 3/'")
    var install = try chart.install(fx)
    install.postRenderer = script.renderer
    _ = try await install.run()
    #expect(try await fx.stored("Deployment", "web")?["spec"]?["replicas"] == 3)
    let stored = try fx.store.revision(release: "search-flow", namespace: fx.namespace, number: 1)
    #expect(stored.manifests.first { $0.identity.kind == "Deployment" }?.content["spec"]?["replicas"] == 3)
  }
}
