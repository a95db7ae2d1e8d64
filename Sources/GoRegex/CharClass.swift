/// A set of code points as sorted, disjoint, non-adjacent closed ranges: what one
/// instruction of a program matches (a literal, `.`, a class).
struct CharClass: Sendable, Equatable {
  /// The largest code point, as Go's `unicode.MaxRune`.
  static let maxRune: UInt32 = 0x10FFFF

  private(set) var ranges: [ClosedRange<UInt32>]

  /// The class of `ranges` in any order, overlapping or not.
  init(_ ranges: [ClosedRange<UInt32>]) {
    self.ranges = Self.normalized(ranges)
  }

  static let any = CharClass([0...maxRune])
  static let anyButNewline = CharClass([0...9, 11...maxRune])

  var isEmpty: Bool { ranges.isEmpty }

  func contains(_ c: UInt32) -> Bool {
    var low = 0, high = ranges.count
    while low < high {
      let mid = (low + high) / 2
      if ranges[mid].upperBound < c {
        low = mid + 1
      } else if ranges[mid].lowerBound > c {
        high = mid
      } else {
        return true
      }
    }
    return false
  }

  /// Every code point not in the class.
  func negated() -> CharClass {
    var out: [ClosedRange<UInt32>] = []
    var next: UInt32 = 0
    for r in ranges {
      if r.lowerBound > next { out.append(next...(r.lowerBound - 1)) }
      if r.upperBound == Self.maxRune { return CharClass(out) }
      next = r.upperBound + 1
    }
    out.append(next...Self.maxRune)
    return CharClass(out)
  }

  func union(_ other: CharClass) -> CharClass { CharClass(ranges + other.ranges) }

  /// The class with every member's simple case-folding orbit added, as `(?i)` reads it.
  func caseFolded() -> CharClass {
    var added = ranges
    let folding = UnicodeTables.foldingPoints
    for r in ranges {
      // The folding points inside `r`, found by binary search in the sorted list.
      var low = 0, high = folding.count
      while low < high {
        let mid = (low + high) / 2
        if folding[mid] < r.lowerBound { low = mid + 1 } else { high = mid }
      }
      var i = low
      while i < folding.count, folding[i] <= r.upperBound {
        for member in UnicodeTables.orbit(of: folding[i]) { added.append(member...member) }
        i += 1
      }
    }
    return CharClass(added)
  }

  private static func normalized(_ input: [ClosedRange<UInt32>]) -> [ClosedRange<UInt32>] {
    let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
    var out: [ClosedRange<UInt32>] = []
    out.reserveCapacity(sorted.count)
    for r in sorted {
      if let last = out.last, r.lowerBound <= last.upperBound &+ 1 {
        out[out.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
      } else {
        out.append(r)
      }
    }
    return out
  }
}

/// Go's named classes: Perl's `\d \s \w` and POSIX's `[:name:]`, all ASCII.
enum NamedClasses {
  static let digit: [ClosedRange<UInt32>] = [0x30...0x39]
  static let space: [ClosedRange<UInt32>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]
  static let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]

  /// Perl's class for the letter after a backslash, and whether it is negated (`\D`).
  static func perl(_ letter: Unicode.Scalar) -> (ranges: [ClosedRange<UInt32>], negated: Bool)? {
    switch letter {
    case "d": return (digit, false)
    case "D": return (digit, true)
    case "s": return (space, false)
    case "S": return (space, true)
    case "w": return (word, false)
    case "W": return (word, true)
    default: return nil
    }
  }

  static let posix: [String: [ClosedRange<UInt32>]] = [
    "alnum": [0x30...0x39, 0x41...0x5A, 0x61...0x7A],
    "alpha": [0x41...0x5A, 0x61...0x7A],
    "ascii": [0x00...0x7F],
    "blank": [0x09...0x09, 0x20...0x20],
    "cntrl": [0x00...0x1F, 0x7F...0x7F],
    "digit": digit,
    "graph": [0x21...0x7E],
    "lower": [0x61...0x7A],
    "print": [0x20...0x7E],
    "punct": [0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E],
    "space": [0x09...0x0D, 0x20...0x20],
    "upper": [0x41...0x5A],
    "word": word,
    "xdigit": [0x30...0x39, 0x41...0x46, 0x61...0x66],
  ]

  /// Whether `c` is an ASCII word character, as `\b` reads it.
  static func isWord(_ c: UInt32) -> Bool {
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || (c >= 0x61 && c <= 0x7A)
  }
}

/// The Unicode tables of UnicodeTables.swift, parsed on first use.
enum UnicodeTables {
  /// The ranges of a `\p{name}` class: `Any`, a general category (one or two letters) or a
  /// script, as Go names them; nil for an unknown name.
  static func table(_ name: String) -> [ClosedRange<UInt32>]? {
    if name == "Any" { return [0...CharClass.maxRune] }
    if name.unicodeScalars.count == 1 {
      // A major category is the union of its two-letter ones; Go's `C` leaves out
      // unassigned code points (Cn), which the data does not list.
      let members = categories.filter { $0.key.hasPrefix(name) }
      return members.isEmpty ? nil : members.keys.sorted().flatMap { categories[$0] ?? [] }
    }
    return categories[name] ?? scripts[name]
  }

  static let categories = parse(categoryData)
  static let scripts = parse(scriptData)

  /// Code point to the sorted members of its case-folding orbit (for those that have one).
  static let orbits: [UInt32: [UInt32]] = {
    var out: [UInt32: [UInt32]] = [:]
    for line in foldData.split(separator: "\n") {
      let members = line.split(separator: " ").compactMap { UInt32($0, radix: 16) }
      for m in members { out[m] = members }
    }
    return out
  }()

  /// Every code point that has an orbit, sorted.
  static let foldingPoints: [UInt32] = orbits.keys.sorted()

  /// The code points equal to `c` under simple case folding, `c` included.
  static func orbit(of c: UInt32) -> [UInt32] { orbits[c] ?? [c] }

  private static func parse(_ data: String) -> [String: [ClosedRange<UInt32>]] {
    var out: [String: [ClosedRange<UInt32>]] = [:]
    for line in data.split(separator: "\n") {
      let fields = line.split(separator: " ")
      guard let name = fields.first else { continue }
      out[String(name)] = fields.dropFirst().compactMap { field in
        let bounds = field.split(separator: "-").compactMap { UInt32($0, radix: 16) }
        guard let low = bounds.first, let high = bounds.last, low <= high else { return nil }
        return low...high
      }
    }
    return out
  }
}
