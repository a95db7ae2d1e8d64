/// Go's literal syntax as templates use it: quoted strings and character constants
/// (`strconv.Unquote`, `UnquoteChar`) and number constants (`strconv.ParseInt/ParseUint/
/// ParseFloat` with base prefixes and underscores).
enum GoLiteral {
  /// A number constant's value as an argument (Go's `idealConstant`), or an overflow that is
  /// only an error when the constant is evaluated.
  enum Constant { case value(TemplateValue), overflow }

  /// The text of a `"..."` or `'...'` literal (quotes included) decoded, or nil when invalid.
  static func unquote(_ literal: [UInt8]) -> String? {
    guard literal.count >= 2, let quote = literal.first, literal.last == quote else { return nil }
    // Most string literals have no escapes: then their bytes are the string.
    let inner = literal[1..<literal.count - 1]
    if quote == UInt8(ascii: "\""), !inner.contains(UInt8(ascii: "\\")) { return String(decoding: inner, as: UTF8.self) }
    var out: [UInt8] = []
    var i = 1
    let end = literal.count - 1
    while i < end {
      guard let (bytes, next) = unquoteChar(literal, i, end: end, quote: quote) else { return nil }
      out += bytes
      i = next
    }
    return String(decoding: out, as: UTF8.self)
  }

  static func hexValue(_ b: UInt8) -> UInt32? {
    switch b {
    case 0x30...0x39: UInt32(b - 0x30)
    case 0x61...0x66: UInt32(b - 0x61 + 10)
    case 0x41...0x46: UInt32(b - 0x41 + 10)
    default: nil
    }
  }

  /// One character of a quoted literal at `i`: its bytes and the next index.
  static func unquoteChar(_ s: [UInt8], _ i: Int, end: Int, quote: UInt8) -> ([UInt8], Int)? {
    let c = s[i]
    if c == quote && quote == UInt8(ascii: "'") { return nil }
    if c != UInt8(ascii: "\\") {
      if c < 0x80 { return ([c], i + 1) }
      var j = i + 1
      while j < end && s[j] & 0xC0 == 0x80 { j += 1 }
      return (Array(s[i..<j]), j)
    }
    guard i + 1 < end else { return nil }
    let e = s[i + 1]
    switch e {
    case UInt8(ascii: "a"): return ([0x07], i + 2)
    case UInt8(ascii: "b"): return ([0x08], i + 2)
    case UInt8(ascii: "f"): return ([0x0C], i + 2)
    case UInt8(ascii: "n"): return ([0x0A], i + 2)
    case UInt8(ascii: "r"): return ([0x0D], i + 2)
    case UInt8(ascii: "t"): return ([0x09], i + 2)
    case UInt8(ascii: "v"): return ([0x0B], i + 2)
    case UInt8(ascii: "\\"): return ([e], i + 2)
    case UInt8(ascii: "'"), UInt8(ascii: "\""):
      return e == quote ? ([e], i + 2) : nil
    case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
      let count = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
      guard i + 2 + count <= end else { return nil }
      var v: UInt32 = 0
      for k in 0..<count {
        guard let h = hexValue(s[i + 2 + k]) else { return nil }
        v = v << 4 | h
      }
      if e == UInt8(ascii: "x") {
        // A byte, which Go keeps as it is; Swift strings hold valid UTF-8 only.
        return (v < 0x80 ? [UInt8(v)] : Array(String(Unicode.Scalar("\u{FFFD}")).utf8), i + 2 + count)
      }
      guard let scalar = Unicode.Scalar(v) else { return nil }
      return (Array(String(scalar).utf8), i + 2 + count)
    case 0x30...0x37:
      guard i + 4 <= end else { return nil }
      var v: UInt32 = 0
      for k in 0..<3 {
        let d = s[i + 1 + k]
        guard d >= 0x30 && d <= 0x37 else { return nil }
        v = v * 8 + UInt32(d - 0x30)
      }
      guard v <= 255 else { return nil }
      return (v < 0x80 ? [UInt8(v)] : Array(String(Unicode.Scalar("\u{FFFD}")).utf8), i + 4)
    default:
      return nil
    }
  }

  /// Go's rules for where underscores may go in a number literal with base prefix handling.
  static func underscoresOK(_ s: [UInt8]) -> Bool {
    // Mirrors strconv's check: '_' must sit between digits (or after a base prefix).
    var saw: UInt8 = UInt8(ascii: "^")
    var i = 0
    var s = s
    if let f = s.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { s.removeFirst() }
    var hex = false
    if s.count >= 2 && s[0] == UInt8(ascii: "0") {
      let p = s[1] | 0x20
      if p == UInt8(ascii: "x") || p == UInt8(ascii: "o") || p == UInt8(ascii: "b") {
        hex = p == UInt8(ascii: "x")
        i = 2
        saw = UInt8(ascii: "0")
      }
    }
    while i < s.count {
      let c = s[i]
      let isDigit = (c >= 0x30 && c <= 0x39) || (hex && hexValue(c) != nil)
      if isDigit {
        saw = UInt8(ascii: "0")
      } else if c == UInt8(ascii: "_") {
        if saw != UInt8(ascii: "0") { return false }
        saw = UInt8(ascii: "_")
      } else {
        if saw == UInt8(ascii: "_") { return false }
        saw = UInt8(ascii: "!")
      }
      i += 1
    }
    return saw != UInt8(ascii: "_")
  }

  /// `strconv.ParseUint(text, 0, 64)` for an unsigned magnitude (no sign).
  static func parseUnsigned(_ text: [UInt8]) -> UInt64? {
    guard !text.isEmpty else { return nil }
    var base: UInt64 = 10
    var digits = text[...]
    var prefixed = false
    if text.count >= 2 && text[0] == UInt8(ascii: "0") {
      switch text[1] | 0x20 {
      case UInt8(ascii: "x"): base = 16; digits = text[2...]; prefixed = true
      case UInt8(ascii: "o"): base = 8; digits = text[2...]; prefixed = true
      case UInt8(ascii: "b"): base = 2; digits = text[2...]; prefixed = true
      default: base = 8; digits = text[1...]
      }
    }
    if digits.isEmpty && prefixed { return nil }
    if text.contains(UInt8(ascii: "_")) && !underscoresOK(text) { return nil }
    var value: UInt64 = 0
    for c in digits {
      if c == UInt8(ascii: "_") { continue }
      guard let d = hexValue(c), UInt64(d) < base else { return nil }
      let (m, o1) = value.multipliedReportingOverflow(by: base)
      let (a, o2) = m.addingReportingOverflow(UInt64(d))
      if o1 || o2 { return nil }
      value = a
    }
    return value
  }

  /// `strconv.ParseFloat(text, 64)`: decimal or hexadecimal (`0x1p-2`), underscores allowed;
  /// out-of-range values fail as Go's do.
  static func parseFloat(_ text: [UInt8]) -> Double? {
    if text.contains(UInt8(ascii: "_")) && !underscoresOK(text) { return nil }
    let cleaned = text.filter { $0 != UInt8(ascii: "_") }
    guard let last = cleaned.last, last != UInt8(ascii: "_") else { return nil }
    // Only digits, sign, '.', exponent markers and hex letters can reach here.
    let lowered = cleaned.map { $0 | 0x20 }
    if lowered.contains(UInt8(ascii: "n")) || lowered.contains(UInt8(ascii: "i")) { return nil }
    var magnitude = cleaned[...]
    if let f = magnitude.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") { magnitude = magnitude.dropFirst() }
    let isHex = magnitude.count >= 2 && magnitude.first == UInt8(ascii: "0") && magnitude.dropFirst().first.map { $0 | 0x20 } == UInt8(ascii: "x")
    if isHex && !lowered.contains(UInt8(ascii: "p")) { return nil }
    if !isHex && magnitude.count >= 2 && magnitude.first == UInt8(ascii: "0")
      && [UInt8(ascii: "o"), UInt8(ascii: "b")].contains(magnitude.dropFirst().first.map { $0 | 0x20 } ?? 0)
    {
      return nil
    }
    guard let value = Double(String(decoding: cleaned, as: UTF8.self)), value.isFinite else { return nil }
    return value
  }

  /// A number token as Go's parser and `idealConstant` see it.
  static func number(_ text: String, isChar: Bool, isComplex: Bool) -> Result<Constant, NumberError> {
    if isChar {
      let bytes = Array(text.utf8)
      guard bytes.count >= 3, let (decoded, next) = unquoteChar(bytes, 1, end: bytes.count - 1, quote: UInt8(ascii: "'"))
      else { return .failure(NumberError("invalid syntax")) }
      if next != bytes.count - 1 { return .failure(NumberError("malformed character constant: \(text)")) }
      guard let scalar = String(decoding: decoded, as: UTF8.self).unicodeScalars.first else {
        return .failure(NumberError("invalid syntax"))
      }
      return .success(.value(.int(Int64(scalar.value))))
    }
    if isComplex || text.hasSuffix("i") {
      return .failure(NumberError("complex number \(text) is not supported"))
    }
    let bytes = Array(text.utf8)
    var negative = false
    var magnitude = bytes[...]
    if let f = magnitude.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
      negative = f == UInt8(ascii: "-")
      magnitude = magnitude.dropFirst()
    }
    let hasSign = magnitude.count != bytes.count
    let unsigned = parseUnsigned(Array(magnitude))
    var intValue: Int64?
    if let u = unsigned {
      if negative {
        if u <= UInt64(Int64.max) + 1 { intValue = u == UInt64(Int64.max) + 1 ? Int64.min : -Int64(u) }
      } else if u <= UInt64(Int64.max) {
        intValue = Int64(u)
      }
    }
    let isUint = unsigned != nil && !hasSign
    // Integer syntax gives an int (hex digits may include 'e'); anything else must be a float.
    if let intValue { return .success(.value(.int(intValue))) }
    if isUint { return .success(.overflow) }
    guard let f = parseFloat(bytes) else {
      return .failure(NumberError("illegal number syntax: \(GoFormat.quote(text))"))
    }
    if !text.contains(where: { ".eEpP".contains($0) }) {
      return .failure(NumberError("integer overflow: \(GoFormat.quote(text))"))
    }
    return .success(.value(.double(f)))
  }

  /// A number literal that Go rejects, with Go's message.
  struct NumberError: Error {
    let message: String
    init(_ message: String) { self.message = message }
  }
}
