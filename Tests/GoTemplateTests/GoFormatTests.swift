import GoTemplate
import Testing

/// Go's fmt, checked against outputs of Go 1.19's fmt.Sprintf for the same arguments.
@Suite struct GoFormatTests {
  let map: TemplateValue = ["b": 2, "a": [1, "x", nil], "c": [:]]

  struct F: Sendable, CustomTestStringConvertible {
    let format: String
    let args: [TemplateValue]
    let expected: String
    init(_ format: String, _ args: [TemplateValue], _ expected: String) {
      self.format = format
      self.args = args
      self.expected = expected
    }
    var testDescription: String { format }
  }

  static let cases: [F] = [
    F("%v|%v|%v|%v", [1e6, 1e21, 123456.0, 1e-5], "1e+06|1e+21|123456|1e-05"),
    F("%d|%5.2f|%-6s|%06.2f|%x|%X|%o|%b", [-7, 3.14159, "ab", -1.5, 255, "hi", 8, 5], "-7| 3.14|ab    |-01.50|ff|6869|10|101"),
    F("%q|%+q|%#q|%c|%U", ["a\"b\n", "é", "x", 0x263A, 0x263A], #""a\"b\n"|"\u00e9"|`x`|☺|U+263A"#),
    F("%e|%E|%.2e|%g|%.3g|%G", [123456.789, 0.000123, 1.0, 0.00001234, 1234567.0, 1e-10],
     "1.234568e+05|1.230000E-04|1.00e+00|1.234e-05|1.23e+06|1E-10"),
    F("%t|%v|%s", [false, true, nil], "false|true|%!s(<nil>)"),
    F("%d %s", ["x", 5], "%!d(string=x) %!s(int=5)"),
    F("%d %d", [1], "1 %!d(MISSING)"),
    F("%d", [1, "extra", nil], "1%!(EXTRA string=extra, <nil>)"),
    F("%[2]s %[1]s|%*d|%.*f", ["a", "b", 4, 7, 1, 2.25], "b a|%!(BADWIDTH)4|%!f(int=0000001)"),
    F("%T|%T|%T|%T", [1, 1.5, "s", []], "int|float64|string|[]interface {}"),
    F("%+d|% d|%+.1e|%#x|%#o|%08.3f|%-8d|", [5, 5, 1234.5, 255, 8, -3.14159, 42], "+5| 5|+1.2e+03|0xff|010|-003.142|42      |"),
    F("%5t|%-5v|%05d|%.0f|%.0f|%.0f", [true, [1], -42, 0.5, 1.5, 2.5], " true|[1    ]|-0042|0|2|2"),
    F("%v %v %v %v", [0.0, 1.0, 100.0, 0.3], "0 1 100 0.3"),
    F("100%%|%|%!|%z", [1, 2], "100%|%!|(int=1)%!!(int=2)|%!z(MISSING)"),
  ]

  @Test(arguments: cases)
  func sprintf(_ c: F) {
    #expect(GoFormat.sprintf(c.format, c.args) == c.expected)
  }

  @Test func mapsPrintWithSortedKeys() {
    #expect(GoFormat.string(map) == "map[a:[1 x <nil>] b:2 c:map[]]")
    #expect(GoFormat.sprintf("%T", [map]) == "map[string]interface {}")
  }

  @Test func sprintSpacesOnlyBetweenNonStrings() {
    #expect(GoFormat.sprint([1, 2, "a", "b", 3, nil, 4.5, [1]]) == "1 2ab3 <nil> 4.5 [1]")
  }

  @Test func sprintlnSeparatesEverything() {
    #expect(GoFormat.sprintln([1, "a", nil]) == "1 a <nil>\n")
  }

  @Test func quoteIsStrconvQuote() {
    #expect(GoFormat.quote("tab\there \u{1F600} \u{7F} é") == #""tab\there 😀 \x7f é""#)
  }

  @Test func specialFloats() {
    #expect(GoFormat.sprint([.double(.infinity), .double(-.infinity), .double(.nan)]) == "+Inf -Inf NaN")
    #expect(GoFormat.sprintf("%5.1f|%+v|%+.2v", [.double(.infinity), .double(.nan), 1.0]) == " +Inf|NaN|1")
  }

  @Test func badVerbsKeepTheirFlags() {
    #expect(
      GoFormat.sprintf("%-8s|%8s|%05s|%x", [5, true, 1.5, true])
        == "%!s(int=5       )|%!s(bool=    true)|%!s(float64=001.5)|%!x(bool=true)")
  }
}
