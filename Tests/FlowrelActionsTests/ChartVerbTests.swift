import FlowrelActions
import Foundation
import KubeTestSupport
import Testing

@Suite struct ChartVerbTests {
  @Test func templateRendersWithoutTheStoreOrTheCluster() async throws {
    let fx = ActionFixture()
    var template = Template(config: fx.config)
    template.release = "web"
    template.values = try ActionFixture.values(ActionFixture.flow())
    let result = try await template.run()
    #expect(result.manifests.allSatisfy { $0.manifest.identity.namespace == "search" })
    #expect(fx.kube.calls.isEmpty)
    #expect(try fx.store.releases(namespace: nil).isEmpty)
  }

  @Test func showOnlyAnUnknownTemplateIsAnError() async throws {
    var template = Template(config: ActionFixture().config)
    template.showOnly = ["templates/nope.yaml"]
    await #expect(throws: ActionError.self) { try await template.run() }
  }

  @Test func lintFailsOnErrorsAfterReportingThem() throws {
    var lint = Lint(config: ActionFixture().config)
    lint.values = try ActionFixture.values(["executors": [["name": "Not A Name"]]])
    let result = try lint.run()
    #expect(result.results.count == 1 && result.results[0].errors > 0)
    #expect(throws: ActionError.self) { try result.requirePassing() }
    let clean = try Lint(config: ActionFixture().config).run()
    #expect(throws: Never.self) { try clean.requirePassing() }
  }

  @Test func showJoinsTheChartsFiles() throws {
    var show = ShowChart(config: ActionFixture().config)
    show.files = ["Chart.yaml", "values.yaml"]
    let text = try show.run()
    #expect(text.contains("name: flow\n"))
    #expect(text.contains("---\n"))
  }

  @Test func createRefusesAnExistingFolder() throws {
    var create = CreateChart(config: ActionFixture().config)
    create.path = FileManager.default.temporaryDirectory.path
    #expect(throws: ActionError.self) { try create.run() }
  }

  @Test func initAndPushGoThroughTheStore() async throws {
    let fx = ActionFixture()
    #expect(try InitStore(config: fx.config).run() == StoreInitialization(location: "(memory)", createdRepository: false, createdFolder: false))
    await #expect(throws: ActionError.self) { try await Push(config: fx.config).run() }
    await #expect(throws: ActionError.self) { try await Pull(config: fx.config).run() }
  }
}

@Suite struct ValuesInputTests {
  @Test func filesAndFlagsAreResolvedOnceWithTheirOrigins() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-values-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let values = folder.appendingPathComponent("values.yaml").path
    let cert = folder.appendingPathComponent("cert.pem").path
    try "replicas: 2\nimage:\n  tag: 1e3\n".write(toFile: values, atomically: true, encoding: .utf8)
    try "CERT\n".write(toFile: cert, atomically: true, encoding: .utf8)
    var input = ValuesInput()
    input.files = [values]
    input.arguments = [.set: ["replicas=3"], .setFile: ["tls=\(cert)"]]
    let resolved = try input.resolve(from: LocalFiles())
    #expect(resolved.value == ["replicas": 3, "image": ["tag": 1000.0], "tls": "CERT\n"])
    #expect(resolved.origin(of: ValuePath([.key("replicas")]))?.description == "--set replicas=3")
    let tag = resolved.origin(of: ValuePath([.key("image"), .key("tag")]))
    #expect(tag?.description == "\(values):3:8")
    #expect(tag?.text == "1e3")
    #expect(resolved.origin(of: ValuePath([.key("tls")]))?.source == .flag(.setFile, argument: "tls=\(cert)"))
  }

  @Test func aMissingValuesFileIsOneClearError() {
    var input = ValuesInput()
    input.files = ["/nonexistent/values.yaml"]
    #expect(throws: ActionError.self) { try input.resolve(from: LocalFiles()) }
  }

  @Test func storedValuesAreTheBaseOfReusedValues() throws {
    let given = try UserValues.resolve(files: [], arguments: [.set: ["a.b=2"]]) { _ in "" }
    let reused = try given.over(stored: ["a": ["b": 1, "c": 1]], revision: 4)
    #expect(reused.value == ["a": ["b": 2, "c": 1]])
    #expect(reused.origin(of: ValuePath([.key("a"), .key("c")]))?.description == "values of revision 4")
    #expect(reused.origin(of: ValuePath([.key("a"), .key("b")]))?.description == "--set a.b=2")
  }
}

@Suite struct ActionErrorTests {
  @Test func eachErrorKeepsItsKindAndExitCode() {
    #expect(ActionError.usage("x").exitCode == 1)
    #expect(ActionError.chart(.notFound(path: "x")).exitCode == 1)
    #expect(ActionError.kube(.clusterUnreachable("x")).exitCode == 2)
    #expect(ActionError.store(.releaseNotFound(name: "a", namespace: "b")).exitCode == 3)
    #expect(ActionError.store(.invalidName("x", reason: "y")).exitCode == 1)
    struct Strange: Error {}
    guard case .unexpected = ActionError(Strange()) else { Issue.record("an unknown error is not a store error"); return }
    #expect(ActionError(Strange()).exitCode == 1)
  }
}

/// `template` of a large release: the output limit covers the release and is raised with
/// `maxOutputMiB`, and the objects are printed in parts rather than as one text.
@Suite struct LargeTemplateOutputTests {
  /// A chart folder whose one template writes `count` ConfigMaps of about 100 KiB each.
  func blobChart(count: Int) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-blobs-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder + "/templates", withIntermediateDirectories: true)
    try Data("apiVersion: v2\nname: blobs\nversion: 1.0.0\n".utf8).write(to: URL(fileURLWithPath: folder + "/Chart.yaml"))
    let template = """
      {{- range $i := until \(count) }}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: blob-{{ $i }}
      data:
        blob: {{ repeat 102400 "x" }}
      {{- end }}
      """
    try Data(template.utf8).write(to: URL(fileURLWithPath: folder + "/templates/blobs.yaml"))
    return folder
  }

  @Test func theLimitCoversTheReleaseAndTheFlagRaisesIt() async throws {
    let folder = try blobChart(count: 12)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var template = Template(config: ActionFixture().config)
    template.chart = ChartSelection(reference: folder)
    template.rendering.maxOutputMiB = 1
    let error = await #expect(throws: ActionError.self) { try await template.run() }
    #expect(error?.description.contains("the output is longer than 1 MiB, the most flowrel renders for one release") == true)
    #expect(error?.description.contains("raise it with --max-output") == true)
    template.rendering.maxOutputMiB = 2
    #expect(try await template.run().manifests.count == 12)
  }

  @Test func aLimitOutsideOneMebibyteToOneTebibyteIsAUsageError() {
    var settings = RenderSettings()
    for wrong in [0, -1, (1 << 20) + 1] {
      settings.maxOutputMiB = wrong
      #expect(throws: ActionError.self) { try settings.validate() }
    }
    settings.maxOutputMiB = 1 << 20
    #expect(throws: Never.self) { try settings.validate() }
  }

  /// The parts join to the one-text stream, and none but a large object's is much over a megabyte.
  @Test func theStreamIsHandedOverInPartsThatJoinToIt() async throws {
    let folder = try blobChart(count: 30)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var template = Template(config: ActionFixture().config)
    template.chart = ChartSelection(reference: folder)
    let manifests = try await template.run().manifests
    var parts: [String] = []
    Output.stream(manifests) { parts.append($0) }
    #expect(parts.joined() == Output.stream(manifests))
    #expect(parts.count > 1 && parts.count < manifests.count)
    #expect(parts.allSatisfy { $0.utf8.count < (1 << 20) + 110_000 })
  }
}
