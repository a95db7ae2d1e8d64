import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "status", abstract: "Show a release's installed revision and how ready its workloads are.")

    @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(name: .shortAndLong, help: "Output format: table, json or yaml (the release, as Helm's -o, with its workloads).")
    var output: OutputFormat = .table
    @Option(help: "Show this revision (default: the installed one).", completion: Completions.revisions) var revision: Int?
    @Flag(help: "Also list every object of the revision and whether it exists in the cluster (not kubectl's columns, as Helm shows them).")
    var showResources = false

    func validate() throws {
      if let revision, revision < 1 { throw ValidationError("--revision must be 1 or more.") }
    }

    func run() async throws {
      var action = Status(config: try target.configuration())
      action.release = release
      action.revision = revision
      action.showResources = showResources
      Console.write(try Output.status(try await action.run(), format: output))
    }
  }

  struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show a release's revisions.", aliases: ["hist"])

    @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(help: "Show only the newest N revisions.") var max: Int?
    @Option(name: .shortAndLong, help: "Output format: table, yaml or json.") var output: OutputFormat = .table

    func validate() throws {
      if let max, max < 1 { throw ValidationError("--max must be 1 or more.") }
    }

    func run() throws {
      var action = History(config: try target.configuration())
      action.release = release
      action.max = max
      Console.write(try Output.history(try action.run()).formatted(output))
    }
  }

  struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List the installed releases.",
      discussion: "By default the deployed, failed and recorded ones, sorted by name.", aliases: ["ls"])

    @OptionGroup var target: ReleaseOptions
    @Flag(name: [.customShort("A"), .long], help: "List the releases of every namespace.") var allNamespaces = false
    @Option(name: .shortAndLong, help: "Output format: table, yaml or json.") var output: OutputFormat = .table
    @Flag(name: [.customShort("q"), .long], help: "Only the releases' names.") var short = false
    @Flag(name: [.short, .long], help: "Every status.") var all = false
    @Flag(help: "Deployed releases.") var deployed = false
    @Flag(help: "Failed releases.") var failed = false
    @Flag(help: "Releases recorded without being applied (--no-apply).") var recorded = false
    @Flag(help: "Superseded releases (an installed release's current revision never is).") var superseded = false
    @Flag(help: "Uninstalled releases: not listed by flowrel (history NAME shows them).") var uninstalled = false
    @Flag(help: "Accepted for Helm's command lines: flowrel has no pending releases, so this matches nothing.") var pending = false
    @Flag(help: "Accepted for Helm's command lines: flowrel has no uninstalling state, so this matches nothing.") var uninstalling = false
    @Option(name: [.short, .long], help: ArgumentHelp("Only names matching this Go regular expression.", valueName: "regex"))
    var filter: String?
    @Option(name: [.short, .long], help: "At most this many releases (0: all).") var max = 256
    @Option(help: "Skip this many releases first.") var offset = 0
    @Flag(help: "No header line in the table.") var noHeaders = false
    @Flag(name: [.short, .long], help: "Reverse the order.") var reverse = false
    @Flag(name: [.short, .long], help: "Sort by the time of the last change.") var date = false

    func validate() throws {
      if uninstalled {
        throw ValidationError(
          "--uninstalled: flowrel lists the store's release folders, which uninstall removes (the history stays in git: flowrel history NAME)")
      }
    }

    func run() throws {
      var action = ListReleases(config: try target.configuration())
      action.allNamespaces = allNamespaces
      let asked: [(Bool, ReleaseStatus)] = [(deployed, .deployed), (failed, .failed), (recorded, .recorded), (superseded, .superseded)]
      action.statuses = all ? Set(ReleaseStatus.allCases) : Set(asked.filter(\.0).map(\.1))
      action.filter = filter
      action.max = max
      action.offset = offset
      action.reverse = reverse
      action.byDate = date
      // flowrel has no pending or uninstalling releases: asked only for those, none are listed.
      let onlyMissingStates = action.statuses.isEmpty && (pending || uninstalling)
      let releases = onlyMissingStates ? [] : try action.run()
      if short {
        Console.write(releases.map { $0.release + "\n" }.joined())
      } else {
        Console.write(try Output.list(releases).formatted(output, headers: !noHeaders))
      }
    }
  }

  struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "get", abstract: "Show what a revision recorded: values, manifest, notes, or all.")

    enum Part: String, ExpressibleByArgument, CaseIterable { case values, manifest, notes, hooks, all }

    @Argument(help: "The part of the revision to show.") var part: Part
    @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(help: "The revision (default: the installed one).", completion: Completions.revisions) var revision: Int?
    @Flag(name: [.short, .long], help: "get values: the computed values (the chart's defaults under the values given).")
    var all = false
    @Option(name: .shortAndLong, help: "Output format: table (as Helm prints each part), json or yaml.")
    var output: OutputFormat?

    func validate() throws {
      if part != .values, all { throw ValidationError("--all is for get values only (as in Helm)") }
    }

    func run() throws {
      var action = GetRelease(config: try target.configuration())
      action.release = release
      action.revision = revision
      action.computeValues = all
      let result = try action.run()
      if part == .values {
        Console.write(try Output.values(result, format: output ?? .table))
      } else if part == .hooks {
        Console.write(try Output.hooks(result.revision, format: output ?? .table))
      } else {
        Console.write(try Output.parts(result.revision, part: part.rawValue, format: output ?? .table))
      }
    }
  }

  struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "diff", abstract: "Show what changed in a release, or what a change would do.",
      subcommands: [Revisions.self, UpgradePlan.self, RollbackPlan.self, Live.self])

    struct Revisions: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "revision", abstract: "What changed between two revisions, object by object (default: the last two).")

      @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
      @Argument(help: "The older revision.") var from: Int?
      @Argument(help: "The newer revision.") var to: Int?
      @OptionGroup var target: ReleaseOptions
      @OptionGroup var display: DiffDisplayOptions
      @OptionGroup var exitCode: DetailedExitCode

      func run() async throws {
        try await exitCode.run {
          var action = DiffRevisions(config: try target.configuration())
          action.release = release
          action.from = from
          action.to = to
          action.secrets = display.secrets
          let result = try action.run()
          return try display.print(result.changes, revisions: (result.from, result.to))
        }
      }
    }

    struct UpgradePlan: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "upgrade", abstract: "What an upgrade would change, object by object; nothing is written or applied.")

      @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
      @Argument(help: "The chart (default: the one the release was rendered from).") var chart: String?
      @OptionGroup var chartVersion: ChartVersionOption
      @OptionGroup var target: ReleaseOptions
      @OptionGroup var values: ValuesOptions
      @OptionGroup var rendering: RenderingOptions
      @OptionGroup var postRendering: PostRendererOptions
      @OptionGroup var display: DiffDisplayOptions
      @OptionGroup var exitCode: DetailedExitCode
      @Flag(help: "Merge these values over the installed revision's values.") var reuseValues = false
      @Flag(help: "Use only the chart's defaults and these values.") var resetValues = false
      @Flag(name: [.customLong("allow-unreleased"), .customLong("install")], help: ArgumentHelp(
        "A release that is not installed diffs against nothing (every object added), as upgrade --install would install it."))
      var allowUnreleased = false

      func run() async throws {
        try await exitCode.run {
          var action = DiffUpgrade(config: try target.configuration())
          action.upgrade.release = release
          action.upgrade.chart = chartVersion.chart(chart)
          action.upgrade.values = try values.resolve()
          action.upgrade.rendering = rendering.settings
          action.upgrade.reuseValues = reuseValues
          action.upgrade.resetValues = resetValues
          action.upgrade.install = allowUnreleased
          action.upgrade.postRenderer = postRendering.renderer
          action.secrets = display.secrets
          return try display.print(try await action.run().changes)
        }
      }
    }

    struct RollbackPlan: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "rollback", abstract: "What a rollback would change, object by object; nothing is written or applied.")

      @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
      @Argument(help: "Revision to roll back to (default: the one before the installed one).") var revision: Int?
      @OptionGroup var target: ReleaseOptions
      @OptionGroup var display: DiffDisplayOptions
      @OptionGroup var exitCode: DetailedExitCode

      func run() async throws {
        try await exitCode.run {
          var action = DiffRollback(config: try target.configuration())
          action.rollback.release = release
          action.rollback.revision = revision
          action.secrets = display.secrets
          return try display.print(try await action.run().changes)
        }
      }
    }

    struct Live: AsyncParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "live", abstract: "How the cluster differs from what the store holds (drift).")

      @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
      @OptionGroup var target: ReleaseOptions
      @OptionGroup var colors: DiffColorOption
      @OptionGroup var exitCode: DetailedExitCode

      func run() async throws {
        try await exitCode.run {
          var action = DiffLive(config: try target.configuration())
          action.release = release
          let drift = try await action.run()
          Console.write(drift.map { colors.colored ? Output.colored(diff: $0) : $0 } ?? "")
          Console.error(drift == nil ? "the cluster matches the store" : "the cluster differs from the store")
          return drift != nil
        }
      }
    }
  }
}

/// helm-diff's `--detailed-exitcode`: 2 for changes, 0 for none, 1 for any error.
struct DetailedExitCode: ParsableArguments {
  @Flag(help: "Exit with 2 when there are changes, 0 when there are none, and 1 on any error (for CI).")
  var detailedExitcode = false

  /// Runs `body`, which reports whether it found changes, and ends with the exit code asked for.
  func run(_ body: () async throws -> Bool) async throws {
    let changed: Bool
    do {
      changed = try await body()
    } catch {
      guard detailedExitcode else { throw error }
      _ = Flowrel.report(error)
      throw ExitCode(1)
    }
    if detailedExitcode && changed { throw ExitCode(2) }
  }
}

/// helm-diff's display flags, on every diff of the store's revisions: `-o`, `-C`, colors,
/// `--suppress`, and how Secrets show.
struct DiffDisplayOptions: ParsableArguments {
  @Option(name: .shortAndLong, help: ArgumentHelp(
    "Output format: diff, markdown (a <details> section per object, for a pull request) or json."))
  var output: DiffDisplay.Format = .diff
  @Option(name: [.customShort("C"), .long], parsing: .unconditional, help: ArgumentHelp(
    "Lines of context around each change (-1: the whole object).", valueName: "n"))
  var context = UnifiedDiff.defaultContext
  @OptionGroup var colors: DiffColorOption
  @Option(help: ArgumentHelp("Count but do not show the changes of objects of this kind (repeatable).", valueName: "kind"))
  var suppress: [String] = []
  @Flag(name: [.customShort("q"), .long], help: "Count but do not show the changes of Secrets (as --suppress Secret).")
  var suppressSecrets = false
  @Flag(help: "Show Secret values decrypted instead of masked (needs an age identity).")
  var showSecrets = false

  /// How Secret entries show.
  var secrets: SecretDisplay { showSecrets ? .shown : .masked }

  /// Prints `changes` (the diff on standard output, for `-o diff` the summary on standard
  /// error); returns whether there are any.
  func print(_ changes: [ObjectChange], revisions: (from: Int, to: Int)? = nil) throws -> Bool {
    var display = DiffDisplay()
    display.format = output
    display.context = context
    display.colored = colors.colored
    display.suppressedKinds = Set(suppress + (suppressSecrets ? ["Secret"] : []))
    Console.write(try Output.diff(changes, display: display, revisions: revisions))
    if output == .diff {
      Console.error((revisions.map { "revision \($0.from) -> \($0.to): " } ?? "") + Output.summary(changes))
    }
    return !changes.isEmpty
  }
}

/// helm-diff's `--color`/`--no-color`.
struct DiffColorOption: ParsableArguments {
  @Flag(inversion: .prefixedNo, help: ArgumentHelp(
    "Color the diff, or not (default: on a terminal whose TERM is not dumb, unless NO_COLOR is set; HELM_DIFF_COLOR=true|false as helm-diff)."))
  var color: Bool?

  /// Whether standard output gets colors.
  var colored: Bool { DiffDisplay.colors(flag: color, isTerminal: Console.isTerminal) }
}

extension DiffDisplay.Format: ExpressibleByArgument {}
