import Testing

@testable import HelmFunctions

/// Sprig's conversion.md: spf13/cast's coercions.
@Suite struct ConversionTests {
  @Test func documentedExamples() throws {
    #expect(try show("atoi", "42") == "42")
    #expect(try show("float64", "1.5") == "1.5")
    #expect(try show("int", "12") == "12")
    #expect(try show("int64", "12") == "12")
    #expect(try show("toDecimal", "0777") == "511")
    #expect(try show("toString", 12) == "12")
    #expect(try show("toStrings", [1, 2, 3]) == "[1 2 3]")
    #expect(try type("toStrings", [1, 2, 3]) == "[]string")
  }

  @Test func intOfStringsReadsGoLiterals() throws {
    #expect(try show("int", "abc") == "0")
    #expect(try show("int", "1.5") == "0")
    #expect(try show("int", "12.0") == "12")
    #expect(try show("int", "0x1F") == "31")
    #expect(try show("int", "017") == "15")
    #expect(try show("int", "08") == "0")
    #expect(try show("int", "0b101") == "5")
    #expect(try show("int", "1_000") == "1000")
    #expect(try show("int", "-42") == "-42")
    #expect(try show("int", "-+42") == "0")
    #expect(try show("int", "+") == "0")
    #expect(try show("int", " 42") == "0")
    #expect(try show("int", "99999999999999999999") == "0")
  }

  @Test func intOfOtherTypes() throws {
    #expect(try show("int", 2.9) == "2")
    #expect(try show("int", -2.9) == "-2")
    #expect(try show("int", true) == "1")
    #expect(try show("int", false) == "0")
    #expect(try show("int", nil) == "0")
    #expect(try show("int", ["a"]) == "0")
    #expect(try type("int", "3") == "int")
    #expect(try type("int64", 3) == "int64")
    #expect(try type("float64", 3) == "float64")
  }

  @Test func float64OfStringsAndOthers() throws {
    #expect(try show("float64", "abc") == "0")
    #expect(try show("float64", "1e3") == "1000")
    #expect(try show("float64", "0x1p-2") == "0.25")
    #expect(try show("float64", "0x10") == "0")
    #expect(try show("float64", "inf") == "+Inf")
    #expect(try show("float64", true) == "1")
    #expect(try show("float64", 3) == "3")
  }

  @Test func atoiIsDecimalOnly() throws {
    #expect(try show("atoi", "0x10") == "0")
    #expect(try show("atoi", "+7") == "7")
    #expect(try show("atoi", "1.5") == "0")
    #expect(failure("atoi", 5) == "wrong type for value; expected string; got int")
  }

  @Test func toDecimalReadsOctalText() throws {
    #expect(try show("toDecimal", 777) == "511")
    #expect(try show("toDecimal", "8") == "0")
    #expect(try show("toDecimal", "-10") == "-8")
    #expect(try type("toDecimal", "1") == "int64")
  }

  @Test func toStringPrintsWithPercentV() throws {
    #expect(try show("toString", nil) == "<nil>")
    #expect(try show("toString", 1.5) == "1.5")
    #expect(try show("toString", 1e20) == "1e+20")
    #expect(try show("toString", true) == "true")
    #expect(try show("toString", ["a": 1, "b": [1, 2]]) == "map[a:1 b:[1 2]]")
    #expect(try show("toStrings", ["a", nil, 2]) == "[a 2]")
    #expect(try show("toStrings", "x") == "[x]")
  }
}
