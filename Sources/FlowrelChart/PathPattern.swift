/// A shell pattern over `/`-separated paths, in one of the two dialects Helm uses:
/// `.helmignore` rules follow Go's `path.Match`, `.Files.Glob` follows the gobwas/glob library.
///
/// In both, `*` is any run of characters except `/`, `?` one character except `/`, `[a-z]` a
/// character class, and `\` escapes the next character. Go negates a class with `[^...]`;
/// the glob dialect with `[!...]`, and adds `**` (any run, `/` included) and `{a,b}` alternatives.
struct PathPattern: Sendable {
  /// Which library's rules a pattern follows.
  enum Dialect: Sendable {
    /// Go's `path.Match` (`.helmignore`).
    case goPath
    /// gobwas/glob with `/` as separator (`.Files.Glob`).
    case glob
  }

  private indirect enum Element: Sendable {
    case literal(Character)
    case anyRun
    case anyPath
    case anyOne
    case characterClass(negated: Bool, ranges: [ClosedRange<Character>])
    case alternatives([[Element]])
  }

  private let elements: [Element]

  /// Why a pattern cannot be read.
  struct BadPattern: Error {}

  /// Reads a pattern; a malformed class, an unclosed `{` or a trailing `\` is an error.
  init(_ pattern: String, dialect: Dialect = .goPath) throws(BadPattern) {
    var chars = Array(pattern)[...]
    elements = try Self.parse(&chars, dialect: dialect, inAlternative: false)
    guard chars.isEmpty else { throw BadPattern() }
  }

  /// Parses up to the end, or inside `{...}` up to the `,` or `}` that ends one alternative.
  private static func parse(_ chars: inout ArraySlice<Character>, dialect: Dialect, inAlternative: Bool) throws(BadPattern) -> [Element] {
    var elements: [Element] = []
    while let c = chars.first {
      if inAlternative && (c == "," || c == "}") { return elements }
      chars.removeFirst()
      switch c {
      case "*" where dialect == .glob && chars.first == "*":
        chars.removeFirst()
        elements.append(.anyPath)
      case "{" where dialect == .glob:
        var options: [[Element]] = []
        while true {
          options.append(try parse(&chars, dialect: dialect, inAlternative: true))
          guard let end = chars.popFirst() else { throw BadPattern() }
          if end == "}" { break }
        }
        elements.append(.alternatives(options))
      case "*":
        elements.append(.anyRun)
      case "?":
        elements.append(.anyOne)
      case "\\":
        guard let escaped = chars.popFirst() else { throw BadPattern() }
        elements.append(.literal(escaped))
      case "[":
        var negated = false
        if chars.first == (dialect == .goPath ? "^" : "!") {
          negated = true
          chars.removeFirst()
        }
        var ranges: [ClosedRange<Character>] = []
        var first = true
        while true {
          guard let next = chars.first else { throw BadPattern() }
          if next == "]", !first {
            chars.removeFirst()
            break
          }
          first = false
          let low = try Self.classCharacter(&chars)
          var high = low
          if chars.first == "-" {
            chars.removeFirst()
            high = try Self.classCharacter(&chars)
            guard low <= high else { throw BadPattern() }
          }
          ranges.append(low...high)
        }
        elements.append(.characterClass(negated: negated, ranges: ranges))
      default:
        elements.append(.literal(c))
      }
    }
    return elements
  }

  private static func classCharacter(_ chars: inout ArraySlice<Character>) throws(BadPattern) -> Character {
    guard let c = chars.popFirst(), c != "-", c != "]" else { throw BadPattern() }
    if c == "\\" {
      guard let escaped = chars.popFirst() else { throw BadPattern() }
      return escaped
    }
    return c
  }

  /// Whether the whole of `name` matches.
  func matches(_ name: String) -> Bool {
    Self.match(elements[...], Array(name)[...])
  }

  private static func match(_ pattern: ArraySlice<Element>, _ name: ArraySlice<Character>) -> Bool {
    var pattern = pattern
    var name = name
    while let element = pattern.first {
      switch element {
      case .anyPath:
        pattern.removeFirst()
        var rest = name
        while true {
          if match(pattern, rest) { return true }
          guard !rest.isEmpty else { return false }
          rest.removeFirst()
        }
      case .alternatives(let options):
        let after = pattern.dropFirst()
        return options.contains { match(($0 + after)[...], name) }
      case .anyRun:
        pattern.removeFirst()
        // Try every split of the rest of this path segment; `*` never crosses a `/`.
        var rest = name
        while true {
          if match(pattern, rest) { return true }
          guard let c = rest.first, c != "/" else { return false }
          rest.removeFirst()
        }
      case .anyOne:
        guard let c = name.first, c != "/" else { return false }
        name.removeFirst()
        pattern.removeFirst()
      case .literal(let expected):
        guard name.first == expected else { return false }
        name.removeFirst()
        pattern.removeFirst()
      case .characterClass(let negated, let ranges):
        guard let c = name.first, c != "/" else { return false }
        guard ranges.contains(where: { $0.contains(c) }) != negated else { return false }
        name.removeFirst()
        pattern.removeFirst()
      }
    }
    return name.isEmpty
  }
}
