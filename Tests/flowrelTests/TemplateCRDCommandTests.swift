import Foundation
import Testing

/// `template`'s `--include-crds`, `--skip-crds`, `--is-upgrade` and `--show-only` globs, as
/// Helm's template command gives them (cmd/helm/template.go, pkg/action/action.go).
@Suite struct TemplateCRDCommandTests {
  static let crd = "# {{ not a template }}\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\n"
  static let subCRD = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: gadgets.example.com\n"

  func chart() throws -> TemporaryFolder {
    try TemporaryFolder([
      "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
      "demo/crds/widgets.yaml": Self.crd,
      "demo/charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
      "demo/charts/sub/crds/gadgets.yaml": Self.subCRD,
      "demo/templates/release.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: release
        data:
          upgrade: "{{ .Release.IsUpgrade }}"
          install: "{{ .Release.IsInstall }}"

        """,
      "demo/templates/tests/check.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: check\n",
    ])
  }

  @Test func includeCRDsPrintsEachFileFirstAsItIs() throws {
    let folder = try chart()
    let result = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--include-crds"])
    #expect(result.status == 0, "\(result.stderr)")
    let crds = "---\n# Source: demo/crds/widgets.yaml\n\(Self.crd)\n---\n# Source: demo/charts/sub/crds/gadgets.yaml\n\(Self.subCRD)\n"
    #expect(result.stdout.hasPrefix(crds + "---\n# Source: demo/templates/tests/check.yaml\n"), "\(result.stdout)")
    let plain = try FlowrelProcess.run(["template", "r", folder.path("demo")])
    #expect(plain.status == 0, "\(plain.stderr)")
    #expect(result.stdout == crds + plain.stdout)
  }

  @Test func skipCRDsIsNotedAndChangesNothing() throws {
    let folder = try chart()
    let plain = try FlowrelProcess.run(["template", "r", folder.path("demo")])
    let skipped = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--skip-crds"])
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(skipped.stderr.contains("note: --skip-crds"), "\(skipped.stderr)")
    #expect(skipped.stdout == plain.stdout)
    #expect(!plain.stdout.contains("CustomResourceDefinition"))
  }

  @Test func isUpgradeRendersAsAnUpgrade() throws {
    let folder = try chart()
    let install = try FlowrelProcess.run(["template", "r", folder.path("demo"), "-s", "templates/release.yaml"])
    #expect(install.stdout.contains("upgrade: \"false\"\n  install: \"true\"\n"), "\(install.stdout)")
    let upgrade = try FlowrelProcess.run(["template", "r", folder.path("demo"), "-s", "templates/release.yaml", "--is-upgrade"])
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    #expect(upgrade.stdout.contains("upgrade: \"true\"\n  install: \"false\"\n"), "\(upgrade.stdout)")
  }

  @Test func showOnlyTakesGlobsAndRefusesAPatternThatMatchesNothing() throws {
    let folder = try chart()
    let tests = try FlowrelProcess.run(["template", "r", folder.path("demo"), "-s", "templates/tests/*"])
    #expect(tests.status == 0, "\(tests.stderr)")
    #expect(tests.stdout.hasPrefix("---\n# Source: demo/templates/tests/check.yaml\n"))
    #expect(!tests.stdout.contains("release.yaml"))
    let withCRDs = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--include-crds", "-s", "charts/*/crds/*.yaml"])
    #expect(withCRDs.stdout == "---\n# Source: demo/charts/sub/crds/gadgets.yaml\n\(Self.subCRD)\n", "\(withCRDs.stdout)")
    let none = try FlowrelProcess.run(["template", "r", folder.path("demo"), "-s", "templates/*.yml"])
    #expect(none.status == 1)
    #expect(none.stderr.contains("could not find template"), "\(none.stderr)")
    let crdsHidden = try FlowrelProcess.run(["template", "r", folder.path("demo"), "-s", "crds/*"])
    #expect(crdsHidden.status == 1, "CRDs are matched only when shown")
  }
}
