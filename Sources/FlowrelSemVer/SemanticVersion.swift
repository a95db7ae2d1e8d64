/// Why a version or a version constraint could not be read.
package struct SemVerError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, naming the text that was read.
  package let message: String

  /// An error with this message.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}

/// A Semantic Version 2.0.0 (`1.2.3-rc.1+build.5`).
///
/// `init(strict:)` accepts exactly the SemVer 2 grammar (for `Chart.yaml`'s `version`);
/// `init(_:)` also accepts what Helm's semver library coerces: a leading `v`, and a missing
/// minor or patch number (`v1.2` is `1.2.0`).
package struct SemanticVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The major number.
  package var major: UInt64
  /// The minor number.
  package var minor: UInt64
  /// The patch number.
  package var patch: UInt64
  /// The pre-release identifiers joined with dots, or empty.
  package var prerelease: String
  /// The build metadata, or empty; it takes no part in comparisons.
  package var metadata: String
  /// The text this version was read from.
  package var original: String

  /// A version from its parts.
  package init(major: UInt64, minor: UInt64, patch: UInt64, prerelease: String = "", metadata: String = "") {
    self.major = major
    self.minor = minor
    self.patch = patch
    self.prerelease = prerelease
    self.metadata = metadata
    self.original = ""
    self.original = description
  }

  /// Reads a version leniently, as Helm's `semver` template function and constraint checks do.
  package init(_ text: String) throws(SemVerError) {
    try self.init(text, strict: false)
  }

  /// Reads a version that must follow the SemVer 2 grammar exactly: three numbers without
  /// leading zeros, no `v` prefix.
  package init(strict text: String) throws(SemVerError) {
    try self.init(text, strict: true)
  }

  private init(_ text: String, strict: Bool) throws(SemVerError) {
    original = text
    var rest = Substring(text)
    if !strict, rest.first == "v" { rest = rest.dropFirst() }
    var build = ""
    if let plus = rest.firstIndex(of: "+") {
      build = String(rest[rest.index(after: plus)...])
      rest = rest[..<plus]
      try Self.checkIdentifiers(build, in: text, numericRules: false)
    }
    var pre = ""
    if let dash = rest.firstIndex(of: "-") {
      pre = String(rest[rest.index(after: dash)...])
      rest = rest[..<dash]
      try Self.checkIdentifiers(pre, in: text, numericRules: strict)
    }
    let numbers = rest.split(separator: ".", omittingEmptySubsequences: false)
    guard (strict ? 3...3 : 1...3).contains(numbers.count) else {
      throw SemVerError(strict
        ? "\"\(text)\" is not a semantic version: it needs MAJOR.MINOR.PATCH, such as 1.2.3"
        : "\"\(text)\" is not a semantic version")
    }
    var parsed: [UInt64] = []
    for number in numbers {
      guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let value = UInt64(number) else {
        throw SemVerError("\"\(text)\" is not a semantic version: \"\(number)\" is not a number")
      }
      if strict, number.count > 1, number.first == "0" {
        throw SemVerError("\"\(text)\" is not a semantic version: \"\(number)\" has a leading zero")
      }
      parsed.append(value)
    }
    major = parsed[0]
    minor = parsed.count > 1 ? parsed[1] : 0
    patch = parsed.count > 2 ? parsed[2] : 0
    prerelease = pre
    metadata = build
  }

  /// Pre-release and build identifiers: dot-separated, non-empty, `[0-9A-Za-z-]`; in strict
  /// mode numeric pre-release identifiers may not have leading zeros.
  private static func checkIdentifiers(_ text: String, in original: String, numericRules: Bool) throws(SemVerError) {
    for identifier in text.split(separator: ".", omittingEmptySubsequences: false) {
      guard !identifier.isEmpty,
        identifier.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
      else {
        throw SemVerError("\"\(original)\" is not a semantic version: invalid identifier \"\(identifier)\"")
      }
      if numericRules, identifier.count > 1, identifier.first == "0", identifier.allSatisfy(\.isNumber) {
        throw SemVerError("\"\(original)\" is not a semantic version: \"\(identifier)\" has a leading zero")
      }
    }
  }

  /// The canonical form: `1.2.3-rc.1+build`.
  package var description: String {
    var text = "\(major).\(minor).\(patch)"
    if !prerelease.isEmpty { text += "-" + prerelease }
    if !metadata.isEmpty { text += "+" + metadata }
    return text
  }

  /// SemVer precedence: numbers, then a version with a pre-release before one without, then
  /// pre-release identifiers one by one (numbers below words, numbers by value, words in
  /// ASCII order, fewer identifiers first). Build metadata is ignored.
  package static func < (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
    compare(lhs, rhs) < 0
  }

  /// Equality by precedence: build metadata is ignored, as SemVer says.
  package static func == (lhs: SemanticVersion, rhs: SemanticVersion) -> Bool {
    compare(lhs, rhs) == 0
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(major)
    hasher.combine(minor)
    hasher.combine(patch)
    hasher.combine(prerelease)
  }

  /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs` in precedence.
  package static func compare(_ lhs: SemanticVersion, _ rhs: SemanticVersion) -> Int {
    for (a, b) in [(lhs.major, rhs.major), (lhs.minor, rhs.minor), (lhs.patch, rhs.patch)] where a != b {
      return a < b ? -1 : 1
    }
    switch (lhs.prerelease.isEmpty, rhs.prerelease.isEmpty) {
    case (true, true): return 0
    case (true, false): return 1
    case (false, true): return -1
    case (false, false): break
    }
    let left = lhs.prerelease.split(separator: ".", omittingEmptySubsequences: false)
    let right = rhs.prerelease.split(separator: ".", omittingEmptySubsequences: false)
    for (a, b) in zip(left, right) where a != b {
      switch (UInt64(a), UInt64(b)) {
      case (let x?, let y?): return x < y ? -1 : 1
      case (.some, nil): return -1
      case (nil, .some): return 1
      case (nil, nil): return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
      }
    }
    return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
  }
}
