import FlowrelKube
import FlowrelManifest
import FlowrelStore
import Foundation

/// `flowrel sync RELEASE [--revision N]`: apply exactly what the store holds (after a pull
/// request was merged), pruning what the revision before it had and it has not. Records
/// nothing: the CD system keeps its own record, and its clone may be read-only.
package struct Sync: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// The revision to apply; `nil` for the installed one.
  package var revision: Int?
  /// Wait, timeout, atomic, create-namespace (dry-run and no-apply do not apply here).
  package var options = DeployOptions()
  /// Fast-forward the store's branch from its remote first (`--pull`).
  package var pull = false
  /// The time a sync record carries.
  package var clock: @Sendable () -> Date = Date.init

  /// What `run` applied.
  package struct Result: Sendable {
    /// The revision applied.
    package var revision: Revision
    /// What changed against the revision before it.
    package var plan: ChangePlan
    /// The sync record kept as a git note on the revision, or nil when it could not be written
    /// (a read-only clone: said on the log).
    package var record: SyncRecord?
  }

  /// A sync with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Applies the revision; with `--atomic`, a failure applies the revision before it again.
  package func run() async throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    try options.validate()
    let deployer = Deployer(config: config, options: options)
    try await deployer.checkCluster()
    let namespace = config.namespace
    if pull { config.progress(Output.pulled(try await Pull(config: config).run())) }
    return try await ActionError.wrapping { [self] in
      let target = try config.releases.revision(release: release, namespace: namespace, number: revision)
      let before = target.info.revision > 1
        ? try? config.releases.revision(release: release, namespace: namespace, number: target.info.revision - 1)
        : nil
      let previous = before?.manifests ?? []
      try deployer.requireDecrypted(new: target.manifests, old: previous)
      do {
        try await deployer.installCRDs(target.crds)
        try await deployer.applyRestoringOnFailure(namespace: namespace, new: target.manifests, old: previous)
      } catch {
        _ = keepRecord(of: target.info, result: "failed")
        throw error
      }
      let record = keepRecord(of: target.info, result: ReleaseStatus.deployed.rawValue)
      return Result(revision: target, plan: ChangePlan(from: previous, to: target.manifests), record: record)
    }
  }

  /// Writes the sync record of `info`; a store that cannot keep it (a read-only clone) costs
  /// a warning, never the sync.
  private func keepRecord(of info: RevisionInfo, result: String) -> SyncRecord? {
    let record = SyncRecord(release: info.release, namespace: info.namespace, revision: info.revision, time: clock(),
                            context: config.kube.contextName ?? "(none)", result: result)
    do {
      try config.releases.recordSync(record)
      return record
    } catch {
      config.log.warning("the sync of revision \(info.revision) was not noted in the store (\(error))")
      return nil
    }
  }
}

/// `flowrel diff live RELEASE`: how the cluster differs from what the store holds.
package struct DiffLive: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""

  /// A drift check with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// A unified diff of what applying the installed revision would change, or `nil` when the
  /// cluster matches it.
  package func run() async throws(ActionError) -> String? {
    try ReleaseName.validate(release)
    try await Deployer(config: config, options: DeployOptions()).checkCluster()
    let namespace = config.namespace
    return try await ActionError.wrapping { [self] in
      guard let installed = try config.releases.installed(release, namespace: namespace) else {
        throw ActionError.notInstalled(name: release, namespace: namespace)
      }
      return try await config.kube.drift(installed.manifests, forceConflicts: false)
    }
  }
}
