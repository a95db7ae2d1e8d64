import ArgumentParser
import FlowrelActions

/// The root command: `flowrel <verb> ...`. The CLI parses flags, builds the configuration, runs
/// one action and prints its result; everything else is the actions' job.
@main
struct Flowrel: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flowrel",
    abstract: "Render Jina Flow charts into Kubernetes manifests and manage their releases.",
    discussion: """
      flowrel renders versioned Flow charts with values into Kubernetes manifests, records \
      every release revision as a git commit, and applies manifests through kubectl. \
      `flowrel --version` (or `flowrel version`) shows flowrel's version; after a verb, \
      --version is the chart's version, as in Helm.
      """,
    subcommands: [VersionCommand.self,
      InstallCommand.self, UpgradeCommand.self, RollbackCommand.self, UninstallCommand.self, StatusCommand.self,
      HistoryCommand.self, GetCommand.self, ListCommand.self, DiffCommand.self, TemplateCommand.self, LintCommand.self,
      ShowCommand.self, CreateCommand.self, InitCommand.self, PushCommand.self, PullCommand.self, SyncCommand.self, SecretsCommand.self,
      CompletionCommand.self, EnvCommand.self, DependencyCommand.self, TestCommand.self,
    ]
  )

  /// Helm's global flags, accepted before the verb as well as after it (each command that uses
  /// them receives their values through its own `GlobalOptions` or `DebugOption`).
  @OptionGroup(title: "Global Options") var global: GlobalOptions

  /// Runs the command line; every failure is one message on standard error and an exit
  /// code: 1 for bad input (flags, charts, values, templates), 2 for kubectl and the
  /// cluster, 3 for the store.
  static func main() async {
    // `flowrel --version` only before any verb: after a verb, `--version` is the chart's version
    // (as in Helm). A flag of this root command would be read after a verb too.
    if CommandLine.arguments.dropFirst().first == "--version" {
      Console.write(FlowrelBuild.version + "\n")
      return
    }
    do {
      let arguments = Array(CommandLine.arguments.dropFirst())
      // A completion request (`---completion`, from the shell script) carries the words typed so far.
      var command = try parseAsRoot(arguments.first == "---completion" ? arguments : try HelmDifferences.apply(to: HelmArguments.rewritten(arguments)))
      if var command = command as? AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      Console.flushAndExit(report(error))
    }
  }

  /// Prints `error` for a user and returns the exit code it means: an action's error by its
  /// own kind (`ActionError.exitCode`), a command-line error as a usage error.
  static func report(_ error: Error) -> Int32 {
    if let error = error as? ActionError {
      // With --debug, a template's output that is not YAML is shown before the error.
      if case .chart(.renderedYAML(_, _, let text)) = error, Console.debugging.withLock({ $0 }) { Console.error(text) }
      Console.error("Error: \(error)")
      return error.exitCode
    }
    let code = exitCode(for: error)
    // Help and --version are not failures; they print to standard output.
    if code == .success {
      Console.write(fullMessage(for: error) + "\n")
      return 0
    }
    Console.error(fullMessage(for: error))
    // Usage errors are user errors like any other: exit code 1, not sysexits' 64.
    return code == .validationFailure ? 1 : code.rawValue
  }
}
