/// The kinds of tokens of Go's template lexer.
enum TokenKind: UInt8 {
  case text, leftDelim, rightDelim, space, identifier, field, variable, dot, bool, number
  case charConstant, complex, string, rawString, pipe, leftParen, rightParen, assign, declare
  case char, error, eof
  // Keywords.
  case block, `break`, `continue`, define, `else`, end, `if`, `nil`, range, template, with

  var isKeyword: Bool { rawValue >= TokenKind.block.rawValue }
}

/// One token: a byte range of the template text and the line it starts on. (Plain data, so
/// that the parser copies tokens without reference counting; the one error token's message
/// is kept by the lexer.)
struct Token {
  var kind: TokenKind
  var start: Int
  var end: Int
  var line: Int
}

/// Splits template text into tokens the way Go's `text/template/parse` lexer does, including
/// trim markers (`{{- ` and ` -}}`) and comments, which never reach the parser.
struct Lexer {
  let bytes: [UInt8]
  let breakIsKeyword: Bool
  let continueIsKeyword: Bool
  var tokens: [Token] = []
  /// The message of the error token, which ends `tokens` when there is one.
  var errorMessage = ""
  var pos = 0
  var start = 0
  var line = 1
  var startLine = 1
  var parenDepth = 0

  static let right: [UInt8] = Array("}}".utf8)

  init(_ bytes: [UInt8], breakIsKeyword: Bool, continueIsKeyword: Bool) {
    self.bytes = bytes
    self.breakIsKeyword = breakIsKeyword
    self.continueIsKeyword = continueIsKeyword
  }

  /// All tokens, ending with `eof` or an `error` token, and that error's message.
  static func tokenize(_ bytes: [UInt8], breakIsKeyword: Bool, continueIsKeyword: Bool) -> (tokens: [Token], error: String) {
    var lexer = Lexer(bytes, breakIsKeyword: breakIsKeyword, continueIsKeyword: continueIsKeyword)
    lexer.run()
    return (lexer.tokens, lexer.errorMessage)
  }

  func byte(_ at: Int) -> UInt8? { at < bytes.count ? bytes[at] : nil }

  func hasPrefix(_ prefix: [UInt8], at: Int) -> Bool {
    guard at + prefix.count <= bytes.count else { return false }
    for i in 0..<prefix.count where bytes[at + i] != prefix[i] { return false }
    return true
  }

  static func isSpace(_ b: UInt8?) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

  func hasLeftTrimMarker(_ at: Int) -> Bool { byte(at) == UInt8(ascii: "-") && Lexer.isSpace(byte(at + 1)) }
  func hasRightTrimMarker(_ at: Int) -> Bool { Lexer.isSpace(byte(at)) && byte(at + 1) == UInt8(ascii: "-") }

  mutating func countLines(_ from: Int, _ to: Int) {
    var i = from
    while i < to {
      if bytes[i] == 0x0A { line += 1 }
      i += 1
    }
  }

  mutating func emit(_ kind: TokenKind) {
    tokens.append(Token(kind: kind, start: start, end: pos, line: startLine))
    countLines(start, pos)
    start = pos
    startLine = line
  }

  mutating func ignore() {
    countLines(start, pos)
    start = pos
    startLine = line
  }

  mutating func fail(_ message: String) {
    tokens.append(Token(kind: .error, start: start, end: pos, line: startLine))
    errorMessage = message
  }

  mutating func run() {
    while true {
      // Text up to the next "{{".
      var found = -1
      var i = pos
      while i + 1 < bytes.count {
        if bytes[i] == UInt8(ascii: "{") && bytes[i + 1] == UInt8(ascii: "{") { found = i; break }
        i += 1
      }
      if found < 0 {
        pos = bytes.count
        if pos > start { emit(.text) }
        emit(.eof)
        return
      }
      pos = found
      var trim = 0
      if hasLeftTrimMarker(found + 2) {
        var j = found
        while j > start && Lexer.isSpace(bytes[j - 1]) { j -= 1 }
        trim = found - j
      }
      pos -= trim
      if pos > start { emit(.text) }
      pos += trim
      ignore()
      if !lexAction() { return }
    }
  }

  /// Lexes from a left delimiter to the end of its action (or comment); false on error.
  mutating func lexAction() -> Bool {
    pos += 2
    let trimLeft = hasLeftTrimMarker(pos)
    let afterMarker = trimLeft ? 2 : 0
    if byte(pos + afterMarker) == UInt8(ascii: "/") && byte(pos + afterMarker + 1) == UInt8(ascii: "*") {
      pos += afterMarker
      ignore()
      return lexComment()
    }
    emit(.leftDelim)
    pos += afterMarker
    ignore()
    parenDepth = 0
    return lexInsideAction()
  }

  func atRightDelim() -> (delim: Bool, trim: Bool) {
    if hasRightTrimMarker(pos) && hasPrefix(Lexer.right, at: pos + 2) { return (true, true) }
    if hasPrefix(Lexer.right, at: pos) { return (true, false) }
    return (false, false)
  }

  mutating func lexComment() -> Bool {
    pos += 2
    var i = pos
    var end = -1
    while i + 1 < bytes.count {
      if bytes[i] == UInt8(ascii: "*") && bytes[i + 1] == UInt8(ascii: "/") { end = i; break }
      i += 1
    }
    if end < 0 { fail("unclosed comment"); return false }
    pos = end + 2
    let (delim, trim) = atRightDelim()
    if !delim { fail("comment ends before closing delimiter"); return false }
    if trim { pos += 2 }
    pos += 2
    if trim { while Lexer.isSpace(byte(pos)) { pos += 1 } }
    ignore()
    return true
  }

  mutating func lexRightDelim() {
    let trim = hasRightTrimMarker(pos)
    if trim {
      pos += 2
      ignore()
    }
    pos += 2
    emit(.rightDelim)
    if trim {
      while Lexer.isSpace(byte(pos)) { pos += 1 }
      ignore()
    }
  }

  /// Decodes the scalar at `at` (for identifiers and error messages), with its length.
  func scalar(at: Int) -> (Unicode.Scalar, Int)? {
    guard at < bytes.count else { return nil }
    let b = bytes[at]
    if b < 0x80 { return (Unicode.Scalar(b), 1) }
    var iterator = bytes[at...].makeIterator()
    var decoder = UTF8()
    if case .scalarValue(let s) = decoder.decode(&iterator) { return (s, s.utf8.count) }
    return (Unicode.Scalar("\u{FFFD}"), 1)
  }

  static func isAlphaNumeric(_ s: Unicode.Scalar) -> Bool {
    if s.isASCII {
      let b = UInt8(s.value)
      return b == UInt8(ascii: "_") || (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }
    return s.properties.isAlphabetic || s.properties.numericType == .decimal
  }

  func isAlphaNumeric(at: Int) -> Bool {
    guard let (s, _) = scalar(at: at) else { return false }
    return Lexer.isAlphaNumeric(s)
  }

  func atTerminator() -> Bool {
    guard let b = byte(pos) else { return true }
    if Lexer.isSpace(b) { return true }
    switch b {
    case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"),
      UInt8(ascii: "("):
      return true
    default: return hasPrefix(Lexer.right, at: pos)
    }
  }

  /// Go's `%#U` of the scalar at `at`: `U+0021 '!'`.
  func describeScalar(at: Int) -> String {
    guard let (s, _) = scalar(at: at) else { return "U+FFFFFFFFFFFFFFFF" }
    return GoFormat.unicodeNotation(s)
  }

  mutating func lexInsideAction() -> Bool {
    while true {
      let (delim, _) = atRightDelim()
      if delim {
        if parenDepth == 0 {
          lexRightDelim()
          return true
        }
        fail("unclosed left paren")
        return false
      }
      guard let b = byte(pos) else { fail("unclosed action"); return false }
      if Lexer.isSpace(b) {
        // A run of spaces; careful with " -}}", whose space belongs to the delimiter.
        var count = 0
        while Lexer.isSpace(byte(pos)) { pos += 1; count += 1 }
        if hasRightTrimMarker(pos - 1) && hasPrefix(Lexer.right, at: pos + 1) {
          pos -= 1
          if count == 1 { lexRightDelim(); return true }
        }
        emit(.space)
        continue
      }
      pos += 1
      switch b {
      case UInt8(ascii: "="): emit(.assign)
      case UInt8(ascii: ":"):
        if byte(pos) != UInt8(ascii: "=") {
          if byte(pos) != nil { pos += 1 }
          fail("expected :=")
          return false
        }
        pos += 1
        emit(.declare)
      case UInt8(ascii: "|"): emit(.pipe)
      case UInt8(ascii: "\""):
        if !lexQuote(UInt8(ascii: "\""), kind: .string, unterminated: "unterminated quoted string") { return false }
      case UInt8(ascii: "'"):
        if !lexQuote(UInt8(ascii: "'"), kind: .charConstant, unterminated: "unterminated character constant") {
          return false
        }
      case UInt8(ascii: "`"):
        while true {
          guard let c = byte(pos) else { fail("unterminated raw quoted string"); return false }
          pos += 1
          if c == UInt8(ascii: "`") { break }
        }
        emit(.rawString)
      case UInt8(ascii: "$"):
        if atTerminator() { emit(.variable) } else if !lexFieldOrVariable(.variable) { return false }
      case UInt8(ascii: "."):
        if let next = byte(pos), next < 0x30 || next > 0x39 {
          if !lexFieldOrVariable(.field) { return false }
        } else {
          pos -= 1
          if !lexNumber() { return false }
        }
      case UInt8(ascii: "+"), UInt8(ascii: "-"), 0x30...0x39:
        pos -= 1
        if !lexNumber() { return false }
      case UInt8(ascii: "("):
        emit(.leftParen)
        parenDepth += 1
      case UInt8(ascii: ")"):
        emit(.rightParen)
        parenDepth -= 1
        if parenDepth < 0 {
          fail("unexpected right paren U+0029 ')'")
          return false
        }
      default:
        pos -= 1
        if isAlphaNumeric(at: pos) {
          if !lexIdentifier() { return false }
        } else if b >= 0x20 && b < 0x7F {
          pos += 1
          emit(.char)
        } else {
          let description = describeScalar(at: pos)
          pos += scalar(at: pos)?.1 ?? 1
          fail("unrecognized character in action: \(description)")
          return false
        }
      }
    }
  }

  mutating func lexQuote(_ quote: UInt8, kind: TokenKind, unterminated: String) -> Bool {
    while true {
      guard let c = byte(pos), c != 0x0A else { fail(unterminated); return false }
      pos += 1
      if c == UInt8(ascii: "\\") {
        guard let d = byte(pos), d != 0x0A else { fail(unterminated); return false }
        pos += 1
      } else if c == quote {
        break
      }
    }
    emit(kind)
    return true
  }

  mutating func absorbAlphaNumerics() {
    while let (s, n) = scalar(at: pos), Lexer.isAlphaNumeric(s) { pos += n }
  }

  mutating func lexIdentifier() -> Bool {
    absorbAlphaNumerics()
    if !atTerminator() {
      let description = describeScalar(at: pos)
      fail("bad character \(description)")
      return false
    }
    let word = String(decoding: bytes[start..<pos], as: UTF8.self)
    switch word {
    case "block": emit(.block)
    case "break": emit(breakIsKeyword ? .break : .identifier)
    case "continue": emit(continueIsKeyword ? .continue : .identifier)
    case "define": emit(.define)
    case "else": emit(.else)
    case "end": emit(.end)
    case "if": emit(.if)
    case "nil": emit(.nil)
    case "range": emit(.range)
    case "template": emit(.template)
    case "with": emit(.with)
    case "true", "false": emit(.bool)
    default: emit(.identifier)
    }
    return true
  }

  /// After `.` or `$`: the name that follows, or a lone dot.
  mutating func lexFieldOrVariable(_ kind: TokenKind) -> Bool {
    if atTerminator() {
      emit(kind == .variable ? .variable : .dot)
      return true
    }
    absorbAlphaNumerics()
    if !atTerminator() {
      let description = describeScalar(at: pos)
      fail("bad character \(description)")
      return false
    }
    emit(kind)
    return true
  }

  mutating func accept(_ set: String) -> Bool {
    guard let b = byte(pos), set.utf8.contains(b) else { return false }
    pos += 1
    return true
  }

  mutating func acceptRun(_ set: String) {
    while let b = byte(pos), set.utf8.contains(b) { pos += 1 }
  }

  mutating func scanNumber() -> Bool {
    _ = accept("+-")
    var digits = "0123456789_"
    if accept("0") {
      if accept("xX") {
        digits = "0123456789abcdefABCDEF_"
      } else if accept("oO") {
        digits = "01234567_"
      } else if accept("bB") {
        digits = "01_"
      }
    }
    acceptRun(digits)
    if accept(".") { acceptRun(digits) }
    if digits.utf8.count == 11 && accept("eE") {
      _ = accept("+-")
      acceptRun("0123456789_")
    }
    if digits.utf8.count == 23 && accept("pP") {
      _ = accept("+-")
      acceptRun("0123456789_")
    }
    _ = accept("i")
    if isAlphaNumeric(at: pos) {
      pos += scalar(at: pos)?.1 ?? 1
      return false
    }
    return true
  }

  mutating func lexNumber() -> Bool {
    if !scanNumber() {
      fail("bad number syntax: " + GoFormat.quote(String(decoding: bytes[start..<pos], as: UTF8.self)))
      return false
    }
    if let sign = byte(pos), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      if !scanNumber() || bytes[pos - 1] != UInt8(ascii: "i") {
        fail("bad number syntax: " + GoFormat.quote(String(decoding: bytes[start..<pos], as: UTF8.self)))
        return false
      }
      emit(.complex)
    } else {
      emit(.number)
    }
    return true
  }
}
