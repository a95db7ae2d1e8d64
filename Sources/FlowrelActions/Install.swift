import FlowrelChart
import FlowrelManifest
import FlowrelStore
import FlowrelValue

/// `flowrel install RELEASE [CHART]`: render a chart, apply it, and record revision 1 (or the
/// next number, after an uninstall).
public struct Install: Sendable {
  let config: ActionConfiguration
  /// The chart (`nil`: the built-in `flow` chart).
  public var chart: String?
  /// The release, its values and rendering options.
  public var request: RenderRequest
  /// Dry run, no-apply, wait, atomic, ...
  public var options = DeployOptions()
  /// Install over a release that is installed already.
  public var replace = false

  /// An install of `request.release` with `config`.
  public init(config: ActionConfiguration, chart: String?, request: RenderRequest) {
    self.config = config
    self.chart = chart
    self.request = request
  }

  /// Runs the install: check the cluster, render, apply, record.
  public func run(readFile: @escaping (String) throws -> String = SetFlag.readLocalFile) throws(ActionError) -> DeployResult {
    let deployer = Deployer(config: config, options: options)
    try deployer.checkCluster()
    let chart = try ActionError.wrapping { try Chart.resolve(self.chart) }
    let name = request.release.name, namespace = request.release.namespace
    return try ActionError.wrapping {
      try config.releases.withWriteLock(unlessDryRun: options.dryRun) { writer in
        let current = try config.releases.installed(name, namespace: namespace)
        // A failed first install does not block the next one.
        if let current, current.info.status != .failed, !replace {
          throw ActionError.releaseExists(name: name, namespace: namespace, revision: current.info.revision)
        }
        var request = self.request
        request.release.revision = try config.releases.nextRevisionNumber(name, namespace: namespace)
        request.release.isInstall = true
        request.release.isUpgrade = false
        return try RenderedRevision.make(chart: chart, request: request, action: .install,
          description: options.description ?? "Install complete", readFile: readFile)
          .deploy(previous: current, deployer: deployer, writer: writer)
      }
    }
  }
}

/// A rendering turned into a revision to record, shared by install and upgrade.
struct RenderedRevision {
  var revision: NewRevision

  static func make(chart: Chart, request: RenderRequest, action: ReleaseAction, description: String,
    readFile: (String) throws -> String) throws -> RenderedRevision
  {
    let output = try chart.render(request, readFile: readFile)
    let manifests = try output.rendered.manifests(release: request.release).map(\.manifest)
    let metadata = chart.metadata
    return RenderedRevision(revision: NewRevision(
      release: request.release.name, namespace: request.release.namespace, action: action, status: .deployed,
      chart: ChartReference(name: metadata.name, version: metadata.version.description,
        appVersion: metadata.appVersion.isEmpty ? nil : metadata.appVersion),
      values: output.values.user, manifests: manifests, notes: output.rendered.notes, description: description,
      secretValuePaths: output.secretPaths))
  }

  /// Applies and records the revision (or, for a dry run, only reports what it would do).
  func deploy(previous: Revision?, deployer: Deployer, writer: (any RevisionWriter)?) throws -> DeployResult {
    let plan = ChangePlan(from: previous?.manifests ?? [], to: revision.manifests)
    let manifests = revision.manifests.sortedForInstall()
    let replaced = previous?.manifests ?? []
    guard !deployer.options.dryRun, let writer else {
      return DeployResult(revision: nil, manifests: manifests, notes: revision.notes, replaced: replaced, plan: plan)
    }
    let recorded = try deployer.deployAndRecord(revision, previous: previous, writer: writer)
    return DeployResult(revision: recorded, manifests: manifests, notes: revision.notes, replaced: replaced, plan: plan)
  }
}
