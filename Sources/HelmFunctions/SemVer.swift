import FlowrelSemVer
import GoTemplate

// Sprig's semver functions (semver.md), on FlowrelSemVer's Masterminds-compatible rules.

extension Library {
  mutating func addSemVer() {
    add("semver", plain: { a in
      try a.expectCount(1)
      return .object(VersionObject(version: try readVersion(try a.string(at: 0))))
    })
    add("semverCompare", plain: { a in
      try a.expectCount(2)
      let text = try a.string(at: 0)
      let constraint: VersionConstraint
      // Masterminds' messages, which chart authors know from Helm.
      do throws(SemVerError) { constraint = try VersionConstraint(text) } catch { throw failure("improper constraint: \(text)") }
      return .bool(constraint.isSatisfied(by: try readVersion(try a.string(at: 1))))
    })
  }
}

/// A lenient version, or Masterminds' error.
private func readVersion(_ text: String) throws(HelmFunctionsError) -> SemanticVersion {
  do { return try SemanticVersion(text) } catch { throw failure("Invalid Semantic Version") }
}

/// Masterminds' `*semver.Version` as templates see it: `.Major`, `.Minor`, `.Patch`,
/// `.Prerelease`, `.Metadata`, `.Original`, `.String`, comparisons with another version.
struct VersionObject: TemplateObject {
  let version: SemanticVersion

  var goTypeName: String { "*semver.Version" }
  /// `%v` prints the version through its `String` method.
  var formatted: String { version.description }

  func member(named name: String) -> TemplateMember? {
    switch name {
    case "Major": return .field(.uint(version.major))
    case "Minor": return .field(.uint(version.minor))
    case "Patch": return .field(.uint(version.patch))
    case "Prerelease": return .field(.string(version.prerelease))
    case "Metadata": return .field(.string(version.metadata))
    case "Original": return .field(.string(version.original))
    case "String": return .field(.string(version.description))
    case "Compare": return comparison { .int(Int64(SemanticVersion.compare(version, $0))) }
    case "LessThan": return comparison { .bool(version < $0) }
    case "GreaterThan": return comparison { .bool($0 < version) }
    case "Equal": return comparison { .bool(version == $0) }
    default: return nil
    }
  }

  /// A method taking one other `*semver.Version`.
  private func comparison(_ body: @escaping @Sendable (SemanticVersion) -> TemplateValue) -> TemplateMember {
    .method(
      TemplateFunction(goTypeName: "func(*semver.Version) int") { arguments, _ in
        try arguments.expectCount(1)
        guard case .object(let object) = arguments[0], let other = object as? VersionObject else {
          throw TemplateArguments.typeError(arguments[0], expected: "*semver.Version")
        }
        return body(other.version)
      })
  }
}
