import Foundation
import GoTemplate

// Sprig's regular expressions (regex.md) with Go's RE2 syntax, run by ICU through
// NSRegularExpression. The pattern is translated so that it means what it means in Go:
// `\d`, `\w`, `\s` and `\b` are ASCII, `$` is the end of the text unless `(?m)`, `.` stops
// only at `\n`, a `[` inside a class is literal, `(?P<name>...)` names a group; what RE2
// rejects (look-around, back-references) is rejected with Go's message.

extension Library {
  mutating func addRegex() {
    // Go's regexMatch ignores a bad pattern and answers false.
    add("regexMatch", plain: { a in
      try a.expectCount(2)
      guard let regex = try? GoRegex.compiled(try a.string(at: 0)) else { return false }
      return .bool(regex.firstMatch(in: try a.string(at: 1)) != nil)
    })
    add("mustRegexMatch", plain: { a in
      try a.expectCount(2)
      return .bool(try GoRegex.compiled(try a.string(at: 0)).firstMatch(in: try a.string(at: 1)) != nil)
    })
    // The plain forms compile with regexp.MustCompile, whose panic names the pattern; the
    // must forms return regexp.Compile's error.
    for must in [false, true] {
      func name(_ base: String) -> String { must ? "must" + base.prefix(1).uppercased() + base.dropFirst() : base }
      @Sendable func compile(_ a: TemplateArguments) throws -> GoRegex {
        let pattern = try a.string(at: 0)
        do { return try GoRegex.compiled(pattern) } catch {
          throw must ? error : failure("regexp: Compile(`\(pattern)`): \(error.message)")
        }
      }
      add(name("regexFind"), plain: { a in
        try a.expectCount(2)
        let regex = try compile(a), s = try a.string(at: 1)
        return .string(regex.firstMatch(in: s).map { regex.text(of: $0.range, in: s) } ?? "")
      })
      add(name("regexFindAll"), plain: { a in
        try a.expectCount(3)
        let regex = try compile(a), s = try a.string(at: 1)
        let matches = regex.matches(in: s, limit: Int(try a.int(at: 2)))
        return stringList(matches.map { regex.text(of: $0.range, in: s) })
      })
      add(name("regexReplaceAll"), plain: { a in
        try a.expectCount(3)
        return .string(try compile(a).replaceAll(in: try a.string(at: 1), with: try a.string(at: 2), expand: true))
      })
      add(name("regexReplaceAllLiteral"), plain: { a in
        try a.expectCount(3)
        return .string(try compile(a).replaceAll(in: try a.string(at: 1), with: try a.string(at: 2), expand: false))
      })
      add(name("regexSplit"), plain: { a in
        try a.expectCount(3)
        return stringList(try compile(a).split(try a.string(at: 1), limit: Int(try a.int(at: 2))))
      })
    }
    add("regexQuoteMeta", plain: { a in
      try a.expectCount(1)
      var out = ""
      for ch in try a.string(at: 0).unicodeScalars {
        if "\\.+*?()|[]{}^$".unicodeScalars.contains(ch) { out += "\\" }
        out.unicodeScalars.append(ch)
      }
      return .string(out)
    })
  }
}

/// A Go regular expression compiled for ICU, with its group names for `${name}` expansion.
struct GoRegex {
  let regex: NSRegularExpression
  /// The name of each capturing group (index 0 is the whole match), `""` when unnamed.
  let groupNames: [String]

  init(_ pattern: String) throws(HelmFunctionsError) {
    let (translated, names) = try Self.translate(pattern)
    do {
      regex = try NSRegularExpression(pattern: translated, options: [.useUnixLineSeparators])
    } catch {
      throw failure("error parsing regexp: invalid pattern: `\(pattern)`")
    }
    groupNames = names
  }

  /// The compiled form of `pattern`, from a cache shared by all executions: charts call the
  /// regex functions with the same few patterns for every object, and compiling costs more
  /// than matching.
  static func compiled(_ pattern: String) throws(HelmFunctionsError) -> GoRegex {
    if let cached = RegexCache.shared.regex(for: pattern) { return cached }
    let regex = try GoRegex(pattern)
    RegexCache.shared.store(regex, for: pattern)
    return regex
  }

  func firstMatch(in s: String) -> NSTextCheckingResult? {
    regex.firstMatch(in: s, options: [], range: NSRange(location: 0, length: (s as NSString).length))
  }

  /// Go's `FindAll` with limit `n` (< 0: all): an empty match right after a match is skipped.
  func matches(in s: String, limit n: Int) -> [NSTextCheckingResult] {
    if n == 0 { return [] }
    var out: [NSTextCheckingResult] = []
    var previousEnd = -1
    for match in regex.matches(in: s, options: [], range: NSRange(location: 0, length: (s as NSString).length)) {
      if match.range.length == 0, match.range.location == previousEnd { continue }
      out.append(match)
      previousEnd = match.range.location + match.range.length
      if n > 0, out.count == n { break }
    }
    return out
  }

  func text(of range: NSRange, in s: String) -> String {
    range.location == NSNotFound ? "" : (s as NSString).substring(with: range)
  }

  /// Go's `ReplaceAllString` (`$1`, `${1}`, `$name`, `${name}`, `$$` expanded) or
  /// `ReplaceAllLiteralString`.
  func replaceAll(in s: String, with replacement: String, expand: Bool) -> String {
    let ns = s as NSString
    var out = ""
    var last = 0
    for match in matches(in: s, limit: -1) {
      out += ns.substring(with: NSRange(location: last, length: match.range.location - last))
      out += expand ? self.expand(replacement, match, in: s) : replacement
      last = match.range.location + match.range.length
    }
    return out + ns.substring(from: last)
  }

  /// Go's `Regexp.Expand` of `template` for one match.
  private func expand(_ template: String, _ match: NSTextCheckingResult, in s: String) -> String {
    let chars = Array(template.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    func isNameChar(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) || ("0"..."9").contains(c) }
    while i < chars.count {
      guard chars[i] == "$" else { out.append(chars[i]); i += 1; continue }
      i += 1
      if i < chars.count, chars[i] == "$" { out.append("$"); i += 1; continue }
      var name = "", j = i
      if j < chars.count, chars[j] == "{" {
        j += 1
        while j < chars.count, isNameChar(chars[j]) { name.unicodeScalars.append(chars[j]); j += 1 }
        guard !name.isEmpty, j < chars.count, chars[j] == "}" else { out.append("$"); continue }
        j += 1
      } else {
        while j < chars.count, isNameChar(chars[j]) { name.unicodeScalars.append(chars[j]); j += 1 }
        guard !name.isEmpty else { out.append("$"); continue }
      }
      i = j
      let group: Int?
      if name.allSatisfy({ $0.isASCII && $0.isNumber }) { group = Int(name) } else { group = groupNames.firstIndex(of: name) }
      if let group, group < match.numberOfRanges {
        out.append(contentsOf: text(of: match.range(at: group), in: s).unicodeScalars)
      }
    }
    return String(out)
  }

  /// Go's `Regexp.Split`.
  func split(_ s: String, limit n: Int) -> [String] {
    if n == 0 { return [] }
    let ns = s as NSString
    if s.isEmpty { return [""] }
    var parts: [String] = []
    var begin = 0, end = 0
    for match in matches(in: s, limit: n) {
      if n > 0, parts.count == n - 1 { break }
      end = match.range.location
      if match.range.location + match.range.length != 0 {
        parts.append(ns.substring(with: NSRange(location: begin, length: end - begin)))
      }
      begin = match.range.location + match.range.length
    }
    if end != ns.length { parts.append(ns.substring(from: begin)) }
    return parts
  }

  /// The ICU pattern for a Go pattern, and the capturing groups' names.
  /// Whether the pattern's text has `(?` and flag letters that include `m` (scanned by hand:
  /// a regular expression for it would start ICU for every new pattern).
  static func setsMultiline(_ c: [Unicode.Scalar]) -> Bool {
    func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
    var i = 0
    while i + 1 < c.count {
      if c[i] == "(" && c[i + 1] == "?" {
        var j = i + 2
        while j < c.count, isLetter(c[j]) {
          if c[j] == "m" { return true }
          j += 1
        }
      }
      i += 1
    }
    return false
  }

  /// The length of a repetition `{n}`, `{n,}` or `{n,m}` starting at `i`, if one does.
  static func repetitionLength(_ c: [Unicode.Scalar], at i: Int) -> Int? {
    func digits(from start: Int) -> Int {
      var j = start
      while j < c.count, ("0"..."9").contains(c[j]) { j += 1 }
      return j - start
    }
    guard i < c.count, c[i] == "{" else { return nil }
    var j = i + 1
    let count = digits(from: j)
    guard count > 0 else { return nil }
    j += count
    if j < c.count, c[j] == "," { j += 1 + digits(from: j + 1) }
    guard j < c.count, c[j] == "}" else { return nil }
    return j + 1 - i
  }

  static func translate(_ pattern: String) throws(HelmFunctionsError) -> (String, [String]) {
    let c = Array(pattern.unicodeScalars)
    var out = ""
    var names = [""]
    var inClass = false
    var classOpen = 0
    var depth = 0
    // Whether a repetition operator here would have nothing to repeat.
    var atOperandStart = true
    let multiline = setsMultiline(c)
    func parseError(_ what: String, _ text: String) -> HelmFunctionsError {
      failure("error parsing regexp: \(what): `\(text)`")
    }
    var i = 0
    while i < c.count {
      let ch = c[i]
      if ch == "\\" {
        guard i + 1 < c.count else { throw parseError("trailing backslash at end of expression", "") }
        let next = c[i + 1]
        if next == "Q" {
          // \Q...\E: literal text, passed through (ICU reads it the same way).
          let rest = String(String.UnicodeScalarView(c[i...]))
          let end = rest.range(of: "\\E").map { rest.distance(from: rest.startIndex, to: $0.upperBound) } ?? rest.count
          out += String(rest.prefix(end))
          i += String(rest.prefix(end)).unicodeScalars.count
          continue
        }
        if ("1"..."9").contains(next) { throw parseError("invalid escape sequence", "\\\(next)") }
        let asciiClasses: [Unicode.Scalar: (String, String)] = [
          "d": ("0-9", "[0-9]"), "D": ("[^0-9]", "[^0-9]"),
          "w": ("0-9A-Za-z_", "[0-9A-Za-z_]"), "W": ("[^0-9A-Za-z_]", "[^0-9A-Za-z_]"),
          "s": ("\\t\\n\\f\\r ", "[\\t\\n\\f\\r ]"), "S": ("[^\\t\\n\\f\\r ]", "[^\\t\\n\\f\\r ]"),
        ]
        if next == "p" || next == "P", i + 2 < c.count, c[i + 2] == "{" {
          // A Unicode class `\p{Greek}`: passed through with its braces.
          var j = i + 2
          while j < c.count, c[j] != "}" { j += 1 }
          guard j < c.count else { throw parseError("invalid character class range", String(String.UnicodeScalarView(c[i...]))) }
          out += String(String.UnicodeScalarView(c[i...j]))
          atOperandStart = false
          i = j + 1
          continue
        }
        if let replacement = asciiClasses[next] {
          out += inClass ? replacement.0 : replacement.1
        } else if next == "b", !inClass {
          out += "(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))"
        } else if next == "B", !inClass {
          out += "(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))"
        } else {
          out.unicodeScalars.append(ch)
          out.unicodeScalars.append(next)
        }
        atOperandStart = false
        i += 2
        continue
      }
      if inClass {
        if ch == "]" {
          inClass = false
          out += "]"
        } else if ch == "[", i + 1 < c.count, c[i + 1] == ":" {
          // A POSIX class such as [:alpha:] passes through.
          var j = i + 2
          while j + 1 < c.count, !(c[j] == ":" && c[j + 1] == "]") { j += 1 }
          out += String(String.UnicodeScalarView(c[i...min(j + 1, c.count - 1)]))
          i = j + 2
          continue
        } else if ch == "[" || ch == "&" || (ch == "-" && i + 1 < c.count && c[i + 1] == "-") {
          out += "\\" + String(ch)
        } else {
          out.unicodeScalars.append(ch)
        }
        i += 1
        continue
      }
      let wasOperandStart = atOperandStart
      atOperandStart = false
      switch ch {
      case "*", "+", "?":
        if wasOperandStart { throw parseError("missing argument to repetition operator", String(ch)) }
        // `a**` and `a?+` repeat a repetition (RE2 refuses); `a*?` is a lazy `*`.
        let previous = i > 0 ? c[i - 1] : " "
        let escaped = i > 1 && c[i - 2] == "\\"
        if !escaped, ch != "?", "*+?".unicodeScalars.contains(previous) {
          throw parseError("invalid nested repetition operator", String(previous) + String(ch))
        }
        out.unicodeScalars.append(ch)
      case "|":
        atOperandStart = true
        out += "|"
      case ")":
        guard depth > 0 else { throw parseError("unexpected )", pattern) }
        depth -= 1
        out += ")"
      case "[":
        inClass = true
        classOpen = i
        out += "["
        i += 1
        if i < c.count, c[i] == "^" { out += "^"; i += 1 }
        // A `]` right after `[` or `[^` is literal.
        if i < c.count, c[i] == "]" { out += "\\]"; i += 1 }
        continue
      case "(":
        depth += 1
        atOperandStart = true
        if i + 1 < c.count, c[i + 1] == "?" {
          let rest = String(String.UnicodeScalarView(c[(i + 2)...]))
          if rest.hasPrefix("P<") || (rest.hasPrefix("<") && !rest.hasPrefix("<=") && !rest.hasPrefix("<!")) {
            let nameStart = rest.hasPrefix("P<") ? 2 : 1
            let body = rest.dropFirst(nameStart)
            guard let close = body.firstIndex(of: ">") else { throw parseError("invalid named capture", pattern) }
            let name = String(body[..<close])
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
              throw parseError("invalid named capture", "(?P<\(name)>")
            }
            guard !names.contains(name) else { throw parseError("duplicate capture group name", name) }
            names.append(name)
            out += "(?<\(name)>"
            i += 2 + nameStart + name.unicodeScalars.count + 1
            continue
          }
          if rest.hasPrefix("=") || rest.hasPrefix("!") || rest.hasPrefix("<=") || rest.hasPrefix("<!") || rest.hasPrefix(">") {
            throw parseError("invalid or unsupported Perl syntax", "(?" + String(rest.prefix(rest.hasPrefix("<") ? 2 : 1)))
          }
          // Flags, `(?i)`, or a group with flags, `(?i:...)` / `(?:...)`: passed through whole.
          let flags = rest.prefix { $0.isASCII && ($0.isLetter || $0 == "-") }
          let after = rest.dropFirst(flags.count).first
          guard after == ")" || after == ":" else { throw parseError("invalid or unsupported Perl syntax", "(?" + flags + (after.map(String.init) ?? "")) }
          out += "(?" + flags + (after.map(String.init) ?? "")
          i += 2 + flags.unicodeScalars.count + 1
          if after == ")" { depth -= 1 }
          continue
        } else {
          names.append("")
        }
        out += "("
      case "$":
        out += multiline ? "$" : "\\z"
      case "{", "}":
        // Only a repetition `{n}`, `{n,}`, `{n,m}` is one in Go; other braces are literal.
        if ch == "{", let length = repetitionLength(c, at: i) {
          out.unicodeScalars.append(contentsOf: c[i..<i + length])
          i += length
          continue
        }
        out += "\\" + String(ch)
      default:
        out.unicodeScalars.append(ch)
      }
      i += 1
    }
    if inClass { throw parseError("missing closing ]", String(String.UnicodeScalarView(c[classOpen...]))) }
    if depth > 0 { throw parseError("missing closing )", pattern) }
    // ICU rejects an empty pattern, which in Go matches the empty string everywhere.
    return (out.isEmpty ? "(?:)" : out, names)
  }
}

/// Compiled patterns by source text. NSRegularExpression is immutable and safe to share
/// between threads; the dictionary is behind a lock. Patterns built from data could be many,
/// so the cache starts over when it is full instead of growing without bound.
final class RegexCache: @unchecked Sendable {
  static let shared = RegexCache()
  static let capacity = 256

  private let lock = NSLock()
  /// Guarded by `lock`.
  private var regexes: [String: GoRegex] = [:]

  func regex(for pattern: String) -> GoRegex? {
    lock.lock()
    defer { lock.unlock() }
    return regexes[pattern]
  }

  func store(_ regex: GoRegex, for pattern: String) {
    lock.lock()
    defer { lock.unlock() }
    if regexes.count >= Self.capacity { regexes.removeAll(keepingCapacity: true) }
    regexes[pattern] = regex
  }
}
