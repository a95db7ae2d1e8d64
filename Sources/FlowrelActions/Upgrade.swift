import FlowrelChart
import FlowrelStore

/// `flowrel upgrade RELEASE [CHART]`: render the release again with new values or a new
/// chart, apply, record the next revision.
package struct Upgrade: Sendable, PlannableVerb {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// The chart; with no reference, the built-in chart the release was rendered from.
  package var chart = ChartSelection()
  /// This command's values.
  package var values = UserValues()
  /// How templates are rendered.
  package var rendering = RenderSettings()
  /// Dry run, no-apply, wait, atomic, ...
  package var options = DeployOptions()
  /// An executable the rendered objects go through before they are applied and recorded.
  package var postRenderer: PostRenderer?
  /// Install when the release is not installed.
  package var install = false
  /// Merge this command's values over the installed revision's values.
  package var reuseValues = false
  /// Use only the chart's defaults and this command's values.
  package var resetValues = false
  /// With `install`, when the release is not installed: leave the chart's `crds/` out.
  package var skipCRDs = false

  /// An upgrade with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Checks the cluster, renders, applies, records.
  package func run() async throws(ActionError) -> DeployResult {
    try ReleaseName.validate(release)
    try options.validate()
    _ = try postRenderer?.path()
    let namespace = config.namespace
    if install, try ActionError.wrapping({ try config.releases.installedRevision(release, namespace: namespace) }) == nil {
      var first = Install(config: config)
      first.release = release
      first.chart = chart
      first.values = values
      first.rendering = rendering
      first.options = options
      first.postRenderer = postRenderer
      first.skipCRDs = skipCRDs
      return try await first.run()
    }
    let deployer = Deployer(config: config, options: options)
    try await deployer.checkCluster()
    var request = try rendering.request(release: release, namespace: namespace, values: values)
    request.lookup = deployer.clusterLookup
    return try await ActionError.wrapping { [self] in
      try await config.releases.withWriteLock(unlessDryRun: options.dryRun) { writer in
        guard let current = try config.releases.installedRevision(release, namespace: namespace) else {
          throw ActionError.notInstalled(name: release, namespace: namespace)
        }
        let chart = try self.chart.reference == nil ? self.chart.checked(recordedChart(of: current)) : self.chart.load()
        request.release.revision = try config.releases.nextRevisionNumber(release, namespace: namespace)
        request.release.isInstall = false
        request.release.isUpgrade = true
        try request.reuseDraws(of: current, regenerate: rendering.regenerate)
        request.values = try Self.values(values, installed: current, reuse: reuseValues, reset: resetValues)
        return try await PendingRevision.render(
          chart: chart, request: request, postRenderer: postRenderer, action: .upgrade, description: options.description ?? "Upgrade complete",
          log: config.log
        ).keepingCRDs(of: current).deploy(previous: current, deployer: deployer, writer: writer)
      }
    }
  }

  /// The built-in chart the release was rendered from; never a folder of the same name.
  func recordedChart(of revision: InstalledRevision) throws -> Chart {
    guard let name = revision.info.chart?.name, let chart = try Chart.builtin(name) else {
      throw ActionError.chartNotRecorded(name: revision.info.chart?.name ?? "(unknown)", release: revision.info.release)
    }
    return chart
  }

  /// Helm's rule for an upgrade's values: `--reset-values` takes only this command's values;
  /// `--reuse-values` merges them over the installed revision's; with neither, the installed
  /// revision's values are kept when this command gives none.
  static func values(_ given: UserValues, installed: InstalledRevision, reuse: Bool, reset: Bool) throws(ChartError) -> UserValues {
    guard !reset, reuse || !given.givesValues else { return given }
    return try given.over(stored: installed.values, revision: installed.info.revision)
  }
}

/// `flowrel diff upgrade RELEASE [CHART]`: what an upgrade would change, object by object;
/// nothing is recorded or applied (helm-diff's verb).
package struct DiffUpgrade: Sendable {
  /// The upgrade asked about (its options are ignored: it runs as a dry run).
  package var upgrade: Upgrade

  /// A diff of an upgrade with `config`.
  package init(config: ActionConfiguration) { upgrade = Upgrade(config: config) }

  /// How Secret entries show (`--show-secrets`: decrypted).
  package var secrets = SecretDisplay.masked

  /// The planned changes.
  package func run() async throws(ActionError) -> PlannedDiff {
    try await PlannedDiff.planning(upgrade, secrets: secrets)
  }
}
