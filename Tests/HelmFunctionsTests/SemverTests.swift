import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's semver.md: the version object and constraint checks.
@Suite struct SemverTests {
  func member(_ value: TemplateValue, _ name: String) -> TemplateValue? {
    guard case .object(let object) = value, case .field(let field)? = object.member(named: name) else { return nil }
    return field
  }

  @Test func versionObjectHasMastermindsFields() throws {
    let version = try call("semver", "1.2.3-alpha.1+123")
    #expect(member(version, "Major").map(goFormat) == "1")
    #expect(member(version, "Major")?.goTypeName == "uint64")
    #expect(member(version, "Minor").map(goFormat) == "2")
    #expect(member(version, "Patch").map(goFormat) == "3")
    #expect(member(version, "Prerelease").map(goFormat) == "alpha.1")
    #expect(member(version, "Metadata").map(goFormat) == "123")
    #expect(member(version, "Original").map(goFormat) == "1.2.3-alpha.1+123")
    #expect(version.goTypeName == "*semver.Version")
  }

  @Test func lenientVersionsPrintNormalised() throws {
    let version = try call("semver", "v1.2")
    #expect(goFormat(version) == "1.2.0")
    #expect(member(version, "Original").map(goFormat) == "v1.2")
    #expect(failure("semver", "not.a.version")?.hasPrefix("Invalid Semantic Version") == true)
  }

  @Test func documentedConstraints() throws {
    #expect(try show("semverCompare", "1.2.3", "1.2.3") == "true")
    #expect(try show("semverCompare", "^1.2.0", "1.2.3") == "true")
    #expect(try show("semverCompare", "^1.2.0", "2.0.0") == "false")
    #expect(try show("semverCompare", "~1.2.0", "1.2.9") == "true")
    #expect(try show("semverCompare", ">= 1.2, < 3.0.0 || >= 4.2.3", "4.5.0") == "true")
    #expect(try show("semverCompare", "1.2 - 1.4.5", "1.3.0") == "true")
  }

  @Test func kubernetesStyleConstraintsWithPrereleases() throws {
    #expect(try show("semverCompare", ">=1.21-0", "v1.25.3-gke.1000") == "true")
    #expect(try show("semverCompare", ">=1.21", "v1.25.3-gke.1000") == "false")
    #expect(try show("semverCompare", "<1.19-0", "1.18.0") == "true")
  }

  @Test func badInputFails() {
    #expect(failure("semverCompare", "!!", "1.0.0") == "improper constraint: !!")
    #expect(failure("semverCompare", ">1", "x") == "Invalid Semantic Version")
    #expect(failure("semverCompare", ">1", 1) == "wrong type for value; expected string; got int")
  }
}

