/// Go's `strconv` integer parsing, on UTF-8 bytes: what go-yaml (Helm's values and `toYaml`)
/// uses to decide that a scalar is a number, shared by the YAML reader and the template
/// functions' YAML writer.
package enum GoStrconv {
  /// `strconv.ParseInt(s, base, 64)` for base 0 (the prefix decides) or a fixed base.
  package static func parseInt(_ s: ArraySlice<UInt8>, base: Int) -> Int64? {
    var rest = s
    var negative = false
    if let first = rest.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
      negative = first == UInt8(ascii: "-")
      rest = rest.dropFirst()
    }
    guard let magnitude = parseUint(rest, base: base) else { return nil }
    if negative {
      guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
      return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int64(magnitude)
  }

  /// `strconv.ParseUint(s, base, 64)` for base 0 (`0x`, `0o`, `0b` or a leading `0` decides)
  /// or a fixed base.
  package static func parseUint(_ s: ArraySlice<UInt8>, base: Int) -> UInt64? {
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
        default: radix = 8; digits = digits.dropFirst(1)
        }
      }
    }
    var value: UInt64 = 0
    for b in digits {
      guard let digit = digitValue(b), digit < UInt64(radix) else { return nil }
      let (shifted, overflow1) = value.multipliedReportingOverflow(by: UInt64(radix))
      let (sum, overflow2) = shifted.addingReportingOverflow(digit)
      if overflow1 || overflow2 { return nil }
      value = sum
    }
    return value
  }

  /// The value of a digit in bases up to 36 (`0`-`9`, then letters in either case).
  package static func digitValue(_ b: UInt8) -> UInt64? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(b - UInt8(ascii: "0"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt64(b - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt64(b - UInt8(ascii: "A") + 10)
    default: nil
    }
  }
}
