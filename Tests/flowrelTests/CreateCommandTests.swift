import Foundation
import Testing

@Suite struct CreateCommandTests {
  @Test func createdChartLintsCleanAndCarriesItsName() throws {
    let folder = try TemporaryFolder()
    let created = try FlowrelProcess.run(["create", folder.path("my-flow")])
    #expect(created.status == 0, "\(created.stderr)")
    let chart = try String(contentsOfFile: folder.path("my-flow/Chart.yaml"), encoding: .utf8)
    #expect(chart.contains("\nname: my-flow\n"))
    let lint = try FlowrelProcess.run(["lint", folder.path("my-flow")])
    #expect(lint.status == 0, "\(lint.stdout)")
    let rendered = try FlowrelProcess.run(["template", "r", folder.path("my-flow"), "-f", "releases/index-flow/values.yaml"])
    #expect(rendered.stdout.contains("# Source: my-flow/templates/gateway.yaml"))
  }

  @Test func createRefusesAnExistingFolderAndBadNames() throws {
    let folder = try TemporaryFolder(["taken/file": "x"])
    let existing = try FlowrelProcess.run(["create", folder.path("taken")])
    #expect(existing.status == 1)
    #expect(existing.stderr.contains("already exists"))
    let badName = try FlowrelProcess.run(["create", folder.path("Bad_Name")])
    #expect(badName.status == 1)
    #expect(badName.stderr.contains("not a valid chart name"))
  }

  @Test func showPrintsTheChartsFiles() throws {
    let values = try FlowrelProcess.run(["show", "values"])
    #expect(values.status == 0)
    #expect(values.stdout.hasPrefix("# A Jina Flow YAML is a values file for this chart as it is:"))
    let chart = try FlowrelProcess.run(["show", "chart", "flow"])
    #expect(chart.stdout.contains("name: flow\n"))
  }
}
