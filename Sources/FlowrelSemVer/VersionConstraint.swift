/// A version range as Helm writes them (`>=1.21.0-0`, `^1.2`, `~1.2.x`, `1.2 - 1.4`,
/// `>= 1.2, < 3 || >= 4.2.3`), with the npm-style rules of Helm's semver library:
/// a version with a pre-release matches a comparison only when that comparison names a
/// pre-release too (hence the common `-0` suffix).
package struct VersionConstraint: Sendable, CustomStringConvertible {
  /// The alternatives (`||`); each is a list of comparisons that must all hold.
  let alternatives: [[Comparison]]
  /// The text the constraint was read from.
  package let text: String

  package var description: String { text }

  /// One comparison: an operator and a version that may end in wildcards.
  struct Comparison: Sendable {
    enum Operator: String, Sendable {
      case equal = "=", notEqual = "!=", greater = ">", less = "<", greaterOrEqual = ">=",
        lessOrEqual = "<=", tilde = "~", caret = "^"
    }
    var op: Operator
    var version: SemanticVersion
    /// How many numbers were given before a wildcard or the end: 1 for `1`, `1.x`; 3 for `1.2.3`.
    var precision: Int

    func matches(_ v: SemanticVersion) -> Bool {
      // A pre-release version only satisfies comparisons that ask about pre-releases.
      if !v.prerelease.isEmpty, version.prerelease.isEmpty { return false }
      let c = version
      switch op {
      case .equal:
        return precision < 3 ? tildeMatch(v) : v == c
      case .notEqual:
        return precision < 3 ? !tildeMatch(v) : v != c
      case .greater:
        switch precision {
        case 1: return v.major > c.major
        case 2: return v.major > c.major || (v.major == c.major && v.minor > c.minor)
        default: return v > c
        }
      case .less:
        return v < c
      case .greaterOrEqual:
        return v >= c
      case .lessOrEqual:
        switch precision {
        case 1: return v.major <= c.major
        case 3: return v <= c
        // Helm's library reads `<=*` like `<=0.0.x`; kept for compatibility.
        default: return v.major < c.major || (v.major == c.major && v.minor <= c.minor)
        }
      case .tilde:
        return tildeMatch(v)
      case .caret:
        guard v >= c else { return false }
        if c.major > 0 || precision == 1 { return v.major == c.major }
        if c.minor > 0 || precision == 2 { return v.major == 0 && v.minor == c.minor }
        return v.major == 0 && v.minor == 0 && v.patch == c.patch
      }
    }

    /// `~1.2.3` is `>=1.2.3 <1.3.0`; `~1` and `~1.x` are `>=1 <2`.
    private func tildeMatch(_ v: SemanticVersion) -> Bool {
      guard v >= version else { return false }
      // `~*` and (in Helm's library) `~0.0.0` accept every version.
      if precision != 1 && precision != 2 && version == SemanticVersion(major: 0, minor: 0, patch: 0) { return true }
      guard v.major == version.major else { return false }
      return precision == 1 || v.minor == version.minor
    }
  }

  /// Reads a constraint.
  package init(_ text: String) throws(SemVerError) {
    self.text = text
    var alternatives: [[Comparison]] = []
    for alternative in text.split(separator: "||", omittingEmptySubsequences: false).map({ String($0) }) {
      let comparisons = try Self.parseConjunction(alternative, in: text)
      guard !comparisons.isEmpty else { throw SemVerError("improper constraint: \"\(text)\"") }
      alternatives.append(comparisons)
    }
    self.alternatives = alternatives
  }

  /// Whether `version` satisfies the constraint.
  package func isSatisfied(by version: SemanticVersion) -> Bool {
    alternatives.contains { $0.allSatisfy { $0.matches(version) } }
  }

  /// Comparisons separated by commas or spaces, where an operator may be followed by
  /// spaces (`>= 1.2`) and `A - B` is a range.
  private static func parseConjunction(_ text: String, in whole: String) throws(SemVerError) -> [Comparison] {
    var tokens = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
    // Join a lone operator with the version after it: ">=", "1.2" -> ">=1.2".
    var joined: [String] = []
    while !tokens.isEmpty {
      let token = tokens.removeFirst()
      if token.allSatisfy({ "=!<>~^".contains($0) }), token != "-", let next = tokens.first {
        tokens.removeFirst()
        joined.append(token + next)
      } else {
        joined.append(token)
      }
    }
    var comparisons: [Comparison] = []
    var index = 0
    while index < joined.count {
      if index + 2 < joined.count, joined[index + 1] == "-" {
        let low = try parseComparison(joined[index], in: whole)
        let high = try parseComparison(joined[index + 2], in: whole)
        guard low.op == .equal, high.op == .equal else { throw SemVerError("improper constraint: \"\(whole)\"") }
        comparisons.append(Comparison(op: .greaterOrEqual, version: low.version, precision: low.precision))
        comparisons.append(Comparison(op: .lessOrEqual, version: high.version, precision: high.precision))
        index += 3
        continue
      }
      comparisons.append(try parseComparison(joined[index], in: whole))
      index += 1
    }
    return comparisons
  }

  private static func parseComparison(_ token: String, in whole: String) throws(SemVerError) -> Comparison {
    let operators: [(String, Comparison.Operator)] = [
      ("!=", .notEqual), (">=", .greaterOrEqual), ("=>", .greaterOrEqual), ("<=", .lessOrEqual),
      ("=<", .lessOrEqual), ("~>", .tilde), (">", .greater), ("<", .less), ("=", .equal), ("~", .tilde), ("^", .caret),
    ]
    var op = Comparison.Operator.equal
    var rest = Substring(token)
    for (symbol, candidate) in operators where rest.hasPrefix(symbol) {
      op = candidate
      rest = rest.dropFirst(symbol.count)
      break
    }
    if rest.first == "v" { rest = rest.dropFirst() }
    // Split off a pre-release/build suffix before looking for wildcards in the numbers.
    let suffixStart = rest.firstIndex(where: { $0 == "-" || $0 == "+" }) ?? rest.endIndex
    let parts = rest[..<suffixStart].split(separator: ".", omittingEmptySubsequences: false)
    guard (1...3).contains(parts.count) else { throw SemVerError("improper constraint: \"\(whole)\"") }
    var numbers: [String] = []
    var precision = 0
    for part in parts {
      if part == "x" || part == "X" || part == "*" {
        break
      }
      guard numbers.count == precision else { throw SemVerError("improper constraint: \"\(whole)\"") }
      numbers.append(String(part))
      precision += 1
    }
    // A wildcard ends the numbers: `1.x.3` is not a range.
    guard parts[precision...].allSatisfy({ $0 == "x" || $0 == "X" || $0 == "*" }) else {
      throw SemVerError("improper constraint: \"\(whole)\"")
    }
    let versionText = (numbers.isEmpty ? "0" : numbers.joined(separator: ".")) + rest[suffixStart...]
    let version: SemanticVersion
    do {
      version = try SemanticVersion(versionText)
    } catch {
      throw SemVerError("improper constraint: \"\(whole)\" (\(error.message))")
    }
    // Numbers left out count as wildcards (`>1.2` is `>1.2.x`), as in Helm's library.
    return Comparison(op: op, version: version, precision: precision)
  }
}
