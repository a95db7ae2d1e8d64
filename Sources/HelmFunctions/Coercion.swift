import FlowrelValue
import GoTemplate
import OrderedCollections

// Sprig's conversions between Go values, which coerce rather than fail (spf13/cast rules for
// numbers, `fmt.Sprintf("%v")` for strings, reflection's notion of an empty value).

/// Sprig's `strval` (and `toString`): strings as they are, anything else as Go's `%v` prints it
/// (`<nil>` for nil).
func stringValue(_ value: TemplateValue) -> String {
  if case .string(let s) = value { return s }
  return goFormat(value)
}

/// spf13/cast's `ToInt64`: integers as they are, floats truncated, booleans 1/0, strings in
/// Go's literal syntax (`"0x1F"`, `"017"` octal, `"1_000"`, `"12.0"`), anything else 0.
func castInt64(_ value: TemplateValue) -> Int64 {
  switch value {
  case .int(let i), .int64(let i), .wholeFloat(let i): return i
  case .uint(let u): return Int64(truncatingIfNeeded: u)
  case .double(let d): return truncate(d)
  case .bool(let b): return b ? 1 : 0
  case .string(let s): return parseGoInteger(trimZeroDecimal(s), base: 0) ?? 0
  default: return 0
  }
}

/// spf13/cast's `ToFloat64`: numbers converted, booleans 1/0, strings by `strconv.ParseFloat`,
/// anything else 0.
func castFloat64(_ value: TemplateValue) -> Double {
  switch value {
  case .int(let i), .int64(let i), .wholeFloat(let i): return Double(i)
  case .uint(let u): return Double(u)
  case .double(let d): return d
  case .bool(let b): return b ? 1 : 0
  case .string(let s): return parseGoFloat(s) ?? 0
  default: return 0
  }
}

/// Go's float-to-integer conversion; out-of-range values give the minimum, as on amd64.
func truncate(_ d: Double) -> Int64 {
  guard d.isFinite, d > -9.223372036854775808e18, d < 9.223372036854775808e18 else { return Int64.min }
  return Int64(d)
}

/// cast's `trimZeroDecimal`: `"12.000"` becomes `"12"` so that it reads as an integer.
private func trimZeroDecimal(_ s: String) -> String {
  var foundZero = false
  let bytes = Array(s.utf8)
  var i = bytes.count
  while i > 0 {
    switch bytes[i - 1] {
    case UInt8(ascii: "."):
      if foundZero { return String(decoding: bytes[..<(i - 1)], as: UTF8.self) }
    case UInt8(ascii: "0"):
      foundZero = true
    default:
      return s
    }
    i -= 1
  }
  return s
}

/// Go's `strconv.ParseInt(s, base, 64)`; base 0 reads Go's prefixes (`0x`, `0o`, `0b`, a
/// leading `0` for octal) and allows underscores between digits. `nil` when invalid or out of range.
func parseGoInteger(_ text: String, base: Int) -> Int64? {
  var s = Substring(text)
  var negative = false
  if s.first == "+" || s.first == "-" {
    negative = s.first == "-"
    s = s.dropFirst()
  }
  var radix = base
  var prefixed = false
  if base == 0 {
    radix = 10
    let lower = s.lowercased()
    if lower.hasPrefix("0x") { radix = 16; s = s.dropFirst(2); prefixed = true }
    else if lower.hasPrefix("0o") { radix = 8; s = s.dropFirst(2); prefixed = true }
    else if lower.hasPrefix("0b") { radix = 2; s = s.dropFirst(2); prefixed = true }
    else if s.count > 1, s.first == "0" { radix = 8; s = s.dropFirst(); prefixed = true }
  }
  if base == 0, s.contains("_") {
    // Underscores must sit between digits (or right after a base prefix).
    let parts = s.split(separator: "_", omittingEmptySubsequences: false)
    let ok = parts.enumerated().allSatisfy { index, part in !part.isEmpty || (index == 0 && prefixed) }
    guard ok else { return nil }
    s = Substring(s.replacingOccurrences(of: "_", with: ""))
  }
  // Swift's parser takes a sign of its own, which Go's would not after the first one.
  guard let first = s.first, first != "+", first != "-", let magnitude = UInt64(s, radix: radix) else { return nil }
  if negative {
    guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
    return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
  }
  guard magnitude <= UInt64(Int64.max) else { return nil }
  return Int64(magnitude)
}

/// Go's `strconv.ParseFloat(s, 64)`: decimal and hex (`0x1p-2`) forms, `inf`, `infinity`, `nan`.
func parseGoFloat(_ text: String) -> Double? {
  let lower = text.lowercased()
  var body = Substring(lower)
  if body.first == "+" || body.first == "-" { body = body.dropFirst() }
  if body == "inf" || body == "infinity" { return lower.first == "-" ? -.infinity : .infinity }
  if body == "nan" { return .nan }
  guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return nil }
  if body.hasPrefix("0x"), !body.contains("p") { return nil }
  return Double(lower)
}

/// Sprig's `empty`: nil, false, zero numbers and empty strings, lists and maps are empty
/// (objects of Go map or slice types too, when empty); other objects and functions never are.
/// This is Go's truth, negated.
func isEmptyValue(_ value: TemplateValue) -> Bool { !value.isTruthy }

/// The list a value is to Go's reflection: a list, or an object of a Go slice type (Helm's
/// `VersionSet`); `nil` for anything else.
func listValue(_ value: TemplateValue) -> TemplateList? {
  switch value {
  case .list(let list): return list
  case .object(let object): return object.underlyingList
  default: return nil
  }
}

/// The elements of a list value, or `nil` when `value` is not a list (Go slice or array).
func listElements(_ value: TemplateValue) -> [TemplateValue]? { listValue(value)?.elements }

/// Go's reflection kind name of a value given as an `interface {}` argument (nil has none,
/// and Sprig's reflection on it fails).
func kindName(_ value: TemplateValue) -> String {
  value.isNil ? "invalid" : value.goKindName
}

/// Sprig's `strslice`: a list's non-nil elements as strings, a nil as no strings, anything
/// else as one string.
func stringSlice(_ value: TemplateValue) -> [String] {
  switch value {
  case .missing, .null: return []
  default:
    guard let list = listElements(value) else { return [stringValue(value)] }
    return list.filter { !$0.isNil }.map(stringValue)
  }
}

/// A Go `[]string` result.
func stringList(_ strings: [String]) -> TemplateValue {
  .list(TemplateList(strings.map { .string($0) }, elementTypeName: "string"))
}

/// A Go `[]interface {}` result.
func anyList(_ elements: [TemplateValue]) -> TemplateValue {
  .list(TemplateList(elements))
}

/// Go's `reflect.DeepEqual` on template values: types must match (`int` 1 is neither `int64` 1
/// nor `float64` 1), lists and maps element by element. A values file's whole number is the
/// float64 it is in Helm: it equals the same float (`has 2.0 .Values.ports`), not an `int`.
func deepEqual(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
  switch (a, b) {
  case (.missing, _), (.null, _): return b.isNil
  case (.bool(let x), .bool(let y)): return x == y
  case (.int(let x), .int(let y)), (.int64(let x), .int64(let y)), (.wholeFloat(let x), .wholeFloat(let y)):
    return x == y
  case (.wholeFloat, .double), (.double, .wholeFloat): return NumericOrder(a, b) == .equal
  case (.uint(let x), .uint(let y)): return x == y
  case (.double(let x), .double(let y)): return x == y
  case (.string(let x), .string(let y)): return x == y
  case (.list(let x), .list(let y)):
    // A nil slice is not deeply equal to an empty one.
    return x.elementTypeName == y.elementTypeName && x.isNilSlice == y.isNilSlice && x.count == y.count
      && zip(x, y).allSatisfy(deepEqual)
  case (.map(let x), .map(let y)):
    guard x.elementTypeName == y.elementTypeName, x.count == y.count else { return false }
    return x.keys.allSatisfy { key in
      guard let left = x[key], let right = y[key] else { return false }
      return deepEqual(left, right)
    }
  case (.object(let x), .object(let y)): return x.goTypeName == y.goTypeName && x.formatted == y.formatted
  default: return false
  }
}

/// Go's `%v` of a value received as an `interface {}` argument (a missing value arrives as nil).
func goFormat(_ value: TemplateValue) -> String {
  GoFormat.string(value.isNil ? .null : value)
}

/// `value` in lowercase hex, zero-padded to `width` digits.
func hexDigits(_ value: UInt64, width: Int) -> String {
  let digits = String(value, radix: 16)
  return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

extension TemplateArguments {
  /// Arguments from `index` on, as a Go `...string` parameter receives them.
  func strings(from index: Int) throws(TemplateError) -> [String] {
    var out: [String] = []
    for i in index..<count { out.append(try string(at: i)) }
    return out
  }
}
