/// A length of time as Go's `time.Duration`: a signed count of nanoseconds, read and written in
/// Go's syntax (`30s`, `5m`, `1h30m`, `1.5s`, `300ms`), as Helm's and kubectl's `--timeout` flags
/// and Sprig's duration functions take it.
package struct GoDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The length in nanoseconds.
  package let nanoseconds: Int64

  /// A duration of `nanoseconds`.
  package init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

  /// A duration of whole `seconds`, saturating at the longest (or shortest) duration Go has.
  package static func seconds(_ seconds: Int64) -> GoDuration {
    let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    return GoDuration(nanoseconds: overflow ? (seconds < 0 ? Int64.min : Int64.max) : product)
  }

  /// The same length as a Swift `Duration` (for sleeping and clocks).
  package var swiftDuration: Duration { .nanoseconds(nanoseconds) }

  package static func < (a: GoDuration, b: GoDuration) -> Bool { a.nanoseconds < b.nanoseconds }

  // MARK: Parsing

  /// Go's units and their lengths in nanoseconds; `µs` is accepted as the micro sign (U+00B5)
  /// and as the Greek mu (U+03BC).
  private static let units: [(name: [UInt8], nanoseconds: UInt64)] = [
    ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
    ("m", 60_000_000_000), ("h", 3_600_000_000_000),
  ].map { (Array($0.0.utf8), $0.1) }

  /// 2^63: the magnitude of the shortest duration, and one past the longest.
  private static let limit: UInt64 = 1 << 63

  /// Go's `time.ParseDuration`: an optional sign, then one or more decimal numbers (each with an
  /// optional fraction) each followed by a unit (`ns`, `us`/`µs`, `ms`, `s`, `m`, `h`); `0`
  /// alone needs no unit. It accepts and rejects what Go does, gives the nanoseconds Go gives
  /// (a fraction is scaled through a float, as in Go), and throws Go's messages.
  package init(parsing text: String) throws(GoDurationError) {
    var rest = Array(text.utf8)[...]
    var negative = false
    if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      negative = sign == UInt8(ascii: "-")
      rest = rest.dropFirst()
    }
    if rest.elementsEqual([UInt8(ascii: "0")]) {
      self.init(nanoseconds: 0)
      return
    }
    guard !rest.isEmpty else { throw .invalid(text) }
    var total: UInt64 = 0
    while let first = rest.first {
      guard first == UInt8(ascii: ".") || Self.isDigit(first) else { throw .invalid(text) }
      let digitsBefore = rest.count
      guard var value = Self.leadingInteger(&rest) else { throw .invalid(text) }
      let hasWhole = rest.count != digitsBefore
      var fraction: UInt64 = 0
      var scale = 1.0
      var hasFraction = false
      if rest.first == UInt8(ascii: ".") {
        rest = rest.dropFirst()
        let fractionDigits = rest.count
        (fraction, scale) = Self.leadingFraction(&rest)
        hasFraction = rest.count != fractionDigits
      }
      // A number needs a digit on one side of its point (".s" is no number).
      guard hasWhole || hasFraction else { throw .invalid(text) }
      let unitName = rest.prefix { $0 != UInt8(ascii: ".") && !Self.isDigit($0) }
      guard !unitName.isEmpty else { throw .missingUnit(text) }
      rest = rest.dropFirst(unitName.count)
      guard let unit = Self.units.first(where: { $0.name.elementsEqual(unitName) })?.nanoseconds else {
        throw .unknownUnit(String(decoding: unitName, as: UTF8.self), in: text)
      }
      guard value <= Self.limit / unit else { throw .invalid(text) }
      value *= unit
      if fraction > 0 {
        // Through a float, as Go does: nanosecond-exact for fractions of every unit up to hours.
        value += UInt64(Double(fraction) * (Double(unit) / scale))
        guard value <= Self.limit else { throw .invalid(text) }
      }
      total += value
      guard total <= Self.limit else { throw .invalid(text) }
    }
    if negative {
      // -2^63 fits; its magnitude is the one value of `total` that Int64 cannot hold.
      self.init(nanoseconds: total == Self.limit ? Int64.min : -Int64(total))
    } else {
      guard total < Self.limit else { throw .invalid(text) }
      self.init(nanoseconds: Int64(total))
    }
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

  /// Consumes leading digits; `nil` when the number passes 2^63 (Go's "invalid duration").
  private static func leadingInteger(_ rest: inout ArraySlice<UInt8>) -> UInt64? {
    var value: UInt64 = 0
    while let byte = rest.first, isDigit(byte) {
      guard value <= limit / 10 else { return nil }
      value = value * 10 + UInt64(byte - UInt8(ascii: "0"))
      guard value <= limit else { return nil }
      rest = rest.dropFirst()
    }
    return value
  }

  /// Consumes the digits after a point; digits past what 2^63 can hold are consumed but add no
  /// precision, as in Go. Returns the digits' value and 10 to the power of those counted.
  private static func leadingFraction(_ rest: inout ArraySlice<UInt8>) -> (value: UInt64, scale: Double) {
    var value: UInt64 = 0
    var scale = 1.0
    var full = false
    while let byte = rest.first, isDigit(byte) {
      rest = rest.dropFirst()
      guard !full else { continue }
      guard value <= (limit - 1) / 10 else {
        full = true
        continue
      }
      let next = value * 10 + UInt64(byte - UInt8(ascii: "0"))
      guard next <= limit else {
        full = true
        continue
      }
      value = next
      scale *= 10
    }
    return (value, scale)
  }

  // MARK: Printing

  /// Go's `Duration.String`: `1h30m0s`, `1m30s`, `1.5s`, `300ms`, `1.5µs`, `12ns`, `0s`.
  package var description: String {
    let magnitude = nanoseconds.magnitude
    var text: String
    switch magnitude {
    case 0: return "0s"
    case ..<1_000: text = "\(magnitude)ns"
    case ..<1_000_000: text = Self.decimal(magnitude, digits: 3) + "µs"
    case ..<1_000_000_000: text = Self.decimal(magnitude, digits: 6) + "ms"
    default:
      text = Self.decimal(magnitude % 60_000_000_000, digits: 9) + "s"
      let minutes = magnitude / 60_000_000_000
      if minutes > 0 {
        text = "\(minutes % 60)m" + text
        if minutes >= 60 { text = "\(minutes / 60)h" + text }
      }
    }
    return nanoseconds < 0 ? "-" + text : text
  }

  /// `value` with its last `digits` digits as a fraction, trailing zeros (and a bare point) left out.
  private static func decimal(_ value: UInt64, digits: Int) -> String {
    var scale: UInt64 = 1
    for _ in 0..<digits { scale *= 10 }
    var fraction = value % scale
    guard fraction > 0 else { return String(value / scale) }
    var width = digits
    while fraction % 10 == 0 {
      fraction /= 10
      width -= 1
    }
    let text = String(fraction)
    return "\(value / scale)." + String(repeating: "0", count: width - text.count) + text
  }
}

/// Why a text is not a Go duration; `description` is Go's own message for it.
package enum GoDurationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Not in Go's syntax, or longer than Go allows (about 2562047h): `time: invalid duration "5"`.
  case invalid(String)
  /// A number without a unit after it (`1h30`): `time: missing unit in duration "1h30"`.
  case missingUnit(String)
  /// A unit that Go does not know (`1d`): `time: unknown unit "d" in duration "1d"`.
  case unknownUnit(String, in: String)

  package var description: String {
    switch self {
    case .invalid(let text): "time: invalid duration " + Self.quote(text)
    case .missingUnit(let text): "time: missing unit in duration " + Self.quote(text)
    case .unknownUnit(let unit, let text): "time: unknown unit \(Self.quote(unit)) in duration " + Self.quote(text)
    }
  }

  /// Go's `time.quote`: in double quotes, with `"` and `\` escaped and the bytes of control and
  /// non-ASCII characters written as `\xHH`.
  static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      if scalar.value < 0x20 || scalar.value >= 0x80 {
        for byte in String(scalar).utf8 {
          out += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        }
      } else {
        if scalar == "\"" || scalar == "\\" { out += "\\" }
        out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
