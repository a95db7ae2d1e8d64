import FlowrelChart
import Foundation

/// `flowrel lint [CHART]`: render a chart and report what is wrong or risky, each finding with
/// its file and line. As with Helm, only errors fail; warnings are advice.
public struct Lint: Sendable {
  let config: ActionConfiguration
  /// The chart (by default the built-in `flow` chart) and the version it must have.
  public var chart = ChartSelection()
  /// Values to lint with, besides the chart's defaults.
  public var values = UserValues()
  /// How templates are rendered.
  public var rendering = RenderSettings()

  /// What `run` found.
  public struct Result: Sendable {
    /// The chart's source, for the summary.
    public var chart: String
    /// Each finding, in the order found.
    public var findings: [LintFinding]
    /// How many findings are errors.
    public var errors: Int { findings.filter { $0.severity == .error }.count }
    /// `flowrel:flow: 0 error(s), 1 warning(s)`.
    public var summary: String { "\(chart): \(errors) error(s), \(findings.count - errors) warning(s)" }

    /// Fails when there are errors (after the findings were shown).
    public func requirePassing() throws(ActionError) {
      if errors > 0 { throw .lintFailed(chart: chart, errors: errors) }
    }
  }

  /// A lint with `config` (only its namespace is used).
  public init(config: ActionConfiguration) { self.config = config }

  /// The findings.
  public func run() throws(ActionError) -> Result {
    let request = try rendering.request(release: "release-name", namespace: config.namespace, values: values)
    let chart = try self.chart.load()
    return Result(chart: chart.source, findings: chart.lint(request))
  }
}

/// `flowrel show chart|values|readme|all [CHART]`: a chart's own files.
public struct ShowChart: Sendable {
  let config: ActionConfiguration
  /// The chart (by default the built-in `flow` chart) and the version it must have.
  public var chart = ChartSelection()
  /// The files to show, in order (`Chart.yaml`, `values.yaml`, `README.md`).
  public var files: [String] = []

  /// A show with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// The files' texts, separated by `---` when there are several; missing files are left out.
  public func run() throws(ActionError) -> String {
    let chart = try self.chart.load()
    return files.compactMap { path in
      chart.files.first { $0.path == path }.map { String(decoding: $0.contents, as: UTF8.self) }
    }.joined(separator: "---\n")
  }
}

/// `flowrel create NAME`: a new chart to adapt, copied from the built-in `flow` chart.
public struct CreateChart: Sendable {
  let config: ActionConfiguration
  /// The folder to create; its last component is the chart's name.
  public var path = ""

  /// A create with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// Writes the chart and returns its name.
  public func run() throws(ActionError) -> String {
    try ActionError.wrapping { try ChartScaffold.create(at: path) }
    return (path as NSString).lastPathComponent
  }
}
