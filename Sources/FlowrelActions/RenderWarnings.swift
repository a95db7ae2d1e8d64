import FlowrelChart
import Logging

extension Logger {
  /// Reports what Helm's log prints while it merges values and switches subcharts on and off
  /// (a condition or tag that is not a boolean, an `import-values` table that is missing, a
  /// map given for a default that is not one, ...), one `WARNING: ` line each on standard
  /// error: the render goes on, as in Helm, but the user sees what was ignored or replaced.
  func warn(about values: MergedValues) {
    for warning in values.warnings { self.warning("WARNING: \(warning)") }
  }
}
