import FlowrelActions
import Foundation
import KubeTestSupport
import Testing

@Suite struct StatusTests {
  /// A workload of `kind` named `name`.
  static func identity(_ kind: String, _ name: String) -> ObjectIdentity {
    ObjectIdentity(apiVersion: kind == "Job" ? "batch/v1" : "apps/v1", kind: kind, namespace: "search", name: name)
  }

  @Test func readinessIsReadAsKubectlShowsIt() async throws {
    let fx = ActionFixture()
    let manifests = try [("Deployment", "web"), ("DaemonSet", "agent"), ("Job", "migrate"), ("StatefulSet", "gone")].map { kind, name in
      try Manifest(content: [
        "apiVersion": .string(kind == "Job" ? "batch/v1" : "apps/v1"), "kind": .string(kind),
        "metadata": ["name": .string(name), "namespace": "search"],
      ])
    }
    _ = try await fx.store.record(NewRevision(
      release: "web", namespace: "search", action: .install, status: .deployed, chart: ChartReference(name: "x", version: "1.0.0"),
      values: .emptyMap, manifests: manifests, notes: nil, description: "Install complete"))
    fx.kube.liveObjects = [
      Self.identity("Deployment", "web"): ["spec": ["replicas": 3], "status": ["readyReplicas": 2]],
      Self.identity("DaemonSet", "agent"): ["status": ["numberReady": 4, "desiredNumberScheduled": 5]],
      Self.identity("Job", "migrate"): ["spec": ["completions": 2], "status": ["succeeded": 2]],
    ]
    var status = Status(config: fx.config)
    status.release = "web"
    let report = try await status.run()
    let byName = Dictionary(uniqueKeysWithValues: report.workloads.map { ($0.identity.name, $0) })
    #expect(byName["web"].map { [$0.ready, $0.wanted] } == [2, 3])
    #expect(byName["agent"].map { [$0.ready, $0.wanted] } == [4, 5])
    #expect(byName["migrate"].map { [$0.ready, $0.wanted] } == [2, 2])
    #expect(byName["gone"]?.exists == false)
  }

  @Test func statusOfAReleaseNotInstalledFails() async throws {
    let fx = ActionFixture()
    var status = Status(config: fx.config)
    status.release = "web"
    let error = await actionError { _ = try await status.run() }
    guard case .notInstalled? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(fx.kube.calls.isEmpty)
  }
}

@Suite struct QueryTests {
  @Test func historyListGetAndDiffReadTheStore() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    _ = try await fx.upgrade()
    var history = History(config: fx.config)
    history.release = "web"
    history.max = 1
    #expect(try history.run().map(\.revision) == [2])
    var list = ListReleases(config: fx.config)
    list.allNamespaces = true
    #expect(try list.run().map(\.release) == ["web"])
    var get = GetRelease(config: fx.config)
    get.release = "web"
    get.revision = 1
    #expect(try get.run().revision.values["executors"]?[0]?["replicas"] == 1)
    var diff = DiffRevisions(config: fx.config)
    diff.release = "web"
    let result = try diff.run()
    #expect(result.from == 1 && result.to == 2)
    #expect(result.changes.map(\.kind) == [.changed])
  }

  @Test func historyMaxMustBePositive() throws {
    var history = History(config: ActionFixture().config)
    history.release = "web"
    history.max = 0
    #expect(throws: ActionError.self) { try history.run() }
  }

  @Test func listsAsTablesJSONAndYAMLWithHelmsFieldNames() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    let table = Output.list(try ListReleases(config: fx.config).run())
    let json = try table.formatted(.json)
    let parsed = try Value(jsonText: json)
    #expect(parsed[0]?["name"] == "web")
    #expect(parsed[0]?["revision"] == 1)
    #expect(parsed[0]?["app_version"] != nil)
    #expect(try table.formatted(.table).hasPrefix("NAME"))
  }
}

@Suite struct StatusOutputTests {
  @Test func statusAsJSONCarriesTheWorkloads() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var status = Status(config: fx.config)
    status.release = "web"
    let report = try await status.run()
    let value = try Value(jsonText: try Output.status(report, format: .json))
    #expect(value["name"] == "web")
    #expect(value["info"]?["status"] == "deployed")
    #expect(value["workloads"]?.listValue?.count == report.workloads.count)
    #expect(value["workloads"]?[0]?["exists"] == false, "the fake cluster has none of them")
    #expect(try Output.status(report, format: .table) == Output.status(report))
  }
}

/// `status --revision N --show-resources` and `get values --all`.
@Suite struct RevisionQueryTests {
  @Test func statusShowsTheRevisionAskedForAndEachObjectWithWhetherItExists() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    let upgraded = try await fx.upgrade()
    let first = try fx.store.revision(release: "web", namespace: fx.namespace, number: 1)
    // Only the first object of revision 1 exists in the cluster.
    let present = try #require(first.manifests.first).identity
    fx.kube.liveObjects = [present: ["metadata": ["name": .string(present.name)]]]
    var status = Status(config: fx.config)
    status.release = "web"
    status.revision = 1
    status.showResources = true
    let report = try await status.run()
    #expect(report.info.revision == 1)
    #expect(upgraded.revision?.info.revision == 2)
    let resources = try #require(report.resources)
    #expect(resources.map(\.identity) == first.manifests.map(\.identity))
    #expect(resources.filter(\.exists).map(\.identity) == [present])
    let table = Output.status(report)
    #expect(table.contains("REVISION: 1\n"))
    #expect(table.contains("RESOURCES:\n  \(present.kubectlName) (\(fx.namespace)) exists\n"))
    let json = try Value(jsonText: try Output.status(report, format: .json))
    #expect(json["resources"]?.listValue?.count == first.manifests.count)
    #expect(json["resources"]?[0]?["exists"] == true)
    #expect(json["resources"]?[1]?["exists"] == false)
  }

  @Test func statusWithoutShowResourcesAsksTheClusterOnlyForWorkloads() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var status = Status(config: fx.config)
    status.release = "web"
    let report = try await status.run()
    #expect(report.resources == nil)
    #expect(!Output.status(report).contains("RESOURCES:"))
    guard case .currentObjects(let asked)? = fx.kube.calls.last else { Issue.record("\(fx.kube.calls)"); return }
    #expect(Set(asked.map(\.kind)).isSubset(of: ["Deployment", "StatefulSet", "DaemonSet", "Job"]))
  }

  @Test func getValuesAllCoalescesTheGivenValuesOverTheChartsDefaults() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var get = GetRelease(config: fx.config)
    get.release = "web"
    get.computeValues = true
    let result = try get.run()
    let computed = try #require(result.computedValues)
    let defaults = try #require(try Chart.builtin("flow")).defaultValues
    // Every default key is there; the given executors win over the default's.
    for key in defaults.mapValue?.keys ?? [] { #expect(computed[key] != nil, "\(key)") }
    #expect(computed["executors"] == result.revision.values["executors"])
    #expect(try Output.values(result, format: .table).hasPrefix("COMPUTED VALUES:\n"))
    get.computeValues = false
    let given = try get.run()
    #expect(given.computedValues == nil)
    #expect(try Output.values(given, format: .table).hasPrefix("USER-SUPPLIED VALUES:\n"))
    #expect(try Value(jsonText: try Output.values(given, format: .json)) == given.revision.values)
  }

  @Test func getValuesAllRefusesAChartThatIsNotBuiltIn() async throws {
    let fx = ActionFixture()
    _ = try await fx.store.record(NewRevision(
      release: "web", namespace: fx.namespace, action: .install, status: .deployed, chart: ChartReference(name: "mine", version: "1.0.0"),
      values: ["a": 1], manifests: [], notes: nil, description: "Install complete"))
    var get = GetRelease(config: fx.config)
    get.release = "web"
    get.computeValues = true
    #expect(throws: ActionError.self) { try get.run() }
  }
}
