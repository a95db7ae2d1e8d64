import Foundation
import Testing

/// `lint CHART...` and `lint --strict`, as Helm's.
@Suite struct LintStrictTests {
  static let warningChart = [
    "warn/Chart.yaml": "apiVersion: v2\nname: warn\nversion: 1.0.0\n",
    "warn/templates/web.yaml": """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: c, image: nginx}]}
      """,
  ]
  static let missingValueChart = [
    "missing/Chart.yaml": "apiVersion: v2\nname: missing\nversion: 1.0.0\n",
    "missing/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  x: \"{{ .Values.nothing }}\"\n",
  ]

  @Test func severalChartsAreLintedAndEachFailureCounted() throws {
    let folder = try TemporaryFolder(Self.warningChart.merging([
      "broken/Chart.yaml": "apiVersion: v2\nname: broken\nversion: 1.0.0\n",
      "broken/templates/a.yaml": "{{ fail \"no\" }}\n",
    ]) { a, _ in a })
    let result = try FlowrelProcess.run(["lint", "flow", folder.path("warn"), folder.path("broken"), folder.path("absent")])
    #expect(result.status == 1)
    #expect(result.stdout.contains("[WARNING] warn/templates/web.yaml"))
    #expect(result.stdout.contains("[ERROR]"))
    #expect(result.stdout.contains("[ERROR] \(folder.path("absent")): no such chart"), "a chart that is not there is an error of its own: \(result.stdout)")
    #expect(result.stderr.hasSuffix("Error: 4 chart(s) linted, 2 chart(s) failed\n"), "\(result.stderr)")
    let passing = try FlowrelProcess.run(["lint", "flow", folder.path("warn")])
    #expect(passing.status == 0)
    #expect(passing.stderr.hasSuffix("2 chart(s) linted, 0 chart(s) failed\n"), "\(passing.stderr)")
  }

  @Test func strictFailsOnWarnings() throws {
    let folder = try TemporaryFolder(Self.warningChart)
    let plain = try FlowrelProcess.run(["lint", folder.path("warn")])
    #expect(plain.status == 0)
    let strict = try FlowrelProcess.run(["lint", "--strict", folder.path("warn")])
    #expect(strict.status == 1)
    #expect(strict.stdout.hasPrefix("[WARNING] warn/templates/web.yaml"))
    #expect(strict.stderr.hasSuffix("Error: 1 chart(s) linted, 1 chart(s) failed\n"))
  }

  @Test func strictMakesAMissingValueAnError() throws {
    let folder = try TemporaryFolder(Self.missingValueChart)
    let plain = try FlowrelProcess.run(["lint", folder.path("missing")])
    #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
    let strict = try FlowrelProcess.run(["lint", "--strict", folder.path("missing")])
    #expect(strict.status == 1)
    #expect(strict.stdout.hasPrefix("[ERROR] "), "\(strict.stdout)")
    #expect(strict.stdout.contains("nothing"), "\(strict.stdout)")
  }

  @Test func theFlowChartPassesStrict() throws {
    let result = try FlowrelProcess.run(["lint", "--strict"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  /// The examples of the repository (releases/*/values.yaml) render with --strict, and lint with
  /// --strict without errors. Three of them name `:latest` images (no pinned tag of those images
  /// is known), which --strict rightly fails on; the production example is clean.
  @Test(arguments: try FileManager.default.contentsOfDirectory(
    atPath: FlowrelProcess.repository.appendingPathComponent("releases").path).sorted())
  func everyExampleRendersAndLintsStrictly(_ example: String) throws {
    let values = "releases/\(example)/values.yaml"
    try #require(FileManager.default.fileExists(atPath: FlowrelProcess.repository.appendingPathComponent(values).path), "\(example) has no values.yaml")
    let template = try FlowrelProcess.run(["template", example, "--strict", "-f", values])
    #expect(template.status == 0, "\(template.stderr)")
    #expect(template.stdout.contains("kind: Deployment"))
    let lint = try FlowrelProcess.run(["lint", "flow", "--strict", "-f", values])
    let findings = lint.stdout.split(separator: "\n")
    #expect(findings.allSatisfy { $0.hasPrefix("[WARNING] ") && $0.contains("uses the tag latest") }, "\(lint.stdout)")
    let pinned = try String(contentsOfFile: FlowrelProcess.repository.appendingPathComponent(values).path, encoding: .utf8)
      .contains(":latest") == false
    #expect(lint.status == (pinned ? 0 : 1), "\(lint.stdout)\(lint.stderr)")
    #expect(findings.isEmpty == pinned)
  }
}
