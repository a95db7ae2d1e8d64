import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's lists.md.
@Suite struct ListsTests {
  let numbers: TemplateValue = [1, 2, 3, 4, 5]

  @Test func documentedExamples() throws {
    #expect(try show("list", 1, 2, 3, 4, 5) == "[1 2 3 4 5]")
    #expect(try show("first", numbers) == "1")
    #expect(try show("rest", numbers) == "[2 3 4 5]")
    #expect(try show("last", numbers) == "5")
    #expect(try show("initial", numbers) == "[1 2 3 4]")
    #expect(try show("append", numbers, 6) == "[1 2 3 4 5 6]")
    #expect(try show("push", numbers, 6) == "[1 2 3 4 5 6]")
    #expect(try show("prepend", numbers, 0) == "[0 1 2 3 4 5]")
    #expect(try show("concat", numbers, [6, 7], [8]) == "[1 2 3 4 5 6 7 8]")
    #expect(try show("reverse", numbers) == "[5 4 3 2 1]")
    #expect(try show("uniq", [1, 1, 1, 2]) == "[1 2]")
    #expect(try show("without", numbers, 3) == "[1 2 4 5]")
    #expect(try show("without", numbers, 1, 3, 5) == "[2 4]")
    #expect(try show("has", 4, numbers) == "true")
    #expect(try show("has", "hello", numbers) == "false")
    #expect(try show("compact", [1, "a", "foo", ""]) == "[1 a foo]")
    #expect(try show("slice", numbers, 1, 3) == "[2 3]")
    #expect(try show("slice", numbers) == "[1 2 3 4 5]")
    #expect(try show("slice", numbers, 1) == "[2 3 4 5]")
    #expect(try show("chunk", 3, [1, 2, 3, 4, 5, 6, 7, 8]) == "[[1 2 3] [4 5 6] [7 8]]")
    #expect(try show("sortAlpha", ["c", "a", "b"]) == "[a b c]")
  }

  @Test func emptyListsGiveNilOrEmptyLists() throws {
    #expect(try show("first", []) == "<nil>")
    #expect(try show("last", []) == "<nil>")
    #expect(try show("rest", []) == "[]")
    #expect(try show("initial", []) == "[]")
    #expect(try show("slice", []) == "<nil>")
    #expect(try show("chunk", 2, []) == "[]")
    #expect(try show("rest", [1]) == "[]")
  }

  @Test func resultsAreInterfaceSlices() throws {
    let strings = try call("splitList", ",", "b,a")
    #expect(try type("append", strings, "c") == "[]interface {}")
    #expect(try type("reverse", strings) == "[]interface {}")
    #expect(try call("slice", strings, 0, 1).goTypeName == "[]string")
    #expect(try type("chunk", 1, [1]) == "[][]interface {}")
  }

  @Test func nonListsFailWithSprigsMessages() {
    #expect(failure("append", "abc", 1) == "Cannot push on type string")
    #expect(failure("mustPush", 3, 1) == "Cannot push on type int")
    #expect(failure("prepend", ["a": 1], 1) == "Cannot prepend on type map")
    #expect(failure("first", "abc") == "Cannot find first on type string")
    #expect(failure("mustLast", 1.5) == "Cannot find last on type float64")
    #expect(failure("rest", true) == "Cannot find rest on type bool")
    #expect(failure("initial", "x") == "Cannot find initial on type string")
    #expect(failure("reverse", "x") == "Cannot find reverse on type string")
    #expect(failure("uniq", "x") == "Cannot find uniq on type string")
    #expect(failure("without", "x", 1) == "Cannot find without on type string")
    #expect(failure("has", 1, "x") == "Cannot find has on type string")
    #expect(failure("compact", "x") == "Cannot compact on type string")
    #expect(failure("slice", "x", 1) == "list should be type of slice or array but string")
    #expect(failure("chunk", 2, "x") == "Cannot chunk type string")
    #expect(failure("concat", [1], "x") == "Cannot concat type string as list")
    #expect(failure("append", nil, 1) == "runtime error: invalid memory address or nil pointer dereference")
  }

  @Test func hasOfNilHaystackIsFalse() throws {
    #expect(try show("has", 1, nil) == "false")
  }

  /// Go's DeepEqual decides: an `int` is neither an `int64` nor a float64, but a values file's
  /// whole number is the float64 it is in Helm (`has 1.0 .Values.list` finds it).
  @Test func equalityIsTypeStrictAndAValuesFileNumberIsAFloat() throws {
    #expect(try show("has", .int64(1), [1]) == "false")
    #expect(try show("has", 1, [1.0]) == "false")
    #expect(try show("has", 1.0, [.wholeFloat(1)]) == "true")
    #expect(try show("has", .wholeFloat(1), [1.0]) == "true")
    #expect(try show("has", 1, [.wholeFloat(1)]) == "false")
    #expect(try show("without", [.wholeFloat(1), .wholeFloat(2), .wholeFloat(3)], 2.0) == "[1 3]")
    #expect(try show("uniq", [.wholeFloat(1), 1.0, 2]) == "[1 2]")
    #expect(try show("uniq", [1, .int64(1), "1", [1], [1]]) == "[1 1 1 [1]]")
    #expect(try show("without", [[1], ["a": 1], 2], ["a": 1]) == "[[1] 2]")
  }

  @Test func sliceBoundsAreCheckedAndIndicesCoerced() throws {
    #expect(try show("slice", numbers, "1", "2") == "[2]")
    #expect(failure("slice", numbers, 3, 1) == "reflect.Value.Slice: slice index out of bounds")
    #expect(failure("slice", numbers, 0, 9) == "reflect.Value.Slice: slice index out of bounds")
    #expect(failure("chunk", 0, [1]) == "chunk size must be positive, got 0")
  }

  @Test func compactUsesSprigsEmptiness() throws {
    #expect(try show("compact", [0, nil, false, [], [:], "0", 1]) == "[0 1]")
  }

  @Test func tupleIsList() throws {
    #expect(try show("tuple", 1, "a") == "[1 a]")
  }
}
