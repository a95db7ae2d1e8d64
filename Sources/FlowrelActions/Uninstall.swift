import FlowrelKube
import FlowrelManifest
import FlowrelStore

/// `flowrel uninstall RELEASE`: delete the release's objects (in reverse install order) and
/// record the removal. The release's folder goes; its history stays in git, and a later
/// install continues the revision numbers.
package struct Uninstall: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// Record the removal without deleting anything in the cluster (GitOps).
  package var noApply = false
  /// Show what would be deleted; delete and record nothing.
  package var dryRun = false
  /// The description in history.
  package var description: String?
  /// Wait until the deleted objects are gone (finalizers may hold them), up to `timeout`.
  package var wait = false
  /// How long `wait` waits, and each hook may take (Helm's default: 5 minutes).
  package var timeout = GoDuration.seconds(300)
  /// Run no `pre-delete`/`post-delete` hooks.
  package var noHooks = false

  /// What `run` did.
  package struct Result: Sendable {
    /// The objects deleted, or that would be (in uninstall order).
    package var objects: [ObjectIdentity]
    /// The objects left in the cluster for their `helm.sh/resource-policy: keep`.
    package var kept: [ObjectIdentity] = []
    /// Whether they were deleted in the cluster (not with `--dry-run` or `--no-apply`).
    package var deletedInCluster: Bool
    /// The uninstall revision recorded (none for a dry run).
    package var revision: RevisionInfo?
  }

  /// An uninstall with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Deletes and records.
  package func run() async throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    var check = DeployOptions()
    check.noApply = noApply
    check.dryRun = dryRun
    try check.validate()
    if wait && timeout.nanoseconds <= 0 { throw .usage("--timeout must be above zero with --wait, not \(timeout)") }
    try await Deployer(config: config, options: check).checkCluster()
    let namespace = config.namespace
    return try await ActionError.wrapping { [self] in
      try await config.releases.withWriteLock(unlessDryRun: dryRun) { writer in
        guard let current = try config.releases.installed(release, namespace: namespace) else {
          throw ActionError.notInstalled(name: release, namespace: namespace)
        }
        // The store gives objects in install order.
        let objects = current.manifests.reversed().filter { !Hook.isKept($0) }.map(\.identity)
        let kept = current.manifests.filter(Hook.isKept).map(\.identity)
        guard let writer else { return Result(objects: objects, kept: kept, deletedInCluster: false, revision: nil) }
        var waitFailure: KubeError?
        let hooks = noHooks || noApply ? [] : current.hooks
        let runner = HookRunner(config: config, timeout: timeout)
        if !noApply {
          if !hooks.isEmpty { try ActionError.wrapping { try SecretProtection.requireDecrypted(hooks.map(\.manifest)) } }
          try await runner.run(.preDelete, hooks: hooks)
          try await config.kube.delete(objects)
          if wait {
            // As Helm: the deletions were asked for, so the removal is recorded either way.
            do throws(KubeError) {
              try await config.kube.waitUntilDeleted(objects, timeout: timeout)
            } catch {
              waitFailure = error
            }
          }
        }
        var postDelete: HookFailure?
        do throws(HookFailure) { try await runner.run(.postDelete, hooks: hooks) } catch { postDelete = error }
        let info = try writer.recordUninstall(
          release: release, namespace: namespace, description: description ?? "Uninstallation complete")
        if let waitFailure { throw ActionError.uninstallIncomplete(revision: info.revision, cause: waitFailure) }
        if let postDelete { throw ActionError.hookFailed(postDelete, revision: info.revision, restoredRevision: nil) }
        return Result(objects: objects, kept: kept, deletedInCluster: !noApply, revision: info)
      }
    }
  }
}
