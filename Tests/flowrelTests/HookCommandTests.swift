import Foundation
import Testing

/// Hooks on the command line: `template` shows them after the objects (as `helm template`
/// does) unless `--no-hooks`, `--skip-tests` drops the test hooks, `get hooks` shows a
/// revision's hooks, and an unknown hook event is left out with a line on stderr.
@Suite struct HookCommandTests {
  static let chart = [
    "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "c/templates/all.yaml": """
      apiVersion: v1
      kind: Pod
      metadata:
        name: smoke
        annotations:
          helm.sh/hook: test
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: config
      ---
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: migrate
        annotations:
          helm.sh/hook: pre-install,pre-upgrade
          helm.sh/hook-weight: "-5"
      spec: {}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: odd
        annotations:
          helm.sh/hook: after-install

      """,
  ]

  /// The `# Source:` comment and `kind`/`name` of each document of a stream, in order.
  func documents(_ stream: String) -> [String] {
    stream.components(separatedBy: "---\n").dropFirst().map { document in
      let lines = document.split(separator: "\n")
      let kind = lines.first { $0.hasPrefix("kind: ") }?.dropFirst(6) ?? "?"
      let name = lines.first { $0.hasPrefix("  name: ") }?.dropFirst(8) ?? "?"
      return "\(lines.first ?? "") \(kind)/\(name)"
    }
  }

  @Test func templateShowsTheHooksAfterTheObjects() throws {
    let folder = try TemporaryFolder(Self.chart)
    let result = try FlowrelProcess.run(["template", "r", folder.path("c")])
    #expect(result.status == 0, "\(result.stderr)")
    // Helm's template: the release's manifest, then each hook (in kind order: Pod before Job).
    #expect(documents(result.stdout) == [
      "# Source: c/templates/all.yaml ConfigMap/config", "# Source: c/templates/all.yaml Pod/smoke",
      "# Source: c/templates/all.yaml Job/migrate",
    ])
    #expect(result.stdout.contains("    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: \"-5\"\n"), "annotations kept")
    #expect(result.stderr.contains("skipping configmap/odd (c/templates/all.yaml): helm.sh/hook \"after-install\" names an unknown hook event"))
  }

  @Test func noHooksAndSkipTestsLeaveHooksOut() throws {
    let folder = try TemporaryFolder(Self.chart)
    let noHooks = try FlowrelProcess.run(["template", "r", folder.path("c"), "--no-hooks"])
    #expect(noHooks.status == 0, "\(noHooks.stderr)")
    #expect(documents(noHooks.stdout) == ["# Source: c/templates/all.yaml ConfigMap/config"])
    let skipTests = try FlowrelProcess.run(["template", "r", folder.path("c"), "--skip-tests"])
    #expect(skipTests.status == 0, "\(skipTests.stderr)")
    #expect(documents(skipTests.stdout) == [
      "# Source: c/templates/all.yaml ConfigMap/config", "# Source: c/templates/all.yaml Job/migrate",
    ])
  }

  @Test func aDryRunShowsTheHooksAfterTheObjectsUnlessNoHooks() throws {
    let folder = try TemporaryFolder(Self.chart)
    let dryRun = try FlowrelProcess.run(["install", "r", folder.path("c"), "--dry-run"], in: folder.url)
    #expect(dryRun.status == 0, "\(dryRun.stderr)")
    // The objects (without sources, as a dry run shows them), then the hooks under their sources.
    #expect(documents(dryRun.stdout) == [
      "apiVersion: v1 ConfigMap/config", "# Source: c/templates/all.yaml Pod/smoke", "# Source: c/templates/all.yaml Job/migrate",
    ])
    let noHooks = try FlowrelProcess.run(["install", "r", folder.path("c"), "--dry-run", "--no-hooks"], in: folder.url)
    #expect(noHooks.status == 0, "\(noHooks.stderr)")
    #expect(documents(noHooks.stdout) == ["apiVersion: v1 ConfigMap/config"])
  }

  @Test func getHooksShowsTheRecordedHooksAndGetManifestNone() throws {
    let folder = try TemporaryFolder(Self.chart)
    let install = try FlowrelProcess.run(["install", "r", folder.path("c"), "--no-apply"], in: folder.url)
    #expect(install.status == 0, "\(install.stderr)")
    let hooks = try FlowrelProcess.run(["get", "hooks", "r"], in: folder.url)
    #expect(hooks.status == 0, "\(hooks.stderr)")
    #expect(documents(hooks.stdout) == ["# Source: c/templates/all.yaml Pod/smoke", "# Source: c/templates/all.yaml Job/migrate"])
    let manifest = try FlowrelProcess.run(["get", "manifest", "r"], in: folder.url)
    #expect(manifest.status == 0, "\(manifest.stderr)")
    #expect(!manifest.stdout.contains("smoke") && !manifest.stdout.contains("migrate"), "\(manifest.stdout)")
    #expect(manifest.stdout.contains("name: config\n"))
    let json = try FlowrelProcess.run(["get", "hooks", "r", "-o", "json"], in: folder.url)
    #expect(json.status == 0, "\(json.stderr)")
    #expect(json.stdout.hasPrefix("["), "\(json.stdout)")
    #expect(json.stdout.contains("\"helm.sh/hook\""))
    #expect(FileManager.default.fileExists(atPath: folder.path("releases/default/r/hooks/job-migrate.yaml")))
    // Helm's `get all` shows the hooks under HOOKS:, between the values and the manifest.
    let all = try FlowrelProcess.run(["get", "all", "r"], in: folder.url)
    #expect(all.status == 0, "\(all.stderr)")
    let hooksAt = try #require(all.stdout.range(of: "\nHOOKS:\n---\n# Source: c/templates/all.yaml\napiVersion: v1\nkind: Pod\n"))
    let manifestAt = try #require(all.stdout.range(of: "\nMANIFEST:\n"))
    #expect(hooksAt.lowerBound < manifestAt.lowerBound)
  }

  @Test func testRefusesATimeoutOfZeroBeforeReachingTheCluster() throws {
    let result = try FlowrelProcess.run(["test", "r", "--timeout", "0s"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("--timeout must be above zero"), "\(result.stderr)")
  }
}
