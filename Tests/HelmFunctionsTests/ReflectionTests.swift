import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's reflection.md: Go type names and kinds.
@Suite struct ReflectionTests {
  @Test func documentedExamples() throws {
    #expect(try show("kindOf", "hello") == "string")
    #expect(try show("kindIs", "int", 123) == "true")
    #expect(try show("typeOf", "hello") == "string")
    #expect(try show("typeIs", "string", "hello") == "true")
    #expect(try show("typeIsLike", "string", "hello") == "true")
    #expect(try show("deepEqual", [1, 2, 3], [1, 2, 3]) == "true")
    #expect(try show("deepEqual", ["a": 1], ["a": 2]) == "false")
  }

  @Test func kindsAndTypesOfEveryValue() throws {
    #expect(try show("kindOf", nil) == "invalid")
    #expect(try show("kindOf", [1]) == "slice")
    #expect(try show("kindOf", ["a": 1]) == "map")
    #expect(try show("kindOf", 1.5) == "float64")
    #expect(try show("kindOf", .int64(1)) == "int64")
    #expect(try show("kindOf", try call("semver", "1.0.0")) == "ptr")
    #expect(try show("typeOf", nil) == "<nil>")
    #expect(try show("typeOf", [1]) == "[]interface {}")
    #expect(try show("typeOf", ["a": 1]) == "map[string]interface {}")
    #expect(try show("typeOf", try call("splitList", ",", "a")) == "[]string")
    #expect(try show("typeIsLike", "semver.Version", try call("semver", "1.0.0")) == "true")
    #expect(try show("typeIs", "int", .int64(1)) == "false")
    // A values file's whole number: a float64 to reflection, printed as the integer.
    #expect(try show("kindOf", .wholeFloat(3)) == "float64")
    #expect(try show("typeOf", .wholeFloat(3)) == "float64")
    #expect(try show("kindIs", "int", .wholeFloat(3)) == "false")
    #expect(try show("toString", .wholeFloat(1_000_000)) == "1000000")
  }

  /// Go's DeepEqual: an `int` is neither an `int64` nor a float64. A values file's whole number
  /// is the float64 it is in Helm: it equals the same float, not the same `int`.
  @Test func deepEqualIsTypeStrictAndAValuesFileNumberIsAFloat() throws {
    #expect(try show("deepEqual", 1, .int64(1)) == "false")
    #expect(try show("deepEqual", 1, 1.0) == "false")
    #expect(try show("deepEqual", .wholeFloat(1), 1.0) == "true")
    #expect(try show("deepEqual", 1.0, .wholeFloat(1)) == "true")
    #expect(try show("deepEqual", .wholeFloat(1), 1) == "false")
    #expect(try show("deepEqual", .wholeFloat(1), .wholeFloat(1)) == "true")
    #expect(try show("deepEqual", .wholeFloat(1), 1.5) == "false")
    #expect(try show("deepEqual", .wholeFloat(Int64.max), 9223372036854775807.0) == "false")
    #expect(try show("deepEqual", nil, .missing) == "true")
    #expect(try show("deepEqual", ["a"], try call("splitList", ",", "a")) == "false")
  }
}
