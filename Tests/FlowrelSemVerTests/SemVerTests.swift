import Testing
import FlowrelSemVer

@Suite struct SemanticVersionTests {
  @Test(arguments: ["1.2.3", "0.0.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-0.3.7", "1.0.0-x.7.z.92",
    "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "1.0.0-x-y-z.--", "10.20.30"])
  func strictAcceptsSemVer2(text: String) throws {
    #expect(try SemanticVersion(strict: text).description == text)
  }

  @Test(arguments: ["1.2", "v1.2.3", "01.2.3", "1.02.3", "1.2.3-01", "1.2.3-", "1.2.3+", "1.2.3-a..b",
    "1.2.3.4", "", "a.b.c", "1.2.3-ü", " 1.2.3", "-1.2.3"])
  func strictRefusesEverythingElse(text: String) {
    #expect(throws: SemVerError.self) { try SemanticVersion(strict: text) }
  }

  @Test(arguments: [("v1.2", "1.2.0"), ("1", "1.0.0"), ("v2.3.4-rc.1+b7", "2.3.4-rc.1+b7"), ("1.2.3", "1.2.3")])
  func lenientCoercesAsHelmDoes(text: String, canonical: String) throws {
    let version = try SemanticVersion(text)
    #expect(version.description == canonical)
    #expect(version.original == text)
  }

  @Test func precedenceFollowsTheSpecification() throws {
    // The ordering example of semver.org, item 11.
    let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
      "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"]
    let versions = try ordered.map { try SemanticVersion(strict: $0) }
    #expect(versions.shuffled().sorted() == versions)
    for (a, b) in zip(versions, versions.dropFirst()) { #expect(a < b, "\(a) < \(b)") }
    #expect(try SemanticVersion("1.0.0+a") == SemanticVersion("1.0.0+b"), "build metadata does not count")
  }
}

@Suite struct VersionConstraintTests {
  @Test(arguments: [
    (">=1.21-0", "1.32.4", true), (">=1.21-0", "1.32.4-gke.100", true), (">=1.21-0", "1.20.9", false),
    (">=1.21", "1.32.4-gke.100", false), (">= 1.2.3", "1.3.0", true), (">=1.2.3", "1.2.2", false),
    ("<1.2.3", "1.2.2", true), ("<1.2.3", "1.2.3", false), ("=1.2.3", "1.2.3", true), ("1.2.3", "1.2.4", false),
    ("!=1.2.3", "1.2.4", true), ("!=1.2.3", "1.2.3", false),
    ("1.2.x", "1.2.9", true), ("1.2.x", "1.3.0", false), ("=1.2", "1.2.7", true), ("1", "1.9.9", true), ("1", "2.0.0", false),
    (">1.2", "1.2.9", false), (">1.2", "1.3.0", true), (">1", "1.9.0", false), (">1", "2.0.0", true), (">1.2.3", "1.2.4", true),
    ("<=1.2", "1.2.9", true), ("<=1.2", "1.3.0", false), ("<=2.x", "2.9.9", true), ("<=2.x", "3.0.0", false),
    ("~1.2.3", "1.2.9", true), ("~1.2.3", "1.3.0", false), ("~1.2.3", "1.2.2", false), ("~1", "1.9.0", true), ("~1", "2.0.0", false),
    ("~2.3", "2.3.5", true), ("~2.3", "2.4.0", false), ("~1.x", "1.5.0", true), ("~>1.2", "1.2.3", true), ("~*", "7.0.0", true),
    ("^1.2.3", "1.9.0", true), ("^1.2.3", "2.0.0", false), ("^1.2.3", "1.2.2", false), ("^0.2.3", "0.2.9", true),
    ("^0.2.3", "0.3.0", false), ("^0.0.3", "0.0.3", true), ("^0.0.3", "0.0.4", false), ("^0", "0.9.0", true), ("^0", "1.0.0", false),
    ("^0.0", "0.0.9", true), ("^0.0", "0.1.0", false), ("^2.x", "2.5.0", true),
    ("*", "3.4.5", true), ("*", "3.4.5-beta", false), ("1.2 - 1.4.5", "1.3.0", true), ("1.2 - 1.4.5", "1.4.6", false),
    ("2.3.4 - 4.5", "4.5.9", true), (">= 1.2, < 3.0.0 || >= 4.2.3", "2.5.0", true),
    (">= 1.2, < 3.0.0 || >= 4.2.3", "3.5.0", false), (">= 1.2 < 3.0.0 || >= 4.2.3", "4.2.3", true),
    (">=1.2.3-beta", "1.2.3-alpha", false), (">=1.2.3-BETA", "1.2.3-alpha", true), ("v1.2.3", "1.2.3", true),
    (">=1.21.0-0 <1.25.0-0", "1.24.3", true), (">=1.21.0-0 <1.25.0-0", "1.25.0", false),
  ])
  func matchesAsHelmDoes(constraint: String, version: String, expected: Bool) throws {
    let c = try VersionConstraint(constraint)
    #expect(c.isSatisfied(by: try SemanticVersion(version)) == expected, "\(constraint) vs \(version)")
  }

  @Test(arguments: ["", ">>1.2", "1.x.3", "abc", ">=1.2.3.4", "1.2 - ", "^ ", "||"])
  func badConstraintsAreErrors(text: String) {
    #expect(throws: SemVerError.self) { try VersionConstraint(text) }
  }
}
