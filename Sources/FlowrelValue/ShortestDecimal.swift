/// The shortest decimal digits that read back as the same `Double`, and the Go formats
/// built on them (`strconv.FormatFloat(x, 'e'|'f'|'g', -1, 64)`), so that JSON, YAML and
/// template output print numbers the way Go programs (and so Helm) do.
package struct ShortestDecimal: Sendable, Equatable {
  /// Whether the number is negative (including `-0`).
  package var isNegative: Bool
  /// The significant digits, without leading or trailing zeros (`"0"` for zero).
  package var digits: [UInt8]
  /// Where the decimal point goes: the value is `0.<digits> × 10^pointPosition`.
  package var pointPosition: Int

  /// The shortest round-tripping digits of a finite double.
  package init(_ value: Double) {
    precondition(value.isFinite, "ShortestDecimal needs a finite number")
    // Swift's description is the shortest representation that round-trips; take it apart.
    var text = Array(value.description.utf8)
    isNegative = value.sign == .minus
    if text.first == UInt8(ascii: "-") { text.removeFirst() }
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      var sign = 1
      var i = e + 1
      if i < text.count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
        if text[i] == UInt8(ascii: "-") { sign = -1 }
        i += 1
      }
      var magnitude = 0
      while i < text.count { magnitude = magnitude * 10 + Int(text[i] - UInt8(ascii: "0")); i += 1 }
      exponent = sign * magnitude
      text.removeSubrange(e...)
    }
    var integerDigits = text.count
    if let dot = text.firstIndex(of: UInt8(ascii: ".")) {
      integerDigits = dot
      text.remove(at: dot)
    }
    var point = integerDigits + exponent
    while let first = text.first, first == UInt8(ascii: "0") {
      text.removeFirst()
      point -= 1
    }
    while let last = text.last, last == UInt8(ascii: "0") { text.removeLast() }
    if text.isEmpty {
      digits = [UInt8(ascii: "0")]
      pointPosition = 1
    } else {
      digits = text
      pointPosition = point
    }
  }

  /// Go's `%e` with the shortest precision: `1.5e+06`, `1e-07`.
  package var exponentForm: String {
    var out = isNegative ? "-" : ""
    out.unicodeScalars.append(Unicode.Scalar(digits[0]))
    if digits.count > 1 {
      out += "."
      out += String(decoding: digits[1...], as: UTF8.self)
    }
    let exponent = digits == [UInt8(ascii: "0")] ? 0 : pointPosition - 1
    out += exponent < 0 ? "e-" : "e+"
    let magnitude = abs(exponent)
    out += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
    return out
  }

  /// Go's `%f` with the shortest precision: `1500000`, `0.0001`.
  package var fixedForm: String {
    var out = isNegative ? "-" : ""
    let digitText = String(decoding: digits, as: UTF8.self)
    if digits == [UInt8(ascii: "0")] { return out + "0" }
    if pointPosition <= 0 {
      out += "0." + String(repeating: "0", count: -pointPosition) + digitText
    } else if pointPosition >= digits.count {
      out += digitText + String(repeating: "0", count: pointPosition - digits.count)
    } else {
      let split = digitText.utf8.index(digitText.utf8.startIndex, offsetBy: pointPosition)
      out += String(digitText[..<split]) + "." + String(digitText[split...])
    }
    return out
  }

  /// Go's `%g` / `%v` with the shortest precision: `%e` when the decimal exponent is below
  /// -4 or at least 6 (Go's rule for the shortest form, hence `1e+06`), `%f` otherwise.
  package var generalForm: String {
    let exponent = digits == [UInt8(ascii: "0")] ? 0 : pointPosition - 1
    return exponent < -4 || exponent >= 6 ? exponentForm : fixedForm
  }
}
