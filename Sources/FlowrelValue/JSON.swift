import OrderedCollections

/// A problem with JSON: text that does not parse, or a value JSON cannot hold.
package struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  /// 1-based line of the problem in the input text (0 when encoding).
  package let line: Int
  /// 1-based column (in UTF-8 bytes) of the problem in the input text (0 when encoding).
  package let column: Int
  /// What is wrong.
  package let message: String
  /// Whether this is flowrel's limit on the size of JSON text (`JSONEncodingOptions.maximumBytes`),
  /// which Go's encoder does not have, rather than an error Go would give too.
  package var isLimit = false

  package var description: String {
    line > 0 ? "\(line):\(column): \(message)" : message
  }
}

/// How `Value.jsonText` lays out its output.
package struct JSONEncodingOptions: Sendable {
  /// Map keys sorted byte-wise, as Go's `encoding/json` (and so Helm's `toJson`) does;
  /// otherwise in insertion order.
  package var sortedKeys: Bool
  /// `<`, `>` and `&` written as `\u003c`, `\u003e`, `\u0026`, as Go does by default.
  package var escapeHTML: Bool
  /// The indent of each nesting level, or `nil` for compact output (`toPrettyJson` uses two spaces).
  package var indent: String?
  /// The longest text, in bytes, that encoding writes before it stops with an error: lists
  /// that hold one value many times over (a few doublings make 2^25 copies) would otherwise
  /// take all memory. Go has no such limit.
  package var maximumBytes: Int

  /// The default `maximumBytes`: 100 MiB.
  package static let defaultMaximumBytes = 100 << 20

  /// Options; the defaults are Go's `json.Marshal` (with the size limit added).
  package init(sortedKeys: Bool = true, escapeHTML: Bool = true, indent: String? = nil, maximumBytes: Int = defaultMaximumBytes) {
    self.sortedKeys = sortedKeys
    self.escapeHTML = escapeHTML
    self.indent = indent
    self.maximumBytes = maximumBytes
  }
}

extension Value {
  /// The deepest nesting `init(jsonText:)` accepts, so that hostile input cannot exhaust the stack.
  package static let maximumJSONDepth = 1000

  /// The value as JSON text, byte for byte what Go's `encoding/json` writes for the same data
  /// (numbers: integers as integers, doubles in Go's float format). NaN and infinities throw,
  /// as does text longer than `options.maximumBytes`.
  package func jsonText(_ options: JSONEncodingOptions = JSONEncodingOptions()) throws(JSONError) -> String {
    // Written as bytes: the text is made of many small pieces (toJson runs for every
    // object a chart renders), and appending bytes costs less than appending strings.
    var out: [UInt8] = []
    try writeJSON(into: &out, options, level: 0)
    try Value.checkSize(out, options)
    return String(decoding: out, as: UTF8.self)
  }

  /// Fails when `out` has grown past `options.maximumBytes`.
  private static func checkSize(_ out: [UInt8], _ options: JSONEncodingOptions) throws(JSONError) {
    guard out.count <= options.maximumBytes else {
      throw JSONError(
        line: 0, column: 0,
        message: "json: the text would be longer than \(options.maximumBytes) bytes, the most flowrel writes",
        isLimit: true)
    }
  }

  private func writeJSON(into out: inout [UInt8], _ options: JSONEncodingOptions, level: Int) throws(JSONError) {
    // Checked before each value, so the text never grows past the limit by more than one
    // scalar's own size.
    try Value.checkSize(out, options)
    switch self {
    case .null: out += "null".utf8
    case .bool(let b): out += (b ? "true" : "false").utf8
    case .int(let i), .int64(let i): out += String(i).utf8
    case .double(let d): out += try Value.jsonNumber(d).utf8
    case .string(let s): Value.writeJSONString(s, into: &out, escapeHTML: options.escapeHTML)
    case .list(let items):
      if items.isEmpty { out += "[]".utf8; return }
      out.append(UInt8(ascii: "["))
      for (n, item) in items.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        Value.newline(&out, options, level: level + 1)
        try item.writeJSON(into: &out, options, level: level + 1)
      }
      Value.newline(&out, options, level: level)
      out.append(UInt8(ascii: "]"))
    case .map(let entries):
      if entries.isEmpty { out += "{}".utf8; return }
      out.append(UInt8(ascii: "{"))
      let keys = options.sortedKeys ? entries.keys.sorted(by: Value.byteOrder) : Array(entries.keys)
      for (n, key) in keys.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        Value.newline(&out, options, level: level + 1)
        Value.writeJSONString(key, into: &out, escapeHTML: options.escapeHTML)
        out += (options.indent == nil ? ":" : ": ").utf8
        try entries[key, default: .null].writeJSON(into: &out, options, level: level + 1)
      }
      Value.newline(&out, options, level: level)
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Byte-wise order of UTF-8 text, which is Go's string order (Swift's `<` is not).
  package static func byteOrder(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
  }

  private static func newline(_ out: inout [UInt8], _ options: JSONEncodingOptions, level: Int) {
    guard let indent = options.indent else { return }
    out.append(UInt8(ascii: "\n"))
    for _ in 0..<level { out += indent.utf8 }
  }

  /// Go's `encoding/json` float format: `%f` between 1e-6 and 1e21, `%e` outside, with
  /// single-digit negative exponents unpadded (`1e-7`).
  static func jsonNumber(_ d: Double) throws(JSONError) -> String {
    guard d.isFinite else {
      throw JSONError(line: 0, column: 0, message: "json: unsupported value: \(d.isNaN ? "NaN" : d > 0 ? "+Inf" : "-Inf")")
    }
    let decimal = ShortestDecimal(d)
    let magnitude = abs(d)
    guard magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 else { return decimal.fixedForm }
    var text = Array(decimal.exponentForm.utf8)
    let n = text.count
    if n >= 4, text[n - 4] == UInt8(ascii: "e"), text[n - 3] == UInt8(ascii: "-"), text[n - 2] == UInt8(ascii: "0") {
      text.remove(at: n - 2)
    }
    return String(decoding: text, as: UTF8.self)
  }

  private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// `s` as a JSON string, escaped as Go's encoder escapes it. Worked on the UTF-8 bytes:
  /// runs that need no escape are copied whole (toJson of a chart's arguments writes many
  /// strings that hold quotes).
  private static func writeJSONString(_ s: String, into result: inout [UInt8], escapeHTML: Bool) {
    var text = s
    text.withUTF8 { bytes in
      result.append(UInt8(ascii: "\""))
      var copied = 0
      var index = 0
      func flush(upTo end: Int) {
        if end > copied { result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<end])) }
      }
      func unicodeEscape(_ value: UInt32) {
        result.append(UInt8(ascii: "\\"))
        result.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) { result.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)]) }
      }
      while index < bytes.count {
        let byte = bytes[index]
        var width = 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"), 0x08, 0x0C:
          flush(upTo: index)
          let letter: UInt8 =
            switch byte {
            case UInt8(ascii: "\n"): UInt8(ascii: "n")
            case UInt8(ascii: "\r"): UInt8(ascii: "r")
            case UInt8(ascii: "\t"): UInt8(ascii: "t")
            case 0x08: UInt8(ascii: "b")
            case 0x0C: UInt8(ascii: "f")
            default: byte
            }
          result.append(UInt8(ascii: "\\"))
          result.append(letter)
        case 0..<0x20:
          flush(upTo: index)
          unicodeEscape(UInt32(byte))
        case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
          // (A `where` after a list of patterns would guard only the last one.)
          guard escapeHTML else {
            index += 1
            continue
          }
          flush(upTo: index)
          unicodeEscape(UInt32(byte))
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
          // U+2028 and U+2029, which JavaScript reads as line ends.
          flush(upTo: index)
          unicodeEscape(bytes[index + 2] == 0xA8 ? 0x2028 : 0x2029)
          width = 3
        default:
          index += 1
          continue
        }
        index += width
        copied = index
      }
      flush(upTo: bytes.count)
      result.append(UInt8(ascii: "\""))
    }
  }

  /// Parses JSON text. Integers that fit in 64 bits stay integers; other numbers are doubles.
  /// A repeated key keeps its last value, as Go does.
  package init(jsonText: String) throws(JSONError) {
    var parser = JSONParser(bytes: Array(jsonText.utf8))
    self = try parser.parseDocument()
  }
}

/// A recursive-descent JSON reader over UTF-8 bytes, tracking positions for errors.
private struct JSONParser {
  let bytes: [UInt8]
  var offset = 0

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func parseDocument() throws(JSONError) -> Value {
    skipWhitespace()
    let value = try parseValue(depth: 0)
    skipWhitespace()
    if offset < bytes.count { throw error("unexpected \(describeNext()) after the JSON value") }
    return value
  }

  func error(_ message: String) -> JSONError {
    var line = 1, lineStart = 0
    for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
      line += 1
      lineStart = i + 1
    }
    return JSONError(line: line, column: offset - lineStart + 1, message: message)
  }

  func describeNext() -> String {
    guard offset < bytes.count else { return "end of input" }
    let b = bytes[offset]
    return b >= 0x20 && b < 0x7F ? "character '\(Character(Unicode.Scalar(b)))'" : "byte 0x\(String(b, radix: 16))"
  }

  mutating func skipWhitespace() {
    while offset < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[offset]) { offset += 1 }
  }

  mutating func expect(_ literal: String, _ value: Value) throws(JSONError) -> Value {
    let start = offset
    for b in literal.utf8 {
      guard offset < bytes.count, bytes[offset] == b else {
        offset = start
        throw error("invalid literal, expected \(literal)")
      }
      offset += 1
    }
    return value
  }

  mutating func parseValue(depth: Int) throws(JSONError) -> Value {
    guard depth < Value.maximumJSONDepth else {
      throw error("nesting deeper than \(Value.maximumJSONDepth) levels")
    }
    guard offset < bytes.count else { throw error("unexpected end of input, expected a value") }
    switch bytes[offset] {
    case UInt8(ascii: "{"): return try parseObject(depth: depth)
    case UInt8(ascii: "["): return try parseArray(depth: depth)
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): return try expect("true", .bool(true))
    case UInt8(ascii: "f"): return try expect("false", .bool(false))
    case UInt8(ascii: "n"): return try expect("null", .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("unexpected \(describeNext()), expected a value")
    }
  }

  mutating func parseObject(depth: Int) throws(JSONError) -> Value {
    offset += 1
    var entries = OrderedDictionary<String, Value>()
    skipWhitespace()
    if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") { offset += 1; return .map(entries) }
    while true {
      skipWhitespace()
      guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
        throw error("unexpected \(describeNext()), expected a string key")
      }
      let key = try parseString()
      skipWhitespace()
      guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
        throw error("unexpected \(describeNext()), expected ':' after a key")
      }
      offset += 1
      skipWhitespace()
      entries[key] = try parseValue(depth: depth + 1)
      skipWhitespace()
      guard offset < bytes.count else { throw error("unexpected end of input, expected ',' or '}'") }
      if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
      if bytes[offset] == UInt8(ascii: "}") { offset += 1; return .map(entries) }
      throw error("unexpected \(describeNext()), expected ',' or '}'")
    }
  }

  mutating func parseArray(depth: Int) throws(JSONError) -> Value {
    offset += 1
    var items: [Value] = []
    skipWhitespace()
    if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") { offset += 1; return .list(items) }
    while true {
      skipWhitespace()
      items.append(try parseValue(depth: depth + 1))
      skipWhitespace()
      guard offset < bytes.count else { throw error("unexpected end of input, expected ',' or ']'") }
      if bytes[offset] == UInt8(ascii: ",") { offset += 1; continue }
      if bytes[offset] == UInt8(ascii: "]") { offset += 1; return .list(items) }
      throw error("unexpected \(describeNext()), expected ',' or ']'")
    }
  }

  mutating func parseHex4() throws(JSONError) -> UInt32 {
    guard offset + 4 <= bytes.count else { throw error("truncated \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      let b = bytes[offset]
      let digit: UInt32
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
      default: throw error("invalid \\u escape")
      }
      v = v << 4 | digit
      offset += 1
    }
    return v
  }

  mutating func parseString() throws(JSONError) -> String {
    offset += 1
    var out: [UInt8] = []
    while true {
      guard offset < bytes.count else { throw error("unterminated string") }
      let b = bytes[offset]
      if b == UInt8(ascii: "\"") { offset += 1; break }
      if b < 0x20 { throw error("control character in string") }
      if b != UInt8(ascii: "\\") { out.append(b); offset += 1; continue }
      offset += 1
      guard offset < bytes.count else { throw error("unterminated string") }
      let escape = bytes[offset]
      offset += 1
      switch escape {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var code = try parseHex4()
        if (0xD800..<0xDC00).contains(code), offset + 6 <= bytes.count,
          bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
        {
          let save = offset
          offset += 2
          let low = try parseHex4()
          if (0xDC00..<0xE000).contains(low) {
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
          } else {
            offset = save
          }
        }
        // Lone surrogates become U+FFFD, as in Go.
        let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(scalar).utf8))
      default:
        offset -= 2
        throw error("invalid escape \\\(Character(Unicode.Scalar(escape)))")
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  mutating func parseNumber() throws(JSONError) -> Value {
    let start = offset
    var isInteger = true
    if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
    func digits(_ p: inout JSONParser) -> Int {
      let s = p.offset
      while p.offset < p.bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.bytes[p.offset]) { p.offset += 1 }
      return p.offset - s
    }
    let intStart = offset
    let intDigits = digits(&self)
    guard intDigits > 0 else { throw error("invalid number") }
    if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") { offset = intStart + 1; throw error("invalid number: leading zero") }
    if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
      isInteger = false
      offset += 1
      guard digits(&self) > 0 else { throw error("invalid number: expected digits after '.'") }
    }
    if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
      isInteger = false
      offset += 1
      if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
      guard digits(&self) > 0 else { throw error("invalid number: expected digits in exponent") }
    }
    let text = String(decoding: bytes[start..<offset], as: UTF8.self)
    if isInteger, let i = Int64(text) { return .int(i) }
    guard let d = Double(text) else { throw error("invalid number \(text)") }
    return .double(d)
  }
}
