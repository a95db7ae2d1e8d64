import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct DependencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "dependency",
      abstract: "List a chart's dependencies, or put them under charts/ (file:// repositories only; nothing is downloaded).",
      subcommands: [List.self, Build.self, Update.self])

    /// The configuration the dependency verbs are built with: they read and write only the chart folder.
    static func actionConfiguration() throws -> ActionConfiguration {
      try ActionConfiguration(settings: Settings(), log: Console.logger(debug: false))
    }

    /// Runs `dependency build` (or, with `update`, `dependency update`) on the chart folder
    /// `chart` and prints what it did.
    static func build(_ chart: String, update: Bool) throws {
      var action = DependencyBuild(config: try actionConfiguration())
      action.chartPath = chart
      action.update = update
      for line in try action.run() { Console.write(line + "\n") }
    }

    struct List: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the dependencies of a chart folder and whether charts/ holds each.")
      @Argument(help: "The chart folder (default: the current folder).") var chart = "."

      func run() throws {
        var action = DependencyList(config: try DependencyCommand.actionConfiguration())
        action.chartPath = chart
        Console.write(try Output.dependencies(action.run()))
      }
    }

    struct Build: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Put the dependencies under charts/ at the versions of Chart.lock.",
        discussion: """
          file:// dependencies are packed into charts/ as .tgz archives; a dependency from a \
          remote repository must already be under charts/ at its locked version (flowrel does \
          not download charts). Without a lock file, this is dependency update.
          """)
      @Argument(help: "The chart folder (default: the current folder).") var chart = "."

      func run() throws { try DependencyCommand.build(chart, update: false) }
    }

    struct Update: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Choose the dependencies' versions again, write Chart.lock and put them under charts/.")
      @Argument(help: "The chart folder (default: the current folder).") var chart = "."

      func run() throws { try DependencyCommand.build(chart, update: true) }
    }
  }
}
