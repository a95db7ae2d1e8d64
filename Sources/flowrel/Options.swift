import ArgumentParser
import FlowrelActions
import Foundation

/// `--debug`, which every command takes (before or after the verb): debug lines on standard error.
struct DebugOption: ParsableArguments {
  @Flag(help: "Show debug output on standard error: each kubectl command line with its time, a failing template's text (also $FLOWREL_DEBUG=true).")
  var debug = false

  /// The environment variable that turns debug output on, as Helm's `HELM_DEBUG`.
  static let variable = "FLOWREL_DEBUG"

  /// Whether debug output is on: `--debug`, else `$FLOWREL_DEBUG` read as Go's
  /// `strconv.ParseBool` reads it (as Helm reads `HELM_DEBUG`).
  func enabled(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    debug || ["1", "t", "T", "true", "TRUE", "True"].contains(environment[Self.variable] ?? "")
  }

  /// The logger for the command: debug lines when enabled.
  var logger: Logger { Console.logger(debug: enabled()) }

  /// A configuration for commands that reach neither the store nor the cluster.
  func configuration() throws(ActionError) -> ActionConfiguration {
    try ActionConfiguration(settings: Settings(), log: logger)
  }
}

/// Helm's global flags: accepted before the verb (`flowrel -n search --debug list`) and after
/// it. The root command declares them, so they may come before the verb; each command that uses
/// them declares this group (or `DebugOption` alone) again and receives the values given.
struct GlobalOptions: ParsableArguments {
  @Option(name: [.short, .long], help: ArgumentHelp(
    "The release namespace (default: $FLOWREL_NAMESPACE, else the kubeconfig context's namespace, else default).",
    valueName: "namespace"), completion: Completions.namespaces)
  var namespace: String?

  @Option(help: ArgumentHelp("The kubeconfig file (default: $KUBECONFIG, else ~/.kube/config; its context names the default namespace).", valueName: "file"))
  var kubeconfig: String?

  @Option(help: ArgumentHelp(
    "The kubeconfig context to use, whose namespace is also the default (default: $FLOWREL_KUBECONTEXT, else the current one).",
    valueName: "name"))
  var kubeContext: String?

  @OptionGroup var debugging: DebugOption

  /// The environment variable naming the context, as Helm's `HELM_KUBECONTEXT`.
  static let contextVariable = "FLOWREL_KUBECONTEXT"

  /// These flags set on `settings` (an empty `$FLOWREL_KUBECONTEXT` counts as unset).
  func apply(to settings: inout Settings) {
    settings.namespace = namespace
    settings.kubeconfig = kubeconfig
    settings.kubeContext = kubeContext ?? settings.environment[Self.contextVariable].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The logger for these flags.
  var logger: Logger { debugging.logger }

  /// A configuration with only these flags, for commands that render without a store
  /// (`template`, `lint`): the kubeconfig is read for its context's namespace only.
  func configuration() throws(ActionError) -> ActionConfiguration {
    var settings = Settings()
    apply(to: &settings)
    return try ActionConfiguration(settings: settings, log: logger)
  }
}

/// Where releases are kept and which cluster they go to: the flags every release command takes.
struct ReleaseOptions: ParsableArguments {
  @OptionGroup(title: "Global Options") var global: GlobalOptions

  @Option(help: ArgumentHelp(
    "The store folder, inside a git repository (default: $FLOWREL_STORE, else releases/ at the top of the git work tree).",
    valueName: "dir"))
  var store: String?

  @Option(help: ArgumentHelp(
    "Record on this branch (made from the checked-out commit when new), leaving the checked-out branch alone.",
    valueName: "name"))
  var branch: String?

  @Option(name: .customLong("age"), help: ArgumentHelp(
    "An age recipient to encrypt secrets to (repeatable; default: $FLOWREL_AGE_RECIPIENTS, else the repository's .sops.yaml).",
    valueName: "age1..."))
  var ageRecipients: [String] = []

  @Option(help: ArgumentHelp(
    "The key file of flowrel's old secret format, to read revisions stored with it (default: $FLOWREL_SECRET_KEY_FILE).",
    valueName: "file"))
  var secretKeyFile: String?

  @Option(help: ArgumentHelp("The kubectl to run (default: $FLOWREL_KUBECTL, else kubectl on PATH).", valueName: "path"))
  var kubectl: String?

  /// The settings these flags name.
  var settings: Settings {
    var settings = Settings()
    global.apply(to: &settings)
    settings.store = store
    settings.branch = branch
    settings.secretKeyFile = secretKeyFile
    settings.ageRecipients = ageRecipients
    settings.kubectl = kubectl
    return settings
  }

  /// The configuration the actions run with.
  func configuration() throws(ActionError) -> ActionConfiguration {
    try ActionConfiguration(settings: settings, log: global.logger)
  }
}

/// The values flags every rendering command takes, named and applied as in Helm.
struct ValuesOptions: ParsableArguments {
  @Option(name: [.customShort("f"), .customLong("values")], help: ArgumentHelp(
    "A YAML values file (repeatable; later files win; '-' reads standard input).", valueName: "file"))
  var valueFiles: [String] = []

  @Option(name: .customLong("set"), help: ArgumentHelp(
    "Set values: a.b=c, list[0]=x, a={x,y}; commas separate pairs (repeatable).", valueName: "key=value"))
  var set: [String] = []

  @Option(name: .customLong("set-string"), help: ArgumentHelp("Like --set, but values stay strings.", valueName: "key=value"))
  var setString: [String] = []

  @Option(name: .customLong("set-file"), help: ArgumentHelp("Set a value to the contents of a file.", valueName: "key=path"))
  var setFile: [String] = []

  @Option(name: .customLong("set-json"), help: ArgumentHelp("Set a value to JSON: a.b={\"x\":1}.", valueName: "key=json"))
  var setJSON: [String] = []

  @Option(name: .customLong("set-literal"), help: ArgumentHelp("Set a value to the literal text after '=' (no escapes, no commas split).", valueName: "key=value"))
  var setLiteral: [String] = []

  /// The values, resolved once: every file read, every flag applied.
  func resolve() throws(ActionError) -> UserValues {
    var input = ValuesInput()
    input.files = valueFiles
    input.arguments = [.set: set, .setString: setString, .setFile: setFile, .setJSON: setJSON, .setLiteral: setLiteral]
    return try input.resolve(from: LocalFiles())
  }
}

/// How templates are rendered: strictness, the assumed cluster, and the run-to-run functions.
struct RenderingOptions: ParsableArguments {
  @Flag(help: "Fail on a missing value instead of rendering it empty (Helm's --strict).")
  var strict = false

  @Option(help: ArgumentHelp("The Kubernetes version templates see in .Capabilities (default v1.32.0).", valueName: "version"))
  var kubeVersion: String?

  @Option(name: [.customShort("a"), .customLong("api-versions")], help: ArgumentHelp(
    "An API version templates see as available in .Capabilities (repeatable).", valueName: "group/version"))
  var apiVersions: [String] = []

  @Flag(help: "Allow functions that read the clock (now, date of the current time, ...); random values (randAlphaNum, uuidv4, ...) need no flag: they are drawn once per release and kept.")
  var allowNondeterministic = false

  @Flag(name: .customLong("enable-dns"), help: "Let getHostByName look names up.")
  var enableDNS = false

  @Option(help: ArgumentHelp(
    "The most output (MiB) the release's templates may write, all of them and the subcharts' together (default 100).", valueName: "MiB"))
  var maxOutput: Int?

  func validate() throws {
    do { try settings.validate() } catch { throw ValidationError(error.description) }
  }

  /// The action's render settings.
  var settings: RenderSettings {
    var settings = RenderSettings()
    settings.strict = strict
    settings.kubeVersion = kubeVersion
    settings.apiVersions = apiVersions
    settings.allowNondeterministic = allowNondeterministic
    settings.enableDNS = enableDNS
    settings.maxOutputMiB = maxOutput
    return settings
  }
}

/// Waiting for workloads: install, upgrade, rollback and sync.
struct WaitFlags: ParsableArguments {
  @Flag(help: "Wait until the workloads are ready and the Jobs complete.")
  var wait = false

  @Option(help: ArgumentHelp("How long to wait, in Go's duration syntax (30s, 5m, 1h).", valueName: "duration"))
  var timeout = "5m0s"

  @Flag(name: [.long, .customLong("rollback-on-failure")], help: "On failure, restore the previous revision (implies --wait; Helm 4: --rollback-on-failure).")
  var atomic = false

  @Flag(help: "Create the release namespace when it does not exist.")
  var createNamespace = false

  /// Checked before anything runs, so a bad duration is a usage error (exit 1).
  func validate() throws {
    do { _ = try GoDuration(parsing: timeout) } catch { throw ValidationError("--timeout: \(error)") }
  }

  /// These flags set on `options`.
  func apply(to options: inout DeployOptions) throws {
    options.wait = wait
    options.timeout = try GoDuration(parsing: timeout)
    options.atomic = atomic
    options.createNamespace = createNamespace
  }
}

/// How install, upgrade and rollback touch the cluster.
struct DeployFlags: ParsableArguments {
  @Flag(help: ArgumentHelp(
    "Render and compare with the installed revision; record nothing, apply nothing. --dry-run=server also sends the objects to the API server as a dry run (kubectl apply --dry-run=server), so its validation errors show; --dry-run=client is --dry-run."))
  var dryRun = false

  /// `--dry-run=server`, as `HelmArguments.rewritten` spells it for the parser.
  @Flag(name: .customLong(HelmArguments.serverDryRun), help: .hidden)
  var dryRunOnServer = false

  @Flag(help: "When the apply fails, delete the objects this attempt created (not those that existed before).")
  var cleanupOnFail = false

  @Flag(help: "Record the revision in the store without touching the cluster (GitOps: CD applies it).")
  var noApply = false

  @OptionGroup var waiting: WaitFlags

  @Flag(help: "Take over fields that other field managers own.")
  var forceConflicts = false

  @Flag(name: [.long, .customLong("force-replace")], help: ArgumentHelp(
    "Replace objects instead of applying them (kubectl replace, Helm 3's --force; Helm 4: --force-replace); an object whose change touches an immutable field is deleted and created again. One line per object on stderr."))
  var force = false

  @Flag(help: "Accepted for Helm's command lines: --wait already waits for Jobs to complete; implies --wait.")
  var waitForJobs = false

  @Option(help: ArgumentHelp(
    "Accepted for Helm's command lines: history is git history and is never trimmed (a note says so).", valueName: "count"))
  var historyMax: Int?

  @Option(help: "The revision's description in history.")
  var description: String?

  @Flag(help: "Run none of the chart's hooks (they are still recorded).")
  var noHooks = false

  @Option(name: .shortAndLong, help: "Output format: table (the release's summary and notes), json or yaml (the release, as Helm's -o).")
  var output: OutputFormat = .table

  func validate() throws {
    do { try options().validate() } catch let error as ActionError { throw ValidationError(error.description) }
    if historyMax != nil { Console.error("note: --history-max is accepted and ignored: a release's history is git history, never trimmed") }
  }

  /// The action options these flags describe.
  func options() throws -> DeployOptions {
    var options = DeployOptions()
    options.dryRun = dryRun || dryRunOnServer
    options.dryRunOnServer = dryRunOnServer
    options.cleanupOnFail = cleanupOnFail
    options.force = force
    options.noApply = noApply
    try waiting.apply(to: &options)
    options.wait = options.wait || waitForJobs
    options.forceConflicts = forceConflicts
    options.description = description
    options.noHooks = noHooks
    return options
  }
}

/// `-o table|yaml|json`.
extension OutputFormat: ExpressibleByArgument {}

/// Helm's `--version` of install, upgrade, template, lint, show and diff upgrade: the version the
/// chart must have (flowrel's own version is `flowrel version`).
struct ChartVersionOption: ParsableArguments {
  @Option(name: .customLong("version"), help: ArgumentHelp(
    "The version the chart must have: a version or a constraint (1.2.3, ^1.2, ~1.2.3, '>=1.0 <2').", valueName: "constraint"))
  var version: String?

  func validate() throws {
    do { try ChartSelection(version: version).validate() } catch { throw ValidationError(error.description) }
  }

  /// The chart `reference` with this version constraint.
  func chart(_ reference: String?) -> ChartSelection { ChartSelection(reference: reference, version: version) }
}
