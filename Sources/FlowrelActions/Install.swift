import FlowrelChart
import FlowrelManifest
import FlowrelStore

/// `flowrel install RELEASE [CHART]`: render a chart, apply it, and record revision 1 (or the
/// next number, after an uninstall).
package struct Install: Sendable {
  let config: ActionConfiguration
  /// The release's name (its namespace is the configuration's).
  package var release = ""
  /// The chart (by default the built-in `flow` chart) and the version it must have.
  package var chart = ChartSelection()
  /// The user's values.
  package var values = UserValues()
  /// How templates are rendered.
  package var rendering = RenderSettings()
  /// Dry run, no-apply, wait, atomic, ...
  package var options = DeployOptions()
  /// An executable the rendered objects go through before they are applied and recorded.
  package var postRenderer: PostRenderer?
  /// Install over a release that is installed already.
  package var replace = false
  /// Leave the chart's `crds/` out: neither created nor recorded (Helm's `--skip-crds`).
  package var skipCRDs = false

  /// An install with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Checks the cluster, renders, applies, records.
  package func run() async throws(ActionError) -> DeployResult {
    try ReleaseName.validate(release)
    try options.validate()
    _ = try postRenderer?.path()
    let deployer = Deployer(config: config, options: options)
    try await deployer.checkCluster()
    let chart = try self.chart.load()
    let namespace = config.namespace
    var request = try rendering.request(release: release, namespace: namespace, values: values)
    request.lookup = deployer.clusterLookup
    return try await ActionError.wrapping { [self] in
      try await config.releases.withWriteLock(unlessDryRun: options.dryRun) { writer in
        let current = try config.releases.installedRevision(release, namespace: namespace)
        // A failed first install does not block the next one.
        if let current, current.info.status != .failed, !replace {
          throw ActionError.releaseExists(name: release, namespace: namespace, revision: current.info.revision)
        }
        request.release.revision = try config.releases.nextRevisionNumber(release, namespace: namespace)
        request.release.isInstall = true
        request.release.isUpgrade = false
        try request.reuseDraws(of: current, regenerate: rendering.regenerate)
        var pending = try await PendingRevision.render(
          chart: chart, request: request, postRenderer: postRenderer, action: .install, description: options.description ?? "Install complete",
          log: config.log)
        if skipCRDs { pending.revision.crds = [] }
        return try await pending.deploy(previous: current, deployer: deployer, writer: writer)
      }
    }
  }
}
