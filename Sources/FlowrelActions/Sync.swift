import FlowrelKube
import FlowrelManifest
import FlowrelStore

/// `flowrel sync RELEASE [--revision N]`: apply exactly what the store holds (after a pull
/// request was merged), pruning what the revision before it had and it has not. Records
/// nothing: the CD system keeps its own record, and its clone may be read-only.
public struct Sync: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release: String
  /// The release's namespace.
  public var namespace: String
  /// The revision to apply; `nil` for the installed one.
  public var revision: Int?
  /// Wait, timeout, atomic, create-namespace, force-conflicts (dry-run and no-apply do not apply here).
  public var options = DeployOptions()

  /// A sync of `release` in `namespace`.
  public init(config: ActionConfiguration, release: String, namespace: String) {
    self.config = config
    self.release = release
    self.namespace = namespace
  }

  /// Applies the revision and returns it with what changed against the one before it.
  public func run() throws(ActionError) -> (revision: Revision, plan: ChangePlan) {
    let deployer = Deployer(config: config, options: options)
    try deployer.checkCluster()
    return try ActionError.wrapping {
      let target = try config.releases.revision(release: release, namespace: namespace, number: revision)
      let before = target.info.revision > 1
        ? try? config.releases.revision(release: release, namespace: namespace, number: target.info.revision - 1)
        : nil
      let previous = before?.manifests ?? []
      do {
        try deployer.apply(namespace: namespace, new: target.manifests, old: previous)
      } catch let error as KubeError {
        if options.atomic, !previous.isEmpty {
          var restore = options
          restore.atomic = false
          try Deployer(config: config, options: restore).apply(namespace: namespace, new: previous, old: target.manifests)
        }
        throw ActionError.kube(error)
      }
      return (target, ChangePlan(from: previous, to: target.manifests))
    }
  }
}

/// `flowrel diff live RELEASE`: how the cluster differs from what the store holds.
public struct DiffLive: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release: String
  /// The release's namespace.
  public var namespace: String

  /// A drift check of `release` in `namespace`.
  public init(config: ActionConfiguration, release: String, namespace: String) {
    self.config = config
    self.release = release
    self.namespace = namespace
  }

  /// A unified diff of what applying the installed revision would change, or `nil` when the
  /// cluster matches it.
  public func run() throws(ActionError) -> String? {
    try Deployer(config: config, options: DeployOptions()).checkCluster()
    let kube = config.kube
    return try ActionError.wrapping {
      guard let installed = try config.releases.installed(release, namespace: namespace) else {
        throw ActionError.notInstalled(name: release, namespace: namespace)
      }
      let manifests = installed.manifests
      return try waitFor { try await kube.drift(manifests, forceConflicts: false) }
    }
  }
}
