/// A parsed pattern: the tree that the compiler turns into a program.
indirect enum Node: Sendable {
  /// Matches the empty string.
  case empty
  /// One code point of the class (literals, `.`, `[...]`, `\d`, `\pL`).
  case chars(CharClass)
  /// An empty-width condition on the surrounding text.
  case assertion(Assertion)
  /// Capturing group `index` (1-based).
  case capture(Int, Node)
  /// `min` to `max` (-1: unbounded) repetitions; `counted` for `{n,m}`, which Go limits.
  case repetition(Node, min: Int, max: Int, greedy: Bool, counted: Bool)
  /// The nodes one after another.
  case concat([Node])
  /// The first node that leads to a match, in order of preference.
  case alternate([Node])

  /// Whether the node can match the empty string.
  var nullable: Bool {
    switch self {
    case .empty, .assertion: return true
    case .chars: return false
    case .capture(_, let sub): return sub.nullable
    case .repetition(let sub, let min, _, _, _): return min == 0 || sub.nullable
    case .concat(let subs): return subs.allSatisfy(\.nullable)
    case .alternate(let subs): return subs.contains(where: \.nullable)
    }
  }
}

/// The empty-width conditions: `^ $ \A \z \b \B` (`^` and `$` by line under `(?m)`).
enum Assertion: Sendable {
  case beginLine, endLine, beginText, endText, wordBoundary, noWordBoundary
}

/// The flags that `(?imsU)` sets; the defaults are Go's `regexp.Compile` (Perl syntax).
struct Flags {
  var foldCase = false
  var multiLine = false
  var dotNewline = false
  var nonGreedy = false
}

/// Go's regexp/syntax parser with the Perl flags, as a stack of open groups: it reads
/// left to right, so each error is the one Go reports first.
struct Parser {
  /// Go's limits: counted repetitions, and the height of the parse tree (which also keeps
  /// the recursion over the tree shallow).
  static let maximumRepeat = 1000
  static let maximumNesting = 1000

  private let s: [Unicode.Scalar]
  private let pattern: String
  private var i = 0
  private var flags = Flags()
  /// Open groups, innermost last; the first is the whole pattern.
  private var frames: [Frame] = [Frame(capture: nil, saved: Flags())]
  private(set) var names: [String] = [""]
  /// Where the repetition operator just read began, if the last token was one.
  private var lastRepeat: Int?

  private struct Frame {
    /// The group's index and name, nil when it does not capture.
    var capture: (index: Int, name: String)?
    /// The flags to restore at `)`.
    var saved: Flags
    /// Finished alternatives and the nodes of the current one, each with its height.
    var alternatives: [(node: Node, height: Int)] = []
    var current: [(node: Node, height: Int)] = []
  }

  init(_ pattern: String) {
    self.pattern = pattern
    s = Array(pattern.unicodeScalars)
  }

  private func text(_ from: Int, _ to: Int) -> String {
    var out = String.UnicodeScalarView()
    out.append(contentsOf: s[max(0, from)..<min(to, s.count)])
    return String(out)
  }

  private func error(_ code: String, _ from: Int, _ to: Int) -> GoRegexError {
    GoRegexError.syntax(code, text(from, to))
  }

  private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
    i + offset < s.count ? s[i + offset] : nil
  }

  /// The pattern as a tree, or Go's error for it.
  mutating func parse() throws(GoRegexError) -> Node {
    while i < s.count {
      let c = s[i]
      var repeatStart: Int?
      switch c {
      case "(":
        if peek(1) == "?" {
          try parseGroupFlags()
        } else {
          names.append("")
          open(capture: (names.count - 1, ""))
          i += 1
        }
      case "|":
        finishAlternative()
        i += 1
      case ")":
        try close()
        i += 1
      case "^":
        push(.assertion(flags.multiLine ? .beginLine : .beginText))
        i += 1
      case "$":
        push(.assertion(flags.multiLine ? .endLine : .endText))
        i += 1
      case ".":
        push(.chars(flags.dotNewline ? .any : .anyButNewline))
        i += 1
      case "[":
        try parseClass()
      case "*", "+", "?":
        let start = i
        i += 1
        try repetition(min: c == "+" ? 1 : 0, max: c == "?" ? 1 : -1, counted: false, start: start)
        repeatStart = start
      case "{":
        guard let (min, max, end) = repeatBounds() else {
          pushLiteral(c.value)
          i += 1
          break
        }
        let start = i
        i = end
        if min < 0 || min > Self.maximumRepeat || max > Self.maximumRepeat || (max >= 0 && min > max) {
          throw error("invalid repeat count", start, end)
        }
        try repetition(min: min, max: max, counted: true, start: start)
        repeatStart = start
      case "\\":
        try parseEscapeAtTop()
      default:
        pushLiteral(c.value)
        i += 1
      }
      lastRepeat = repeatStart
    }
    guard frames.count == 1, var root = frames.first else { throw GoRegexError.syntax("missing closing )", pattern) }
    root.alternatives.append(Self.concat(root.current))
    return try checked(Self.alternate(root.alternatives)).node
  }

  private static func concat(_ items: [(node: Node, height: Int)]) -> (node: Node, height: Int) {
    if items.count == 1 { return items[0] }
    if items.isEmpty { return (.empty, 1) }
    return (.concat(items.map(\.node)), 1 + items.reduce(0) { max($0, $1.height) })
  }

  private static func alternate(_ items: [(node: Node, height: Int)]) -> (node: Node, height: Int) {
    if items.count == 1 { return items[0] }
    return (.alternate(items.map(\.node)), 1 + items.reduce(0) { max($0, $1.height) })
  }

  /// `item`, if its tree is not higher than Go allows.
  private func checked(_ item: (node: Node, height: Int)) throws(GoRegexError) -> (node: Node, height: Int) {
    guard item.height <= Self.maximumNesting else { throw GoRegexError.syntax("expression nests too deeply", pattern) }
    return item
  }

  private mutating func push(_ node: Node, height: Int = 1) {
    frames[frames.count - 1].current.append((node, height))
  }

  private mutating func pushLiteral(_ c: UInt32) {
    let one = CharClass([c...c])
    push(.chars(flags.foldCase ? one.caseFolded() : one))
  }

  private mutating func open(capture: (index: Int, name: String)?) {
    frames.append(Frame(capture: capture, saved: flags))
  }

  private mutating func finishAlternative() {
    let last = frames.count - 1
    frames[last].alternatives.append(Self.concat(frames[last].current))
    frames[last].current = []
  }

  private mutating func close() throws(GoRegexError) {
    guard frames.count > 1, var frame = frames.popLast() else { throw GoRegexError.syntax("unexpected )", pattern) }
    frame.alternatives.append(Self.concat(frame.current))
    var body = Self.alternate(frame.alternatives)
    flags = frame.saved
    if let capture = frame.capture { body = (.capture(capture.index, body.node), body.height + 1) }
    let item = try checked(body)
    push(item.node, height: item.height)
  }

  /// Applies a repetition operator (read up to `i`) to the last node.
  private mutating func repetition(min: Int, max: Int, counted: Bool, start: Int) throws(GoRegexError) {
    var greedy = !flags.nonGreedy
    if peek() == "?" {
      greedy.toggle()
      i += 1
    }
    if let lastRepeat { throw error("invalid nested repetition operator", lastRepeat, i) }
    let last = frames.count - 1
    guard let sub = frames[last].current.popLast() else {
      throw error("missing argument to repetition operator", start, i)
    }
    let node = Node.repetition(sub.node, min: min, max: max, greedy: greedy, counted: counted)
    frames[last].current.append(try checked((node, sub.height + 1)))
    if counted, min >= 2 || max >= 2, !Self.repeatsWithin(node, Self.maximumRepeat) {
      throw error("invalid repeat count", start, i)
    }
  }

  /// Whether nested counted repetitions multiply to at most `limit`, as Go requires.
  private static func repeatsWithin(_ node: Node, _ limit: Int) -> Bool {
    switch node {
    case .empty, .chars, .assertion: return true
    case .capture(_, let sub): return repeatsWithin(sub, limit)
    case .concat(let subs), .alternate(let subs): return subs.allSatisfy { repeatsWithin($0, limit) }
    case .repetition(let sub, let min, let max, _, let counted):
      guard counted else { return repeatsWithin(sub, limit) }
      if max == 0 { return true }
      let times = max < 0 ? min : max
      if times > limit { return false }
      return repeatsWithin(sub, times > 0 ? limit / times : limit)
    }
  }

  /// `{n}`, `{n,}` or `{n,m}` at `i`: the bounds (-1 for a number too large, max -1 when
  /// unbounded) and the index after `}`; nil when the brace is a literal.
  private func repeatBounds() -> (Int, Int, Int)? {
    var j = i + 1
    func number() -> Int? {
      guard j < s.count, ("0"..."9").contains(s[j]) else { return nil }
      // Go refuses leading zeros, which makes the brace literal.
      if s[j] == "0", j + 1 < s.count, ("0"..."9").contains(s[j + 1]) { return nil }
      var value = 0
      while j < s.count, ("0"..."9").contains(s[j]) {
        if value >= 100_000_000 {
          value = -1
        } else if value >= 0 {
          value = value * 10 + Int(s[j].value - 48)
        }
        j += 1
      }
      return value
    }
    guard var min = number(), j < s.count else { return nil }
    var max = min
    if s[j] == "," {
      j += 1
      guard j < s.count else { return nil }
      if s[j] == "}" {
        max = -1
      } else {
        guard let upper = number() else { return nil }
        max = upper
        if upper < 0 { min = -1 }
      }
    }
    guard j < s.count, s[j] == "}" else { return nil }
    return (min, max, j + 1)
  }

  /// `(?` at `i`: a named group, a non-capturing group with flags, or a flag change.
  private mutating func parseGroupFlags() throws(GoRegexError) {
    let start = i
    let pythonName = s.count - i > 4 && s[i + 2] == "P" && s[i + 3] == "<"
    let perlName = s.count - i > 3 && s[i + 2] == "<"
    if pythonName || perlName {
      guard let end = s[i...].firstIndex(of: ">") else { throw error("invalid named capture", start, s.count) }
      let name = text(i + (pythonName ? 4 : 3), end)
      let valid = !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
      guard valid else { throw error("invalid named capture", start, end + 1) }
      names.append(name)
      open(capture: (names.count - 1, name))
      i = end + 1
      return
    }
    i += 2
    var new = flags
    var negated = false, sawFlag = false
    while i < s.count {
      let c = s[i]
      i += 1
      switch c {
      case "i": new.foldCase = !negated; sawFlag = true
      case "m": new.multiLine = !negated; sawFlag = true
      case "s": new.dotNewline = !negated; sawFlag = true
      case "U": new.nonGreedy = !negated; sawFlag = true
      case "-":
        if negated { throw error("invalid or unsupported Perl syntax", start, i) }
        negated = true
        sawFlag = false
      case ":", ")":
        if negated, !sawFlag { throw error("invalid or unsupported Perl syntax", start, i) }
        if c == ":" { open(capture: nil) }
        flags = new
        return
      default:
        throw error("invalid or unsupported Perl syntax", start, i)
      }
    }
    throw error("invalid or unsupported Perl syntax", start, i)
  }

  /// A backslash outside a class: an anchor, `\Q...\E`, a class or an escaped character.
  private mutating func parseEscapeAtTop() throws(GoRegexError) {
    if let next = peek(1) {
      switch next {
      case "A": push(.assertion(.beginText)); i += 2; return
      case "z": push(.assertion(.endText)); i += 2; return
      case "b": push(.assertion(.wordBoundary)); i += 2; return
      case "B": push(.assertion(.noWordBoundary)); i += 2; return
      case "C": throw error("invalid escape sequence", i, i + 2)
      case "Q":
        // Literal text up to `\E` or the end.
        i += 2
        while i < s.count, !(s[i] == "\\" && peek(1) == "E") {
          pushLiteral(s[i].value)
          i += 1
        }
        if i < s.count { i += 2 }
        return
      default: break
      }
    }
    if let ranges = try unicodeClass() ?? perlClass() {
      push(.chars(ranges))
      return
    }
    pushLiteral(try escape())
  }

  /// `\pX`, `\p{Name}`, `\PX`, `\P{^Name}` at `i`, folded under `(?i)`; nil if not one.
  private mutating func unicodeClass() throws(GoRegexError) -> CharClass? {
    guard peek() == "\\", let p = peek(1), p == "p" || p == "P" else { return nil }
    let start = i
    var negated = p == "P"
    var name: String
    var end: Int
    if peek(2) == "{" {
      guard let close = s[i...].firstIndex(of: "}") else { throw error("invalid character class range", start, s.count) }
      name = text(i + 3, close)
      end = close + 1
    } else {
      end = min(i + 3, s.count)
      name = text(i + 2, end)
    }
    let sequence = text(start, end)
    if name.hasPrefix("^") {
      negated.toggle()
      name.removeFirst()
    }
    guard let table = UnicodeTables.table(name) else { throw GoRegexError.syntax("invalid character class range", sequence) }
    i = end
    var set = CharClass(table)
    if flags.foldCase, name != "Any" { set = set.caseFolded() }
    return negated ? set.negated() : set
  }

  /// `\d \D \s \S \w \W` at `i`, folded under `(?i)`; nil if not one.
  private mutating func perlClass() -> CharClass? {
    guard peek() == "\\", let letter = peek(1), let (ranges, negated) = NamedClasses.perl(letter) else { return nil }
    i += 2
    return Self.named(ranges, negated: negated, fold: flags.foldCase)
  }

  private static func named(_ ranges: [ClosedRange<UInt32>], negated: Bool, fold: Bool) -> CharClass {
    var set = CharClass(ranges)
    if fold { set = set.caseFolded() }
    return negated ? set.negated() : set
  }

  /// An escaped character at `i` (a backslash): its code point (a surrogate such as
  /// `\x{D800}` is allowed, as in Go, and matches nothing).
  private mutating func escape() throws(GoRegexError) -> UInt32 {
    let start = i
    i += 1
    guard i < s.count else { throw GoRegexError.syntax("trailing backslash at end of expression", "") }
    let c = s[i]
    i += 1
    func octal(_ k: Int) -> UInt32? {
      k < s.count && ("0"..."7").contains(s[k]) ? s[k].value - 48 : nil
    }
    func hex(_ c: Unicode.Scalar) -> UInt32? { c.isASCII ? UInt32(String(c), radix: 16) : nil }
    var value: UInt32?
    switch c {
    case "1"..."7" where octal(i) == nil:
      break  // a back-reference, which RE2 does not have
    case "0"..."7":
      var r = c.value - 48
      for _ in 1..<3 {
        guard let d = octal(i) else { break }
        r = r * 8 + d
        i += 1
      }
      value = r
    case "x":
      guard i < s.count else { break }
      let first = s[i]
      i += 1
      if first == "{" {
        var r: UInt32 = 0, digits = 0, closed = false
        while i < s.count {
          let d = s[i]
          i += 1
          if d == "}" {
            closed = true
            break
          }
          guard let v = hex(d) else { break }
          r = r * 16 + v
          if r > CharClass.maxRune { break }
          digits += 1
        }
        if closed, digits > 0 { value = r }
      } else {
        let second = i < s.count ? s[i] : nil
        if i < s.count { i += 1 }
        if let x = hex(first), let second, let y = hex(second) { value = x * 16 + y }
      }
    case "a": value = 7
    case "f": value = 12
    case "n": value = 10
    case "r": value = 13
    case "t": value = 9
    case "v": value = 11
    default:
      if c.isASCII, !c.properties.isAlphabetic, !("0"..."9").contains(c) { value = c.value }
    }
    guard let value else { throw error("invalid escape sequence", start, i) }
    return value
  }

  /// A bracketed class at `i`: ranges, `[:name:]`, `\p` and Perl classes, escapes; folded
  /// under `(?i)` before a leading `^` negates it.
  private mutating func parseClass() throws(GoRegexError) {
    let start = i
    i += 1
    var negated = false
    if peek() == "^" {
      negated = true
      i += 1
    }
    var set = CharClass([])
    var first = true
    while i >= s.count || s[i] != "]" || first {
      first = false
      if peek() == "[", peek(1) == ":", let close = posixEnd() {
        let name = text(i, close)
        let inner = text(i + 2, close - 2)
        let negatedName = inner.hasPrefix("^")
        guard let ranges = NamedClasses.posix[negatedName ? String(inner.dropFirst()) : inner] else {
          throw GoRegexError.syntax("invalid character class range", name)
        }
        i = close
        set = set.union(Self.named(ranges, negated: negatedName, fold: flags.foldCase))
        continue
      }
      if let unicode = try unicodeClass() {
        set = set.union(unicode)
        continue
      }
      if let perl = perlClass() {
        set = set.union(perl)
        continue
      }
      let rangeStart = i
      let low = try classChar(start)
      var high = low
      if i + 1 < s.count, s[i] == "-", s[i + 1] != "]" {
        i += 1
        high = try classChar(start)
        if high < low { throw error("invalid character class range", rangeStart, i) }
      }
      let range = CharClass([low...high])
      set = set.union(flags.foldCase ? range.caseFolded() : range)
    }
    i += 1
    push(.chars(negated ? set.negated() : set))
  }

  /// The index after `:]` when `[:` at `i` starts a POSIX class name.
  private func posixEnd() -> Int? {
    var j = i + 2
    while j + 1 < s.count {
      if s[j] == ":", s[j + 1] == "]" { return j + 2 }
      j += 1
    }
    return nil
  }

  /// One character of a class at `i`, escaped or not; the class began at `classStart`.
  private mutating func classChar(_ classStart: Int) throws(GoRegexError) -> UInt32 {
    guard i < s.count else { throw error("missing closing ]", classStart, s.count) }
    if s[i] == "\\" { return try escape() }
    i += 1
    return s[i - 1].value
  }
}
