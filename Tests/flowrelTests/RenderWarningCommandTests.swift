import Foundation
import Testing

/// What Helm's log prints while values are merged and subcharts switched on and off reaches
/// standard error in every rendering verb, and the chart's version is recorded as written.
@Suite struct RenderWarningCommandTests {
  static let warning = "WARNING: condition sub.enabled of subchart sub is not true or false; it is ignored\n"

  /// A parent whose subchart's condition holds a string, at version `v0.0.0` (as cert-manager's).
  static func folder() throws -> TemporaryFolder {
    try TemporaryFolder([
      "parent/Chart.yaml": """
        apiVersion: v2
        name: parent
        version: v0.0.0
        dependencies:
          - name: sub
            version: 1.0.0
            condition: sub.enabled
        """,
      "parent/values.yaml": "sub:\n  enabled: \"yes\"\n",
      "parent/templates/cm.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: parent
        data:
          version: {{ .Chart.Version | quote }}
        """,
      "parent/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
    ])
  }

  @Test func templateInstallUpgradeAndLintShowTheWarning() throws {
    let folder = try Self.folder()
    let chart = folder.path("parent"), store = folder.path("releases")
    let template = try FlowrelProcess.run(["template", "r", chart], in: folder.url)
    #expect(template.status == 0, "\(template.stderr)")
    #expect(template.stderr == Self.warning)
    #expect(template.stdout.contains("version: v0.0.0\n"))
    let install = try FlowrelProcess.run(["install", "r", chart, "--no-apply", "--store", store], in: folder.url)
    #expect(install.status == 0, "\(install.stderr)")
    #expect(install.stderr.contains(Self.warning), "\(install.stderr)")
    let upgrade = try FlowrelProcess.run(["upgrade", "r", chart, "--no-apply", "--store", store], in: folder.url)
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    #expect(upgrade.stderr.contains(Self.warning), "\(upgrade.stderr)")
    let lint = try FlowrelProcess.run(["lint", chart], in: folder.url)
    #expect((lint.stdout + lint.stderr).contains("condition sub.enabled of subchart sub is not true or false; it is ignored"))
    // Switched on, the subchart gives no warning.
    let quiet = try FlowrelProcess.run(["template", "r", chart, "--set", "sub.enabled=true"], in: folder.url)
    #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
  }

  /// Helm records Chart.yaml's version as written: `v0.0.0`, not `0.0.0`.
  @Test func theChartVersionIsRecordedAsWritten() throws {
    let folder = try Self.folder()
    let chart = folder.path("parent"), store = folder.path("releases")
    let install = try FlowrelProcess.run(["install", "r", chart, "--no-apply", "--store", store, "--set", "sub.enabled=true"], in: folder.url)
    #expect(install.status == 0, "\(install.stderr)")
    let history = try FlowrelProcess.run(["history", "r", "--store", store, "--kubectl", "/bin/false"], in: folder.url)
    #expect(history.stdout.contains("parent-v0.0.0"), "\(history.stdout)\(history.stderr)")
    let manifest = try FlowrelProcess.run(["get", "manifest", "r", "--store", store], in: folder.url)
    #expect(manifest.stdout.contains("version: v0.0.0\n"), "\(manifest.stdout)\(manifest.stderr)")
  }
}
