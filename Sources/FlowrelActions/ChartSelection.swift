import FlowrelBuiltinCharts
import FlowrelChart
import FlowrelSemVer
import Foundation

/// Which chart a verb renders: a folder, a `.tgz` or a built-in chart's name, and optionally
/// the version it must have (Helm's `--version`, a SemVer constraint such as `^1.2`).
package struct ChartSelection: Sendable {
  /// The chart as named; `nil` is the built-in `flow` chart.
  package var reference: String?
  /// A constraint the chart's version must meet (`1.2.3`, `~1.2.3`, `>=1.0 <2`).
  package var version: String?

  /// The built-in `flow` chart, any version.
  package init(reference: String? = nil, version: String? = nil) {
    self.reference = reference
    self.version = version
  }

  /// The names of the charts built into flowrel (for completion).
  package static var builtinNames: [String] { BuiltinCharts.names }

  /// Checks the version constraint's syntax before anything runs.
  package func validate() throws(ActionError) { _ = try constraint() }

  /// The chart, checked against the version constraint.
  func load() throws(ActionError) -> Chart {
    try checked(try ActionError.wrapping { try Chart.resolve(reference) })
  }

  /// `chart`, when its version meets the constraint.
  func checked(_ chart: Chart) throws(ActionError) -> Chart {
    guard let constraint = try constraint(), !constraint.isSatisfied(by: chart.metadata.version) else { return chart }
    throw .chart(.badMetadata(
      file: chart.source + "/Chart.yaml", field: "version",
      reason: "the chart is version \(chart.metadata.version), which does not meet --version \(constraint.text)"))
  }

  private func constraint() throws(ActionError) -> VersionConstraint? {
    guard let version else { return nil }
    do {
      return try VersionConstraint(version)
    } catch {
      throw .usage("--version \(version) is not a version or version constraint (1.2.3, ^1.2, ~1.2.3, >=1.0 <2): \(error)")
    }
  }
}

/// A release's name, as Helm allows it: lowercase letters, digits, `-` and `.`, starting and
/// ending with a letter or digit (a DNS subdomain), at most 53 characters (Kubernetes adds
/// suffixes to names made from it).
package enum ReleaseName {
  /// The longest release name Helm accepts.
  package static let maximumLength = 53

  /// Checks `name`.
  package static func validate(_ name: String) throws(ActionError) {
    guard !name.isEmpty, name.utf8.count <= maximumLength else {
      throw .usage("release name \"\(name)\" must have 1 to \(maximumLength) characters")
    }
    let labels = name.split(separator: ".", omittingEmptySubsequences: false)
    let valid = labels.allSatisfy { label in
      guard let first = label.utf8.first, let last = label.utf8.last else { return false }
      func alphanumeric(_ byte: UInt8) -> Bool { (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) }
      return alphanumeric(first) && alphanumeric(last) && label.utf8.allSatisfy { alphanumeric($0) || $0 == 45 }
    }
    guard valid else {
      throw .usage(
        "release name \"\(name)\" is invalid: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit")
    }
  }

  /// The release and chart that `template`'s or `install`'s arguments name, as Helm reads
  /// them, with flowrel's default chart: two arguments are the release and the chart; one
  /// argument that is an existing path, a `.tgz` or a built-in chart's name is the chart (the
  /// release is `release-name`, or generated with `generateName`), any other is the release
  /// name of the default `flow` chart; an argument that looks like a path (`/`, `.tgz`) and does
  /// not exist is an error.
  package static func interpret(_ arguments: [String], generateName: Bool, now: Date = Date()) throws(ActionError)
    -> (release: String, chart: String?)
  {
    func generated(_ chart: String?) -> String {
      let base = ((chart ?? Chart.defaultName) as NSString).lastPathComponent.replacingOccurrences(of: ".tgz", with: "")
      return "\(base)-\(Int(now.timeIntervalSince1970))"
    }
    switch arguments.count {
    case 0:
      guard generateName else { throw .usage("name a release (or give --generate-name)") }
      return (generated(nil), nil)
    case 1:
      let argument = arguments[0]
      let isChart = FileManager.default.fileExists(atPath: argument) || BuiltinCharts.files(of: argument) != nil
      if isChart { return (generateName ? generated(argument) : "release-name", argument) }
      if argument.contains("/") || argument.hasSuffix(".tgz") { throw .chart(.notFound(path: argument)) }
      if generateName { throw .usage("with --generate-name, the one argument is the chart, and \(argument) is none") }
      return (argument, nil)
    case 2:
      if generateName { throw .usage("--generate-name takes only the chart, not a release name") }
      return (arguments[0], arguments[1])
    default:
      throw .usage("expected at most a release name and a chart, got \(arguments.count) arguments")
    }
  }
}
