import FlowrelValue

/// Jina's `parse_arg`, which reads every string value of a Flow YAML again (after
/// `$VAR` expansion, which flowrel does not do: the exporting shell's environment must not
/// change a render): one pair of surrounding quotes is dropped; `[a, b]` is a list of
/// items read the same way (inner brackets dropped); then Python's `int()`, then
/// `float()`; an empty string is null; `true`/`false` in any case are booleans.
enum JinaArgument {
  static func parse(_ text: String) -> Value {
    let scalars = Array(text.unicodeScalars)
    // re.match(r'^['"](.*)['"]$'): `.` stops at a line break; `$` also matches before a
    // final one.
    var body = scalars[...]
    if body.last == "\n" { body = body.dropLast() }
    if body.count >= 2, let first = body.first, let last = body.last, "'\"".unicodeScalars.contains(first),
      "'\"".unicodeScalars.contains(last), !body.contains("\n")
    {
      return .string(String(String.UnicodeScalarView(body.dropFirst().dropLast())))
    }
    if text.hasPrefix("["), text.hasSuffix("]") {
      let inner = String(text.unicodeScalars.filter { $0 != "[" && $0 != "]" }).trimmingPythonWhitespace()
      guard !inner.isEmpty else { return .list([]) }
      return .list(inner.split(separator: ",", omittingEmptySubsequences: false).map { parse(String($0).trimmingPythonWhitespace()) })
    }
    if let integer = pythonInt(text) { return integer }
    if let float = pythonFloat(text) { return .double(float) }
    if text.isEmpty { return .null }
    switch text.lowercased() {
    case "true": return .bool(true)
    case "false": return .bool(false)
    default: return .string(text)
    }
  }

  /// Python's `int(text)`: whitespace around, a sign, decimal digits (any script's) with
  /// single underscores between them. Beyond Int64, a double (Python's ints are unbounded).
  static func pythonInt(_ text: String) -> Value? {
    var rest = Substring(text.trimmingPythonWhitespace())
    var negative = false
    if let sign = rest.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      rest = rest.dropFirst()
    }
    guard let digits = asciiDigits(rest) else { return nil }
    if let exact = Int64(negative ? "-" + digits : digits) { return .int(exact) }
    return Double(negative ? "-" + digits : digits).map(Value.double)
  }

  /// Python's `float(text)`: whitespace around, a sign, `inf`/`infinity`/`nan` in any
  /// case, or digits with an optional fraction and exponent (underscores between digits).
  static func pythonFloat(_ text: String) -> Double? {
    var rest = Substring(text.trimmingPythonWhitespace())
    var sign = 1.0
    if let first = rest.first, first == "+" || first == "-" {
      if first == "-" { sign = -1 }
      rest = rest.dropFirst()
    }
    switch rest.lowercased() {
    case "inf", "infinity": return sign * .infinity
    case "nan": return .nan
    default: break
    }
    // digits ['.' [digits]] [exponent] | '.' digits [exponent]
    var mantissa = rest
    var exponent: Substring = ""
    if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = rest[..<e]
      exponent = rest[rest.index(after: e)...]
    }
    let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let whole = parts.first ?? ""
    let fraction = parts.count > 1 ? parts[1] : nil
    guard !(whole.isEmpty && (fraction ?? "").isEmpty) else { return nil }
    guard let wholeDigits = whole.isEmpty ? "0" : asciiDigits(whole) else { return nil }
    var normalized = wholeDigits
    if let fraction, !fraction.isEmpty {
      guard let fractionDigits = asciiDigits(fraction) else { return nil }
      normalized += "." + fractionDigits
    }
    if rest.contains(where: { $0 == "e" || $0 == "E" }) {
      var exponentRest = exponent
      var exponentSign = ""
      if let first = exponentRest.first, first == "+" || first == "-" {
        exponentSign = first == "-" ? "-" : ""
        exponentRest = exponentRest.dropFirst()
      }
      guard let exponentDigits = asciiDigits(exponentRest) else { return nil }
      normalized += "e" + exponentSign + exponentDigits
    }
    return Double(normalized).map { sign * $0 }
  }

  /// Decimal digits (any script's, as Python reads them) with single underscores between
  /// them, as ASCII digits; `nil` for anything else or nothing.
  static func asciiDigits(_ text: Substring) -> String? {
    var out = ""
    var previousWasDigit = false
    for scalar in text.unicodeScalars {
      if scalar == "_" {
        guard previousWasDigit else { return nil }
        previousWasDigit = false
        continue
      }
      guard scalar.properties.numericType == .decimal, let digit = scalar.properties.numericValue else { return nil }
      out += String(Int(digit))
      previousWasDigit = true
    }
    return previousWasDigit ? out : nil
  }
}

extension String {
  /// The text without the whitespace Python's `str.strip()` removes at either end.
  fileprivate func trimmingPythonWhitespace() -> String {
    let scalars = unicodeScalars
    guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
      let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
    else { return "" }
    return String(scalars[start...end])
  }
}
