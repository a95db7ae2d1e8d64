import ArgumentParser
import FlowrelChart

extension Flowrel {
  struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a chart's definition, default values or README.",
      subcommands: [Chart.self, Values.self, Readme.self, All.self])

    /// Prints the named files of a chart, separated by `---` when there are several.
    static func printFiles(_ paths: [String], of reference: String?) throws {
      let chart = try FlowrelChart.Chart.resolve(reference)
      let texts = paths.compactMap { path in
        chart.files.first { $0.path == path }.map { String(decoding: $0.contents, as: UTF8.self) }
      }
      Console.write(texts.joined(separator: "---\n"))
    }

    // The subcommands are named explicitly (as every command is): argument parsing otherwise
    // derives a name from the type by reflection, on every command line, `template` too.
    struct Chart: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "chart", abstract: "Show Chart.yaml.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      func run() throws { try ShowCommand.printFiles(["Chart.yaml"], of: chart) }
    }

    struct Values: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "values", abstract: "Show values.yaml, the chart's defaults.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      func run() throws { try ShowCommand.printFiles(["values.yaml"], of: chart) }
    }

    struct Readme: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "readme", abstract: "Show the chart's README.md.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      func run() throws { try ShowCommand.printFiles(["README.md"], of: chart) }
    }

    struct All: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "all", abstract: "Show Chart.yaml, values.yaml and README.md.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      func run() throws { try ShowCommand.printFiles(["Chart.yaml", "values.yaml", "README.md"], of: chart) }
    }
  }
}
