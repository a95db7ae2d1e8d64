// Which strings go-yaml's encoder may write unquoted: those that its resolver would read back
// as a string. Anything that reads as null, a boolean, a number or a timestamp (and a few
// YAML 1.1 forms go-yaml still quotes for older readers) is written double-quoted.

/// go-yaml's plain-scalar resolver, as far as the encoder's quoting needs it.
enum GoYAMLResolver {
  /// Whether go-yaml reads `s`, written unquoted, back as the string `s`.
  static func isString(_ bytes: [UInt8], dialect: GoYAMLDialect) -> Bool {
    guard let first = bytes.first else { return false }
    let hint: UInt8
    switch first {
    case UInt8(ascii: "+"), UInt8(ascii: "-"): hint = UInt8(ascii: "S")
    case UInt8(ascii: "0")...UInt8(ascii: "9"): hint = UInt8(ascii: "D")
    case UInt8(ascii: "."): hint = UInt8(ascii: ".")
    case _ where wordStarts.contains(first): hint = UInt8(ascii: "M")
    default: return true
    }
    // Only short texts can be one of the words.
    if bytes.count <= 5 {
      let s = String(decoding: bytes, as: UTF8.self)
      if words.contains(s) || oldBooleans.contains(s) { return false }
    }
    switch hint {
    case UInt8(ascii: "."):
      return !isFloat(bytes, allowLeadingDigits: false)
    case UInt8(ascii: "D"), UInt8(ascii: "S"):
      if isTimestamp(bytes) { return false }
      let plain = bytes.filter { $0 != UInt8(ascii: "_") }
      if parseInt(plain[...], base: 0) != nil || parseUInt(plain[...], base: 0) != nil { return false }
      if isFloat(plain, allowLeadingDigits: true) { return false }
      // go-yaml's own binary (and in v3 octal) forms, whose digits may carry a sign after the prefix.
      var prefixes: [(prefix: [UInt8], base: UInt64)] = [(Array("0b".utf8), 2)]
      if dialect == .v3 { prefixes.append((Array("0o".utf8), 8)) }
      for (prefix, base) in prefixes {
        if plain.starts(with: prefix) {
          let digits = plain[prefix.count...]
          if parseInt(digits, base: base) != nil || parseUInt(digits, base: base) != nil { return false }
        } else if plain.first == UInt8(ascii: "-"), plain.dropFirst().starts(with: prefix) {
          if parseInt([UInt8(ascii: "-")] + plain[(prefix.count + 1)...], base: base) != nil { return false }
        }
      }
      return true
    default:
      return true
    }
  }

  /// The first letters of the words go-yaml resolves (`yes`, `null`, `~`, ...).
  static let wordStarts = Array("yYnNtTfFoO~".utf8)

  /// The words go-yaml resolves to null, booleans and special floats.
  static let words: Set<String> = [
    "true", "True", "TRUE", "false", "False", "FALSE", "", "~", "null", "Null", "NULL",
    ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
  ]

  /// YAML 1.1 booleans: v2 reads them as booleans, v3 quotes them for readers that do.
  static let oldBooleans: Set<String> = [
    "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF",
  ]

  /// go-yaml's float pattern `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (only the
  /// `.5` form when `allowLeadingDigits` is false, as for text starting with a dot), and a
  /// value `strconv.ParseFloat` accepts: finite (an overflow is an error, an underflow is 0).
  static func isFloat(_ bytes: [UInt8], allowLeadingDigits: Bool) -> Bool {
    var i = 0
    func digits() -> Int {
      let start = i
      while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
      return i - start
    }
    var mantissa = ""
    if allowLeadingDigits, i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
      if bytes[i] == UInt8(ascii: "-") { mantissa = "-" }
      i += 1
    }
    let integerStart = i
    let integerDigits = allowLeadingDigits ? digits() : 0
    mantissa += integerDigits > 0 ? String(decoding: bytes[integerStart..<i], as: UTF8.self) : "0"
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      let fractionStart = i
      let fractionDigits = digits()
      // `.` needs digits after it unless digits came before it (`1.` is a float, `.` is not).
      if fractionDigits == 0 && integerDigits == 0 { return false }
      mantissa += "." + (fractionDigits > 0 ? String(decoding: bytes[fractionStart..<i], as: UTF8.self) : "0")
    } else if integerDigits == 0 {
      return false
    }
    var exponent = ""
    if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
      i += 1
      var sign = ""
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
        sign = bytes[i] == UInt8(ascii: "-") ? "-" : ""
        i += 1
      }
      let exponentStart = i
      guard digits() > 0 else { return false }
      exponent = "e" + sign + String(decoding: bytes[exponentStart..<i], as: UTF8.self)
    }
    guard i == bytes.count, let value = Double(mantissa + exponent) else { return false }
    return value.isFinite
  }

  /// `strconv.ParseUint(s, base, 64)`; base 0 reads Go's prefixes (`0x`, `0o`, `0b`, `0`).
  static func parseUInt(_ s: ArraySlice<UInt8>, base: UInt64) -> UInt64? {
    guard !s.isEmpty else { return nil }
    var digits = s
    var radix = base
    if base == 0 {
      radix = 10
      if digits.first == UInt8(ascii: "0") {
        let second = digits.count >= 3 ? digits[digits.startIndex + 1] | 0x20 : 0
        switch second {
        case UInt8(ascii: "b"): radix = 2; digits = digits.dropFirst(2)
        case UInt8(ascii: "o"): radix = 8; digits = digits.dropFirst(2)
        case UInt8(ascii: "x"): radix = 16; digits = digits.dropFirst(2)
        default: radix = 8; digits = digits.dropFirst()
        }
      }
    }
    var value: UInt64 = 0
    for byte in digits {
      let digit: UInt64
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): digit = UInt64(byte - UInt8(ascii: "a")) + 10
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(byte - UInt8(ascii: "A")) + 10
      default: return nil
      }
      guard digit < radix else { return nil }
      let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
      let (sum, carry) = shifted.addingReportingOverflow(digit)
      guard !overflow, !carry else { return nil }
      value = sum
    }
    return value
  }

  /// `strconv.ParseInt(s, base, 64)`: an optional sign, then `parseUInt`, within Int64.
  static func parseInt(_ s: ArraySlice<UInt8>, base: UInt64) -> Int64? {
    guard let first = s.first else { return nil }
    let negative = first == UInt8(ascii: "-")
    let rest = first == UInt8(ascii: "+") || negative ? s.dropFirst() : s
    guard let magnitude = parseUInt(rest, base: base) else { return nil }
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
      return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int64(magnitude)
  }

  /// The sexagesimal floats of YAML 1.1 (`190:20:30.15`), which go-yaml quotes:
  /// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`.
  static func isBase60Float(_ b: [UInt8]) -> Bool {
    func isDigit(_ i: Int) -> Bool { i < b.count && b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9") }
    var i = 0
    if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
    guard isDigit(i) else { return false }
    i += 1
    while isDigit(i) || (i < b.count && b[i] == UInt8(ascii: "_")) { i += 1 }
    var groups = 0
    while i < b.count, b[i] == UInt8(ascii: ":") {
      i += 1
      // `[0-5]?[0-9]`: one digit, or two with the first at most 5.
      guard isDigit(i) else { return false }
      if isDigit(i + 1), b[i] <= UInt8(ascii: "5") { i += 2 } else { i += 1 }
      groups += 1
    }
    guard groups > 0 else { return false }
    if i < b.count, b[i] == UInt8(ascii: ".") {
      i += 1
      while isDigit(i) || (i < b.count && b[i] == UInt8(ascii: "_")) { i += 1 }
    }
    return i == b.count
  }

  /// go-yaml's timestamps: text starting with four digits and `-` that Go's `time.Parse`
  /// reads with one of its layouts.
  static func isTimestamp(_ b: [UInt8]) -> Bool {
    guard b.count > 4, b[0..<4].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), b[4] == UInt8(ascii: "-")
    else { return false }
    let s = String(decoding: b, as: UTF8.self)
    return timestampLayouts.contains { (try? GoTime.parse($0, s, zone: utc)) != nil }
  }

  static let timestampLayouts = [
    "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2",
  ]
}
