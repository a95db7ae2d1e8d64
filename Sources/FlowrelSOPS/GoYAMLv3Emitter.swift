import FlowrelValue
import FlowrelYAML
import Foundation
import OrderedCollections

/// Block YAML in the layout sops writes (go-yaml v3 with a 4-space indent): a map's
/// children start at the next multiple of four columns, an item of a list starts two
/// columns after its `- `, lists under a key are indented, and multi-line strings are
/// literal blocks. Scalars are quoted as go-yaml v3 quotes them: double quotes for
/// strings that would read as another type or hold control characters, single quotes
/// for strings that cannot be plain, plain otherwise.
///
/// Known differences from go-yaml v3, all in rare readable values: a multi-line string
/// that starts with a space or a line break is double-quoted (v3 writes a literal block
/// with an indentation indicator), and keys longer than 128 bytes are not written as
/// `? key` entries.
struct GoYAMLv3Emitter {
  private var out = ""

  /// The document (a map) as sops writes it, ending with a newline.
  static func emit(_ document: OrderedDictionary<String, Value>) -> String {
    var emitter = GoYAMLv3Emitter()
    if document.isEmpty { return "{}\n" }
    emitter.map(document, indent: 0)
    return emitter.out
  }

  /// The indent of a child collection or block scalar of a map at `indent`.
  private static func childIndent(ofMapAt indent: Int) -> Int { 4 * ((indent + 4) / 4) }

  /// Writes the entries of a non-empty map; the first one at the current column when
  /// `inline` (after a `- `), the rest at `indent`.
  private mutating func map(_ entries: OrderedDictionary<String, Value>, indent: Int, inline: Bool = false) {
    for (offset, (key, value)) in entries.enumerated() {
      if offset > 0 || !inline { out += String(repeating: " ", count: indent) }
      out += Self.scalarText(key)
      out += ":"
      let child = Self.childIndent(ofMapAt: indent)
      switch value {
      case .map(let nested) where !nested.isEmpty:
        out += "\n"
        map(nested, indent: child)
      case .list(let items) where !items.isEmpty:
        out += "\n"
        list(items, indent: child)
      default:
        out += " "
        scalar(value, blockIndent: child)
      }
    }
  }

  /// Writes the items of a non-empty list, dashes at `indent` (the first at the current
  /// column when `inline`).
  private mutating func list(_ items: [Value], indent: Int, inline: Bool = false) {
    for (offset, item) in items.enumerated() {
      if offset > 0 || !inline { out += String(repeating: " ", count: indent) }
      out += "- "
      switch item {
      case .map(let nested) where !nested.isEmpty: map(nested, indent: indent + 2, inline: true)
      case .list(let nested) where !nested.isEmpty: list(nested, indent: indent + 2, inline: true)
      default: scalar(item, blockIndent: indent + 2)
      }
    }
  }

  /// Writes a scalar or empty collection and its line end; a literal block's lines at `blockIndent`.
  private mutating func scalar(_ value: Value, blockIndent: Int) {
    switch value {
    case .null: out += "null\n"
    case .bool(let b): out += b ? "true\n" : "false\n"
    case .int(let i): out += "\(i)\n"
    case .double(let d): out += Self.floatText(d) + "\n"
    case .map: out += "{}\n"
    case .list: out += "[]\n"
    case .string(let s):
      if s.contains("\n"), Self.literalAllowed(s) {
        literal(s, indent: blockIndent)
      } else {
        out += Self.scalarText(s) + "\n"
      }
    }
  }

  /// go-yaml v3's float text: Go's `%g` shortest, and `.inf`/`-.inf`/`.nan`.
  static func floatText(_ d: Double) -> String {
    if d.isNaN { return ".nan" }
    if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
    return ShortestDecimal(d).generalForm
  }

  private mutating func literal(_ s: String, indent: Int) {
    var lines = s.split(separator: "\n", omittingEmptySubsequences: false)
    // The text after the last line break is the final line ("" when the string ends with one).
    let trailingBreaks = s.reversed().prefix { $0 == "\n" }.count
    out += trailingBreaks == 0 ? "|-\n" : trailingBreaks == 1 ? "|\n" : "|+\n"
    if lines.last == "" { lines.removeLast() }
    let pad = String(repeating: " ", count: indent)
    for line in lines {
      out += line.isEmpty ? "\n" : pad + line + "\n"
    }
  }

  /// Whether libyaml may write `s` as a literal block: only printable characters, no
  /// space before a line break, no trailing space, and (our restriction) no leading space
  /// or break, which would need an indentation indicator.
  private static func literalAllowed(_ s: String) -> Bool {
    guard !s.unicodeScalars.contains(where: { !isPrintable($0) && $0 != "\n" }) else { return false }
    guard !s.contains(" \n"), !s.hasSuffix(" "), !s.hasPrefix(" "), !s.hasPrefix("\n") else { return false }
    return true
  }

  /// A single-line scalar's text: plain, single-quoted or double-quoted as go-yaml v3 picks.
  static func scalarText(_ s: String) -> String {
    if s.isEmpty || s.unicodeScalars.contains(where: { !isPrintable($0) }) || s.contains("\n") { return doubleQuoted(s) }
    if plainAllowed(s) { return readsAsOtherType(s) ? doubleQuoted(s) : s }
    return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// libyaml's printable set (its emitter escapes everything else).
  private static func isPrintable(_ c: Unicode.Scalar) -> Bool {
    switch c.value {
    case 0x0A, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0x10000...0x10FFFF: true
    case 0xE000...0xFFFD: c.value != 0xFEFF
    default: false
    }
  }

  /// Whether a YAML reader takes the plain text for something other than this string:
  /// YAML 1.1 types (go-yaml v3 also quotes the old booleans `yes`/`on`/`y`), base-60
  /// numbers and timestamps.
  private static func readsAsOtherType(_ s: String) -> Bool {
    if s.wholeMatch(of: /[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?/) != nil { return true }
    if s.prefixMatch(of: /[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ]|$)/) != nil { return true }
    guard let parsed = try? YAML.parse("k: " + s) else { return true }
    return parsed["k"] != .string(s)
  }

  /// libyaml's rule for plain scalars in block context.
  private static func plainAllowed(_ s: String) -> Bool {
    let scalars = Array(s.unicodeScalars)
    guard let first = scalars.first, let last = scalars.last else { return false }
    if first == " " || last == " " { return false }
    if s.hasPrefix("---") || s.hasPrefix("...") { return false }
    let followedByBlank = scalars.count == 1 || scalars[1] == " "
    if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
    if "-?:".unicodeScalars.contains(first), followedByBlank { return false }
    for index in scalars.indices.dropFirst() {
      let c = scalars[index]
      let next = index + 1 < scalars.count ? scalars[index + 1] : " "
      if c == ":" && next == " " { return false }
      if c == "#" && scalars[index - 1] == " " { return false }
    }
    return true
  }

  /// libyaml's double-quoted form: `\` escapes for breaks, quotes, backslashes and
  /// characters outside its printable set.
  static func doubleQuoted(_ s: String) -> String {
    var text = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\0": text += "\\0"
      case "\u{07}": text += "\\a"
      case "\u{08}": text += "\\b"
      case "\t": text += "\\t"
      case "\n": text += "\\n"
      case "\u{0B}": text += "\\v"
      case "\u{0C}": text += "\\f"
      case "\r": text += "\\r"
      case "\u{1B}": text += "\\e"
      case "\"": text += "\\\""
      case "\\": text += "\\\\"
      case "\u{85}": text += "\\N"
      case "\u{2028}": text += "\\L"
      case "\u{2029}": text += "\\P"
      default:
        if isPrintable(c) {
          text.unicodeScalars.append(c)
        } else {
          let hex = String(c.value, radix: 16, uppercase: true)
          let (marker, width) = c.value <= 0xFF ? ("x", 2) : c.value <= 0xFFFF ? ("u", 4) : ("U", 8)
          text += "\\" + marker + String(repeating: "0", count: width - hex.count) + hex
        }
      }
    }
    return text + "\""
  }
}
