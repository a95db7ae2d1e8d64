import ArgumentParser
import FlowrelChart
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
    subcommands: [TemplateCommand.self, LintCommand.self, ShowCommand.self, CreateCommand.self]
  )

  /// Runs the command line; every failure is one message on standard error and an exit
  /// code: 1 for bad input (flags, charts, values, templates).
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
