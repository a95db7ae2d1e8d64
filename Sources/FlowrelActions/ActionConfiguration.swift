import FlowrelKube
import FlowrelStore
import FlowrelValue

/// What every verb works with: the store, the cluster, and where progress goes. The CLI builds
/// it once from its flags; tests hand in an in-memory store and a kubectl pointed at the test
/// API server.
public struct ActionConfiguration: Sendable {
  /// The release store (git, or in-memory for tests and `--dry-run`).
  public var releases: any ReleaseStore
  /// The cluster.
  public var kube: any KubeClient
  /// Progress lines (`waiting: deployment/gateway 1 of 2 updated replicas are available`).
  public var progress: @Sendable (String) -> Void

  /// A configuration.
  public init(releases: any ReleaseStore, kube: any KubeClient, progress: @escaping @Sendable (String) -> Void = { _ in }) {
    self.releases = releases
    self.kube = kube
    self.progress = progress
  }
}

/// How a verb that changes the release touches the cluster.
public struct DeployOptions: Sendable {
  /// Render and compare with the current revision; record nothing, apply nothing.
  public var dryRun = false
  /// Record the revision without touching the cluster (GitOps: a CD system applies it).
  public var noApply = false
  /// Wait until workloads are ready and Jobs complete.
  public var wait = false
  /// How long to wait (Helm's default: 5 minutes).
  public var timeout = GoDuration.seconds(300)
  /// On failure, restore the previous revision (implies `wait`).
  public var atomic = false
  /// Create the release namespace when it does not exist.
  public var createNamespace = false
  /// Take over fields other field managers own.
  public var forceConflicts = false
  /// The revision's description in history; a default one otherwise.
  public var description: String?

  /// Options; by default apply and record, without waiting.
  public init() {}
}
