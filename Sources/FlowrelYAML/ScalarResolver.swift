import FlowrelValue

/// What a scalar's text means, following go-yaml v2's resolver (YAML 1.1 as Helm reads it).
enum ResolvedScalar: Equatable {
  case null
  case bool(Bool)
  case int(Int64)
  /// An integer beyond Int64 but within UInt64: go-yaml returns a uint64, which Helm's
  /// JSON round trip turns into a float64.
  case bigInt(Double)
  case float(Double)
  case string(String)

  var value: Value {
    switch self {
    case .null: .null
    case .bool(let b): .bool(b)
    case .int(let i): .int(i)
    case .bigInt(let d), .float(let d): .double(d)
    case .string(let s): .string(s)
    }
  }
}

enum ScalarResolver {
  /// The plain scalars go-yaml v2 looks up by their whole text.
  static func word(_ text: String) -> ResolvedScalar? {
    guard let key = wordKey(text.utf8) else { return nil }
    return words[key]
  }

  /// Every word, by its bytes packed into an integer (`wordKey`): this runs for most scalars
  /// read and written, and an integer hashes and compares faster than text.
  private static let words: [UInt64: ResolvedScalar] = {
    let table: [(ResolvedScalar, [String])] = [
      (.bool(true), ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]),
      (.bool(false), ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]),
      (.null, ["", "~", "null", "Null", "NULL"]),
      (.float(.nan), [".nan", ".NaN", ".NAN"]),
      (.float(.infinity), [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]),
      (.float(-.infinity), ["-.inf", "-.Inf", "-.INF"]),
    ]
    var words: [UInt64: ResolvedScalar] = [:]
    for (meaning, spellings) in table {
      for spelling in spellings { if let key = wordKey(spelling.utf8) { words[key] = meaning } }
    }
    return words
  }()

  /// Up to seven bytes and their count in one integer; `nil` for longer text, which is no word.
  private static func wordKey(_ bytes: String.UTF8View) -> UInt64? {
    var key: UInt64 = 0
    var count: UInt64 = 0
    for byte in bytes {
      guard count < 7 else { return nil }
      key |= UInt64(byte) << (8 * count)
      count += 1
    }
    return key | count << 56
  }

  /// Longer text is a string without trying the number rules, so a 100 MB scalar is not
  /// copied and scanned again. go-yaml reads such digit runs as floats that overflow, so as
  /// strings too; only absurd text (thousands of leading zeros) reads differently.
  static let longestNumber = 10_000

  /// Whether a plain scalar that starts with `first` can resolve to anything but a string:
  /// only a word's first letter, `~`, `.`, a sign or a digit begins one (the bytes
  /// `resolvePlain` does not send straight to `.string`).
  static func mayResolveToNonString(first: UInt8) -> Bool {
    switch first {
    case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"), UInt8(ascii: "T"),
      UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "~"), UInt8(ascii: "."),
      UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      true
    default:
      false
    }
  }

  /// Resolves the text of an untagged plain scalar by `rules`.
  static func resolvePlain(_ text: String, rules: YAMLScalarRules) -> ResolvedScalar {
    switch rules {
    case .helm: resolvePlain(text)
    case .pyyaml: PyYAMLResolver.resolvePlain(text)
    case .jina: PyYAMLResolver.resolvePlain(text, onOff: false)
    }
  }

  /// Resolves the text of an untagged plain scalar as go-yaml v2 does.
  static func resolvePlain(_ text: String) -> ResolvedScalar {
    let bytes = text.utf8
    guard let first = bytes.first else { return .null }
    switch first {
    case UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "n"), UInt8(ascii: "N"), UInt8(ascii: "t"),
      UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"), UInt8(ascii: "o"), UInt8(ascii: "O"),
      UInt8(ascii: "~"):
      // Every word is at most five bytes: skip the comparisons for long text.
      return bytes.count <= 5 ? word(text) ?? .string(text) : .string(text)
    case UInt8(ascii: "."):
      if bytes.count <= 4, let word = word(text) { return word }
      guard bytes.count <= longestNumber else { return .string(text) }
      return goParseFloat(Array(bytes)).map(ResolvedScalar.float) ?? .string(text)
    case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      // Only `+.inf` and `-.inf` (any case) start so and are words: a digit never is, and
      // comparing every port number with each word cost more than reading it.
      if first == UInt8(ascii: "+") || first == UInt8(ascii: "-"), bytes.count <= 5, let word = word(text) { return word }
      if let number = plainDecimal(bytes) { return .int(number) }
      guard bytes.count <= longestNumber else { return .string(text) }
      return resolveNumber(Array(bytes)) ?? .string(text)
    default:
      return .string(text)
    }
  }

  /// The common number, digits only (a port, a count), read without the general rules:
  /// `nil` when there is anything else, a leading zero (octal to Go) or more than 18 digits.
  static func plainDecimal(_ bytes: String.UTF8View) -> Int64? {
    guard let first = bytes.first, bytes.count <= 18, first != UInt8(ascii: "0") || bytes.count == 1 else { return nil }
    var number: Int64 = 0
    for byte in bytes {
      guard isDigit(byte) else { return nil }
      number = number * 10 + Int64(byte - UInt8(ascii: "0"))
    }
    return number
  }

  /// go-yaml's number rules for text that starts with a digit or a sign: underscores are
  /// dropped, then Go's `ParseInt(_, 0, 64)` (decimal, `0x`, `0o`, `0b`, leading-0 octal),
  /// then `ParseUint`, then a float of the form `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
  /// (one that overflows to infinity stays a string), then `0b`/`-0b` with a signed rest.
  static func resolveNumber(_ text: [UInt8]) -> ResolvedScalar? {
    let plain = text.filter { $0 != UInt8(ascii: "_") }
    if let i = GoStrconv.parseInt(plain[...], base: 0) { return .int(i) }
    if let u = GoStrconv.parseUint(plain[...], base: 0) { return .bigInt(Double(u)) }
    if isYAMLStyleFloat(plain), let d = Double(String(decoding: plain, as: UTF8.self)), d.isFinite {
      return .float(d)
    }
    let binary = Array("0b".utf8), negativeBinary = Array("-0b".utf8)
    if plain.starts(with: binary) {
      if let i = GoStrconv.parseInt(plain[2...], base: 2) { return .int(i) }
      if let u = GoStrconv.parseUint(plain[2...], base: 2) { return .bigInt(Double(u)) }
    } else if plain.starts(with: negativeBinary) {
      if let i = GoStrconv.parseInt([UInt8(ascii: "-")] + plain[3...], base: 2) { return .int(i) }
    }
    return nil
  }

  /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
  static func isYAMLStyleFloat(_ s: [UInt8]) -> Bool {
    var i = 0
    if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
    let intDigits = countDigits(s, from: i)
    i += intDigits
    if i < s.count, s[i] == UInt8(ascii: ".") {
      i += 1
      let fraction = countDigits(s, from: i)
      if intDigits == 0, fraction == 0 { return false }
      i += fraction
    } else if intDigits == 0 {
      return false
    }
    if i < s.count, s[i] == UInt8(ascii: "e") || s[i] == UInt8(ascii: "E") {
      i += 1
      if i < s.count, s[i] == UInt8(ascii: "+") || s[i] == UInt8(ascii: "-") { i += 1 }
      let exponent = countDigits(s, from: i)
      if exponent == 0 { return false }
      i += exponent
    }
    return i == s.count
  }

  static func countDigits(_ s: [UInt8], from start: Int) -> Int {
    var i = start
    while i < s.count, isDigit(s[i]) { i += 1 }
    return i - start
  }

  static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

  /// Go's `strconv.ParseFloat` for text starting with `.`: `.digits[eE[+-]digits]`, with
  /// underscores allowed only between digits; overflow is a failure, as in Go.
  static func goParseFloat(_ s: [UInt8]) -> Double? {
    var saw = UInt8(ascii: "^")
    for b in s {
      if isDigit(b) {
        saw = UInt8(ascii: "0")
      } else if b == UInt8(ascii: "_") {
        if saw != UInt8(ascii: "0") { return nil }
        saw = b
      } else {
        if saw == UInt8(ascii: "_") { return nil }
        saw = UInt8(ascii: "!")
      }
    }
    if saw == UInt8(ascii: "_") { return nil }
    let plain = s.filter { $0 != UInt8(ascii: "_") }
    guard plain.first == UInt8(ascii: "."), isYAMLStyleFloat(plain),
      let d = Double(String(decoding: plain, as: UTF8.self)), d.isFinite
    else { return nil }
    return d
  }

  /// The meaning of a scalar with an explicit tag (libyaml gives tags in long form), or a
  /// mismatch when the text does not fit the tag (`!!int abc`).
  static func resolveTagged(_ text: String, tag: String, rules: YAMLScalarRules = .helm) -> Result<Value, TagMismatch> {
    let prefix = "tag:yaml.org,2002:"
    guard tag.hasPrefix(prefix) else { return .success(.string(text)) }
    let name = tag.dropFirst(prefix.count)
    switch name {
    case "str":
      return .success(.string(text))
    case "int":
      let r = resolvePlain(text, rules: rules)
      switch r {
      case .int, .bigInt: return .success(r.value)
      default: return .failure(TagMismatch(tag: "!!int", text: text))
      }
    case "float":
      switch resolvePlain(text, rules: rules) {
      case .int(let i): return .success(.double(Double(i)))
      case .bigInt(let d), .float(let d): return .success(.double(d))
      default: return .failure(TagMismatch(tag: "!!float", text: text))
      }
    case "bool":
      if case .bool(let b) = resolvePlain(text, rules: rules) { return .success(.bool(b)) }
      return .failure(TagMismatch(tag: "!!bool", text: text))
    case "null":
      if case .null = resolvePlain(text, rules: rules) { return .success(.null) }
      return .failure(TagMismatch(tag: "!!null", text: text))
    case "binary":
      guard let bytes = Base64.decode(text) else {
        return .failure(TagMismatch(tag: "!!binary", text: text, reason: "is not valid base64"))
      }
      return .success(.string(String(decoding: bytes, as: UTF8.self)))
    default:
      return .success(.string(text))
    }
  }

  /// The string form of a scalar map key, as Helm's YAML-to-JSON conversion writes it;
  /// `nil` for a null key, which JSON cannot hold.
  static func keyString(_ value: Value) -> String? {
    switch value {
    case .string(let s): return s
    case .int(let i), .int64(let i): return String(i)
    case .bool(let b): return b ? "true" : "false"
    case .double(let d):
      // sigs.k8s.io/yaml formats float keys with strconv.FormatFloat(f, 'g', -1, 32).
      let single = Float(d)
      if single.isNaN { return ".nan" }
      if single.isInfinite { return single > 0 ? ".inf" : "-.inf" }
      // The shortest digits of a Float, parsed as a Double, have the same shortest digits.
      return ShortestDecimal(Double(single.description) ?? d).generalForm
    case .null, .list, .map: return nil
    }
  }
}

/// A tagged scalar whose text is not of the tag's type.
struct TagMismatch: Error {
  let tag: String
  let text: String
  var reason: String? = nil

  var message: String {
    let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
    return "cannot read \"\(shown)\" as \(tag): it \(reason ?? "is not a valid \(tag.dropFirst(2)) value")"
  }
}

/// Base64 as Go's `encoding/base64.StdEncoding` reads it: padded, line breaks ignored.
enum Base64 {
  static func decode(_ text: String) -> [UInt8]? {
    var sextets: [UInt8] = []
    var padding = 0
    for b in text.utf8 {
      if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { continue }
      if b == UInt8(ascii: "=") { padding += 1; continue }
      guard padding == 0 else { return nil }
      switch b {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextets.append(b - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): sextets.append(b - UInt8(ascii: "a") + 26)
      case UInt8(ascii: "0")...UInt8(ascii: "9"): sextets.append(b - UInt8(ascii: "0") + 52)
      case UInt8(ascii: "+"): sextets.append(62)
      case UInt8(ascii: "/"): sextets.append(63)
      default: return nil
      }
    }
    guard (sextets.count + padding) % 4 == 0, padding <= 2, sextets.count % 4 != 1,
      padding == 0 || (4 - sextets.count % 4) == padding
    else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(sextets.count * 3 / 4)
    var i = 0
    while i + 1 < sextets.count {
      let a = sextets[i], b = sextets[i + 1]
      let c = i + 2 < sextets.count ? sextets[i + 2] : nil
      let d = i + 3 < sextets.count ? sextets[i + 3] : nil
      out.append(a << 2 | b >> 4)
      if let c { out.append((b & 0xF) << 4 | c >> 2) }
      if let c, let d { out.append((c & 0x3) << 6 | d) }
      i += 4
    }
    return out
  }
}
