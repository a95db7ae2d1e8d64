import FlowrelBuiltinCharts
import FlowrelChart
import FlowrelStore
import FlowrelValue

/// `flowrel upgrade RELEASE [CHART]`: render the release again with new values or a new
/// chart, apply, record the next revision.
public struct Upgrade: Sendable {
  let config: ActionConfiguration
  /// The chart; `nil` uses the chart the release was rendered from (a built-in one).
  public var chart: String?
  /// The release, this command's values and rendering options.
  public var request: RenderRequest
  /// Dry run, no-apply, wait, atomic, ...
  public var options = DeployOptions()
  /// Install when the release is not installed.
  public var install = false
  /// Merge this command's values over the installed revision's values.
  public var reuseValues = false
  /// Use only the chart's defaults and this command's values.
  public var resetValues = false

  /// An upgrade of `request.release` with `config`.
  public init(config: ActionConfiguration, chart: String?, request: RenderRequest) {
    self.config = config
    self.chart = chart
    self.request = request
  }

  /// Runs the upgrade: check the cluster, render, apply, record.
  public func run(readFile: @escaping (String) throws -> String = SetFlag.readLocalFile) throws(ActionError) -> DeployResult {
    let name = request.release.name, namespace = request.release.namespace
    if install, try ActionError.wrapping({ try config.releases.installed(name, namespace: namespace) }) == nil {
      var first = Install(config: config, chart: chart, request: request)
      first.options = options
      return try first.run(readFile: readFile)
    }
    let deployer = Deployer(config: config, options: options)
    try deployer.checkCluster()
    return try ActionError.wrapping {
      try config.releases.withWriteLock(unlessDryRun: options.dryRun) { writer in
        guard let current = try config.releases.installed(name, namespace: namespace) else {
          throw ActionError.notInstalled(name: name, namespace: namespace)
        }
        let chart = try self.chart.map { try Chart.resolve($0) } ?? recordedChart(of: current)
        var request = self.request
        request.release.revision = try config.releases.nextRevisionNumber(name, namespace: namespace)
        request.release.isInstall = false
        request.release.isUpgrade = true
        request.overrides = Self.values(for: request.overrides, installed: current, reuse: reuseValues, reset: resetValues)
        return try RenderedRevision.make(chart: chart, request: request, action: .upgrade,
          description: options.description ?? "Upgrade complete", readFile: readFile)
          .deploy(previous: current, deployer: deployer, writer: writer)
      }
    }
  }

  /// The chart the release was rendered from, when flowrel has it built in.
  func recordedChart(of revision: Revision) throws -> Chart {
    guard let name = revision.info.chart?.name, BuiltinCharts.files(of: name) != nil else {
      throw ActionError.chartNotRecorded(name: revision.info.chart?.name ?? "(unknown)", release: revision.info.release)
    }
    return try Chart.resolve(name)
  }

  /// Helm's rule for an upgrade's values: `--reset-values` takes only this command's values;
  /// `--reuse-values` merges them over the installed revision's; with neither, the installed
  /// revision's values are kept when this command gives none.
  static func values(for overrides: ValueOverrides, installed: Revision, reuse: Bool, reset: Bool) -> ValueOverrides {
    let givesValues = !overrides.files.isEmpty || overrides.arguments.values.contains { !$0.isEmpty }
    guard !reset, reuse || !givesValues else { return overrides }
    var merged = overrides
    merged.files.insert(ValuesFile(name: "values of revision \(installed.info.revision)", value: installed.values), at: 0)
    return merged
  }
}
