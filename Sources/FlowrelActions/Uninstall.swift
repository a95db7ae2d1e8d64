import FlowrelKube
import FlowrelManifest
import FlowrelStore

/// `flowrel uninstall RELEASE`: delete the release's objects (in reverse install order) and
/// record the removal. The release's folder goes; its history stays in git, and a later
/// install continues the revision numbers.
public struct Uninstall: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release = ""
  /// Record the removal without deleting anything in the cluster (GitOps).
  public var noApply = false
  /// Show what would be deleted; delete and record nothing.
  public var dryRun = false
  /// The description in history.
  public var description: String?

  /// What `run` did.
  public struct Result: Sendable {
    /// The objects deleted, or that would be (in uninstall order).
    public var objects: [ObjectIdentity]
    /// Whether they were deleted in the cluster (not with `--dry-run` or `--no-apply`).
    public var deletedInCluster: Bool
    /// The uninstall revision recorded (none for a dry run).
    public var revision: RevisionInfo?
  }

  /// An uninstall with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// Deletes and records.
  public func run() async throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    var check = DeployOptions()
    check.noApply = noApply
    check.dryRun = dryRun
    try check.validate()
    try await Deployer(config: config, options: check).checkCluster()
    let namespace = config.namespace
    return try await ActionError.wrapping { [self] in
      try await config.releases.withWriteLock(unlessDryRun: dryRun) { writer in
        guard let current = try config.releases.installed(release, namespace: namespace) else {
          throw ActionError.notInstalled(name: release, namespace: namespace)
        }
        // The store gives objects in install order.
        let objects = current.manifests.reversed().map(\.identity)
        guard let writer else { return Result(objects: objects, deletedInCluster: false, revision: nil) }
        if !noApply { try await config.kube.delete(objects) }
        let info = try writer.recordUninstall(
          release: release, namespace: namespace, description: description ?? "Uninstallation complete")
        return Result(objects: objects, deletedInCluster: !noApply, revision: info)
      }
    }
  }
}
