import ArgumentParser
import FlowrelActions
import FlowrelKube
import FlowrelStore
import FlowrelValue
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
      let path = ReleaseOptions.storePath(directory)
      let created = try GitReleaseStore.initialize(at: path)
      Console.error(created ? "Created a git repository and the store \(path)" : "Created the store \(path) in the existing repository")
    }
  }

  struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "push", abstract: "Push the store's branch to a remote, for review in a pull request.")

    @Option(help: "The remote.") var remote = "origin"
    @Option(help: "The branch (default: the checked-out one).") var branch: String?
    @Option(help: ArgumentHelp("The store folder (default: $FLOWREL_STORE, else ./releases).", valueName: "dir")) var store: String?

    func run() throws {
      var action = Push(storePath: ReleaseOptions.storePath(store))
      action.remote = remote
      action.branch = branch
      let pushed = try action.run()
      Console.error("pushed \(pushed) to \(remote)")
    }
  }

  struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Apply exactly what the store holds for a release (after a merge); record nothing.",
      discussion: """
        For CD jobs: applies the release's installed revision (or --revision N) from the store on \
        the checked-out branch (or --branch), deleting what the revision before it had and it \
        has not. The store is only read.
        """)

    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(help: "The revision to apply (default: the installed one).") var revision: Int?
    @Flag(help: "Wait until the workloads are ready and the Jobs complete.") var wait = false
    @Option(help: ArgumentHelp("How long to wait, in Go's duration syntax.", valueName: "duration")) var timeout = "5m0s"
    @Flag(help: "On failure, apply the revision before it again (implies --wait).") var atomic = false
    @Flag(help: "Create the release namespace when it does not exist.") var createNamespace = false

    func run() throws {
      var action = Sync(config: try target.configuration(), release: release, namespace: target.namespace)
      action.revision = revision
      action.options.wait = wait
      action.options.atomic = atomic
      action.options.createNamespace = createNamespace
      do { action.options.timeout = try GoDuration(parsing: timeout) } catch { throw KubeError.invalidDuration(error) }
      let result = try action.run()
      Console.write("synced \(release) to revision \(result.revision.info.revision): \(result.plan.summary)\n")
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
      commandName: "diff", abstract: "Show what changed in a release, or what a change would do.",
      subcommands: [Revisions.self, UpgradePlan.self, RollbackPlan.self, Live.self])

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
        Console.error("revision \(result.from) -> \(result.to): \(result.changes.summary)")
      }
    }
  }
}

/// helm-diff's `--detailed-exitcode`: 2 for changes, 0 for none, 1 for any error.
struct DetailedExitCode: ParsableArguments {
  @Flag(help: "Exit with 2 when there are changes, 0 when there are none, and 1 on any error (for CI).")
  var detailedExitcode = false

  /// Runs `body`, which reports whether it found changes, and ends with the exit code asked for.
  func run(_ body: () throws -> Bool) throws {
    let changed: Bool
    do {
      changed = try body()
    } catch {
      guard detailedExitcode else { throw error }
      _ = Flowrel.report(error)
      throw ExitCode(1)
    }
    if detailedExitcode && changed { throw ExitCode(2) }
  }
}

/// `-o diff|markdown` for planned changes.
struct DiffFormatOption: ParsableArguments {
  @Option(name: .shortAndLong, help: "Output format: diff or markdown (a <details> section per object, for a pull request).")
  var output: DiffFormat = .diff

  enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case diff, markdown }

  /// Prints `plan`; returns whether it has changes.
  func print(_ plan: PlannedDiff) -> Bool {
    switch output {
    case .diff:
      Console.write(ReleaseOutput.patches(plan.changes, colored: isatty(STDOUT_FILENO) == 1))
      Console.error(plan.summary)
    case .markdown:
      Console.write(plan.markdown)
    }
    return !plan.changes.isEmpty
  }
}

extension Flowrel.DiffCommand {
  struct UpgradePlan: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "upgrade", abstract: "What an upgrade would change, object by object; nothing is written or applied.")

    @Argument(help: "Name of the release.") var release: String
    @Argument(help: "The chart (default: the one the release was rendered from).") var chart: String?
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions
    @OptionGroup var format: DiffFormatOption
    @OptionGroup var exitCode: DetailedExitCode
    @Flag(help: "Merge these values over the installed revision's values.") var reuseValues = false
    @Flag(help: "Use only the chart's defaults and these values.") var resetValues = false

    func run() throws {
      try exitCode.run {
        let input = StandardInput()
        var action = Upgrade(
          config: try target.configuration(), chart: chart,
          request: try rendering.request(release: release, namespace: target.namespace, values: values, input: input))
        action.reuseValues = reuseValues
        action.resetValues = resetValues
        return format.print(try action.plan(readFile: input.readText))
      }
    }
  }

  struct RollbackPlan: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rollback", abstract: "What a rollback would change, object by object; nothing is written or applied.")

    @Argument(help: "Name of the release.") var release: String
    @Argument(help: "Revision to roll back to (default: the one before the installed one).") var revision: Int?
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var format: DiffFormatOption
    @OptionGroup var exitCode: DetailedExitCode

    func run() throws {
      try exitCode.run {
        var action = Rollback(config: try target.configuration(), release: release, namespace: target.namespace)
        action.revision = revision
        return format.print(try action.plan())
      }
    }
  }

  struct Live: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "live", abstract: "How the cluster differs from what the store holds (drift).")

    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var exitCode: DetailedExitCode

    func run() throws {
      try exitCode.run {
        let drift = try DiffLive(config: try target.configuration(), release: release, namespace: target.namespace).run()
        Console.write(drift ?? "")
        Console.error(drift == nil ? "the cluster matches the store" : "the cluster differs from the store")
        return drift != nil
      }
    }
  }
}
