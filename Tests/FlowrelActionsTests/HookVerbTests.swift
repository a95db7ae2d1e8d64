import FlowrelActions
import FlowrelKube
import FlowrelManifest
import Foundation
import KubeTestSupport
import Testing

/// Hook phases against the recording kube client: which calls each verb makes, in order.
@Suite struct HookVerbTests {
  /// A chart whose release object is ConfigMap `cfg`, with a pre-install Job `setup`, and
  /// ConfigMap hooks named after `.Values.tag` for pre-/post-rollback.
  final class Chart {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-hook-verbs-\(UUID().uuidString)")

    deinit { try? FileManager.default.removeItem(at: folder) }

    init() throws {
      let files = [
        "Chart.yaml": "apiVersion: v2\nname: rb\nversion: 0.1.0\n",
        "values.yaml": "tag: a\n",
        "templates/all.yaml": """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: cfg
          data:
            tag: {{ .Values.tag }}
          ---
          apiVersion: batch/v1
          kind: Job
          metadata:
            name: setup
            annotations:
              helm.sh/hook: pre-install
          spec: {}
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: before-{{ .Values.tag }}
            annotations:
              helm.sh/hook: pre-rollback
          ---
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: after-{{ .Values.tag }}
            annotations:
              helm.sh/hook: post-rollback

          """,
      ]
      for (path, text) in files {
        let file = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
      }
    }
  }

  let setup = ObjectIdentity(apiVersion: "batch/v1", kind: "Job", namespace: "search", name: "setup")

  func install(_ fx: ActionFixture, _ chart: Chart) async throws -> DeployResult {
    try await fx.install { $0.chart = ChartSelection(reference: chart.folder.path) }
  }

  @Test func aPreInstallJobIsDeletedCreatedAndWaitedOnBeforeTheRelease() async throws {
    let fx = ActionFixture()
    let chart = try Chart()
    // The Job of an earlier install is still there, and complete.
    fx.kube.liveObjects = [setup: ["status": ["conditions": [["type": "Complete", "status": "True"]]]]]
    _ = try await install(fx, chart)
    #expect(fx.kube.calls == [
      .checkCluster,
      .currentObjects([setup]), .delete([setup]), .waitUntilDeleted([setup], timeout: .seconds(300)),
      .apply([setup], forceConflicts: false), .currentObjects([setup]),
      .apply([ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: "search", name: "cfg")], forceConflicts: false),
    ])
  }

  @Test func aFailedJobFailsTheInstallBeforeTheReleaseIsApplied() async throws {
    let fx = ActionFixture()
    let chart = try Chart()
    fx.kube.liveObjects = [
      setup: ["status": ["conditions": [["type": "Failed", "status": "True", "reason": "DeadlineExceeded", "message": "too slow"]]]]
    ]
    let error = await actionError { _ = try await install(fx, chart) }
    #expect(error?.description
      == "pre-install hook job.batch/setup (rb/templates/all.yaml) failed: job failed: DeadlineExceeded: too slow; revision 1 is recorded as failed, and nothing of it was applied")
    #expect(!fx.kube.calls.contains { if case .apply(let objects, _) = $0 { objects.contains { $0.name == "cfg" } } else { false } })
    #expect(try fx.history() == ["1 install failed"])
  }

  @Test func rollbackRunsTheHooksOfTheRevisionItGoesBackTo() async throws {
    let fx = ActionFixture()
    let chart = try Chart()
    fx.kube.liveObjects = [setup: ["status": ["conditions": [["type": "Complete", "status": "True"]]]]]
    _ = try await install(fx, chart)
    let values = try ActionFixture.values(["tag": "b"])
    _ = try await fx.upgrade(nil) {
      $0.chart = ChartSelection(reference: chart.folder.path)
      $0.values = values
    }
    let before = fx.kube.calls.count
    var rollback = Rollback(config: fx.config)
    rollback.release = "web"
    _ = try await rollback.run()
    let applied = fx.kube.calls.dropFirst(before).compactMap { call -> String? in
      guard case .apply(let objects, _) = call else { return nil }
      return objects.map(\.name).joined(separator: ",")
    }
    #expect(applied == ["before-a", "cfg", "after-a"])
  }
}
