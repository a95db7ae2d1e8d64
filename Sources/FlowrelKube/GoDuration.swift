/// A length of time written in Go's syntax (`30s`, `5m`, `1h30m`, `1.5s`, `300ms`), as Helm's
/// and kubectl's `--timeout` flags take it.
public struct GoDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The length in nanoseconds (Go's `time.Duration`).
  public let nanoseconds: Int64

  /// A duration of `nanoseconds`.
  public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

  /// A duration of whole `seconds`.
  public static func seconds(_ seconds: Int64) -> GoDuration {
    GoDuration(nanoseconds: seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
      ? Int64.max : seconds * 1_000_000_000)
  }

  /// The length in seconds.
  public var seconds: Double { Double(nanoseconds) / 1e9 }

  public static func < (a: GoDuration, b: GoDuration) -> Bool { a.nanoseconds < b.nanoseconds }

  private static let units: [(String, Int64)] = [
    ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
    ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
  ]

  /// Parses Go's duration syntax: an optional sign, then one or more decimal numbers (with an
  /// optional fraction), each followed by a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`).
  /// `0` alone needs no unit. Throws `KubeError.invalidDuration` naming what is wrong.
  public init(parsing text: String) throws(KubeError) {
    func fail(_ reason: String) -> KubeError { .invalidDuration(text, reason: reason) }
    var rest = Substring(text)
    var negative = false
    if let sign = rest.first, sign == "-" || sign == "+" {
      negative = sign == "-"
      rest = rest.dropFirst()
    }
    if rest == "0" { self.init(nanoseconds: 0); return }
    if rest.isEmpty { throw fail("it is empty; write a number and a unit, e.g. 30s, 5m or 1h30m") }
    let tooLong = fail("it is longer than Go allows (about 2562047h)")
    var total: UInt64 = 0
    while !rest.isEmpty {
      let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      let parts = number.split(separator: ".", omittingEmptySubsequences: false)
      guard !number.isEmpty, parts.count <= 2, number != "." else {
        throw fail(number.isEmpty ? "expected a number at \"\(rest)\"" : "\"\(number)\" is not a number")
      }
      rest = rest.dropFirst(number.count)
      let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
      guard !unitText.isEmpty else {
        throw fail("\"\(number)\" has no unit; add one of ns, us, ms, s, m, h (e.g. \(number)s)")
      }
      guard let unit = Self.units.first(where: { $0.0 == unitText }).map({ UInt64($0.1) }) else {
        throw fail("unknown unit \"\(unitText)\"; use ns, us, ms, s, m or h")
      }
      rest = rest.dropFirst(unitText.count)
      // Whole part exactly; the fraction as Go does it, through a float of the unit.
      var whole: UInt64 = 0
      for digit in parts[0].compactMap(\.wholeNumberValue) {
        let (times10, o1) = whole.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
        guard !o1, !o2 else { throw tooLong }
        whole = sum
      }
      var (value, overflow) = whole.multipliedReportingOverflow(by: unit)
      guard !overflow else { throw tooLong }
      if parts.count == 2 {
        var fraction: UInt64 = 0, scale: Double = 1
        for digit in parts[1].compactMap(\.wholeNumberValue) where fraction < UInt64.max / 10 - 10 {
          fraction = fraction * 10 + UInt64(digit)
          scale *= 10
        }
        (value, overflow) = value.addingReportingOverflow(UInt64(Double(fraction) * (Double(unit) / scale)))
        guard !overflow else { throw tooLong }
      }
      (total, overflow) = total.addingReportingOverflow(value)
      guard !overflow, total <= UInt64(Int64.max) else { throw tooLong }
    }
    self.init(nanoseconds: negative ? -Int64(total) : Int64(total))
  }

  /// Go's `Duration.String()`: `1h30m0s`, `1.5s`, `300ms`, `0s`.
  public var description: String {
    if nanoseconds == 0 { return "0s" }
    let sign = nanoseconds < 0 ? "-" : ""
    let ns = nanoseconds.magnitude
    if ns < 1_000 { return "\(sign)\(ns)ns" }
    if ns < 1_000_000 { return sign + Self.decimal(ns, scale: 1_000) + "µs" }
    if ns < 1_000_000_000 { return sign + Self.decimal(ns, scale: 1_000_000) + "ms" }
    let hours = ns / 3_600_000_000_000
    let minutes = ns / 60_000_000_000 % 60
    let seconds = Self.decimal(ns % 60_000_000_000, scale: 1_000_000_000) + "s"
    if hours > 0 { return "\(sign)\(hours)h\(minutes)m\(seconds)" }
    if minutes > 0 { return "\(sign)\(minutes)m\(seconds)" }
    return sign + seconds
  }

  /// `value / scale` as a decimal without trailing zeros in the fraction.
  private static func decimal(_ value: UInt64, scale: UInt64) -> String {
    let whole = value / scale
    var fraction = value % scale
    if fraction == 0 { return String(whole) }
    var digits = String(scale).count - 1
    while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
    let text = String(fraction)
    return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
  }
}
