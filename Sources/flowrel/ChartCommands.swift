import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "lint",
      abstract: "Check charts: rendering, values schema, YAML and the objects they make.",
      discussion: """
        Renders each CHART (default: the built-in flow chart) with its default values plus any \
        -f/--set given, and reports each finding with its file and line. As with Helm, only \
        errors make the exit code non-zero; with --strict, a missing value is an error and \
        warnings fail too.
        """)

    @Argument(help: "The charts: directories, .tgz archives or built-in chart names (default: flow).", completion: Completions.charts)
    var charts: [String] = []

    @OptionGroup var chartVersion: ChartVersionOption
    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions

    func run() throws {
      var action = Lint(config: try global.configuration())
      action.charts = charts.isEmpty ? [chartVersion.chart(nil)] : charts.map(chartVersion.chart)
      action.values = try values.resolve()
      action.rendering = rendering.settings
      let report = try action.run()
      for result in report.results {
        for finding in result.findings { Console.write("\(finding)\n") }
        Console.error(result.summary)
      }
      try report.requirePassing()
      Console.error(report.summary)
    }
  }

  struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "show",
      abstract: "Show a chart's definition, default values or README.",
      subcommands: [Chart.self, Values.self, Readme.self, All.self])

    /// Prints the named files of a chart, separated by `---` when there are several.
    static func printFiles(_ files: [String], of chart: ChartSelection, debugging: DebugOption) throws {
      var action = ShowChart(config: try debugging.configuration())
      action.chart = chart
      action.files = files
      Console.write(try action.run())
    }

    // The subcommands are named explicitly (as every command is): argument parsing otherwise
    // derives a name from the type by reflection, on every command line, `template` too.
    struct Chart: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "chart", abstract: "Show Chart.yaml.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      @OptionGroup var chartVersion: ChartVersionOption
      @OptionGroup var debugging: DebugOption
      func run() throws { try ShowCommand.printFiles(["Chart.yaml"], of: chartVersion.chart(chart), debugging: debugging) }
    }

    struct Values: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "values", abstract: "Show values.yaml, the chart's defaults.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      @OptionGroup var chartVersion: ChartVersionOption
      @OptionGroup var debugging: DebugOption
      func run() throws { try ShowCommand.printFiles(["values.yaml"], of: chartVersion.chart(chart), debugging: debugging) }
    }

    struct Readme: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "readme", abstract: "Show the chart's README.md.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      @OptionGroup var chartVersion: ChartVersionOption
      @OptionGroup var debugging: DebugOption
      func run() throws { try ShowCommand.printFiles(["README.md"], of: chartVersion.chart(chart), debugging: debugging) }
    }

    struct All: ParsableCommand {
      static let configuration = CommandConfiguration(commandName: "all", abstract: "Show Chart.yaml, values.yaml and README.md.")
      @Argument(help: "The chart (default: flow).") var chart: String?
      @OptionGroup var chartVersion: ChartVersionOption
      @OptionGroup var debugging: DebugOption
      func run() throws { try ShowCommand.printFiles(["Chart.yaml", "values.yaml", "README.md"], of: chartVersion.chart(chart), debugging: debugging) }
    }
  }

  struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "create",
      abstract: "Create a new Flow chart to adapt, from flowrel's built-in flow chart.",
      discussion: "Writes the chart to the folder NAME (which must not exist yet); the chart's name is the folder's name.")

    @Argument(help: "The folder to create; its last component is the chart's name.")
    var name: String
    @OptionGroup var debugging: DebugOption

    func run() throws {
      var action = CreateChart(config: try debugging.configuration())
      action.path = name
      Console.error("Created chart \(try action.run()) in \(name)")
    }
  }

  struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Create a release store: the folder, and a git repository when it is in none.")

    @Argument(help: "The store folder (default: $FLOWREL_STORE, else ./releases).") var directory: String?
    @Option(name: .customLong("age"), help: ArgumentHelp(
      "Write a .sops.yaml at the repository's top encrypting the store's secrets to this recipient (repeatable).",
      valueName: "age1...")) var ageRecipients: [String] = []
    @OptionGroup var debugging: DebugOption

    func run() throws {
      var settings = Settings()
      settings.store = directory
      var action = InitStore(config: try ActionConfiguration(settings: settings, log: debugging.logger))
      action.ageRecipients = ageRecipients
      let made = try action.run()
      Console.error(Output.initialized(made))
      if let file = made.sopsConfig { Console.error("Secrets are encrypted to the recipients in \(file)") }
    }
  }

  struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "push", abstract: "Push the store's branch and its notes to a remote, replaying yours onto the remote's.",
      discussion: """
        When the remote branch moved, your revisions are replayed onto it (history stays \
        linear) if they touch other releases; if the same release moved on both sides, the \
        push is refused naming both revisions, or with --renumber yours are recorded again on \
        top with the next numbers. The remote reference is updated only from the value \
        fetched (compare-and-swap), retried up to 5 times. Sync notes (refs/notes/flowrel) go \
        along and are merged with the remote's.
        """)

    @Option(help: "The remote (default: the branch's upstream, else origin).") var remote: String?
    @Option(help: "The branch (default: the checked-out one).") var branch: String?
    @Flag(help: "Record a revision of a release that also moved on the remote again on top, with the next number.")
    var renumber = false
    @Option(help: ArgumentHelp("The store folder (default: $FLOWREL_STORE, else ./releases).", valueName: "dir")) var store: String?
    @OptionGroup var debugging: DebugOption

    func run() async throws {
      var settings = Settings()
      settings.store = store
      var action = Push(config: try ActionConfiguration(settings: settings, log: debugging.logger))
      action.remote = remote
      action.branch = branch
      action.renumber = renumber
      Console.error(Output.pushed(try await action.run()))
    }
  }
}
