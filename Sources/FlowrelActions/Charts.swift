import FlowrelChart
import Foundation

/// `flowrel lint [CHART...]`: render each chart and report what is wrong or risky, each finding
/// with its file and line. As with Helm, only errors fail, unless `rendering.strict` is set
/// (Helm's `lint --strict`): then a missing value is an error and warnings fail too.
package struct Lint: Sendable {
  let config: ActionConfiguration
  /// The charts (by default the built-in `flow` chart), each with the version it must have.
  package var charts = [ChartSelection()]
  /// Values to lint with, besides each chart's defaults.
  package var values = UserValues()
  /// How templates are rendered; `strict` also makes warnings fail.
  package var rendering = RenderSettings()

  /// What `run` found in one chart.
  package struct Result: Sendable {
    /// The chart's source, for the summary.
    package var chart: String
    /// Each finding, in the order found.
    package var findings: [LintFinding]
    /// Whether warnings fail too (`--strict`).
    package var strict = false
    /// How many findings are errors.
    package var errors: Int { findings.filter { $0.severity == .error }.count }
    /// Whether this chart fails the lint: errors, or with `--strict` any finding.
    package var failed: Bool { errors > 0 || (strict && !findings.isEmpty) }
    /// `flowrel:flow: 0 error(s), 1 warning(s)`.
    package var summary: String { "\(chart): \(errors) error(s), \(findings.count - errors) warning(s)" }
  }

  /// What `run` found in every chart.
  package struct Report: Sendable {
    /// One result per chart, in the order given.
    package var results: [Result]
    /// How many charts failed.
    package var failed: Int { results.filter(\.failed).count }
    /// Helm's last line: `2 chart(s) linted, 0 chart(s) failed`.
    package var summary: String { "\(results.count) chart(s) linted, \(failed) chart(s) failed" }

    /// Fails when a chart failed (after the findings were shown).
    package func requirePassing() throws(ActionError) {
      if failed > 0 { throw .lintFailed(linted: results.count, failed: failed) }
    }
  }

  /// A lint with `config` (only its namespace is used).
  package init(config: ActionConfiguration) { self.config = config }

  /// The findings of each chart; a chart that cannot be loaded is one error finding, and the
  /// others are still linted (as Helm does).
  package func run() throws(ActionError) -> Report {
    for chart in charts { try chart.validate() }
    let request = try rendering.request(release: "release-name", namespace: config.namespace, values: values)
    return Report(results: charts.map { selection in
      do throws(ActionError) {
        let chart = try selection.load()
        return Result(chart: chart.source, findings: chart.lint(request), strict: rendering.strict)
      } catch {
        let name = selection.reference ?? "flow"
        // The error usually starts with the chart's name, which is the finding's place already.
        let message = error.description.hasPrefix(name + ": ") ? String(error.description.dropFirst(name.count + 2)) : error.description
        return Result(chart: name, findings: [LintFinding(.error, name, message)], strict: rendering.strict)
      }
    })
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
