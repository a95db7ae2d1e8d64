import FlowrelStore

/// `flowrel rollback RELEASE [REVISION]`: apply an earlier revision's objects again and record
/// them as a new revision (default: the revision before the installed one).
public struct Rollback: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release: String
  /// The release's namespace.
  public var namespace: String
  /// The revision to go back to; `nil` for the one before the installed one.
  public var revision: Int?
  /// Dry run, no-apply, wait, atomic, ...
  public var options = DeployOptions()

  /// A rollback of `release` in `namespace`.
  public init(config: ActionConfiguration, release: String, namespace: String) {
    self.config = config
    self.release = release
    self.namespace = namespace
  }

  /// Runs the rollback: check the cluster, read revision N, apply, record.
  public func run() throws(ActionError) -> DeployResult {
    let deployer = Deployer(config: config, options: options)
    try deployer.checkCluster()
    return try ActionError.wrapping {
      try config.releases.withWriteLock(unlessDryRun: options.dryRun) { writer in
        guard let current = try config.releases.installed(release, namespace: namespace) else {
          throw ActionError.notInstalled(name: release, namespace: namespace)
        }
        let number = revision ?? (current.info.revision - 1)
        guard number >= 1 else { throw ActionError.nothingToRollBack(name: release, namespace: namespace) }
        let target = try config.releases.revision(release: release, namespace: namespace, number: number)
        guard let chart = target.info.chart, target.info.action != .uninstall else {
          throw ActionError.nothingToRollBack(name: release, namespace: namespace)
        }
        let revision = NewRevision(
          release: release, namespace: namespace, action: .rollback, status: .deployed, chart: chart, values: target.values,
          manifests: target.manifests, notes: target.notes, description: options.description ?? "Rollback to \(number)")
        return try RenderedRevision(revision: revision).deploy(previous: current, deployer: deployer, writer: writer)
      }
    }
  }
}
