import FlowrelValue

/// Go's `time.Duration` is FlowrelValue's `GoDuration`, shared with the kubectl layer. The alias
/// lets every file of this module name it without importing FlowrelValue itself.
typealias GoDuration = FlowrelValue.GoDuration

/// Sprig's date functions pass durations around as nanosecond counts.
extension GoDuration {
  /// Go's `Duration.String` of `nanoseconds` (`1h2m3.5s`).
  static func string(_ nanoseconds: Int64) -> String { GoDuration(nanoseconds: nanoseconds).description }

  /// Go's `time.ParseDuration` in nanoseconds; `nil` where Go returns an error.
  static func parse(_ text: String) -> Int64? { (try? GoDuration(parsing: text))?.nanoseconds }
}
