import FlowrelActions
import Foundation
import KubeTestSupport
import Testing

/// helm-diff's flags on the diff verbs and their output: `--allow-unreleased`, `--show-secrets`,
/// `-o`, `-C`, `--suppress` and the color rule.
@Suite struct DiffVerbTests {
  /// A changed Deployment and an added one, with two texts whose middle line differs.
  static let changes: [ObjectChange] = {
    let lines = (1...9).map { "  line\($0): x" }
    var changed = lines
    changed[4] = "  line5: y"
    let deployment = ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "search", name: "web")
    let secret = ObjectIdentity(apiVersion: "v1", kind: "Secret", namespace: "search", name: "db")
    return [
      ObjectChange(identity: deployment, file: "manifests/deployment-web.yaml", kind: .changed,
                   old: lines.joined(separator: "\n") + "\n", new: changed.joined(separator: "\n") + "\n"),
      ObjectChange(identity: secret, file: "manifests/secret-db.yaml", kind: .added, old: nil, new: "data:\n  a: <secret>\n"),
    ]
  }()

  @Test func diffUpgradeOfAReleaseNotInstalledNeedsAllowUnreleasedAndThenAddsEverything() async throws {
    let fx = ActionFixture()
    var action = DiffUpgrade(config: fx.config)
    action.upgrade.release = "web"
    action.upgrade.values = try ActionFixture.values(ActionFixture.flow())
    let error = await actionError { _ = try await action.run() }
    #expect(error?.description.contains("is not installed") == true, "\(String(describing: error))")
    action.upgrade.install = true
    let plan = try await action.run()
    #expect(!plan.changes.isEmpty)
    #expect(plan.changes.allSatisfy { $0.kind == .added && $0.old == nil })
    #expect(try fx.store.releases(namespace: nil).isEmpty, "nothing recorded")
    #expect(fx.kube.calls.isEmpty, "the cluster is not touched")
  }

  @Test func showSecretsWithoutAnIdentityIsAUsageErrorOnEveryDiff() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    _ = try await fx.upgrade()
    var revisions = DiffRevisions(config: fx.config)
    revisions.release = "web"
    revisions.secrets = .shown
    let needsIdentity = "--show-secrets needs an age identity"
    #expect(await actionError { _ = try revisions.run() }?.description.hasPrefix(needsIdentity) == true)
    var upgrade = DiffUpgrade(config: fx.config)
    upgrade.upgrade.release = "web"
    upgrade.secrets = .shown
    #expect(await actionError { _ = try await upgrade.run() }?.description.hasPrefix(needsIdentity) == true)
    var rollback = DiffRollback(config: fx.config)
    rollback.rollback.release = "web"
    rollback.secrets = .shown
    #expect(await actionError { _ = try await rollback.run() }?.description.hasPrefix(needsIdentity) == true)
    revisions.secrets = .masked
    #expect(try revisions.run().changes.map(\.identity.kind) == ["Deployment"])
  }

  @Test func contextSetsTheLinesAroundEachChange() throws {
    var display = DiffDisplay()
    display.suppressedKinds = ["Secret"]
    display.context = 1
    let one = try Output.diff(Array(Self.changes.prefix(1)), display: display)
    #expect(one.contains("@@ -4,3 +4,3 @@\n   line4: x\n-  line5: x\n+  line5: y\n   line6: x\n"), "\(one)")
    display.context = 0
    #expect(try Output.diff(Array(Self.changes.prefix(1)), display: display).contains("@@ -5 +5 @@\n-  line5: x\n+  line5: y\n"))
    display.context = -1
    let whole = try Output.diff(Array(Self.changes.prefix(1)), display: display)
    #expect(whole.contains("@@ -1,9 +1,9 @@\n   line1: x\n"), "\(whole)")
  }

  @Test func suppressedKindsAreCountedButNotShown() throws {
    var display = DiffDisplay()
    display.suppressedKinds = ["Secret"]
    let text = try Output.diff(Self.changes, display: display)
    #expect(text.hasSuffix("--- /dev/null\n+++ b/manifests/secret-db.yaml\n# Changes suppressed on sensitive content of type Secret\n"))
    #expect(!text.contains("<secret>"))
    #expect(text.contains("+  line5: y"))
    display.format = .markdown
    let markdown = try Output.diff(Self.changes, display: display)
    #expect(markdown.hasPrefix("**flowrel diff**: 1 changed, 1 added, 0 removed\n"))
    #expect(markdown.contains("```diff\n# Changes suppressed on sensitive content of type Secret\n```"))
  }

  @Test func jsonListsEachChangeWithItsPatch() throws {
    var display = DiffDisplay()
    display.format = .json
    display.suppressedKinds = ["Secret"]
    let text = try Output.diff(Self.changes, display: display, revisions: (from: 2, to: 3))
    let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(json["from"] as? Int == 2 && json["to"] as? Int == 3)
    let changes = try #require(json["changes"] as? [[String: Any]])
    #expect(changes.map { $0["change"] as? String } == ["changed", "added"])
    #expect(changes.map { $0["kind"] as? String } == ["Deployment", "Secret"])
    #expect(changes[0]["namespace"] as? String == "search" && changes[0]["name"] as? String == "web")
    #expect(changes[0]["apiVersion"] as? String == "apps/v1")
    #expect((changes[0]["patch"] as? String)?.contains("+  line5: y") == true)
    #expect(changes[1]["patch"] == nil && changes[1]["suppressed"] as? Bool == true)
  }

  @Test func colorsOnlyOnATerminalUnlessAskedAsHelmDiffDecides() {
    let colors = DiffDisplay.colors
    #expect(colors(nil, [:], true))
    #expect(!colors(nil, [:], false))
    #expect(!colors(nil, ["TERM": "dumb"], true))
    #expect(!colors(nil, ["NO_COLOR": "1"], true))
    #expect(colors(nil, ["NO_COLOR": ""], true), "an empty NO_COLOR does not count")
    #expect(colors(nil, ["HELM_DIFF_COLOR": "true", "NO_COLOR": "1"], false))
    #expect(!colors(nil, ["HELM_DIFF_COLOR": "false"], true))
    #expect(colors(true, ["NO_COLOR": "1"], false), "--color wins")
    #expect(!colors(false, [:], true), "--no-color wins")
    var display = DiffDisplay()
    display.colored = true
    let text = (try? Output.diff(Array(Self.changes.prefix(1)), display: display)) ?? ""
    #expect(text.contains("\u{1B}[32m+  line5: y\u{1B}[0m"))
  }
}
