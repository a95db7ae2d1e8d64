import FlowrelValue
import OrderedCollections

extension YAML {
  /// The value as block YAML in go-yaml v2's layout (what Helm's `toYaml` writes): two-space
  /// indent, lists under a map key not indented, `{}`/`[]` for empty collections, `null`,
  /// multi-line strings as literal blocks (`|-`, `|`, `|+`), and strings double-quoted
  /// exactly when a YAML 1.1 or 1.2 reader would take them for something else. Doubles
  /// always read back as doubles (`2.0`, `1.0e+06`, `.inf`, `.nan`). Keys in insertion
  /// order, or sorted byte-wise with `sortedKeys` (as `toYaml` does). Ends with a newline.
  ///
  /// Unlike go-yaml, long lines are never folded, and one quoting style (double) is used.
  /// `YAML.parse(YAML.emit(v)) == v` for every value. With `indentLists`, a list under a
  /// map key is indented two spaces (go-yaml v3's layout, Helm's `toYamlPretty`).
  package static func emit(_ value: Value, sortedKeys: Bool = false, indentLists: Bool = false) -> String {
    var emitter = Emitter(sortedKeys: sortedKeys, indentLists: indentLists)
    emitter.emit(value)
    return String(decoding: emitter.out, as: UTF8.self)
  }
}

/// Writes block YAML with an explicit stack of open collections, so deep values cannot
/// exhaust the call stack.
struct Emitter {
  let sortedKeys: Bool
  let indentLists: Bool
  var out: [UInt8] = []

  /// go-yaml writes a key longer than this as an explicit `? key` entry.
  static let longestSimpleKey = 128

  private struct Frame {
    var list: [Value] = []
    var map: OrderedDictionary<String, Value> = [:]
    var order: [Int]? = nil
    let isMap: Bool
    let indent: Int
    /// The first entry goes on the current line, after a `- ` or `: ` indicator.
    var inline: Bool
    var next = 0
    var count: Int { isMap ? map.count : list.count }
  }

  init(sortedKeys: Bool, indentLists: Bool = false) {
    self.sortedKeys = sortedKeys
    self.indentLists = indentLists
  }

  mutating func emit(_ value: Value) {
    var stack: [Frame] = []
    if let frame = frame(for: value, indent: 0, inline: false) {
      stack.append(frame)
    } else {
      writeScalar(value, blockIndent: 2)
    }
    while !stack.isEmpty {
      let top = stack.count - 1
      guard stack[top].next < stack[top].count else {
        stack.removeLast()
        continue
      }
      let index = stack[top].next
      let indent = stack[top].indent
      stack[top].next += 1
      if stack[top].inline {
        stack[top].inline = false
      } else {
        writeSpaces(indent)
      }
      if !stack[top].isMap {
        out.append(UInt8(ascii: "-"))
        if let child = afterIndicator(stack[top].list[index], indent: indent) { stack.append(child) }
        continue
      }
      let position = stack[top].order?[index] ?? index
      let key = stack[top].map.keys[position]
      let value = stack[top].map.values[position]
      // A key is written in place (most are plain); one that turns out longer than a simple
      // key may be is moved behind `? `.
      let keyStart = out.count
      Emitter.writeKey(key, into: &out)
      if out.count - keyStart > Emitter.longestSimpleKey {
        out.insert(contentsOf: "? ".utf8, at: keyStart)
        out.append(UInt8(ascii: "\n"))
        writeSpaces(indent)
        out.append(UInt8(ascii: ":"))
        if let child = afterIndicator(value, indent: indent) { stack.append(child) }
        continue
      }
      out.append(UInt8(ascii: ":"))
      if case .list = value, let child = frame(for: value, indent: indentLists ? indent + 2 : indent, inline: false) {
        // go-yaml v2 does not indent a list under a map key; v3 (toYamlPretty) does.
        out.append(UInt8(ascii: "\n"))
        stack.append(child)
      } else if let child = frame(for: value, indent: indent + 2, inline: false) {
        out.append(UInt8(ascii: "\n"))
        stack.append(child)
      } else {
        out.append(UInt8(ascii: " "))
        writeScalar(value, blockIndent: indent + 2)
      }
    }
  }

  /// A frame for a non-empty collection; `nil` for scalars and empty collections.
  private func frame(for value: Value, indent: Int, inline: Bool) -> Frame? {
    switch value {
    case .list(let items) where !items.isEmpty:
      return Frame(list: items, isMap: false, indent: indent, inline: inline)
    case .map(let entries) where !entries.isEmpty:
      let order = sortedKeys ? entries.keys.indices.sorted { Value.byteOrder(entries.keys[$0], entries.keys[$1]) } : nil
      return Frame(map: entries, order: order, isMap: true, indent: indent, inline: inline)
    default:
      return nil
    }
  }

  /// The value after a `-` or an explicit-key `:`: a collection starts on the same line.
  private mutating func afterIndicator(_ value: Value, indent: Int) -> Frame? {
    out.append(UInt8(ascii: " "))
    if let child = frame(for: value, indent: indent + 2, inline: true) { return child }
    writeScalar(value, blockIndent: indent + 2)
    return nil
  }

  private mutating func writeSpaces(_ count: Int) {
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
  }

  /// A scalar or empty collection and its line end; block scalars' lines go at `blockIndent`.
  private mutating func writeScalar(_ value: Value, blockIndent: Int) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .int(let i), .int64(let i): out.append(contentsOf: String(i).utf8)
    case .double(let d): out.append(contentsOf: Emitter.doubleText(d).utf8)
    case .list: out.append(contentsOf: "[]".utf8)
    case .map: out.append(contentsOf: "{}".utf8)
    case .string(let s):
      if Quoting.isPlainSafe(s) {
        out.append(contentsOf: s.utf8)
      } else if Quoting.canBeLiteral(s) {
        writeLiteral(s, indent: blockIndent)
        return
      } else {
        Emitter.writeDoubleQuoted(s, into: &out)
      }
    }
    out.append(UInt8(ascii: "\n"))
  }

  /// A double that reads back as a double: Go's `%g`, with `.0` added to a mantissa
  /// without a point (`2.0`, `1.0e+06`), which YAML 1.1 readers need to see a float.
  static func doubleText(_ d: Double) -> String {
    if d.isNaN { return ".nan" }
    if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
    var text = ShortestDecimal(d).generalForm
    if let e = text.firstIndex(of: "e") {
      if !text[..<e].contains(".") { text.insert(contentsOf: ".0", at: e) }
    } else if !text.contains(".") {
      text += ".0"
    }
    return text
  }

  /// A key: plain when safe, else double-quoted (never a block scalar).
  static func writeKey(_ key: String, into out: inout [UInt8]) {
    if Quoting.isPlainSafe(key) {
      out.append(contentsOf: key.utf8)
    } else {
      writeDoubleQuoted(key, into: &out)
    }
  }

  /// A literal block: `|` with an indentation indicator when the text starts with a space
  /// or a line break, and the chomping that keeps its trailing line breaks exact.
  private mutating func writeLiteral(_ s: String, indent: Int) {
    let bytes = Array(s.utf8)
    var trailing = 0
    while trailing < bytes.count, bytes[bytes.count - 1 - trailing] == UInt8(ascii: "\n") { trailing += 1 }
    out.append(UInt8(ascii: "|"))
    if bytes.first == UInt8(ascii: " ") || bytes.first == UInt8(ascii: "\n") { out.append(UInt8(ascii: "2")) }
    // Strip for no final break, clip for one, keep for more (or for text that is only
    // breaks, which clipping would empty).
    if trailing == 0 {
      out.append(UInt8(ascii: "-"))
    } else if trailing > 1 || trailing == bytes.count {
      out.append(UInt8(ascii: "+"))
    }
    out.append(UInt8(ascii: "\n"))
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    for (n, line) in lines.enumerated() {
      let isLast = n == lines.count - 1
      if line.isEmpty {
        // The text's final line break was written after the line before.
        if !isLast { out.append(UInt8(ascii: "\n")) }
        continue
      }
      writeSpaces(indent)
      out.append(contentsOf: line)
      out.append(UInt8(ascii: "\n"))
    }
  }

  /// A double-quoted scalar; characters a reader would not keep as they are are escaped.
  static func writeDoubleQuoted(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out.append(contentsOf: "\\\"".utf8)
      case "\\": out.append(contentsOf: "\\\\".utf8)
      case "\0": out.append(contentsOf: "\\0".utf8)
      case "\u{07}": out.append(contentsOf: "\\a".utf8)
      case "\u{08}": out.append(contentsOf: "\\b".utf8)
      case "\t": out.append(contentsOf: "\\t".utf8)
      case "\n": out.append(contentsOf: "\\n".utf8)
      case "\u{0B}": out.append(contentsOf: "\\v".utf8)
      case "\u{0C}": out.append(contentsOf: "\\f".utf8)
      case "\r": out.append(contentsOf: "\\r".utf8)
      case "\u{1B}": out.append(contentsOf: "\\e".utf8)
      case "\u{85}": out.append(contentsOf: "\\N".utf8)
      case "\u{2028}": out.append(contentsOf: "\\L".utf8)
      case "\u{2029}": out.append(contentsOf: "\\P".utf8)
      default:
        if Quoting.isPrintable(scalar) {
          out.append(contentsOf: String(scalar).utf8)
        } else {
          let hex = String(scalar.value, radix: 16, uppercase: true)
          let (escape, width) = scalar.value <= 0xFF ? ("\\x", 2) : ("\\u", 4)
          out.append(contentsOf: escape.utf8)
          out.append(contentsOf: String(repeating: "0", count: max(0, width - hex.count)).utf8)
          out.append(contentsOf: hex.utf8)
        }
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

/// When a string can be written plain or as a literal block and still read back as the
/// same string, by go-yaml (YAML 1.1), other YAML 1.1 readers (PyYAML) and YAML 1.2 readers.
enum Quoting {
  /// Characters a YAML writer may put in a scalar as they are: printable, and not a line
  /// break in YAML 1.1 (NEL, LS, PS), not a BOM, not a tab.
  static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v < 0x80 { return v >= 0x20 && v < 0x7F }
    if v < 0xA0 { return false }
    return v != 0x2028 && v != 0x2029 && v != 0xFEFF && v != 0xFFFE && v != 0xFFFF
  }

  static func isPlainSafe(_ s: String) -> Bool {
    var contiguous = s
    return contiguous.withUTF8 { isPlainSafe(bytes: $0, text: s) }
  }

  private static func isPlainSafe(bytes b: UnsafeBufferPointer<UInt8>, text: String) -> Bool {
    guard let first = b.first, let last = b.last, first != UInt8(ascii: " "), last != UInt8(ascii: " ") else { return false }
    var hasNonASCII = false
    for i in b.indices {
      let c = b[i]
      if c >= 0x80 { hasNonASCII = true; continue }
      if c < 0x20 || c == 0x7F { return false }
      if c == UInt8(ascii: ":"), i + 1 == b.count || b[i + 1] == UInt8(ascii: " ") { return false }
      if c == UInt8(ascii: "#"), i > 0, b[i - 1] == UInt8(ascii: " ") { return false }
    }
    if hasNonASCII, !text.unicodeScalars.allSatisfy(isPrintable) { return false }
    switch first {
    case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
      UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
      UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
      UInt8(ascii: "`"):
      return false
    case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
      if b.count == 1 || b[1] == UInt8(ascii: " ") { return false }
    default:
      break
    }
    if b.count >= 3, (b[0] == UInt8(ascii: "-") && b[1] == UInt8(ascii: "-") && b[2] == UInt8(ascii: "-"))
      || (b[0] == UInt8(ascii: ".") && b[1] == UInt8(ascii: ".") && b[2] == UInt8(ascii: "."))
    {
      return false
    }
    return !readsAsNonString(bytes: b, text: text)
  }

  private static let radixPrefixes: [UInt8: UInt64] = [UInt8(ascii: "b"): 2, UInt8(ascii: "o"): 8, UInt8(ascii: "x"): 16]

  /// Whether a plain scalar with this text means something other than the string to
  /// go-yaml, to YAML 1.1 readers (sexagesimal numbers, `=`, timestamps, `1_000.5`) or to
  /// YAML 1.2 readers (`0o17`). Errs on the side of quoting.
  private static func readsAsNonString(bytes b: UnsafeBufferPointer<UInt8>, text: String) -> Bool {
    // Only a few first bytes begin anything but a string (a bool or null word, a number,
    // `.inf`, `=`, `<<`): most keys and names are decided here.
    guard ScalarResolver.mayResolveToNonString(first: b[0]) || b[0] == UInt8(ascii: "=") || b[0] == UInt8(ascii: "<") else {
      return false
    }
    if case .string = ScalarResolver.resolvePlain(text) {} else { return true }
    // `=` and `<<` (compared as bytes: this runs for every scalar written).
    if b.count == 1 && b[0] == UInt8(ascii: "=") || b.count == 2 && b[0] == UInt8(ascii: "<") && b[1] == UInt8(ascii: "<") {
      return true
    }
    var i = 0
    if b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-") { i = 1 }
    guard i < b.count else { return false }
    let rest = UnsafeBufferPointer(rebasing: b[i...])
    let digits = rest.prefix { ScalarResolver.isDigit($0) }.count
    // YYYY-: a YAML 1.1 timestamp, which go-yaml also quotes.
    if i == 0, digits == 4, rest.count > 4, rest[4] == UInt8(ascii: "-") { return true }
    func all(_ from: Int, _ allowed: (UInt8) -> Bool) -> Bool { from < rest.count && rest[from...].allSatisfy(allowed) }
    let isDigitOrUnderscore = { (c: UInt8) in ScalarResolver.isDigit(c) || c == UInt8(ascii: "_") }
    // 0b, 0o, 0x with digits of that base and underscores.
    if rest.count > 2, rest[0] == UInt8(ascii: "0"), let radix = radixPrefixes[rest[1] | 0x20],
      all(2, { $0 == UInt8(ascii: "_") || (GoStrconv.digitValue($0) ?? radix) < radix })
    {
      return true
    }
    guard let head = rest.first, ScalarResolver.isDigit(head) || head == UInt8(ascii: ".") else { return false }
    // Digits and underscores, then nothing, a sexagesimal tail, or a fraction and exponent.
    var j = 0
    while j < rest.count, isDigitOrUnderscore(rest[j]) { j += 1 }
    if j == rest.count { return true }
    if rest[j] == UInt8(ascii: ":"), j > 0 {
      return rest[j...].allSatisfy { isDigitOrUnderscore($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }
    }
    guard rest[j] == UInt8(ascii: ".") else { return false }
    j += 1
    while j < rest.count, isDigitOrUnderscore(rest[j]) { j += 1 }
    if j == rest.count { return true }
    guard rest[j] | 0x20 == UInt8(ascii: "e") else { return false }
    j += 1
    if j < rest.count, rest[j] == UInt8(ascii: "+") || rest[j] == UInt8(ascii: "-") { j += 1 }
    return all(j, ScalarResolver.isDigit)
  }

  /// A literal block keeps the text exactly when it has a line break, only printable
  /// characters, and no space at the end of a line (libyaml's and go-yaml's rule).
  static func canBeLiteral(_ s: String) -> Bool {
    var sawBreak = false
    var previous: Unicode.Scalar = "\0"
    for scalar in s.unicodeScalars {
      if scalar == "\n" {
        if previous == " " { return false }
        sawBreak = true
      } else if !isPrintable(scalar) {
        return false
      }
      previous = scalar
    }
    return sawBreak && previous != " "
  }
}
