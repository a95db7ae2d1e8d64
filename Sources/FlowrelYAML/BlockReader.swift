import FlowrelValue
import OrderedCollections

/// Reads the plain shape of YAML that templates and tools write (block maps and lists,
/// one-line scalars, quoted strings, one-line JSON-style flow collections, `|` blocks,
/// comments) straight from the bytes, in about a third of the instructions that reading
/// libyaml's events takes. It gives
/// up (`nil`) on anything else, and on anything that might be an error, so the libyaml
/// reader decides those and reports their errors; where it answers, the answer is the value
/// libyaml's reader gives (`BlockReaderTests` compares the two).
///
/// Given up on: bytes other than printable ASCII and line feeds (tabs, CR, UTF-8), anchors,
/// aliases, tags, `<<`, directives, `...`, `?` keys, duplicate keys, plain scalars over
/// several lines, quoted or flow scalars over several lines, `>` and `|+` blocks and
/// indentation indicators, whitespace-only lines near `|` blocks, `- -` and `-` alone on a line,
/// scalars at the top level, and nesting deeper than `maximumDepth`.
struct BlockReader {
  /// The deepest nesting read here. The reader recurses (one call per level), so it stays
  /// far below what a thread's stack holds; deeper documents go to libyaml's reader, which
  /// keeps its open collections on the heap.
  static let maximumDepth = 64

  private let bytes: UnsafeBufferPointer<UInt8>
  /// The start of the line being read.
  private var line = 0
  private var depth = 0

  /// The value of the one document in `bytes`, or `nil` when the libyaml reader must decide.
  static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> Value? {
    for byte in bytes where (byte < 0x20 && byte != newline) || byte >= 0x7F { return nil }
    var reader = BlockReader(bytes: bytes)
    return reader.document()
  }

  private init(bytes: UnsafeBufferPointer<UInt8>) {
    self.bytes = bytes
  }

  private static let newline = UInt8(ascii: "\n")
  private static let space = UInt8(ascii: " ")

  // MARK: Lines

  private func byte(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : Self.newline }

  private func lineEnd(from i: Int) -> Int {
    var i = i
    while i < bytes.count, bytes[i] != Self.newline { i += 1 }
    return i
  }

  private func nextLine(after i: Int) -> Int { min(lineEnd(from: i) + 1, bytes.count) }

  /// Skips blank, whitespace-only and comment lines; the indentation of the next content
  /// line, or `nil` at the end. (Whitespace-only lines matter only in `|` blocks: see `literal`.)
  private mutating func nextContent() -> Int? {
    while line < bytes.count {
      var i = line
      while byte(i) == Self.space { i += 1 }
      if i >= bytes.count { line = bytes.count; return nil }
      if bytes[i] == Self.newline || bytes[i] == UInt8(ascii: "#") {
        line = nextLine(after: i)
        continue
      }
      return i - line
    }
    return nil
  }

  /// Whether only spaces and maybe a comment are left on the line from `i`; if so, `i` moves
  /// past the line.
  private mutating func lineIsDone(from i: inout Int) -> Bool {
    let start = i
    while byte(i) == Self.space { i += 1 }
    if byte(i) == UInt8(ascii: "#") {
      guard i > start else { return false }
      i = lineEnd(from: i)
    }
    guard byte(i) == Self.newline else { return false }
    i = min(i + 1, bytes.count)
    return true
  }

  // MARK: Document and collections

  private mutating func document() -> Value? {
    var i = 0
    // The document's own `---` (alone or with a comment).
    if bytes.count >= 3, bytes[0] == UInt8(ascii: "-"), bytes[1] == UInt8(ascii: "-"), bytes[2] == UInt8(ascii: "-") {
      i = 3
      guard byte(i) == Self.newline || byte(i) == Self.space, lineIsDone(from: &i) else { return nil }
    }
    line = i
    guard let indent = nextContent() else { return .null }
    guard let value = collection(indent: indent) else { return nil }
    // Anything left must be blank or comments (a less indented line is an error for libyaml).
    guard nextContent() == nil else { return nil }
    return value
  }

  /// The block map or list whose first line is `line`, indented `indent`.
  private mutating func collection(indent: Int) -> Value? {
    let start = line + indent
    if bytes[start] == UInt8(ascii: "-"), byte(start + 1) == Self.space {
      return list(indent: indent)
    }
    guard byte(start) != UInt8(ascii: "-") || byte(start + 1) != Self.newline else { return nil }
    return map(indent: indent, firstKey: start)
  }

  private mutating func nested<T>(_ body: (inout BlockReader) -> T?) -> T? {
    guard depth < Self.maximumDepth else { return nil }
    depth += 1
    defer { depth -= 1 }
    return body(&self)
  }

  /// A block list whose items start at `indent`.
  private mutating func list(indent: Int) -> Value? {
    nested { reader in
      var items: [Value] = []
      while true {
        let dash = reader.line + indent
        var i = dash + 1
        while reader.byte(i) == Self.space { i += 1 }
        // `- -`, or `-` with its value on the next lines: rare, left to libyaml.
        guard reader.byte(i) != Self.newline, reader.byte(i) != UInt8(ascii: "#") else { return nil }
        if reader.byte(i) == UInt8(ascii: "-"), reader.byte(i + 1) == Self.space { return nil }
        let item: Value?
        if reader.startsMapEntry(at: i) {
          item = reader.map(indent: i - reader.line, firstKey: i)
        } else {
          item = reader.inlineValue(at: i, parentIndent: indent)
        }
        guard let item else { return nil }
        items.append(item)
        guard let next = reader.nextContent() else { break }
        if next > indent { return nil }
        guard next == indent, reader.bytes[reader.line + indent] == UInt8(ascii: "-"),
          reader.byte(reader.line + indent + 1) == Self.space
        else { break }
      }
      return .list(items)
    }
  }

  /// A block map whose keys start at `indent`; its first key is at `firstKey`, which may be
  /// after a list's `- ` on the same line.
  private mutating func map(indent: Int, firstKey: Int) -> Value? {
    nested { reader in
      var entries = OrderedDictionary<String, Value>()
      var keyStart = firstKey
      while true {
        guard let (key, afterColon) = reader.key(at: keyStart) else { return nil }
        var i = afterColon
        let value: Value
        if reader.lineIsDone(from: &i) {
          // The value is on the next lines: a more indented collection, a list at the key's
          // own indentation, or nothing (null).
          reader.line = i
          if let next = reader.nextContent(), next > indent
            || (next == indent && reader.bytes[reader.line + next] == UInt8(ascii: "-")
              && reader.byte(reader.line + next + 1) == Self.space)
          {
            guard let nested = reader.collection(indent: next) else { return nil }
            value = nested
          } else {
            value = .null
          }
        } else {
          guard let inline = reader.inlineValue(at: i, parentIndent: indent) else { return nil }
          value = inline
        }
        // A repeated key is an error for libyaml to report.
        guard entries.updateValue(value, forKey: key) == nil else { return nil }
        guard let next = reader.nextContent() else { break }
        if next > indent { return nil }
        guard next == indent else { break }
        keyStart = reader.line + indent
        // A list item at a map's indentation ends a map that is a list's value.
        if reader.bytes[keyStart] == UInt8(ascii: "-"), reader.byte(keyStart + 1) == Self.space { break }
      }
      return .map(entries)
    }
  }

  // MARK: Keys

  /// Whether a map entry (`key:` followed by a space or the line's end) starts at `i`.
  private func startsMapEntry(at i: Int) -> Bool { key(at: i) != nil }

  /// The key at `i` as the map stores it, and the position after its `:` (which is followed
  /// by a space or the line's end).
  private func key(at i: Int) -> (String, Int)? {
    let first = byte(i)
    let text: String
    var end: Int
    if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
      guard let (quoted, after) = quotedScalar(at: i) else { return nil }
      text = quoted
      end = after
      guard byte(end) == UInt8(ascii: ":") else { return nil }
    } else {
      guard !Self.startsSpecially(first, next: byte(i + 1)), !isDocumentMarker(at: i) else { return nil }
      end = i
      while true {
        let c = byte(end)
        if c == Self.newline { return nil }
        if c == UInt8(ascii: ":"), byte(end + 1) == Self.space || byte(end + 1) == Self.newline { break }
        if c == UInt8(ascii: "#"), bytes[end - 1] == Self.space { return nil }
        end += 1
      }
      guard bytes[end - 1] != Self.space else { return nil }
      let plain = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<end]), as: UTF8.self)
      guard plain != "<<", let key = ScalarResolver.keyString(ScalarResolver.resolvePlain(plain).value) else { return nil }
      text = key
    }
    end += 1
    guard byte(end) == Self.space || byte(end) == Self.newline else { return nil }
    return (text, end)
  }

  /// Whether `---` or `...` starts a line at `i`, followed by a space or the line's end: the
  /// end of this document, which `YAML.parse` refuses and libyaml reports.
  private func isDocumentMarker(at i: Int) -> Bool {
    guard i == 0 || bytes[i - 1] == Self.newline, i + 3 <= bytes.count else { return false }
    let c = bytes[i]
    guard c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else { return false }
    return bytes[i + 1] == c && bytes[i + 2] == c && (byte(i + 3) == Self.space || byte(i + 3) == Self.newline)
  }

  /// Whether a plain scalar cannot start with `first` (followed by `next`): YAML's indicators.
  private static func startsSpecially(_ first: UInt8, next: UInt8) -> Bool {
    switch first {
    case UInt8(ascii: "-"):
      return next == space || next == newline
    case UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
      UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"),
      UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""),
      UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), space:
      return true
    default:
      return false
    }
  }

  // MARK: Scalars and flow collections

  /// The value that starts at `i` and ends its line (a map entry's or list item's), in a
  /// collection indented `parentIndent`; `line` moves to the next line.
  private mutating func inlineValue(at i: Int, parentIndent: Int) -> Value? {
    let first = byte(i)
    var end = i
    let value: Value
    switch first {
    case UInt8(ascii: "\""), UInt8(ascii: "'"):
      guard let (text, after) = quotedScalar(at: i) else { return nil }
      value = .string(text)
      end = after
    case UInt8(ascii: "["), UInt8(ascii: "{"):
      guard let (flow, after) = nested({ $0.flowCollection(at: i) }) else { return nil }
      value = flow
      end = after
    case UInt8(ascii: "|"):
      return literal(at: i, parentIndent: parentIndent)
    default:
      guard !Self.startsSpecially(first, next: byte(i + 1)) else { return nil }
      var last = i  // the end of the text without trailing spaces
      while true {
        let c = byte(end)
        if c == Self.newline { break }
        if c == UInt8(ascii: ":"), byte(end + 1) == Self.space || byte(end + 1) == Self.newline { return nil }
        if c == UInt8(ascii: "#"), bytes[end - 1] == Self.space { break }
        end += 1
        if c != Self.space { last = end }
      }
      let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<last]), as: UTF8.self)
      value = ScalarResolver.resolvePlain(text).value
      end = last
    }
    guard lineIsDone(from: &end) else { return nil }
    line = end
    return value
  }

  /// A one-line quoted scalar at `i`: its text and the position after its closing quote.
  private func quotedScalar(at i: Int) -> (String, Int)? {
    let quote = bytes[i]
    var text: [UInt8] = []
    var j = i + 1
    while true {
      let c = byte(j)
      if c == Self.newline { return nil }
      if c == quote {
        if quote == UInt8(ascii: "'"), byte(j + 1) == quote {
          text.append(quote)
          j += 2
          continue
        }
        break
      }
      if c == UInt8(ascii: "\\"), quote == UInt8(ascii: "\"") {
        guard let (escaped, after) = escape(at: j) else { return nil }
        text.append(contentsOf: escaped)
        j = after
        continue
      }
      text.append(c)
      j += 1
    }
    return (String(decoding: text, as: UTF8.self), j + 1)
  }

  /// The UTF-8 of the escape sequence at `i` (a backslash) and the position after it; the
  /// escapes JSON writers use, other ones are left to libyaml.
  private func escape(at i: Int) -> ([UInt8], Int)? {
    switch byte(i + 1) {
    case UInt8(ascii: "\\"): return ([UInt8(ascii: "\\")], i + 2)
    case UInt8(ascii: "\""): return ([UInt8(ascii: "\"")], i + 2)
    case UInt8(ascii: "/"): return ([UInt8(ascii: "/")], i + 2)
    case UInt8(ascii: "n"): return ([Self.newline], i + 2)
    case UInt8(ascii: "t"): return ([0x09], i + 2)
    case UInt8(ascii: "r"): return ([0x0D], i + 2)
    case UInt8(ascii: "u"):
      var code: UInt32 = 0
      for k in 2..<6 {
        guard let digit = GoStrconv.digitValue(byte(i + k)), digit < 16 else { return nil }
        code = code << 4 | UInt32(digit)
      }
      guard let scalar = Unicode.Scalar(code), code != 0 else { return nil }
      return (Array(String(Character(scalar)).utf8), i + 6)
    default:
      return nil
    }
  }

  /// A one-line flow list or map at `i` and the position after its closing bracket.
  private mutating func flowCollection(at i: Int) -> (Value, Int)? {
    let isMap = bytes[i] == UInt8(ascii: "{")
    let close = isMap ? UInt8(ascii: "}") : UInt8(ascii: "]")
    var items: [Value] = []
    var entries = OrderedDictionary<String, Value>()
    var j = i + 1
    skipSpaces(&j)
    if byte(j) == close { return (isMap ? .map(entries) : .list(items), j + 1) }
    while true {
      if isMap {
        guard let (key, afterKey) = flowNode(at: j, inKey: true), case .string(let text) = key else { return nil }
        j = afterKey
        skipSpaces(&j)
        guard byte(j) == UInt8(ascii: ":") else { return nil }
        j += 1
        skipSpaces(&j)
        guard let (value, afterValue) = flowNode(at: j, inKey: false) else { return nil }
        guard entries.updateValue(value, forKey: text) == nil else { return nil }
        j = afterValue
      } else {
        guard let (item, after) = flowNode(at: j, inKey: false) else { return nil }
        items.append(item)
        j = after
      }
      skipSpaces(&j)
      if byte(j) == close { return (isMap ? .map(entries) : .list(items), j + 1) }
      guard byte(j) == UInt8(ascii: ",") else { return nil }
      j += 1
      skipSpaces(&j)
    }
  }

  private func skipSpaces(_ j: inout Int) {
    while byte(j) == Self.space { j += 1 }
  }

  /// One node inside a flow collection; a key comes back as its string form.
  private mutating func flowNode(at j: Int, inKey: Bool) -> (Value, Int)? {
    let first = byte(j)
    if first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") {
      guard let (text, after) = quotedScalar(at: j) else { return nil }
      return (.string(text), after)
    }
    if !inKey, first == UInt8(ascii: "[") || first == UInt8(ascii: "{") {
      return nested { $0.flowCollection(at: j) }
    }
    guard !Self.startsSpecially(first, next: byte(j + 1)) else { return nil }
    var end = j
    while true {
      let c = byte(end)
      if c == Self.newline || c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}")
        || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") || c == UInt8(ascii: "#") || c == UInt8(ascii: "\"")
        || c == UInt8(ascii: "'") || c == Self.space
      {
        break
      }
      // `a:b` is one plain scalar in YAML but not in every reader: left to libyaml.
      if c == UInt8(ascii: ":") {
        guard inKey, byte(end + 1) == Self.space else { return nil }
        break
      }
      end += 1
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[j..<end]), as: UTF8.self)
    let resolved = ScalarResolver.resolvePlain(text).value
    guard inKey else { return (resolved, end) }
    guard text != "<<", let key = ScalarResolver.keyString(resolved) else { return nil }
    return (.string(key), end)
  }

  /// A `|` or `|-` block scalar whose indicator is at `i`, in a collection indented
  /// `parentIndent`; `line` moves past it.
  private mutating func literal(at i: Int, parentIndent: Int) -> Value? {
    var j = i + 1
    let strip = byte(j) == UInt8(ascii: "-")
    if strip { j += 1 }
    guard byte(j) == Self.space || byte(j) == Self.newline, lineIsDone(from: &j) else { return nil }
    // Content lines are those indented like the first one; empty lines (no spaces at all)
    // are line breaks; the first less indented line ends the block.
    var contentIndent: Int? = nil
    var lines: [Range<Int>] = []
    var trailingEmpty = 0
    while j < bytes.count {
      var k = j
      while byte(k) == Self.space { k += 1 }
      let indent = k - j
      let end = lineEnd(from: j)
      if k == end {
        // An empty line; one with spaces is left to libyaml.
        guard indent == 0 else { return nil }
        lines.append(j..<j)
        trailingEmpty += 1
        j = nextLine(after: j)
        continue
      }
      let blockIndent = contentIndent ?? indent
      if indent < blockIndent || indent <= parentIndent { break }
      contentIndent = blockIndent
      lines.append(j + blockIndent..<end)
      trailingEmpty = 0
      j = nextLine(after: j)
    }
    guard contentIndent != nil else {
      // No content: the value is empty.
      line = j
      return .string("")
    }
    // A line between the parent's and the block's indentation is an error for libyaml.
    if j < bytes.count {
      var k = j
      while byte(k) == Self.space { k += 1 }
      if k - j > parentIndent { return nil }
    }
    var text: [UInt8] = []
    for range in lines.dropLast(trailingEmpty) {
      text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
      // The last line of the input may have no line break, and then the value has none.
      if range.upperBound < bytes.count { text.append(Self.newline) }
    }
    if strip, !text.isEmpty { text.removeLast() }
    line = j
    return .string(String(decoding: text, as: UTF8.self))
  }
}
