import FlowrelActions
import FlowrelAge
import Foundation
import KubeTestSupport
import Testing

/// A chart whose templates draw: a Secret with a generated password (two calls with the same
/// arguments), a ConfigMap with a UUID, and optionally a template that reads the clock or
/// a second ConfigMap with a call of its own.
final class DrawingChart: @unchecked Sendable {
  let folder: URL

  init(extra: Bool = false, clock: Bool = false) throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-draws-\(UUID().uuidString)")
    var files = [
      "Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
      "values.yaml": "color: blue\n",
      "templates/secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata:
          name: app-admin
        stringData:
          password: {{ randAlphaNum 16 | quote }}
          second: {{ randAlphaNum 16 | quote }}
        """,
      "templates/config.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-config
          annotations:
            rollme: {{ randAlphaNum 5 | quote }}
        data:
          id: {{ uuidv4 | quote }}
          color: {{ .Values.color }}
        """,
    ]
    if extra {
      files["templates/extra.yaml"] = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: app-extra
        data:
          token: {{ randAlphaNum 16 | quote }}
        """
    }
    if clock { files["templates/clock.yaml"] = "# {{ now }}\n" }
    for (name, text) in files {
      let url = folder.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
    }
  }

  deinit { try? FileManager.default.removeItem(at: folder) }
}

/// Install, upgrade, rollback and template with a chart that draws random values.
@Suite struct DrawVerbTests {
  let identity = AgeIdentity.generate()
  let store: MemoryReleaseStore
  let kube = FakeKubeClient()

  init() {
    store = MemoryReleaseStore(
      secrets: SecretSettings(recipients: [identity.recipient], keyring: AgeKeyring(identities: [identity])), flowrelVersion: "test")
  }

  var config: ActionConfiguration { ActionConfiguration(releases: store, kube: kube, namespace: "search") }

  func install(_ chart: DrawingChart) async throws -> DeployResult {
    var action = Install(config: config)
    action.release = "app"
    action.chart = ChartSelection(reference: chart.folder.path)
    return try await action.run()
  }

  func upgrade(_ chart: DrawingChart, color: String? = nil, regenerate: Bool = false) async throws -> DeployResult {
    var action = Upgrade(config: config)
    action.release = "app"
    action.chart = ChartSelection(reference: chart.folder.path)
    if let color { action.values = try UserValues(files: [ValuesFile(name: "v.yaml", value: ["color": .string(color)])]) }
    action.rendering.regenerate = regenerate
    return try await action.run()
  }

  /// The string at `field` of `key` in the object named `name`.
  func field(_ result: DeployResult, _ name: String, _ section: String, _ key: String) -> String? {
    result.manifests.first { $0.identity.name == name }?.content[section]?[key]?.stringValue
  }

  @Test func anUpgradeKeepsThePasswordAndAReRenderIsByteIdentical() async throws {
    let chart = try DrawingChart()
    let installed = try await install(chart)
    let password = try #require(field(installed, "app-admin", "stringData", "password"))
    #expect(password.count == 16)
    // The same call twice in one template: two values.
    #expect(field(installed, "app-admin", "stringData", "second") != password)
    let upgraded = try await upgrade(chart)
    #expect(upgraded.manifests.map(\.canonicalYAML) == installed.manifests.map(\.canonicalYAML))
    #expect(upgraded.plan.changed.isEmpty)
    let stored = try store.revision(release: "app", namespace: "search", number: 2)
    #expect(stored.draws == installed.revision?.draws)
    #expect(stored.draws != nil)
    // The `rollme` idiom no longer rolls: the annotation is the same on every upgrade.
    let again = try await upgrade(chart, color: "green")
    #expect(
      again.manifests.first { $0.identity.name == "app-config" }?.content["metadata"]?["annotations"]?["rollme"]
        == installed.manifests.first { $0.identity.name == "app-config" }?.content["metadata"]?["annotations"]?["rollme"])
    #expect(field(again, "app-config", "data", "color") == "green")
    #expect(field(again, "app-admin", "stringData", "password") == password)
  }

  @Test func regenerateDrawsNewValues() async throws {
    let chart = try DrawingChart()
    let installed = try await install(chart)
    let regenerated = try await upgrade(chart, regenerate: true)
    #expect(field(regenerated, "app-admin", "stringData", "password") != field(installed, "app-admin", "stringData", "password"))
    #expect(field(regenerated, "app-config", "data", "id") != field(installed, "app-config", "data", "id"))
    // The next upgrade keeps the regenerated ones.
    let next = try await upgrade(chart)
    #expect(field(next, "app-admin", "stringData", "password") == field(regenerated, "app-admin", "stringData", "password"))
  }

  @Test func aNewCallDrawsAnewWhileTheOldOnesAreKept() async throws {
    let installed = try await install(try DrawingChart())
    let upgraded = try await upgrade(try DrawingChart(extra: true))
    #expect(field(upgraded, "app-admin", "stringData", "password") == field(installed, "app-admin", "stringData", "password"))
    let token = try #require(field(upgraded, "app-extra", "data", "token"))
    #expect(token.count == 16 && token != field(installed, "app-admin", "stringData", "password"))
  }

  @Test func aRollbackBringsBackTheTargetsDrawsForTheUpgradesAfterIt() async throws {
    let chart = try DrawingChart()
    let installed = try await install(chart)
    _ = try await upgrade(chart, regenerate: true)
    var rollback = Rollback(config: config)
    rollback.release = "app"
    rollback.revision = 1
    let rolledBack = try await rollback.run()
    #expect(rolledBack.revision?.draws == installed.revision?.draws)
    let after = try await upgrade(chart)
    #expect(field(after, "app-admin", "stringData", "password") == field(installed, "app-admin", "stringData", "password"))
  }

  @Test func theClockStaysRefused() async throws {
    let error = await actionError { _ = try await install(try DrawingChart(clock: true)) }
    #expect(error?.description.contains("now gives a different result on every render") == true, "\(String(describing: error))")
    #expect(try store.releases(namespace: nil).isEmpty)
  }

  @Test func drawsReadWithoutAnIdentityStopTheUpgradeBeforeAnythingIsApplied() async throws {
    let chart = try DrawingChart()
    _ = try await install(chart)
    let applied = kube.calls.filter { $0.kind == .apply }.count
    let blind = store.withSecrets(SecretSettings(recipients: [identity.recipient]))
    var action = Upgrade(config: ActionConfiguration(releases: blind, kube: kube, namespace: "search"))
    action.release = "app"
    action.chart = ChartSelection(reference: chart.folder.path)
    let error = await actionError { _ = try await action.run() }
    #expect(error?.description.contains("draws.sops.yaml") == true, "\(String(describing: error))")
    #expect(kube.calls.filter { $0.kind == .apply }.count == applied)
    #expect(try store.history(release: "app", namespace: "search", max: nil).count == 1)
  }

  @Test func templateDrawsFreshValuesOnEveryRunAndSaysWhichFunctionsDid() async throws {
    let chart = try DrawingChart()
    var action = Template(config: config)
    action.release = "app"
    action.chart = ChartSelection(reference: chart.folder.path)
    let first = try await action.run()
    let second = try await action.run()
    func password(_ result: Template.Result) -> String? {
      result.manifests.first { $0.manifest.identity.name == "app-admin" }?.manifest.content["stringData"]?["password"]?.stringValue
    }
    #expect(password(first) != nil && password(first) != password(second))
    #expect(first.output.drawnAnew == ["randAlphaNum", "uuidv4"])
    let note = try #require(Output.drawnAnew(first.output.drawnAnew))
    #expect(note.hasPrefix("note: randAlphaNum, uuidv4 drew new values"))
    #expect(Output.drawnAnew([]) == nil)
    #expect(try store.releases(namespace: nil).isEmpty)
  }
}
