import ArgumentParser
import FlowrelActions
import FlowrelChart
import FlowrelKube
import FlowrelStore
import Foundation

/// The root command: `flowrel <verb> ...`.
@main
struct Flowrel: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "flowrel",
    abstract: "Render Jina Flow charts into Kubernetes manifests and manage their releases.",
    discussion: """
      flowrel renders versioned Flow charts with values into Kubernetes manifests, records \
      every release revision as a git commit, and applies manifests through kubectl.
      """,
    version: version,
    subcommands: [
      InstallCommand.self, UpgradeCommand.self, RollbackCommand.self, UninstallCommand.self, StatusCommand.self,
      HistoryCommand.self, GetCommand.self, ListCommand.self, DiffCommand.self, TemplateCommand.self, LintCommand.self,
      ShowCommand.self, CreateCommand.self, InitCommand.self, PushCommand.self, SyncCommand.self,
    ]
  )

  /// Runs the command line; every failure is one message on standard error and an exit
  /// code: 1 for bad input (flags, charts, values, templates), 2 for kubectl and the
  /// cluster, 3 for the store.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      Foundation.exit(report(error))
    }
  }

  /// Prints `error` for a user and returns the exit code it means.
  static func report(_ error: Error) -> Int32 {
    switch error {
    case let error as ChartError:
      Console.error("Error: \(error)")
      return 1
    case let error as ActionError:
      Console.error("Error: \(error)")
      return error.exitCode
    case let error as StoreError:
      Console.error("Error: \(error)")
      return error.isUserError ? 1 : 3
    case let error as KubeError:
      Console.error("Error: \(error)")
      return 2
    default:
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
}
