import Testing
import FlowrelValue

/// Expected outputs below were produced by Go 1.19's `encoding/json` and `strconv` on the same data.
@Suite struct JSONTests {
  @Test(arguments: [
    (0.0, "0"), (1.0, "1"), (2.5, "2.5"), (1e6, "1000000"), (1e20, "100000000000000000000"),
    (1e21, "1e+21"), (1.5e21, "1.5e+21"), (1e-6, "0.000001"), (1e-7, "1e-7"), (0.000001234, "0.000001234"),
    (123456789.125, "123456789.125"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
    (0.1, "0.1"), (100.0, "100"), (-2.5e-9, "-2.5e-9"),
  ])
  func doublesEncodeAsGoDoes(number: Double, expected: String) throws {
    #expect(try Value.double(number).jsonText() == expected)
  }

  @Test(arguments: [
    (1e6, "1e+06", "1e+06"), (1e20, "1e+20", "1e+20"), (0.1, "0.1", "1e-01"), (100.0, "100", "1e+02"),
    (1e-6, "1e-06", "1e-06"), (123456789.125, "1.23456789125e+08", "1.23456789125e+08"), (0.0, "0", "0e+00"),
    (100000.0, "100000", "1e+05"),
  ])
  func shortestFormsMatchGoStrconv(number: Double, general: String, exponent: String) {
    #expect(ShortestDecimal(number).generalForm == general)
    #expect(ShortestDecimal(number).exponentForm == exponent)
  }

  @Test func fixedFormWritesEveryDigit() {
    #expect(ShortestDecimal(1e21).fixedForm == "1000000000000000000000")
    #expect(ShortestDecimal(-0.0001).fixedForm == "-0.0001")
    #expect(ShortestDecimal(12.5).fixedForm == "12.5")
  }

  @Test func integersStayIntegers() throws {
    #expect(try Value.int(1_000_000).jsonText() == "1000000")
    #expect(try Value.int(.min).jsonText() == "-9223372036854775808")
  }

  @Test func stringsAreEscapedAsGoDoes() throws {
    // Go 1.22+ writes \b and \f in short form; older Go wrote \u0008 and \u000c.
    let value: Value = ["b": 1, "a": "<x>&\u{2028}\t\u{01}\u{08}\u{0C}\"\\é😀", "c": [], "d": [:]]
    #expect(try value.jsonText() == #"{"a":"\u003cx\u003e\u0026\u2028\t\u0001\b\f\"\\é😀","b":1,"c":[],"d":{}}"#)
    #expect(try Value.string("<&>").jsonText(JSONEncodingOptions(escapeHTML: false)) == #""<&>""#)
  }

  @Test func indentedOutputMatchesMarshalIndent() throws {
    let value: Value = ["b": [1, "x", nil, true], "a": ["z": 1.5], "e": []]
    let expected = """
      {
        "a": {
          "z": 1.5
        },
        "b": [
          1,
          "x",
          null,
          true
        ],
        "e": []
      }
      """
    #expect(try value.jsonText(JSONEncodingOptions(indent: "  ")) == expected)
  }

  @Test func insertionOrderWhenNotSorted() throws {
    let value: Value = ["z": 1, "a": 2]
    #expect(try value.jsonText(JSONEncodingOptions(sortedKeys: false)) == #"{"z":1,"a":2}"#)
  }

  @Test func sortingIsByteWise() throws {
    // Byte order puts "Z" (0x5A) before "a" (0x61) and "é" (0xC3 0xA9) after "z".
    let value: Value = ["é": 1, "a": 2, "Z": 3, "z": 4]
    #expect(try value.jsonText() == #"{"Z":3,"a":2,"z":4,"é":1}"#)
  }

  @Test func nonFiniteNumbersAreRefused() {
    #expect(throws: JSONError.self) { try Value.double(.infinity).jsonText() }
    #expect(throws: JSONError.self) { try Value.list([.double(.nan)]).jsonText() }
  }

  @Test func decodingKeepsIntegersAndOrder() throws {
    let value = try Value(jsonText: #" {"b": [1, -2, 3.0, 1e3, 9223372036854775808], "a": {"x": null, "y": true}, "s": "\u00e9\ud83d\ude00\n"} "#)
    #expect(value == ["b": [1, -2, 3.0, 1000.0, 9223372036854775808.0], "a": ["x": nil, "y": true], "s": "é😀\n"])
    #expect(value.mapValue?.keys.elementsEqual(["b", "a", "s"]) == true)
  }

  @Test func repeatedKeysKeepTheLastValue() throws {
    #expect(try Value(jsonText: #"{"a":1,"a":2}"#) == ["a": 2])
  }

  @Test(arguments: [
    ("{\"a\":1,}", 1, 8), ("[1,2", 1, 5), ("{\n  \"a\": tru\n}", 2, 8), ("01", 1, 2), ("\"abc", 1, 5),
    ("[1] x", 1, 5), ("", 1, 1), ("\"\\q\"", 1, 2), ("{\"a\" 1}", 1, 6),
  ])
  func decodingErrorsNamePositions(text: String, line: Int, column: Int) {
    #expect {
      _ = try Value(jsonText: text)
    } throws: { error in
      guard let error = error as? JSONError else { return false }
      return error.line == line && error.column == column
    }
  }

  @Test func deepNestingIsRefusedNotCrashed() throws {
    let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONError.self) { _ = try Value(jsonText: deep) }
    let allowed = Value.maximumJSONDepth - 1
    let ok = String(repeating: "[", count: allowed) + String(repeating: "]", count: allowed)
    #expect(try Value(jsonText: ok).listValue != nil)
  }

  @Test func encodeDecodeRoundTrips() throws {
    let value: Value = ["name": "search", "shards": 3, "ratio": 0.25, "tags": ["a", "b"], "on": false, "none": nil]
    #expect(try Value(jsonText: value.jsonText(JSONEncodingOptions(sortedKeys: false))) == value)
  }
}

/// The size limit on JSON text (issue 18: toJson of a list whose 2^25 leaves share one value
/// ran out of memory and aborted).
@Suite struct JSONSizeLimitTests {
  @Test func oneValueSharedByManyLeavesStopsAtTheLimit() {
    // Doubling shares storage, so the value is small; its text would be 2^25 * 11 bytes.
    var value: Value = "aaaaaaaa"
    for _ in 0..<25 { value = .list([value, value]) }
    #expect {
      _ = try value.jsonText(JSONEncodingOptions(maximumBytes: 1 << 20))
    } throws: { error in
      guard let error = error as? JSONError else { return false }
      return error.isLimit && error.message == "json: the text would be longer than 1048576 bytes, the most flowrel writes"
    }
  }

  @Test func theDefaultLimitIs100MiB() {
    #expect(JSONEncodingOptions().maximumBytes == 104_857_600)
  }

  @Test func textUpToTheLimitIsWritten() throws {
    let options = JSONEncodingOptions(maximumBytes: 10)
    #expect(try Value.list(["a", "bc"]).jsonText(options) == #"["a","bc"]"#)
    #expect(throws: JSONError.self) { _ = try Value.list(["a", "bcd"]).jsonText(options) }
    #expect(throws: JSONError.self) { _ = try Value.list(["a", "b", "c"]).jsonText(options) }
  }

  @Test func goErrorsAreNotTheLimit() {
    #expect {
      _ = try Value.list([.double(.nan)]).jsonText()
    } throws: { error in
      (error as? JSONError).map { !$0.isLimit && $0.message == "json: unsupported value: NaN" } == true
    }
  }
}
