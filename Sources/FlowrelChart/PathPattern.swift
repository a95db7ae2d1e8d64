/// A shell pattern over `/`-separated paths, in one of the two dialects Helm uses:
/// `.helmignore` rules follow Go's `path.Match`, `.Files.Glob` follows the gobwas/glob library.
///
/// In both, `*` is any run of characters except `/`, `?` one character except `/`, `[a-z]` a
/// character class (which, unlike `?`, can match `/`), and `\` escapes the next character.
/// Go negates a class with `[^...]`; the glob dialect with `[!...]`, and adds `**` (any run,
/// `/` included) and `{a,b}` alternatives.
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

  /// How `matches` runs the pattern.
  private enum Matcher: Sendable {
    /// Go's `path.Match`: the parsed elements (no `**` or `{}`), matched run by run.
    case goPath([Element])
    /// gobwas/glob: the pattern compiled to steps run all at once.
    case glob([Instruction])
  }

  private let matcher: Matcher

  /// Why a pattern cannot be read.
  struct BadPattern: Error {}

  /// Reads a pattern; a malformed class, an unclosed `{`, a trailing `\` or alternatives
  /// nested deeper than `maximumAlternativeNesting` is an error.
  init(_ pattern: String, dialect: Dialect = .goPath) throws(BadPattern) {
    var chars = Array(pattern)[...]
    let elements = try Self.parse(&chars, dialect: dialect, nesting: 0)
    guard chars.isEmpty else { throw BadPattern() }
    switch dialect {
    case .goPath:
      matcher = .goPath(elements)
    case .glob:
      var program: [Instruction] = []
      Self.compile(elements[...], into: &program)
      program.append(.accept)
      matcher = .glob(program)
    }
  }

  /// The deepest nesting of `{...}` alternatives read: parsing and matching recurse into
  /// each level, and a pattern built by a template could open millions.
  static let maximumAlternativeNesting = 100

  /// Parses up to the end, or inside `{...}` (`nesting` > 0) up to the `,` or `}` that ends
  /// one alternative.
  private static func parse(_ chars: inout ArraySlice<Character>, dialect: Dialect, nesting: Int) throws(BadPattern) -> [Element] {
    guard nesting <= maximumAlternativeNesting else { throw BadPattern() }
    var elements: [Element] = []
    while let c = chars.first {
      if nesting > 0 && (c == "," || c == "}") { return elements }
      chars.removeFirst()
      switch c {
      case "*" where dialect == .glob && chars.first == "*":
        chars.removeFirst()
        elements.append(.anyPath)
      case "{" where dialect == .glob:
        var options: [[Element]] = []
        while true {
          options.append(try parse(&chars, dialect: dialect, nesting: nesting + 1))
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
    switch matcher {
    case .goPath(let elements): Self.goPathMatch(elements, Array(name))
    case .glob(let program): Self.globMatch(program, name)
    }
  }

  /// Go's `path.Match`, which does not backtrack. The pattern is a series of runs of
  /// one-character elements, each after an optional star. Each run is placed at the first
  /// position its star allows (stars do not cross `/`) where it matches, and the last run
  /// must also end the name; once placed a run stays there. Classes can match `/`, so this is
  /// not always the answer that trying every split would give (`*[^a]*` against `b/c`
  /// places `[^a]` on `b`, and the last star then meets the `/`): Go's answer is the one kept.
  /// Costs at most the product of pattern and name length.
  private static func goPathMatch(_ elements: [Element], _ name: [Character]) -> Bool {
    func isStar(_ element: Element) -> Bool { if case .anyRun = element { true } else { false } }
    var next = 0  // the first element not yet used
    var position = 0  // the first character of the name not yet matched
    while next < elements.count {
      var star = false
      while next < elements.count, isStar(elements[next]) {
        star = true
        next += 1
      }
      let runStart = next
      while next < elements.count, !isStar(elements[next]) { next += 1 }
      let run = elements[runStart..<next]
      let isLast = next == elements.count
      if star && run.isEmpty { return !name[position...].contains("/") }
      var start = position
      while !(fits(run, name, at: start) && (!isLast || start + run.count == name.count)) {
        guard star, start < name.count, name[start] != "/" else { return false }
        start += 1
      }
      position = start + run.count
    }
    return position == name.count
  }

  /// Whether the one-character elements of `run` match the characters of `name` from `start`.
  private static func fits(_ run: ArraySlice<Element>, _ name: [Character], at start: Int) -> Bool {
    guard run.count <= name.count - start else { return false }
    return zip(run, name[start...]).allSatisfy { accepts($0, $1) }
  }

  /// One step of a compiled glob pattern. Matching runs every way through the pattern at once
  /// (a set of steps per character of the name), so stars cost the product of pattern and
  /// name length instead of backtracking through every split, which is exponential in the
  /// number of stars; the answer is the one trying every split gives.
  private enum Instruction: Sendable {
    /// Consume one character that `element` (a literal, `?` or class) accepts.
    case one(Element)
    /// Consume any one character (but `/` only when `crossesSlash`) and stay here, or go on
    /// to the next step without consuming: `*` and `**`.
    case loop(crossesSlash: Bool)
    /// Go on to each of these steps without consuming: the start of each `{...}` alternative.
    case fork([Int])
    /// Go on to this step without consuming: the end of an alternative.
    case jump(Int)
    /// The whole pattern has matched.
    case accept
  }

  private static func compile(_ elements: ArraySlice<Element>, into program: inout [Instruction]) {
    for element in elements {
      switch element {
      case .anyRun: program.append(.loop(crossesSlash: false))
      case .anyPath: program.append(.loop(crossesSlash: true))
      case .alternatives(let options):
        let fork = program.count
        program.append(.fork([]))
        var starts: [Int] = []
        var ends: [Int] = []
        for option in options {
          starts.append(program.count)
          compile(option[...], into: &program)
          ends.append(program.count)
          program.append(.jump(0))
        }
        program[fork] = .fork(starts)
        for end in ends { program[end] = .jump(program.count) }
      case .literal, .anyOne, .characterClass: program.append(.one(element))
      }
    }
  }

  private static func globMatch(_ program: [Instruction], _ name: String) -> Bool {
    // `reached[step]` is the last position of the name at which `step` joined `current`,
    // so each step is taken at most once per position.
    var reached = [Int](repeating: -1, count: program.count)
    var current: [Int] = []
    var next: [Int] = []
    follow(program, from: 0, at: 0, reached: &reached, into: &current)
    var position = 0
    for c in name {
      position += 1
      next.removeAll(keepingCapacity: true)
      for step in current {
        switch program[step] {
        case .one(let element) where Self.accepts(element, c):
          follow(program, from: step + 1, at: position, reached: &reached, into: &next)
        case .loop(let crossesSlash) where crossesSlash || c != "/":
          follow(program, from: step, at: position, reached: &reached, into: &next)
        default:
          break
        }
      }
      guard !next.isEmpty else { return false }
      swap(&current, &next)
    }
    return current.contains { if case .accept = program[$0] { true } else { false } }
  }

  /// Adds `start` and every step reachable from it without consuming a character to
  /// `steps`, skipping those already added at `position`. Iterative: a pattern of many
  /// stars is a long chain of such steps.
  private static func follow(
    _ program: [Instruction], from start: Int, at position: Int, reached: inout [Int], into steps: inout [Int]
  ) {
    var pending = [start]
    while let step = pending.popLast() {
      guard reached[step] != position else { continue }
      reached[step] = position
      switch program[step] {
      case .jump(let target): pending.append(target)
      case .fork(let targets): pending.append(contentsOf: targets.reversed())
      case .loop:
        steps.append(step)
        pending.append(step + 1)
      case .one, .accept: steps.append(step)
      }
    }
  }

  /// Whether a one-character element accepts `c`. `?` never accepts `/`; a class can (`[^a]`
  /// matches `/`), as it does in both Go's `path.Match` and gobwas/glob.
  private static func accepts(_ element: Element, _ c: Character) -> Bool {
    switch element {
    case .literal(let expected): c == expected
    case .anyOne: c != "/"
    case .characterClass(let negated, let ranges): ranges.contains(where: { $0.contains(c) }) != negated
    case .anyRun, .anyPath, .alternatives: false
    }
  }
}
