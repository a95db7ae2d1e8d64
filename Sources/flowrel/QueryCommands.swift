import ArgumentParser
import FlowrelActions
import FlowrelStore
import Foundation

/// `-o table|yaml|json`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, yaml, json
}

extension Flowrel {
  struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "init",
      abstract: "Create a release store: the folder, and a git repository when it is in none.")

    @Argument(help: "The store folder (default: $FLOWREL_STORE, else ./releases).") var directory: String?

    func run() throws {
      let path = directory ?? ProcessInfo.processInfo.environment["FLOWREL_STORE"] ?? "releases"
      let created = try GitReleaseStore.initialize(at: path)
      Console.error(created ? "Created a git repository and the store \(path)" : "Created the store \(path) in the existing repository")
    }
  }

  struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status", abstract: "Show a release's installed revision and how ready its workloads are.")

    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions

    func run() throws {
      let report = try Status(config: try target.configuration(), release: release, namespace: target.namespace).run()
      Console.write(ReleaseOutput.header(report.info))
      if !report.workloads.isEmpty { Console.write("WORKLOADS:\n") }
      for workload in report.workloads {
        let state = workload.exists ? "\(workload.ready)/\(workload.wanted) ready" : "missing from the cluster"
        Console.write("  \(workload.identity.kubectlName) \(state)\n")
      }
      if let notes = report.notes, !notes.isEmpty { Console.write("\nNOTES:\n\(notes)\n") }
    }
  }

  struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show a release's revisions.")

    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(help: "Show only the newest N revisions.") var max: Int?
    @Option(name: .shortAndLong, help: "Output format: table, yaml or json.") var output: OutputFormat = .table

    func validate() throws {
      if let max, max < 1 { throw ValidationError("--max must be 1 or more.") }
    }

    func run() throws {
      var action = History(releases: try target.configuration().releases)
      action.max = max
      let revisions = try action.run(release, namespace: target.namespace)
      try ReleaseOutput.table(
        revisions, format: output,
        columns: ["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"],
        row: { [String($0.revision), ReleaseOutput.time($0.time), $0.status.rawValue, ReleaseOutput.chart($0), $0.chart?.appVersion ?? "", $0.description] })
    }
  }

  struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the installed releases.")

    @OptionGroup var target: ReleaseOptions
    @Flag(name: [.customShort("A"), .long], help: "List the releases of every namespace.") var allNamespaces = false
    @Option(name: .shortAndLong, help: "Output format: table, yaml or json.") var output: OutputFormat = .table

    func run() throws {
      let releases = try ListReleases(releases: try target.configuration().releases).run(namespace: allNamespaces ? nil : target.namespace)
      try ReleaseOutput.table(
        releases, format: output,
        columns: ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"],
        row: { [$0.release, $0.namespace, String($0.revision), ReleaseOutput.time($0.time), $0.status.rawValue, ReleaseOutput.chart($0), $0.chart?.appVersion ?? ""] })
    }
  }

  struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "get", abstract: "Show what a revision recorded: values, manifest, notes, or all.")

    enum Part: String, ExpressibleByArgument, CaseIterable { case values, manifest, notes, all }

    @Argument(help: "values, manifest, notes or all.") var part: Part
    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(help: "The revision (default: the installed one).") var revision: Int?

    func run() throws {
      var action = GetRelease(releases: try target.configuration().releases)
      action.revision = revision
      let recorded = try action.run(release, namespace: target.namespace)
      Console.write(ReleaseOutput.parts(recorded, part: part.rawValue))
    }
  }

  struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "diff", abstract: "Show what changed in a release.", subcommands: [Revisions.self])

    struct Revisions: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "revision", abstract: "What changed between two revisions, object by object (default: the last two).")

      @Argument(help: "Name of the release.") var release: String
      @Argument(help: "The older revision.") var from: Int?
      @Argument(help: "The newer revision.") var to: Int?
      @OptionGroup var target: ReleaseOptions

      func run() throws {
        let result = try DiffRevisions(releases: try target.configuration().releases)
          .run(release, namespace: target.namespace, from: from, to: to)
        Console.write(ReleaseOutput.patches(result.changes, colored: isatty(STDOUT_FILENO) == 1))
        Console.error("revision \(result.from) -> \(result.to): \(ReleaseOutput.summary(result.changes))")
      }
    }
  }
}
