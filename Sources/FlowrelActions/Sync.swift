import FlowrelKube
import FlowrelManifest
import FlowrelStore

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

  /// What `run` applied.
  package struct Result: Sendable {
    /// The revision applied.
    package var revision: Revision
    /// What changed against the revision before it.
    package var plan: ChangePlan
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
    return try await ActionError.wrapping { [self] in
      let target = try config.releases.revision(release: release, namespace: namespace, number: revision)
      let before = target.info.revision > 1
        ? try? config.releases.revision(release: release, namespace: namespace, number: target.info.revision - 1)
        : nil
      let previous = before?.manifests ?? []
      try deployer.requireDecrypted(new: target.manifests, old: previous)
      try await deployer.applyRestoringOnFailure(namespace: namespace, new: target.manifests, old: previous)
      return Result(revision: target, plan: ChangePlan(from: previous, to: target.manifests))
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
