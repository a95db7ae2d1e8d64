import FlowrelValue

/// How plain (unquoted, untagged) scalars get their types.
public enum YAMLScalarRules: Sendable, Equatable {
  /// go-yaml v2, as Helm reads values (YAML 1.1 with `y`/`n` booleans, Go number syntax).
  case helm
  /// PyYAML's `SafeLoader`: `y`/`n` stay strings, `1e3` (no dot) and `0o17` are strings,
  /// `1:30` is 90 (base 60), `017` is octal 15.
  case pyyaml
  /// What a Flow YAML's values become in Jina: PyYAML as Jina patches it (`on`/`off` are
  /// strings), then every string value, quoted or not, read again by Jina's `parse_arg`
  /// (`JinaArgument`): `1e3` is 1000.0, `'7'` is 7, `'true'` is true, `'[a, 1]'` a list.
  /// Map keys are not read again, as in Jina.
  case jina
}

/// PyYAML 6's implicit resolvers and its `SafeConstructor` for plain scalars, so a chart
/// that takes a Jina Flow YAML as values sees the types Jina sees. What PyYAML makes that
/// `Value` cannot hold: integers beyond Int64 become doubles (Python keeps them exact);
/// timestamps (`2024-01-02`) stay their text (Python makes a date); `=` stays a string
/// (PyYAML fails on it); `0b_` and `0x_` stay strings (PyYAML fails on them).
enum PyYAMLResolver {
  /// Resolves the text of an untagged plain scalar. Which rules PyYAML tries depends on
  /// the first character, as here.
  /// `onOff`: whether `on`/`off` are booleans (Jina removes that rule).
  static func resolvePlain(_ text: String, onOff: Bool = true) -> ResolvedScalar {
    guard let first = text.utf8.first else { return .null }
    switch first {
    case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
      if text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
      return boolean(text).map(ResolvedScalar.bool) ?? .string(text)
    case UInt8(ascii: "o"), UInt8(ascii: "O"):
      return onOff ? boolean(text).map(ResolvedScalar.bool) ?? .string(text) : .string(text)
    case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"),
      UInt8(ascii: "F"):
      return boolean(text).map(ResolvedScalar.bool) ?? .string(text)
    case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"):
      guard text.utf8.count <= ScalarResolver.longestNumber else { return .string(text) }
      if text.wholeMatch(of: floatPattern) != nil { return .float(float(text)) }
      if text.wholeMatch(of: intPattern) != nil, let number = integer(text) { return number }
      return .string(text)
    default:
      return .string(text)
    }
  }

  /// PyYAML's bool words: no `y`/`n` (unlike go-yaml).
  static func boolean(_ text: String) -> Bool? {
    switch text {
    case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": true
    case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": false
    default: nil
    }
  }

  /// PyYAML's `tag:yaml.org,2002:float` pattern: a dot is required, an exponent needs a sign.
  nonisolated(unsafe) static let floatPattern =
    /[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)/

  /// PyYAML's `tag:yaml.org,2002:int` pattern: `0b`, leading-0 octal, decimal, `0x`, base 60.
  nonisolated(unsafe) static let intPattern =
    /[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+/

  /// `construct_yaml_float` on text the float pattern matched: `_` dropped, base-60 parts
  /// summed, Python's `float()` (which overflows to infinity) for the rest.
  static func float(_ text: String) -> Double {
    var value = text.replacingUnderscores().lowercased()[...]
    var sign = 1.0
    if value.first == "-" { sign = -1 }
    if value.first == "-" || value.first == "+" { value = value.dropFirst() }
    if value == ".inf" { return sign * .infinity }
    if value == ".nan" { return .nan }
    if value.contains(":") {
      var total = 0.0
      for part in value.split(separator: ":", omittingEmptySubsequences: false) { total = total * 60 + (Double(part) ?? 0) }
      return sign * total
    }
    return sign * (Double(value) ?? .nan)
  }

  /// `construct_yaml_int` on text the int pattern matched; `nil` when PyYAML itself fails
  /// (`0b_`: no digits after the underscores go).
  static func integer(_ text: String) -> ResolvedScalar? {
    var value = Substring(text.replacingUnderscores())
    var negative = false
    if value.first == "-" { negative = true }
    if value.first == "-" || value.first == "+" { value = value.dropFirst() }
    // Beyond UInt64 the double is summed digit by digit, except for decimal text, which
    // Double reads correctly rounded.
    var magnitude: Double = 0
    var exact: UInt64? = 0
    var decimal: Substring?
    /// Adds one digit in `radix`, keeping the exact value while it fits.
    func push(_ digit: Int, radix: Int) {
      magnitude = magnitude * Double(radix) + Double(digit)
      if let current = exact {
        let (shifted, o1) = current.multipliedReportingOverflow(by: UInt64(radix))
        let (sum, o2) = shifted.addingReportingOverflow(UInt64(digit))
        exact = o1 || o2 ? nil : sum
      }
    }
    if value.contains(":") {
      // Base 60: each part is a decimal number.
      for part in value.split(separator: ":", omittingEmptySubsequences: false) {
        guard let digit = Int(part) else { return nil }
        push(digit, radix: 60)
      }
    } else {
      var radix = 10
      if value.hasPrefix("0b") {
        radix = 2
        value = value.dropFirst(2)
      } else if value.hasPrefix("0x") {
        radix = 16
        value = value.dropFirst(2)
      } else if value.first == "0" {
        radix = 8
      } else {
        decimal = value
      }
      guard !value.isEmpty else { return nil }
      for character in value {
        guard let digit = character.hexDigitValue, digit < radix else { return nil }
        push(digit, radix: radix)
      }
    }
    if let exact {
      if !negative, exact <= UInt64(Int64.max) { return .int(Int64(exact)) }
      if negative, exact <= UInt64(Int64.max) + 1 { return .int(exact == UInt64(Int64.max) + 1 ? .min : -Int64(exact)) }
    }
    let approximate = exact.map { Double($0) } ?? decimal.flatMap { Double($0) } ?? magnitude
    return .float(negative ? -approximate : approximate)
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String { String(filter { $0 != "_" }) }
}
