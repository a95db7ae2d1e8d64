// The layout half of go-yaml's emitter (libyaml's, as go-yaml v2 and v3 port it): where
// indicators, spaces and line breaks go, which scalar style the text allows, where long
// lines fold (v2 folds after column 80, v3 never), and v3's changed indentation (lists
// indented under their key, nested blocks aligned to the indent).

/// What go-yaml's emitter learns of a scalar's text before choosing its style.
struct GoYAMLScalarAnalysis {
  var multiline = false
  var blockPlainAllowed = true
  var flowPlainAllowed = true
  var singleQuotedAllowed = true
  var blockAllowed = true

  init(_ value: [UInt8], dialect: GoYAMLDialect) {
    guard !value.isEmpty else {
      flowPlainAllowed = false
      blockAllowed = false
      return
    }
    var blockIndicators = false, flowIndicators = false, lineBreaks = false, special = false, tabs = false
    var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
    var breakSpace = false, spaceBreak = false
    var previousSpace = false, previousBreak = false
    if value.count >= 3, value[0..<3].elementsEqual("---".utf8) || value[0..<3].elementsEqual("...".utf8) {
      blockIndicators = true
      flowIndicators = true
    }
    var precededByWhitespace = true
    var i = 0
    while i < value.count {
      let w = GoYAMLBytes.width(value[i])
      let followedByWhitespace = i + w >= value.count || GoYAMLBytes.isBlank(value, i + w)
      let c = value[i]
      if i == 0 {
        switch c {
        case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
          UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
          UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
          flowIndicators = true
          blockIndicators = true
        case UInt8(ascii: "?"), UInt8(ascii: ":"):
          flowIndicators = true
          if followedByWhitespace { blockIndicators = true }
        case UInt8(ascii: "-"):
          if followedByWhitespace {
            flowIndicators = true
            blockIndicators = true
          }
        default: break
        }
      } else {
        switch c {
        case UInt8(ascii: ","), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
          flowIndicators = true
        case UInt8(ascii: ":"):
          flowIndicators = true
          if followedByWhitespace { blockIndicators = true }
        case UInt8(ascii: "#"):
          if precededByWhitespace {
            flowIndicators = true
            blockIndicators = true
          }
        default: break
        }
      }
      if dialect == .v3 && c == UInt8(ascii: "\t") {
        tabs = true
      } else if !GoYAMLBytes.isPrintable(value, i) {
        special = true
      }
      if c == UInt8(ascii: " ") {
        if i == 0 { leadingSpace = true }
        if i + w == value.count { trailingSpace = true }
        if previousBreak { breakSpace = true }
        previousSpace = true
        previousBreak = false
      } else if GoYAMLBytes.isBreak(value, i) {
        lineBreaks = true
        if i == 0 { leadingBreak = true }
        if i + w == value.count { trailingBreak = true }
        if previousSpace { spaceBreak = true }
        previousSpace = false
        previousBreak = true
      } else {
        previousSpace = false
        previousBreak = false
      }
      precededByWhitespace = GoYAMLBytes.isBlankOrBreak(value, i)
      i += w
    }
    multiline = lineBreaks
    if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
      flowPlainAllowed = false
      blockPlainAllowed = false
    }
    if trailingSpace { blockAllowed = false }
    if breakSpace {
      flowPlainAllowed = false
      blockPlainAllowed = false
      singleQuotedAllowed = false
    }
    if spaceBreak || tabs || special {
      flowPlainAllowed = false
      blockPlainAllowed = false
      singleQuotedAllowed = false
    }
    if spaceBreak || special { blockAllowed = false }
    if lineBreaks {
      flowPlainAllowed = false
      blockPlainAllowed = false
    }
    if flowIndicators { flowPlainAllowed = false }
    if blockIndicators { blockPlainAllowed = false }
  }
}

/// libyaml's byte classes over UTF-8 text.
enum GoYAMLBytes {
  static func at(_ b: [UInt8], _ i: Int) -> UInt8 { i < b.count ? b[i] : 0 }

  /// The length of the UTF-8 sequence that starts with `byte`.
  static func width(_ byte: UInt8) -> Int {
    if byte & 0x80 == 0 { return 1 }
    if byte & 0xE0 == 0xC0 { return 2 }
    if byte & 0xF0 == 0xE0 { return 3 }
    if byte & 0xF8 == 0xF0 { return 4 }
    return 1
  }

  /// libyaml's printable set: line feed, ASCII graphics and space, and Unicode from U+00A0
  /// to U+FFFD except surrogates, the byte-order mark and U+FFFE/U+FFFF. Nothing beyond
  /// U+FFFF counts as printable, so emoji are escaped.
  static func isPrintable(_ b: [UInt8], _ i: Int) -> Bool {
    let c = b[i], next = at(b, i + 1), third = at(b, i + 2)
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && next >= 0xA0) || (c > 0xC2 && c < 0xED)
      || (c == 0xED && next < 0xA0) || c == 0xEE
      || (c == 0xEF && !(next == 0xBB && third == 0xBF) && !(next == 0xBF && (third == 0xBE || third == 0xBF)))
  }

  /// CR, LF, NEL, LS or PS.
  static func isBreak(_ b: [UInt8], _ i: Int) -> Bool {
    let c = at(b, i), next = at(b, i + 1), third = at(b, i + 2)
    return c == 0x0D || c == 0x0A || (c == 0xC2 && next == 0x85) || (c == 0xE2 && next == 0x80 && (third == 0xA8 || third == 0xA9))
  }

  static func isBlank(_ b: [UInt8], _ i: Int) -> Bool { at(b, i) == 0x20 || at(b, i) == 0x09 }

  /// Blank, a break, or the end of the text.
  static func isBlankOrBreak(_ b: [UInt8], _ i: Int) -> Bool { i >= b.count || isBlank(b, i) || isBreak(b, i) }
}

/// go-yaml's emitter state for one document, written into `out`.
struct GoYAMLWriter {
  let dialect: GoYAMLDialect
  /// Spaces per nesting level (go-yaml v2 always 2; v3's `SetIndent`).
  let bestIndent: Int
  /// Whether a v3 literal block's header ends with a line break of its own (see `GoYAMLOptions`).
  let literalHeaderBreak: Bool
  /// v2 folds long scalars after column 80; v3's encoder sets no width.
  let bestWidth: Int
  var out: [UInt8] = []
  /// Once `out` is longer, nothing more is written (the caller reports the limit).
  var maximumBytes = Int.max
  var column = 0
  var indent = -1
  var indents: [Int] = []
  var whitespace = true
  var indention = true
  var flowLevel = 0
  var rootContext = false
  var mappingContext = false
  var simpleKeyContext = false

  /// Where the node being written sits: v3 indents the first level inside a list item by
  /// the width of `- ` instead of by the indent.
  enum Parent { case sequenceItem, other }

  init(dialect: GoYAMLDialect, indent: Int, literalHeaderBreak: Bool) {
    self.dialect = dialect
    self.literalHeaderBreak = literalHeaderBreak
    // libyaml's rule: an indent outside 2...9 is taken as 2.
    bestIndent = (2...9).contains(indent) ? indent : 2
    bestWidth = dialect == .v2 ? 80 : Int.max
  }

  /// One implicit document (no `---`), ending with a line break.
  mutating func document(_ node: GoYAMLNode) {
    write(node, root: true, parent: .other)
    writeIndent()
  }

  mutating func write(_ node: GoYAMLNode, root: Bool = false, mapping: Bool = false, simpleKey: Bool = false, parent: Parent) {
    if out.count > maximumBytes { return }
    rootContext = root
    mappingContext = mapping
    simpleKeyContext = simpleKey
    switch node {
    case .scalar(let value): scalar(value, analysis: GoYAMLScalarAnalysis(value.text, dialect: dialect), parent: parent)
    case .sequence(let items) where items.isEmpty: emptyFlow("[", "]", parent: parent)
    case .mapping(let pairs) where pairs.isEmpty: emptyFlow("{", "}", parent: parent)
    case .sequence(let items):
      increaseIndent(flow: false, indentless: dialect == .v2 && mappingContext && !indention, parent: parent)
      for item in items {
        writeIndent()
        writeIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true)
        write(item, parent: .sequenceItem)
      }
      indent = indents.removeLast()
    case .mapping(let pairs):
      increaseIndent(flow: false, indentless: false, parent: parent)
      for pair in pairs {
        writeIndent()
        // A key goes on the line of its `:` when it is one line of at most 128 bytes.
        let analysis = GoYAMLScalarAnalysis(pair.key.text, dialect: dialect)
        let simple = !analysis.multiline && pair.key.text.count <= 128
        if !simple { writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true) }
        rootContext = false
        mappingContext = true
        simpleKeyContext = simple
        scalar(pair.key, analysis: analysis, parent: .other)
        if simple {
          writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
        } else {
          writeIndent()
          writeIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true)
        }
        write(pair.value, mapping: true, parent: .other)
      }
      indent = indents.removeLast()
    }
  }

  /// `[]` or `{}`: go-yaml writes an empty collection in flow style.
  private mutating func emptyFlow(_ open: Character, _ close: Character, parent: Parent) {
    writeIndicator(open, needWhitespace: true, isWhitespace: true, isIndention: false)
    increaseIndent(flow: true, indentless: false, parent: parent)
    indent = indents.removeLast()
    writeIndicator(close, needWhitespace: false, isWhitespace: false, isIndention: false)
  }

  private mutating func scalar(_ value: GoYAMLScalar, analysis: GoYAMLScalarAnalysis, parent: Parent) {
    let text = value.text
    var style = value.style
    if simpleKeyContext && analysis.multiline { style = .doubleQuoted }
    if style == .plain {
      if (flowLevel > 0 && !analysis.flowPlainAllowed) || (flowLevel == 0 && !analysis.blockPlainAllowed) { style = .singleQuoted }
      if text.isEmpty && (flowLevel > 0 || simpleKeyContext) { style = .singleQuoted }
    }
    if style == .singleQuoted && !analysis.singleQuotedAllowed { style = .doubleQuoted }
    if style == .literal && (!analysis.blockAllowed || flowLevel > 0 || simpleKeyContext) { style = .doubleQuoted }
    increaseIndent(flow: true, indentless: false, parent: parent)
    switch style {
    case .plain: writePlain(text, allowBreaks: !simpleKeyContext)
    case .singleQuoted: writeSingleQuoted(text, allowBreaks: !simpleKeyContext)
    case .doubleQuoted: writeDoubleQuoted(text, allowBreaks: !simpleKeyContext)
    case .literal: writeLiteral(text)
    }
    indent = indents.removeLast()
  }

  // MARK: Output primitives

  private mutating func increaseIndent(flow: Bool, indentless: Bool, parent: Parent) {
    indents.append(indent)
    if indent < 0 {
      indent = flow ? bestIndent : 0
    } else if !indentless {
      switch dialect {
      case .v2: indent += bestIndent
      case .v3: indent = parent == .sequenceItem ? indent + 2 : bestIndent * ((indent + bestIndent) / bestIndent)
      }
    }
  }

  private mutating func put(_ byte: UInt8) {
    out.append(byte)
    column += 1
  }

  private mutating func putBreak() {
    out.append(UInt8(ascii: "\n"))
    column = 0
    if dialect == .v3 { indention = true }
  }

  /// Copies the character at `i` and moves past it.
  private mutating func copy(_ value: [UInt8], _ i: inout Int) {
    let w = min(GoYAMLBytes.width(value[i]), value.count - i)
    out.append(contentsOf: value[i..<(i + w)])
    column += 1
    i += w
  }

  /// Copies the line break at `i` (a line feed is written as the emitter's own break).
  private mutating func copyBreak(_ value: [UInt8], _ i: inout Int) {
    if value[i] == UInt8(ascii: "\n") {
      putBreak()
      i += 1
    } else {
      copy(value, &i)
      column = 0
      if dialect == .v3 { indention = true }
    }
  }

  private mutating func writeIndent() {
    let target = max(indent, 0)
    if !indention || column > target || (column == target && !whitespace) { putBreak() }
    while column < target { put(UInt8(ascii: " ")) }
    whitespace = true
    if dialect == .v2 { indention = true }
  }

  private mutating func writeIndicator(_ indicator: Character, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
    if needWhitespace && !whitespace { put(UInt8(ascii: " ")) }
    for byte in indicator.utf8 { out.append(byte) }
    column += 1
    whitespace = isWhitespace
    indention = indention && isIndention
  }

  // MARK: Scalar styles

  private mutating func writePlain(_ value: [UInt8], allowBreaks: Bool) {
    if !whitespace && (dialect == .v2 || !value.isEmpty) { put(UInt8(ascii: " ")) }
    writeFoldable(value, allowBreaks: allowBreaks, singleQuoted: false)
    if dialect == .v2 || !value.isEmpty { whitespace = false }
    indention = false
  }

  private mutating func writeSingleQuoted(_ value: [UInt8], allowBreaks: Bool) {
    writeIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false)
    writeFoldable(value, allowBreaks: allowBreaks, singleQuoted: true)
    writeIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false)
    whitespace = false
    indention = false
  }

  /// The text of a plain or single-quoted scalar: a space past the width may become a line
  /// break (in quotes, not the first or last character), the first break of a run is doubled
  /// (YAML folds one break into a space), and in quotes `'` is doubled.
  private mutating func writeFoldable(_ value: [UInt8], allowBreaks: Bool, singleQuoted: Bool) {
    var spaces = false, breaks = false
    var i = 0
    while i < value.count {
      if value[i] == UInt8(ascii: " ") {
        let inside = !singleQuoted || (i > 0 && i < value.count - 1)
        if allowBreaks && !spaces && column > bestWidth && inside && GoYAMLBytes.at(value, i + 1) != UInt8(ascii: " ") {
          writeIndent()
          i += 1
        } else {
          copy(value, &i)
        }
        spaces = true
      } else if GoYAMLBytes.isBreak(value, i) {
        if !breaks && value[i] == UInt8(ascii: "\n") { putBreak() }
        copyBreak(value, &i)
        if dialect == .v2 { indention = true }
        breaks = true
      } else {
        if breaks { writeIndent() }
        if singleQuoted && value[i] == UInt8(ascii: "'") { put(UInt8(ascii: "'")) }
        copy(value, &i)
        indention = false
        spaces = false
        breaks = false
      }
    }
  }

  private mutating func writeDoubleQuoted(_ value: [UInt8], allowBreaks: Bool) {
    writeIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false)
    // libyaml tests for a byte-order mark at the start of the text, not at each character:
    // text that starts with one has every character escaped.
    let startsWithBOM = value.count >= 3 && value[0] == 0xEF && value[1] == 0xBB && value[2] == 0xBF
    var spaces = false
    var i = 0
    while i < value.count {
      let c = value[i]
      if !GoYAMLBytes.isPrintable(value, i) || startsWithBOM || GoYAMLBytes.isBreak(value, i) || c == UInt8(ascii: "\"")
        || c == UInt8(ascii: "\\")
      {
        let w = min(GoYAMLBytes.width(c), value.count - i)
        var scalar = UInt32(w == 1 ? c & 0x7F : w == 2 ? c & 0x1F : w == 3 ? c & 0x0F : c & 0x07)
        for k in 1..<max(w, 1) { scalar = (scalar << 6) + UInt32(value[i + k] & 0x3F) }
        i += w
        put(UInt8(ascii: "\\"))
        escape(scalar)
        spaces = false
      } else if c == UInt8(ascii: " ") {
        if allowBreaks && !spaces && column > bestWidth && i > 0 && i < value.count - 1 {
          writeIndent()
          if value[i + 1] == UInt8(ascii: " ") { put(UInt8(ascii: "\\")) }
          i += 1
        } else {
          copy(value, &i)
        }
        spaces = true
      } else {
        copy(value, &i)
        spaces = false
      }
    }
    writeIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false)
    whitespace = false
    indention = false
  }

  /// The characters with a one-letter escape in a double-quoted scalar.
  private static let shortEscapes: [UInt32: Character] = [
    0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f", 0x0D: "r", 0x1B: "e", 0x22: "\"",
    0x5C: "\\", 0x85: "N", 0xA0: "_", 0x2028: "L", 0x2029: "P",
  ]

  /// The escape after `\` for a character of a double-quoted scalar.
  private mutating func escape(_ scalar: UInt32) {
    if let letter = Self.shortEscapes[scalar], let byte = letter.asciiValue {
      put(byte)
      return
    }
    let (letter, digits): (UInt8, Int) =
      scalar <= 0xFF ? (UInt8(ascii: "x"), 2) : scalar <= 0xFFFF ? (UInt8(ascii: "u"), 4) : (UInt8(ascii: "U"), 8)
    put(letter)
    for k in stride(from: (digits - 1) * 4, through: 0, by: -4) {
      let digit = UInt8((scalar >> UInt32(k)) & 0x0F)
      put(digit < 10 ? digit + UInt8(ascii: "0") : digit - 10 + UInt8(ascii: "A"))
    }
  }

  private mutating func writeLiteral(_ value: [UInt8]) {
    writeIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false)
    // An indentation hint when the text starts with a space or a break, then the chomping:
    // `-` without a final break, `+` with more than one, none with exactly one.
    if GoYAMLBytes.at(value, 0) == UInt8(ascii: " ") || GoYAMLBytes.isBreak(value, 0) {
      writeIndicator(Character(String(bestIndent)), needWhitespace: false, isWhitespace: false, isIndention: false)
    }
    var chomp: Character?
    if value.isEmpty {
      chomp = "-"
    } else {
      var i = value.count - 1
      while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
      if !GoYAMLBytes.isBreak(value, i) {
        chomp = "-"
      } else if i == 0 {
        chomp = "+"
      } else {
        i -= 1
        while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
        if GoYAMLBytes.isBreak(value, i) { chomp = "+" }
      }
    }
    if let chomp { writeIndicator(chomp, needWhitespace: false, isWhitespace: false, isIndention: false) }
    // The header ends with its own line break in v2 and in go.yaml.in's v3; gopkg.in/yaml.v3
    // 3.0.1 lets the text's first break end it, so a leading break shows as no blank line.
    if dialect == .v2 || literalHeaderBreak {
      putBreak()
      indention = true
    }
    whitespace = true
    var breaks = true
    var i = 0
    while i < value.count {
      if GoYAMLBytes.isBreak(value, i) {
        copyBreak(value, &i)
        if dialect == .v2 { indention = true }
        breaks = true
      } else {
        if breaks { writeIndent() }
        copy(value, &i)
        indention = false
        breaks = false
      }
    }
  }
}
