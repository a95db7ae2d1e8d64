import FlowrelStore

/// `flowrel rollback RELEASE [REVISION]`: apply an earlier revision's objects again and record
/// them as a new revision (default: the revision before the installed one).
package struct Rollback: Sendable, PlannableVerb {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// The revision to go back to; `nil` for the one before the installed one.
  package var revision: Int?
  /// Dry run, no-apply, wait, atomic, ...
  package var options = DeployOptions()

  /// A rollback with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Checks the cluster, reads revision N, applies, records.
  package func run() async throws(ActionError) -> DeployResult {
    try ReleaseName.validate(release)
    try options.validate()
    let deployer = Deployer(config: config, options: options)
    try await deployer.checkCluster()
    let namespace = config.namespace
    return try await ActionError.wrapping { [self] in
      try await config.releases.withWriteLock(unlessDryRun: options.dryRun) { writer in
        guard let current = try config.releases.installedRevision(release, namespace: namespace) else {
          throw ActionError.notInstalled(name: release, namespace: namespace)
        }
        let number = revision ?? (current.info.revision - 1)
        guard number >= 1 else { throw ActionError.nothingToRollBack(name: release, namespace: namespace) }
        let target = try config.releases.revision(release: release, namespace: namespace, number: number)
        guard let chart = target.info.chart, target.info.action != .uninstall else {
          throw ActionError.nothingToRollBack(name: release, namespace: namespace)
        }
        var revision = NewRevision(
          release: release, namespace: namespace, action: .rollback, status: .deployed, chart: chart, values: target.values,
          manifests: target.manifests, notes: target.notes, description: options.description ?? "Rollback to \(number)",
          secretValuePaths: target.secretValuePaths)
        // Helm runs the hooks of the revision rolled back to.
        revision.hooks = target.hooks
        // The target's drawn values come back with its objects, for the renders after it.
        revision.draws = target.draws
        return try await PendingRevision(revision: revision).keepingCRDs(of: current)
          .deploy(previous: current, deployer: deployer, writer: writer)
      }
    }
  }
}

/// `flowrel diff rollback RELEASE [REVISION]`: what a rollback would change; nothing is
/// recorded or applied.
package struct DiffRollback: Sendable {
  /// The rollback asked about (its options are ignored: it runs as a dry run).
  package var rollback: Rollback

  /// A diff of a rollback with `config`.
  package init(config: ActionConfiguration) { rollback = Rollback(config: config) }

  /// How Secret entries show (`--show-secrets`: decrypted).
  package var secrets = SecretDisplay.masked

  /// The planned changes.
  package func run() async throws(ActionError) -> PlannedDiff {
    try await PlannedDiff.planning(rollback, secrets: secrets)
  }
}
