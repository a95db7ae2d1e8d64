import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's math.md: integer arithmetic in int64 over coerced operands, and the decimal-exact
/// float versions.
@Suite struct MathTests {
  @Test func documentedIntegerExamples() throws {
    #expect(try show("add", 1, 2, 3) == "6")
    #expect(try show("add1", 1) == "2")
    #expect(try show("sub", 3, 2) == "1")
    #expect(try show("div", 6, 3) == "2")
    #expect(try show("mod", 7, 3) == "1")
    #expect(try show("mul", 2, 3, 4) == "24")
    #expect(try show("max", 1, 2, 3) == "3")
    #expect(try show("biggest", 1, 5, 3) == "5")
    #expect(try show("min", 1, 2, 3) == "1")
    #expect(try type("add", 1, 2) == "int64")
  }

  @Test func operandsAreCoerced() throws {
    #expect(try show("add", "2", 1.9, true, nil) == "4")
    #expect(try show("add") == "0")
    #expect(try show("sub", "10", "abc") == "10")
    #expect(try show("div", 7, 2) == "3")
    #expect(try show("div", -7, 2) == "-3")
    #expect(try show("mod", -7, 3) == "-1")
    #expect(try show("max", "7", 3.5) == "7")
  }

  @Test func divisionByZeroFailsAsGoPanics() {
    #expect(failure("div", 1, 0) == "runtime error: integer divide by zero")
    #expect(failure("mod", 1, "0") == "runtime error: integer divide by zero")
  }

  @Test func documentedFloatExamples() throws {
    #expect(try show("floor", 123.9999) == "123")
    #expect(try show("ceil", 123.001) == "124")
    #expect(try show("round", 123.555555, 3) == "123.556")
    #expect(try show("round", 123.5, 0, 0.6) == "123")
    #expect(try show("addf", 1.5, 2, 2) == "5.5")
    #expect(try show("add1f", 1.5) == "2.5")
    #expect(try show("subf", 7.5, 2, 3) == "2.5")
    #expect(try show("divf", 10, 4) == "2.5")
    #expect(try show("mulf", 1.5, 2, 2) == "6")
    #expect(try show("maxf", 1, 2.5, 3) == "3")
    #expect(try show("minf", 1.5, 2, 3) == "1.5")
    #expect(try type("addf", 1) == "float64")
  }

  @Test func floatArithmeticIsDecimalExact() throws {
    #expect(try show("addf", 1.1, 2.2) == "3.3")
    #expect(try show("subf", 0.3, 0.1) == "0.2")
    #expect(try show("mulf", 0.1, 3) == "0.3")
    #expect(try show("divf", 1, 3) == "0.3333333333333333")
    #expect(try show("divf", 2, 3) == "0.6666666666666667")
    #expect(try show("addf") == "0")
    #expect(failure("divf", 1, 0) == "decimal division by 0")
    #expect(failure("addf", 1e200, 1) == "1e+200 is beyond the decimal range flowrel computes with")
    #expect(failure("addf", .double(.nan)) == "Cannot create a Decimal from NaN")
  }

  @Test func floorCeilRoundCoerceStrings() throws {
    #expect(try show("floor", "2.5") == "2")
    #expect(try show("ceil", "abc") == "0")
    // Sprig compares the signed fraction with 0.5, so negative halves go down.
    #expect(try show("round", "-2.5", 0) == "-3")
  }
}

/// Sprig's integer_slice.md: until, untilStep, seq.
@Suite struct IntegerSliceTests {
  @Test func documentedExamples() throws {
    #expect(try show("until", 5) == "[0 1 2 3 4]")
    #expect(try show("untilStep", 3, 6, 2) == "[3 5]")
    #expect(try show("seq", 5) == "1 2 3 4 5")
    #expect(try show("seq", -3) == "1 0 -1 -2 -3")
    #expect(try show("seq", 0, 2) == "0 1 2")
    #expect(try show("seq", 2, -2) == "2 1 0 -1 -2")
    #expect(try show("seq", 0, 2, 10) == "0 2 4 6 8 10")
    #expect(try show("seq", 0, -2, -5) == "0 -2 -4")
    #expect(try type("until", 2) == "[]int")
  }

  @Test func edgeCases() throws {
    #expect(try show("until", 0) == "[]")
    #expect(try show("until", -3) == "[0 -1 -2]")
    #expect(try show("untilStep", 0, 10, 0) == "[]")
    #expect(try show("untilStep", 10, 0, 3) == "[]")
    #expect(try show("untilStep", 10, 0, -3) == "[10 7 4 1]")
    #expect(try show("seq") == "")
    #expect(try show("seq", 5, 1, 0) == "")
    #expect(try show("seq", 1, 2, 3, 4) == "")
  }

  @Test func hugeListsAreRefusedInsteadOfExhaustingMemory() {
    #expect(failure("until", 100_000_000_000)?.contains("more than flowrel allows") == true)
    #expect(failure("untilStep", .int(Int64.min), .int(Int64.max), 1)?.contains("more than flowrel allows") == true)
  }
}
