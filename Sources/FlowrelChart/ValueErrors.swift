import FlowrelValue
import GoTemplate
import HelmFunctions

/// Errors caused by a user's value, placed at the value in the user's own file.
///
/// A chart reports a bad value with a plain Helm `required` or `fail` whose message starts
/// with the value's path (`executors[0].name: ...`); when the user gave a value at that path,
/// the message is shown at the file, line and column it came from instead of at a line of
/// the chart's templates. A message `PATH: unknown key "K"...` is placed at the key `K` of the
/// map at `PATH`; a message that starts with `unknown key "K"` at a key of the top level.
extension UserValues {
  /// `error` placed at the user's value it is about, or `error` as it is when it is about no
  /// value the user gave.
  func placing(_ error: ChartError) -> ChartError {
    switch error {
    case .template(let templateError):
      guard let message = HelmFunctions.chartMessage(of: templateError), let origin = origin(ofMessage: message)
      else { return error }
      return .invalidValue(origin: origin, message: message)
    case .schemaViolations(let file, let violations):
      return .schemaViolations(file: file, violations.map { violation in
        var placed = violation
        placed.origin = violation.isAboutKey ? origin(ofKey: violation.path) : nearestOrigin(of: violation.path)
        return placed
      })
    default:
      return error
    }
  }

  /// Where the value a chart's message is about came from (see `subject(of:)`); `nil` when
  /// the message names no value the user gave.
  func origin(ofMessage message: String) -> ValueOrigin? {
    guard let (path, isKey) = Self.subject(of: message) else { return nil }
    return isKey ? origin(ofKey: path) : origin(of: path)
  }

  /// The value a chart's message is about: the path it starts with and, for an unknown key,
  /// that key (then `isKey` is true); `nil` when the message starts with no path.
  static func subject(of message: String) -> (path: ValuePath, isKey: Bool)? {
    let unknownKey = "unknown key "
    if message.hasPrefix(unknownKey) {
      guard let key = GoQuoted.leading(message.dropFirst(unknownKey.count)) else { return nil }
      return (ValuePath([.key(key)]), true)
    }
    guard let (path, rest) = ValuePathText.leading(message[...]), rest.hasPrefix(": ") else { return nil }
    let afterPath = rest.dropFirst(2)
    if afterPath.hasPrefix(unknownKey), let key = GoQuoted.leading(afterPath.dropFirst(unknownKey.count)) {
      return (path.appending(key: key), true)
    }
    return (path, false)
  }
}

/// Reading a values path back from the text `ValuePath.description` writes: `a.b[0].c`,
/// `a["x.y"]`.
enum ValuePathText {
  /// The path at the start of `text` and the text after it; `nil` when `text` does not start
  /// with a key.
  static func leading(_ text: Substring) -> (ValuePath, rest: Substring)? {
    var components: [ValuePath.Component] = []
    var rest = text
    let stops: Set<Character> = [".", "[", "]", "\"", ":", " ", "(", ")", "\n"]
    func plainKey() -> String? {
      let key = rest.prefix { !stops.contains($0) }
      guard !key.isEmpty else { return nil }
      rest = rest.dropFirst(key.count)
      return String(key)
    }
    guard let first = plainKey() else { return nil }
    components.append(.key(first))
    while let next = rest.first {
      if next == ".", rest.count > 1 {
        rest = rest.dropFirst()
        guard let key = plainKey() else { return nil }
        components.append(.key(key))
      } else if next == "[" {
        let inside = rest.dropFirst()
        if inside.first == "\"" {
          guard let (key, length) = GoQuoted.leadingWithLength(inside), inside.dropFirst(length).first == "]" else { return nil }
          components.append(.key(key))
          rest = inside.dropFirst(length + 1)
        } else {
          let digits = inside.prefix { $0.isASCII && $0.isNumber }
          guard !digits.isEmpty, inside.dropFirst(digits.count).first == "]", let index = Int(digits) else { return nil }
          components.append(.index(index))
          rest = inside.dropFirst(digits.count + 1)
        }
      } else {
        break
      }
    }
    return (ValuePath(components), rest)
  }
}

/// A double-quoted string as Go's `%q` and `ValuePath.description` write it, read back.
enum GoQuoted {
  /// The string quoted at the start of `text`, unescaped.
  static func leading(_ text: Substring) -> String? { leadingWithLength(text)?.0 }

  /// The string quoted at the start of `text` and how many characters the quoted form
  /// takes; `nil` when `text` does not start with a quoted string this reader knows (it
  /// reads `\"`, `\\`, `\n`, `\t` and `\u`/`\U`/`\x` escapes of whole characters).
  static func leadingWithLength(_ text: Substring) -> (String, Int)? {
    guard text.first == "\"" else { return nil }
    var out = ""
    var index = text.index(after: text.startIndex)
    var length = 1
    while index < text.endIndex {
      let c = text[index]
      index = text.index(after: index)
      length += 1
      switch c {
      case "\"": return (out, length)
      case "\\":
        guard index < text.endIndex else { return nil }
        let escape = text[index]
        index = text.index(after: index)
        length += 1
        switch escape {
        case "\"", "\\": out.append(escape)
        case "n": out.append("\n")
        case "t": out.append("\t")
        case "x", "u", "U":
          let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
          let hex = text[index...].prefix(width)
          guard hex.count == width, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else { return nil }
          out.unicodeScalars.append(scalar)
          index = text.index(index, offsetBy: width)
          length += width
        default: return nil
        }
      default: out.append(c)
      }
    }
    return nil
  }
}

/// Plausible suggestions for a misspelt name: the nearest known name, only when it is close
/// enough to be the one meant.
package enum NearestName {
  /// The known name nearest to `given` by edit distance, when at most a third of `given`'s
  /// length (at least one) differs and something of it is kept: `shard` gets `shards` and
  /// `grcp` gets `grpc`, `bogus` gets nothing and neither does `c` (`a` would replace it
  /// whole). Ties go to the name first in sorted order, so the suggestion is deterministic.
  package static func suggestion(for given: String, among known: some Sequence<String>) -> String? {
    let allowed = min(max(given.count, 3) / 3, given.count - 1)
    var best: (name: String, distance: Int)?
    for name in known.sorted() where name != given {
      let distance = editDistance(given, name)
      if distance <= allowed, distance < best?.distance ?? Int.max { best = (name, distance) }
    }
    return best?.name
  }

  /// Edit distance over characters where swapping two neighbours is one edit, as in the
  /// commonest typing slip (the optimal string alignment distance).
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var beforePrevious: [Int] = []
    var previous = Array(0...b.count)
    for i in a.indices {
      var current = [i + 1]
      for j in b.indices {
        var distance = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (a[i] == b[j] ? 0 : 1))
        if i > 0, j > 0, a[i] == b[j - 1], a[i - 1] == b[j] { distance = min(distance, beforePrevious[j - 1] + 1) }
        current.append(distance)
      }
      beforePrevious = previous
      previous = current
    }
    return previous[b.count]
  }
}
