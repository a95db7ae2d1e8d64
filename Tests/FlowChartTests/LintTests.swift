import FlowrelChart
import Foundation
import Testing

/// `flowrel lint` on the chart: clean with its defaults, and no errors with any example release.
@Suite struct LintTests {
  @Test func theChartLintsCleanWithItsDefaults() throws {
    let chart = try FlowChart.chart.get()
    let findings = chart.lint(RenderRequest(release: ReleaseInfo(name: "release-name", namespace: "default")))
    #expect(findings.isEmpty, "\(findings)")
  }

  @Test(arguments: ["index-flow", "search-flow", "postgres-index", "production-flow"])
  func everyExampleReleaseLintsWithoutErrors(release: String) throws {
    let chart = try FlowChart.chart.get()
    let bytes = try Data(contentsOf: FlowChart.repository.appendingPathComponent("releases/\(release)/values.yaml"))
    let file = try ValuesFile.read(name: "values.yaml", bytes: Array(bytes))
    let findings = chart.lint(RenderRequest(release: ReleaseInfo(name: release, namespace: release), values: try UserValues(files: [file])))
    #expect(findings.filter { $0.severity == .error }.isEmpty, "\(findings)")
    // Only the seeds' `:latest` images draw warnings; the production example pins its images.
    #expect(findings.allSatisfy { $0.message.contains("uses the tag latest") }, "\(findings)")
    if release == "production-flow" { #expect(findings.isEmpty) }
  }
}
