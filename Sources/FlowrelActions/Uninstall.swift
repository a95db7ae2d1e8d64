import FlowrelKube
import FlowrelManifest
import FlowrelStore

/// `flowrel uninstall RELEASE`: delete the release's objects (in reverse install order) and
/// record the removal. The release's folder goes; its history stays in git, and a later
/// install continues the revision numbers.
public struct Uninstall: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release: String
  /// The release's namespace.
  public var namespace: String
  /// Record the removal without deleting anything in the cluster (GitOps).
  public var noApply = false
  /// Show what would be deleted; delete and record nothing.
  public var dryRun = false
  /// The description in history.
  public var description: String?

  /// An uninstall of `release` in `namespace`.
  public init(config: ActionConfiguration, release: String, namespace: String) {
    self.config = config
    self.release = release
    self.namespace = namespace
  }

  /// Deletes and records; returns the objects deleted (or that would be) and the uninstall revision.
  public func run() throws(ActionError) -> (deleted: [ObjectIdentity], revision: RevisionInfo?) {
    var check = DeployOptions()
    check.noApply = noApply
    check.dryRun = dryRun
    try Deployer(config: config, options: check).checkCluster()
    let kube = config.kube
    return try ActionError.wrapping {
      try config.releases.withWriteLock { writer in
        guard let current = try config.releases.installed(release, namespace: namespace) else {
          throw ActionError.notInstalled(name: release, namespace: namespace)
        }
        let objects = current.manifests.sortedForUninstall().map(\.identity)
        if dryRun { return (objects, nil) }
        if !noApply { try waitFor { try await kube.delete(objects) } }
        let info = try writer.recordUninstall(
          release: release, namespace: namespace, description: description ?? "Uninstallation complete")
        return (objects, info)
      }
    }
  }
}
