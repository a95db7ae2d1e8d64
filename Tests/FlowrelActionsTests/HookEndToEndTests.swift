import FlowrelActions
import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import KubeTestSupport
import Testing

/// A chart with hooks in a temporary folder, written the way public charts write them:
/// a ConfigMap `web-config` (the release's object, `color` from the values) and `web-kept`
/// (`helm.sh/resource-policy: keep`); pre-install/pre-upgrade hooks `seed` (ConfigMap, weight
/// -1), `announce` (Pod, weight 5), `backfill` and `migrate` (Jobs, weight 5); a post-install/
/// post-upgrade Job `notify` deleted when it succeeded; a pre-delete Job `drain`; a test Pod
/// `smoke`. Values: `migrateFails` makes `migrate` fail (the API test server's annotation),
/// `migratePolicy` sets its delete policy, `smokeFails` makes the test fail, `notifyFails` the
/// post hook.
final class HookChart: FolderChart {
  init() throws {
    let job = { (name: String, events: String, weight: String, extra: String) in
      """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: \(name)
        annotations:
          helm.sh/hook: \(events)
          helm.sh/hook-weight: "\(weight)"
      \(extra)
      spec:
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: run
              image: busybox:1.36
      """
    }
    let files = [
      "Chart.yaml": "apiVersion: v2\nname: hooked\nversion: 0.1.0\n",
      "values.yaml": "color: blue\nmigrateFails: \"\"\nmigratePolicy: \"\"\nsmokeFails: \"\"\nnotifyFails: \"\"\n",
      "templates/config.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-config
        data:
          color: {{ .Values.color }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: web-kept
          annotations:
            helm.sh/resource-policy: keep
        data:
          kept: "yes"

        """,
      "templates/hooks.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: seed
          annotations:
            helm.sh/hook: pre-install, pre-upgrade
            helm.sh/hook-weight: "-1"
        data:
          color: {{ .Values.color }}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: announce
          annotations:
            helm.sh/hook: pre-install,pre-upgrade
            helm.sh/hook-weight: "5"
        spec:
          restartPolicy: Never
          containers:
          - name: run
            image: busybox:1.36
        ---
        \(job("migrate", "pre-install,pre-upgrade", "5", """
            {{- with .Values.migrateFails }}
            flowrel.test/fail: {{ . | quote }}
            {{- end }}
            {{- with .Values.migratePolicy }}
            helm.sh/hook-delete-policy: {{ . }}
            {{- end }}
        """))
        ---
        \(job("backfill", "pre-install,pre-upgrade", "5", ""))
        ---
        \(job("notify", "post-install,post-upgrade", "0", """
            helm.sh/hook-delete-policy: hook-succeeded
            {{- with .Values.notifyFails }}
            flowrel.test/fail: {{ . | quote }}
            {{- end }}
        """))
        ---
        \(job("drain", "pre-delete", "0", ""))
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: smoke
          annotations:
            helm.sh/hook: test
            {{- with .Values.smokeFails }}
            flowrel.test/fail: {{ . | quote }}
            {{- end }}
        spec:
          restartPolicy: Never
          containers:
          - name: run
            image: busybox:1.36

        """,
    ]
    try super.init(prefix: "flowrel-hook-chart", files: files)
  }
}

extension LifecycleFixture {
  /// The names of the objects written (server-side applied: PATCH) since request `from`, in order.
  func applied(from: Int = 0) async throws -> [String] {
    try await server.requests().dropFirst(from).filter { $0.method == "PATCH" }.compactMap { $0.path.split(separator: "/").last.map(String.init) }
  }

  /// The names deleted since request `from`, in order.
  func deleted(from: Int = 0) async throws -> [String] {
    try await server.requests().dropFirst(from).filter { $0.method == "DELETE" }.compactMap { $0.path.split(separator: "/").last.map(String.init) }
  }
}

@Suite(.serialized) struct HookEndToEndTests {
  @Test func installRunsTheHooksByWeightKindAndNameAroundTheRelease() async throws {
    let fx = try LifecycleFixture()
    let chart = try HookChart()
    let result = try await chart.install(fx).run()

    #expect(try await fx.applied() == ["seed", "announce", "backfill", "migrate", "web-config", "web-kept", "notify"])
    // hook-succeeded: deleted once the post-install hooks all succeeded; the default
    // (before-hook-creation) leaves the others until they run again.
    #expect(try await fx.deleted() == ["notify"])
    #expect(try await fx.stored("Job", "notify") == nil)
    #expect(try await fx.stored("Job", "migrate")?["status"]?["succeeded"] == .int(1))
    #expect(try await fx.stored("Pod", "announce")?["status"]?["phase"] == "Succeeded")
    #expect(try await fx.stored("Job", "drain") == nil, "a pre-delete hook does not run at install")

    let revision = try #require(result.revision)
    #expect(revision.manifests.map(\.identity.name) == ["web-config", "web-kept"], "hooks are not the release's objects")
    #expect(Set(revision.hooks.map(\.manifest.identity.name)) == ["seed", "announce", "migrate", "backfill", "notify", "drain", "smoke"])
    let stored = try fx.store.revision(release: "search-flow", namespace: fx.namespace, number: 1)
    #expect(stored.hooks == revision.hooks, "the hooks read back from hooks/ as recorded")
    #expect(stored.hooks.first { $0.manifest.identity.name == "migrate" }?.template == "hooked/templates/hooks.yaml")
  }

  @Test func upgradeDeletesEachHookBeforeCreatingItAgainAndPrunesNoHook() async throws {
    let fx = try LifecycleFixture()
    let chart = try HookChart()
    _ = try await chart.install(fx).run()
    let before = try await fx.server.requests().count
    _ = try await chart.upgrade(fx, ["color": "green"]).run()

    // before-hook-creation: each pre-upgrade hook's old object goes first.
    #expect(try await fx.deleted(from: before) == ["seed", "announce", "backfill", "migrate", "notify"])
    #expect(try await fx.applied(from: before) == ["seed", "announce", "backfill", "migrate", "web-config", "web-kept", "notify"])
    #expect(try await fx.stored("ConfigMap", "web-config")?["data"]?["color"] == "green")
    #expect(try await fx.stored("ConfigMap", "seed")?["data"]?["color"] == "green")
  }

  @Test func aFailingPreUpgradeHookStopsTheUpgradeWithNothingApplied() async throws {
    let fx = try LifecycleFixture()
    let chart = try HookChart()
    _ = try await chart.install(fx).run()
    let before = try await fx.server.requests().count
    let upgrade = try chart.upgrade(fx, ["color": "green", "migrateFails": "schema is locked", "migratePolicy": "before-hook-creation,hook-failed"])
    let error = await actionError { _ = try await upgrade.run() }

    guard case .hookFailed(let failure, revision: 2, restoredRevision: nil)? = error else {
      Issue.record("\(String(describing: error))")
      return
    }
    #expect(failure.event == .preUpgrade)
    #expect(failure.object.name == "migrate")
    #expect(error?.exitCode == 2)
    let message = error?.description ?? ""
    #expect(message.contains("pre-upgrade hook job.batch/migrate (hooked/templates/hooks.yaml) failed: job failed: BackoffLimitExceeded: schema is locked"), "\(message)")
    #expect(message.contains("revision 2 is recorded as failed, and nothing of it was applied"), "\(message)")

    // Hooks after the failing one did not run; the release's objects were not touched.
    #expect(try await fx.applied(from: before) == ["seed", "announce", "backfill", "migrate"])
    #expect(try await fx.stored("ConfigMap", "web-config")?["data"]?["color"] == "blue")
    // hook-failed: the failed hook's object is deleted.
    #expect(try await fx.stored("Job", "migrate") == nil)
    let failed = try fx.store.revision(release: "search-flow", namespace: fx.namespace, number: 2)
    #expect(failed.info.status == .failed)
  }

  @Test func aFailingPostUpgradeHookWithAtomicPutsThePreviousObjectsBack() async throws {
    let fx = try LifecycleFixture()
    let chart = try HookChart()
    _ = try await chart.install(fx).run()
    var upgrade = try chart.upgrade(fx, ["color": "green", "notifyFails": "mail server down"])
    upgrade.options.atomic = true
    let error = await actionError { _ = try await upgrade.run() }
    guard case .hookFailed(let failure, revision: 2, restoredRevision: 3)? = error else {
      Issue.record("\(String(describing: error))")
      return
    }
    #expect(failure.event == .postUpgrade)
    #expect(error?.description.contains("revision 2 was applied and is recorded as failed; revision 3 restored the previous one") == true)
    #expect(try await fx.stored("ConfigMap", "web-config")?["data"]?["color"] == "blue")
    #expect(try fx.store.revision(release: "search-flow", namespace: fx.namespace, number: 3).info.action == .rollback)
  }

  @Test func noHooksSkipsEveryHook() async throws {
    let fx = try LifecycleFixture()
    let chart = try HookChart()
    var install = try chart.install(fx)
    install.options.noHooks = true
    let result = try await install.run()
    #expect(try await fx.applied() == ["web-config", "web-kept"])
    #expect(result.revision?.hooks.count == 7, "the hooks are recorded all the same")
  }

  @Test func testRunsTheTestHooksAndReportsEach() async throws {
    let fx = try LifecycleFixture()
    let chart = try HookChart()
    _ = try await chart.install(fx).run()
    var test = TestRelease(config: fx.config())
    test.release = "search-flow"
    test.timeout = .seconds(20)
    let passed = try await test.run()
    #expect(passed.failure == nil)
    #expect(passed.runs.map { "\($0.hook.manifest.identity.name) \($0.phase.rawValue)" } == ["smoke Succeeded"])
    #expect(Output.tested(passed).hasSuffix("TEST SUITE:     smoke\nPhase:          Succeeded\n"))

    _ = try await chart.upgrade(fx, ["smokeFails": "no answer on port 80"]).run()
    let failed = try await test.run()
    #expect(failed.runs.map { "\($0.hook.manifest.identity.name) \($0.phase.rawValue)" } == ["smoke Failed"])
    #expect(failed.failure?.description == "test hook pod/smoke (hooked/templates/hooks.yaml) failed: pod failed: no answer on port 80")
  }

  @Test func uninstallRunsPreDeleteHooksAndKeepsKeptObjects() async throws {
    let fx = try LifecycleFixture()
    let chart = try HookChart()
    _ = try await chart.install(fx).run()
    let before = try await fx.server.requests().count
    var uninstall = Uninstall(config: fx.config())
    uninstall.release = "search-flow"
    let result = try await uninstall.run()

    #expect(result.objects.map(\.name) == ["web-config"])
    #expect(result.kept.map(\.name) == ["web-kept"])
    #expect(try await fx.applied(from: before) == ["drain"])
    #expect(try await fx.stored("Job", "drain")?["status"]?["succeeded"] == .int(1))
    #expect(try await fx.stored("ConfigMap", "web-config") == nil)
    #expect(try await fx.stored("ConfigMap", "web-kept") != nil, "helm.sh/resource-policy: keep survives the uninstall")
  }
}
