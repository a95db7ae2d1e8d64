import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "install",
      abstract: "Render a chart, apply it to the cluster and record the first revision.",
      discussion: """
        Renders CHART (default: the built-in flow chart) for RELEASE, applies the objects with \
        kubectl (server-side apply, field manager flowrel) and records the revision as a git \
        commit in the store. With --no-apply it only records (GitOps).

        Example: flowrel install search-flow -f flow.yml -n search --create-namespace
        """)

    @Argument(help: ArgumentHelp(
      "RELEASE [CHART]: the release's name and the chart (a directory, a .tgz archive or a built-in chart name; default: flow).",
      valueName: "release-and-chart"))
    var arguments: [String] = []
    @Flag(name: [.customShort("g"), .long], help: "Make up the release's name (CHART-TIMESTAMP); the argument is the chart.")
    var generateName = false
    @OptionGroup var chartVersion: ChartVersionOption
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions
    @OptionGroup var deploy: DeployFlags
    @OptionGroup var postRendering: PostRendererOptions
    @Flag(help: "Install even when the release is installed already.") var replace = false
    @Flag(help: "Do not create the chart's CRDs (its crds/ folders); by default those missing are created first.")
    var skipCrds = false
    @Flag(help: "Draw new random values (randAlphaNum, uuidv4, genCA, ...) instead of the recorded ones.") var regenerate = false

    func run() async throws {
      let (release, chart) = try ReleaseName.interpret(arguments, generateName: generateName)
      var action = Install(config: try target.configuration())
      action.release = release
      action.chart = chartVersion.chart(chart)
      action.values = try values.resolve()
      action.rendering = rendering.settings
      action.rendering.regenerate = regenerate
      action.options = try deploy.options()
      action.replace = replace
      action.skipCRDs = skipCrds
      action.postRenderer = postRendering.renderer
      try Printer.deployed(try await action.run(), format: deploy.output)
    }
  }

  struct UpgradeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "upgrade",
      abstract: "Render a release again (new values or chart), apply it and record the next revision.",
      discussion: """
        Without CHART the release's recorded chart is used. Values follow Helm: the chart's \
        defaults plus this command's -f/--set; the installed values are kept when none are \
        given, merged under the new ones with --reuse-values, and dropped with --reset-values.
        """)

    @Argument(help: "Name of the release.") var release: String
    @Argument(help: "The chart (default: the one the release was rendered from).") var chart: String?
    @OptionGroup var chartVersion: ChartVersionOption
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions
    @OptionGroup var deploy: DeployFlags
    @OptionGroup var postRendering: PostRendererOptions
    @Flag(name: [.short, .long], help: "Install the release when it is not installed.") var install = false
    @Flag(help: "Merge this command's values over the installed revision's values.") var reuseValues = false
    @Flag(help: "Use only the chart's defaults and this command's values.") var resetValues = false
    @Flag(help: "Draw new random values (randAlphaNum, uuidv4, genCA, ...) instead of the installed revision's.") var regenerate = false
    @Flag(help: ArgumentHelp(
      "Helm's: the chart's defaults, then the installed revision's values, then this command's. flowrel's --reuse-values does exactly that (the store keeps the values given, not the old chart's defaults)."))
    var resetThenReuseValues = false
    @Flag(help: "With --install, when the release is not installed: do not create the chart's CRDs (an upgrade never touches them).")
    var skipCrds = false

    func run() async throws {
      var action = Upgrade(config: try target.configuration())
      action.release = release
      action.chart = chartVersion.chart(chart)
      action.values = try values.resolve()
      action.rendering = rendering.settings
      action.rendering.regenerate = regenerate
      action.options = try deploy.options()
      action.install = install
      action.reuseValues = reuseValues || (resetThenReuseValues && !resetValues)
      action.resetValues = resetValues
      action.skipCRDs = skipCrds
      action.postRenderer = postRendering.renderer
      try Printer.deployed(try await action.run(), format: deploy.output)
    }
  }

  struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rollback",
      abstract: "Apply an earlier revision again, recorded as a new revision.")

    @Argument(help: "Name of the release.") var release: String
    @Argument(help: "Revision to roll back to (default, or 0: the one before the installed one).") var revision: Int?
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var deploy: DeployFlags

    func validate() throws {
      if let revision, revision < 0 { throw ValidationError("REVISION must be 0 (the previous one) or more.") }
    }

    func run() async throws {
      var action = Rollback(config: try target.configuration())
      action.release = release
      action.revision = revision == 0 ? nil : revision
      action.options = try deploy.options()
      try Printer.deployed(try await action.run(), format: deploy.output)
    }
  }

  struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "uninstall",
      abstract: "Delete a release's objects and record the removal (its history stays in git).",
      aliases: ["un", "delete", "del"])

    @Argument(help: "Names of the releases.") var releases: [String]
    @OptionGroup var target: ReleaseOptions
    @Flag(help: "Record the removal without deleting anything in the cluster.") var noApply = false
    @Flag(help: "Show what would be deleted; delete and record nothing.") var dryRun = false
    /// `--dry-run=server`, which Helm's uninstall does not have either.
    @Flag(name: .customLong(HelmArguments.serverDryRun), help: .hidden) var dryRunOnServer = false
    @Flag(help: "Wait until the deleted objects are gone (finalizers may hold them), up to --timeout.") var wait = false
    @Option(help: ArgumentHelp("How long --wait waits, in Go's duration syntax (30s, 5m, 1h).", valueName: "duration"))
    var timeout = "5m0s"
    @Flag(help: "Accepted for Helm's command lines: flowrel always keeps a release's history, in git.")
    var keepHistory = false
    @Option(help: "The description in history.") var description: String?
    @Flag(help: "Run no pre-delete or post-delete hooks.") var noHooks = false

    func validate() throws {
      if releases.isEmpty { throw ValidationError("name at least one release") }
      if dryRunOnServer { throw ValidationError("uninstall has no --dry-run=server (as in Helm): --dry-run shows what would be deleted") }
      do { _ = try GoDuration(parsing: timeout) } catch { throw ValidationError("--timeout: \(error)") }
    }

    func run() async throws {
      let config = try target.configuration()
      for release in releases {
        var action = Uninstall(config: config)
        action.release = release
        action.noApply = noApply
        action.dryRun = dryRun
        action.description = description
        action.wait = wait
        action.timeout = try GoDuration(parsing: timeout)
        action.noHooks = noHooks
        Console.write(Output.uninstalled(try await action.run(), release: release))
      }
    }
  }

  struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sync",
      abstract: "Apply exactly what the store holds for a release (after a merge); note it, never move the branch.",
      discussion: """
        For CD jobs: applies the release's installed revision (or --revision N) from the store on \
        the checked-out branch (or --branch), deleting what the revision before it had and it \
        has not. The branch never moves: the sync is noted as a git note on the revision's \
        commit (refs/notes/flowrel), shown by history and status and sent by flowrel push.
        """)

    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(help: "The revision to apply (default: the installed one).") var revision: Int?
    @Flag(help: "Fast-forward the store's branch from its remote first (flowrel pull).") var pull = false
    @OptionGroup var waiting: WaitFlags

    func run() async throws {
      var action = Sync(config: try target.configuration())
      action.release = release
      action.revision = revision
      action.pull = pull
      try waiting.apply(to: &action.options)
      let result = try await action.run()
      Console.write("synced \(release) to revision \(result.revision.info.revision): \(result.plan.summary)\n")
    }
  }
}

/// Prints verbs' results.
enum Printer {
  /// The result of install, upgrade or rollback.
  static func deployed(_ result: DeployResult, format: OutputFormat) throws {
    Console.write(try Output.deployed(result, format: format))
    if let summary = Output.dryRunSummary(result) { Console.error(summary) }
  }
}

/// `--post-renderer` and `--post-renderer-args` of install, upgrade and template, as Helm's.
struct PostRendererOptions: ParsableArguments {
  @Option(help: ArgumentHelp(
    "An executable the rendered objects go through before they are applied and recorded: the YAML stream on its stdin, the objects to use on its stdout (a path, or a name on PATH).",
    valueName: "path"))
  var postRenderer: String?

  @Option(help: ArgumentHelp("An argument for the post-renderer (repeatable, in order).", valueName: "arg"))
  var postRendererArgs: [String] = []

  /// The post-renderer these flags name (Helm ignores the arguments without one, and so does flowrel).
  var renderer: PostRenderer? {
    postRenderer.map { PostRenderer(executable: $0, arguments: postRendererArgs) }
  }
}

/// Helm's spellings that the argument parser cannot read as they are.
enum HelmArguments {
  /// The hidden flag `--dry-run=server` is read as.
  static let serverDryRun = "dry-run-on-server"

  /// The command line with `--dry-run=client|true` as `--dry-run`, `--dry-run=server` as
  /// `--dry-run --dry-run-on-server` and `--dry-run=none|false` dropped (Helm's optional
  /// value, which a flag of the parser cannot take); words after `--` stay as they are. Any
  /// other `--dry-run=` value is refused here, with the values there are.
  static func rewritten(_ arguments: [String]) throws -> [String] {
    var out: [String] = []
    out.reserveCapacity(arguments.count + 1)
    for (index, word) in arguments.enumerated() {
      if word == "--" {
        out += arguments[index...]
        break
      }
      switch word {
      case "--dry-run=client", "--dry-run=true": out.append("--dry-run")
      case "--dry-run=server": out += ["--dry-run", "--" + serverDryRun]
      case "--dry-run=none", "--dry-run=false": continue
      case let other where other.hasPrefix("--dry-run="):
        throw ValidationError(
          "--dry-run takes client, server or none (as in Helm), not \"\(other.dropFirst("--dry-run=".count))\"")
      default: out.append(word)
      }
    }
    return out
  }
}
