import ArgumentParser
import FlowrelActions
import FlowrelKube
import FlowrelStore
import FlowrelValue
import Foundation

/// Where releases are kept and which cluster they go to: the flags every release command takes.
struct ReleaseOptions: ParsableArguments {
  @Option(name: [.short, .long], help: "The release namespace.")
  var namespace = "default"

  @Option(help: ArgumentHelp(
    "The store folder, inside a git repository (default: $FLOWREL_STORE, else ./releases).", valueName: "dir"))
  var store: String?

  @Option(help: ArgumentHelp(
    "Record on this branch (made from the checked-out commit when new), leaving the checked-out branch alone.",
    valueName: "name"))
  var branch: String?

  @Option(help: ArgumentHelp(
    "A file with the 32-byte key that encrypts secret values (default: $FLOWREL_SECRET_KEY_FILE).", valueName: "file"))
  var secretKeyFile: String?

  @Option(help: ArgumentHelp("The kubeconfig file kubectl uses.", valueName: "file"))
  var kubeconfig: String?

  @Option(help: ArgumentHelp("The kubeconfig context to use.", valueName: "name"))
  var kubeContext: String?

  @Option(help: ArgumentHelp("The kubectl to run (default: $FLOWREL_KUBECTL, else kubectl on PATH).", valueName: "path"))
  var kubectl: String?

  /// The store folder these flags name.
  var storePath: String { Self.storePath(store) }

  /// The store folder: the one given, else `$FLOWREL_STORE`, else `./releases`.
  static func storePath(_ given: String?) -> String {
    given ?? ProcessInfo.processInfo.environment["FLOWREL_STORE"] ?? "releases"
  }

  /// The configuration the actions run with.
  func configuration() throws -> ActionConfiguration {
    let environment = ProcessInfo.processInfo.environment
    let key = try SecretKey.load(file: secretKeyFile, environment: environment)
    let releases = GitReleaseStore(path: storePath, branch: branch, secretKey: key, flowrelVersion: Flowrel.version)
    let kube = Kubectl(executable: kubectl, kubeconfig: kubeconfig, context: kubeContext, namespace: namespace)
    return ActionConfiguration(releases: releases, kube: kube, progress: { Console.error($0) })
  }
}

/// How install, upgrade and rollback touch the cluster.
struct DeployFlags: ParsableArguments {
  @Flag(help: "Render and compare with the installed revision; record nothing, apply nothing.")
  var dryRun = false

  @Flag(help: "Record the revision in the store without touching the cluster (GitOps: CD applies it).")
  var noApply = false

  @Flag(help: "Wait until the workloads are ready and the Jobs complete.")
  var wait = false

  @Option(help: ArgumentHelp("How long to wait, in Go's duration syntax (30s, 5m, 1h).", valueName: "duration"))
  var timeout = "5m0s"

  @Flag(help: "On failure, restore the previous revision (implies --wait).")
  var atomic = false

  @Flag(help: "Create the release namespace when it does not exist.")
  var createNamespace = false

  @Flag(help: "Take over fields that other field managers own.")
  var forceConflicts = false

  @Option(help: "The revision's description in history.")
  var description: String?

  func validate() throws {
    if dryRun && noApply { throw ValidationError("--dry-run and --no-apply exclude each other") }
    do { _ = try GoDuration(parsing: timeout) } catch { throw ValidationError("--timeout: \(error)") }
  }

  /// The action options these flags describe.
  func options() throws -> DeployOptions {
    var options = DeployOptions()
    options.dryRun = dryRun
    options.noApply = noApply
    options.wait = wait
    options.timeout = try GoDuration(parsing: timeout)
    options.atomic = atomic
    options.createNamespace = createNamespace
    options.forceConflicts = forceConflicts
    options.description = description
    return options
  }
}
