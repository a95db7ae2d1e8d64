/// A shell pattern with the semantics of Go's `path.Match`, which Helm uses for
/// `.helmignore` rules: `*` is any run of characters except `/`, `?` one character except
/// `/`, `[a-z]`/`[^a-z]` a character class, and `\` escapes the next character.
struct PathPattern: Sendable {
  private enum Element: Sendable {
    case literal(Character)
    case anyRun
    case anyOne
    case characterClass(negated: Bool, ranges: [ClosedRange<Character>])
  }

  private let elements: [Element]

  /// Why a pattern cannot be read, in Go's words.
  struct BadPattern: Error {}

  /// Reads a pattern; a malformed class or a trailing `\` is an error, as in Go.
  init(_ pattern: String) throws(BadPattern) {
    var elements: [Element] = []
    var chars = Array(pattern)[...]
    while let c = chars.popFirst() {
      switch c {
      case "*":
        elements.append(.anyRun)
      case "?":
        elements.append(.anyOne)
      case "\\":
        guard let escaped = chars.popFirst() else { throw BadPattern() }
        elements.append(.literal(escaped))
      case "[":
        var negated = false
        if chars.first == "^" {
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
    self.elements = elements
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
