import FlowrelChart
import Foundation

/// `flowrel lint [CHART]`: render a chart and report what is wrong or risky, each finding with
/// its file and line. As with Helm, only errors fail; warnings are advice.
package struct Lint: Sendable {
  let config: ActionConfiguration
  /// The chart (by default the built-in `flow` chart) and the version it must have.
  package var chart = ChartSelection()
  /// Values to lint with, besides the chart's defaults.
  package var values = UserValues()
  /// How templates are rendered.
  package var rendering = RenderSettings()

  /// What `run` found.
  package struct Result: Sendable {
    /// The chart's source, for the summary.
    package var chart: String
    /// Each finding, in the order found.
    package var findings: [LintFinding]
    /// How many findings are errors.
    package var errors: Int { findings.filter { $0.severity == .error }.count }
    /// `flowrel:flow: 0 error(s), 1 warning(s)`.
    package var summary: String { "\(chart): \(errors) error(s), \(findings.count - errors) warning(s)" }

    /// Fails when there are errors (after the findings were shown).
    package func requirePassing() throws(ActionError) {
      if errors > 0 { throw .lintFailed(chart: chart, errors: errors) }
    }
  }

  /// A lint with `config` (only its namespace is used).
  package init(config: ActionConfiguration) { self.config = config }

  /// The findings.
  package func run() throws(ActionError) -> Result {
    let request = try rendering.request(release: "release-name", namespace: config.namespace, values: values)
    let chart = try self.chart.load()
    return Result(chart: chart.source, findings: chart.lint(request))
  }
}

/// `flowrel show chart|values|readme|all [CHART]`: a chart's own files.
package struct ShowChart: Sendable {
  let config: ActionConfiguration
  /// The chart (by default the built-in `flow` chart) and the version it must have.
  package var chart = ChartSelection()
  /// The files to show, in order (`Chart.yaml`, `values.yaml`, `README.md`).
  package var files: [String] = []

  /// A show with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// The files' texts, separated by `---` when there are several; missing files are left out.
  package func run() throws(ActionError) -> String {
    let chart = try self.chart.load()
    return files.compactMap { path in
      chart.files.first { $0.path == path }.map { String(decoding: $0.contents, as: UTF8.self) }
    }.joined(separator: "---\n")
  }
}

/// `flowrel create NAME`: a new chart to adapt, copied from the built-in `flow` chart.
package struct CreateChart: Sendable {
  let config: ActionConfiguration
  /// The folder to create; its last component is the chart's name.
  package var path = ""

  /// A create with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Writes the chart and returns its name.
  package func run() throws(ActionError) -> String {
    try ActionError.wrapping { try ChartScaffold.create(at: path) }
    return (path as NSString).lastPathComponent
  }
}
