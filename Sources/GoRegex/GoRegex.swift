/// A regular expression with the syntax and meaning of Go's `regexp` package (RE2):
/// leftmost-first matching in time linear in the text, never backtracking.
package struct GoRegex: Sendable {
  /// The source text, as given.
  package let pattern: String
  /// The name of each capturing group, index 0 being the whole match; "" when unnamed.
  package let groupNames: [String]
  let program: Program

  /// Compiles `pattern` as `regexp.Compile` does, with Go's error for a bad pattern.
  package init(_ pattern: String) throws(GoRegexError) {
    var parser = Parser(pattern)
    let root = try parser.parse()
    self.pattern = pattern
    groupNames = parser.names
    program = try Program(root, pattern: pattern, groups: parser.names.count - 1)
  }

  /// Whether the pattern matches anywhere in `text` (Go's `MatchString`).
  package func matches(_ text: String) -> Bool {
    var matcher = Matcher(program: program, text: Array(text.utf8))
    return matcher.search(from: 0, slots: 0) != nil
  }

  /// The leftmost match with its groups (Go's `FindStringSubmatch`).
  package func firstMatch(in text: String) -> GoRegexMatch? {
    let bytes = Array(text.utf8)
    var matcher = Matcher(program: program, text: bytes)
    return matcher.search(from: 0, slots: 2 * groupNames.count).map { GoRegexMatch(slots: $0, in: bytes) }
  }

  /// Successive non-overlapping matches, at most `limit` (negative: all), with Go's rule
  /// that an empty match right after a match is skipped (Go's `FindAllStringSubmatch`).
  package func allMatches(in text: String, limit: Int = -1) -> [GoRegexMatch] {
    let bytes = Array(text.utf8)
    return allSlots(bytes, limit: limit).map { GoRegexMatch(slots: $0, in: bytes) }
  }

  private func allSlots(_ bytes: [UInt8], limit: Int) -> [[Int]] {
    var matcher = Matcher(program: program, text: bytes)
    let limit = limit < 0 ? bytes.count + 1 : limit
    var out: [[Int]] = []
    var position = 0, previousEnd = -1
    while out.count < limit, position <= bytes.count {
      guard let slots = matcher.search(from: position, slots: 2 * groupNames.count) else { break }
      var accept = true
      if slots[1] == position {
        // An empty match: step over one character, and skip it right after a match.
        if slots[0] == previousEnd { accept = false }
        position += position < bytes.count ? Self.width(bytes[position]) : 1
      } else {
        position = slots[1]
      }
      previousEnd = slots[1]
      if accept { out.append(slots) }
    }
    return out
  }

  /// The length of the UTF-8 sequence that begins with `lead`.
  private static func width(_ lead: UInt8) -> Int {
    lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
  }

  /// Every match replaced (Go's `ReplaceAllString`, `$1`, `${name}`, `$$` expanded as
  /// `Expand` does, or `ReplaceAllLiteralString` when `literal`).
  package func replacingAll(in text: String, with replacement: String, literal: Bool = false) -> String {
    let bytes = Array(text.utf8)
    var matcher = Matcher(program: program, text: bytes)
    let template = Array(replacement.unicodeScalars)
    let slotCount = literal ? 2 : 2 * groupNames.count
    var out: [UInt8] = []
    var lastEnd = 0, position = 0
    while position <= bytes.count {
      guard let slots = matcher.search(from: position, slots: slotCount) else { break }
      out.append(contentsOf: bytes[lastEnd..<slots[0]])
      // No replacement for an empty match right after a match.
      if slots[1] > lastEnd || slots[0] == 0 {
        if literal { out.append(contentsOf: replacement.utf8) } else { expand(template, slots, bytes, into: &out) }
      }
      lastEnd = slots[1]
      let width = position < bytes.count ? Self.width(bytes[position]) : 0
      if position + width > slots[1] {
        position += width
      } else if position + 1 > slots[1] {
        position += 1
      } else {
        position = slots[1]
      }
    }
    out.append(contentsOf: bytes[lastEnd...])
    return String(decoding: out, as: UTF8.self)
  }

  /// Go's `Regexp.Expand`: `$name` or `${name}` (letters, digits, `_`) is the group of
  /// that number or name, empty when there is none; `$$` is `$`; other `$` stay.
  private func expand(_ template: [Unicode.Scalar], _ slots: [Int], _ bytes: [UInt8], into out: inout [UInt8]) {
    func append(_ c: Unicode.Scalar) { out.append(contentsOf: String(c).utf8) }
    func isNameChar(_ c: Unicode.Scalar) -> Bool {
      c == "_" || c.properties.generalCategory == .decimalNumber || Self.isLetter(c)
    }
    func group(_ k: Int) {
      if 2 * k + 1 < slots.count, slots[2 * k] >= 0 { out.append(contentsOf: bytes[slots[2 * k]..<slots[2 * k + 1]]) }
    }
    var i = 0
    while i < template.count {
      guard template[i] == "$" else {
        append(template[i])
        i += 1
        continue
      }
      i += 1
      if i < template.count, template[i] == "$" {
        append("$")
        i += 1
        continue
      }
      let braced = i < template.count && template[i] == "{"
      var j = braced ? i + 1 : i
      let nameStart = j
      while j < template.count, isNameChar(template[j]) { j += 1 }
      let name = template[nameStart..<j]
      guard !name.isEmpty, !braced || (j < template.count && template[j] == "}") else {
        append("$")
        continue
      }
      i = braced ? j + 1 : j
      if let number = Self.groupNumber(name) {
        group(number)
      } else {
        let text = String(String.UnicodeScalarView(name))
        if let k = groupNames.indices.first(where: { groupNames[$0] == text && slots[2 * $0] >= 0 }) { group(k) }
      }
    }
  }

  /// Unicode letters, as Go's `unicode.IsLetter`.
  private static func isLetter(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
    default: return false
    }
  }

  /// The group number a name spells, as Go reads it: ASCII digits without a leading zero,
  /// a digit after reaching 10⁸ making it a name.
  private static func groupNumber(_ name: ArraySlice<Unicode.Scalar>) -> Int? {
    var number = 0
    for c in name {
      guard ("0"..."9").contains(c), number < 100_000_000 else { return nil }
      number = number * 10 + Int(c.value - 48)
    }
    if name.count > 1, name.first == "0" { return nil }
    return number
  }

  /// The text around the matches, at most `limit` pieces (negative: all; 0: none), as Go's
  /// `Split`.
  package func split(_ text: String, limit: Int = -1) -> [String] {
    if limit == 0 { return [] }
    if !pattern.isEmpty, text.isEmpty { return [""] }
    let bytes = Array(text.utf8)
    func piece(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
    var out: [String] = []
    var begin = 0, end = 0
    for slots in allSlots(bytes, limit: limit) {
      if limit > 0, out.count == limit - 1 { break }
      end = slots[0]
      if slots[1] != 0 { out.append(piece(begin..<end)) }
      begin = slots[1]
    }
    if end != bytes.count { out.append(piece(begin..<bytes.count)) }
    return out
  }

  /// `text` with every metacharacter escaped, so that it matches itself (Go's `QuoteMeta`).
  package static func quoteMeta(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for c in text.unicodeScalars {
      if "\\.+*?()|[]{}^$".unicodeScalars.contains(c) { out.append("\\") }
      out.append(c)
    }
    return String(out)
  }
}

/// One match: the text of each group, nil for a group that did not take part.
package struct GoRegexMatch: Sendable, Equatable {
  /// The byte offsets of each group in the UTF-8 text.
  package let ranges: [Range<Int>?]
  package let groups: [String?]
  /// The whole match.
  package var text: String { groups.first.flatMap { $0 } ?? "" }

  init(slots: [Int], in bytes: [UInt8]) {
    var ranges: [Range<Int>?] = []
    for k in stride(from: 0, to: slots.count - 1, by: 2) {
      ranges.append(slots[k] >= 0 && slots[k + 1] >= slots[k] ? slots[k]..<slots[k + 1] : nil)
    }
    self.ranges = ranges
    groups = ranges.map { $0.map { String(decoding: bytes[$0], as: UTF8.self) } }
  }
}

/// Why a pattern does not compile.
package struct GoRegexError: Error, Equatable, CustomStringConvertible {
  /// The message, worded as Go's `regexp` words it.
  package let message: String
  package var description: String { message }

  /// Go's parse error: what is wrong, and the part of the pattern it is about.
  static func syntax(_ code: String, _ text: String) -> GoRegexError {
    GoRegexError(message: "error parsing regexp: \(code): `\(text)`")
  }

  /// The pattern compiles to a program beyond a limit; `why` names it.
  static func tooLarge(_ pattern: String, _ why: String) -> GoRegexError {
    GoRegexError(message: "error parsing regexp: expression too large: `\(pattern)` (\(why))")
  }
}
