import FlowrelValue

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
      if GoStrconv.parseInt(plain[...], base: 0) != nil || GoStrconv.parseUint(plain[...], base: 0) != nil { return false }
      if isFloat(plain, allowLeadingDigits: true) { return false }
      // go-yaml's own binary (and in v3 octal) forms, whose digits may carry a sign after the prefix.
      var prefixes: [(prefix: [UInt8], base: UInt64)] = [(Array("0b".utf8), 2)]
      if dialect == .v3 { prefixes.append((Array("0o".utf8), 8)) }
      for (prefix, base) in prefixes {
        if plain.starts(with: prefix) {
          let digits = plain[prefix.count...]
          if GoStrconv.parseInt(digits, base: Int(base)) != nil || GoStrconv.parseUint(digits, base: Int(base)) != nil { return false }
        } else if plain.first == UInt8(ascii: "-"), plain.dropFirst().starts(with: prefix) {
          if GoStrconv.parseInt([UInt8(ascii: "-")] + plain[(prefix.count + 1)...], base: Int(base)) != nil { return false }
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
  /// reads with one of go-yaml's layouts: `2006-1-2`, optionally followed by `T`, `t` or
  /// spaces and `15:4:5` with an optional fraction (`.` or `,` and any number of digits), and
  /// after `T`/`t` a zone (`Z` or `±hh:mm`) that is required. Numbers take one or two digits; the date
  /// must exist and the time be in range.
  static func isTimestamp(_ b: [UInt8]) -> Bool {
    guard b.count > 4, b[0..<4].allSatisfy(isASCIIDigit), b[4] == UInt8(ascii: "-") else { return false }
    var i = 5
    // Go's getnum: one digit, or two when the second is a digit.
    func number() -> Int? {
      guard i < b.count, isASCIIDigit(b[i]) else { return nil }
      var n = Int(b[i] - 48)
      i += 1
      if i < b.count, isASCIIDigit(b[i]) {
        n = n * 10 + Int(b[i] - 48)
        i += 1
      }
      return n
    }
    let year = b[0..<4].reduce(0) { $0 * 10 + Int($1 - 48) }
    guard let month = number(), (1...12).contains(month), i < b.count, b[i] == UInt8(ascii: "-") else { return false }
    i += 1
    guard let day = number(), day >= 1, day <= daysIn(month: month, year: year) else { return false }
    if i == b.count { return true }
    let zoned: Bool
    switch b[i] {
    case UInt8(ascii: "T"), UInt8(ascii: "t"):
      zoned = true
      i += 1
    case UInt8(ascii: " "):
      zoned = false
      while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
    default: return false
    }
    guard let hour = number(), hour < 24, i < b.count, b[i] == UInt8(ascii: ":") else { return false }
    i += 1
    guard let minute = number(), minute < 60, i < b.count, b[i] == UInt8(ascii: ":") else { return false }
    i += 1
    guard let second = number(), second < 60 else { return false }
    if i + 1 < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ","), isASCIIDigit(b[i + 1]) {
      i += 1
      while i < b.count, isASCIIDigit(b[i]) { i += 1 }
    }
    guard zoned else { return i == b.count }
    if i < b.count, b[i] == UInt8(ascii: "Z") { return i + 1 == b.count }
    // `±hh:mm`, each two digits; Go (as of 1.19) does not bound the numbers.
    return b.count - i == 6 && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) && b[i + 3] == UInt8(ascii: ":")
      && [1, 2, 4, 5].allSatisfy { isASCIIDigit(b[i + $0]) }
  }

  private static func isASCIIDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

  /// The days of `month` in `year` (proleptic Gregorian, as Go's `time`).
  private static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }
}
