import Foundation
import Synchronization
import GoRegex
import GoTemplate

// Sprig's regular expressions (regex.md): each function calls Go's regexp as Sprig's
// regex.go does, through GoRegex, which has Go's syntax, errors and matching rules.

extension Library {
  mutating func addRegex() {
    // Go's regexMatch ignores a bad pattern and answers false.
    add("regexMatch", plain: { a in
      try a.expectCount(2)
      guard let regex = try? compiledRegex(try a.string(at: 0)) else { return false }
      return .bool(regex.matches(try a.string(at: 1)))
    })
    add("mustRegexMatch", plain: { a in
      try a.expectCount(2)
      return .bool(try compiledRegex(try a.string(at: 0)).matches(try a.string(at: 1)))
    })
    // The plain forms compile with regexp.MustCompile, whose panic names the pattern; the
    // must forms return regexp.Compile's error.
    for must in [false, true] {
      func name(_ base: String) -> String { must ? "must" + base.prefix(1).uppercased() + base.dropFirst() : base }
      @Sendable func compile(_ a: TemplateArguments) throws -> GoRegex {
        let pattern = try a.string(at: 0)
        do { return try compiledRegex(pattern) } catch {
          throw must ? failure(error.message) : failure("regexp: Compile(`\(pattern)`): \(error.message)")
        }
      }
      add(name("regexFind"), plain: { a in
        try a.expectCount(2)
        return .string(try compile(a).firstMatch(in: try a.string(at: 1))?.text ?? "")
      })
      add(name("regexFindAll"), plain: { a in
        try a.expectCount(3)
        let matches = try compile(a).allMatches(in: try a.string(at: 1), limit: Int(try a.int(at: 2)))
        return stringList(matches.map(\.text))
      })
      add(name("regexReplaceAll"), plain: { a in
        try a.expectCount(3)
        return .string(try compile(a).replacingAll(in: try a.string(at: 1), with: try a.string(at: 2)))
      })
      add(name("regexReplaceAllLiteral"), plain: { a in
        try a.expectCount(3)
        return .string(try compile(a).replacingAll(in: try a.string(at: 1), with: try a.string(at: 2), literal: true))
      })
      add(name("regexSplit"), plain: { a in
        try a.expectCount(3)
        return stringList(try compile(a).split(try a.string(at: 1), limit: Int(try a.int(at: 2))))
      })
    }
    add("regexQuoteMeta", plain: { a in
      try a.expectCount(1)
      return .string(GoRegex.quoteMeta(try a.string(at: 0)))
    })
  }
}

/// The compiled form of `pattern`, from a cache shared by all executions: charts call the
/// regex functions with the same few patterns for every object, and compiling costs more
/// than matching.
func compiledRegex(_ pattern: String) throws(GoRegexError) -> GoRegex {
  if let cached = RegexCache.shared.regex(for: pattern) { return cached }
  let regex = try GoRegex(pattern)
  RegexCache.shared.store(regex, for: pattern)
  return regex
}

/// Compiled patterns by source text. A GoRegex is immutable and safe to share between
/// threads; the dictionary is behind a mutex. Patterns built from data could be many,
/// so the cache starts over when it is full instead of growing without bound.
final class RegexCache: Sendable {
  static let shared = RegexCache()
  static let capacity = 256

  private let regexes = Mutex<[String: GoRegex]>([:])

  func regex(for pattern: String) -> GoRegex? {
    regexes.withLock { $0[pattern] }
  }

  func store(_ regex: GoRegex, for pattern: String) {
    regexes.withLock { regexes in
      if regexes.count >= Self.capacity { regexes.removeAll(keepingCapacity: true) }
      regexes[pattern] = regex
    }
  }
}
