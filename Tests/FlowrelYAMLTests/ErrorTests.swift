import FlowrelValue
import FlowrelYAML
import Testing

/// Parses `text` expecting a failure; returns the error.
func parseError(_ text: String, file: String = "values.yaml", firstLine: Int = 1) -> YAMLError? {
  do {
    _ = try YAML.parseDocuments(text, file: file, firstLine: firstLine)
    return nil
  } catch {
    return error
  }
}

@Test(arguments: [
  ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate map key \"a\""),
  ("a:\n  x: 1\n  x: 2\n", 3, 3, "duplicate map key \"x\""),
  ("1: a\n\"1\": b\n", 2, 1, "duplicate map key \"1\""),
  ("a: b: c\n", 1, 5, "mapping values are not allowed in this context (a plain value cannot contain \": \"; quote it)"),
  ("a: *nope\n", 1, 4, "unknown anchor 'nope' referenced by alias *nope"),
  ("a: &x [1, *x]\n", 1, 11, "alias *x refers to a node that contains it"),
  ("a: !!int abc\n", 1, 4, "cannot read \"abc\" as !!int: it is not a valid int value"),
  ("a: !!bool 1\n", 1, 4, "cannot read \"1\" as !!bool: it is not a valid bool value"),
  ("a: !!float x\n", 1, 4, "cannot read \"x\" as !!float: it is not a valid float value"),
  ("a: !!null 0\n", 1, 4, "cannot read \"0\" as !!null: it is not a valid null value"),
  ("a: !!binary '@@'\n", 1, 4, "cannot read \"@@\" as !!binary: it is not valid base64"),
  ("s: &s 1\nm:\n  <<: *s\n", 3, 7, "the value of a merge key (<<) must be a map or a list of maps"),
  ("s: &s 1\nm:\n  <<: [{a: 1}, *s]\n", 3, 16, "the value of a merge key (<<) must be a map or a list of maps"),
  ("~: 1\n", 1, 1, "a map key cannot be null"),
  ("? [a]\n: 1\n", 1, 3, "a map key must be a scalar, not a list"),
  ("a:\n\tb: 1\n", 2, 1, "found a tab character where YAML expects indentation or a value (indent with spaces)"),
  ("a: @x\n", 1, 4, "found character '@' that cannot start any token (quote the value)"),
  ("a: \"open\nb: 1\n", 3, 1, "found unexpected end of stream (while scanning a quoted scalar at line 1, column 4)"),
  ("a:\n  b: 1\n c: 2\n", 3, 2, "did not find expected key (while parsing a block mapping at line 1, column 1)"),
  ("[1, 2\n", 2, 1, "did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 1)"),
  ("- a\nb: 1\n", 2, 1, "did not find expected '-' indicator (while parsing a block collection at line 1, column 1)"),
])
func errorsNameTheExactPlace(_ text: String, _ line: Int, _ column: Int, _ message: String) {
  let error = parseError(text)
  #expect(error == YAMLError(file: "values.yaml", line: line, column: column, message: message))
}

@Test func errorsPrintAsFileLineColumn() {
  let error = parseError("a: 1\na: 2\n", file: "charts/web/values.yaml")
  #expect(error?.description == "charts/web/values.yaml:2:1: duplicate map key \"a\"")
}

@Test func errorLinesFollowFirstLine() {
  #expect(parseError("ok: 1\nbad: [\n", firstLine: 40)?.line == 42)
  #expect(parseError("a: \u{FF}\u{0}", firstLine: 5).map { ($0.line, $0.column) } ?? (0, 0) == (5, 5))
}

@Test func errorInALaterDocumentNamesItsLine() {
  let error = parseError("a: 1\n---\nb: 2\n---\nc: [\n")
  #expect(error?.line == 6)
}

@Test func parseRefusesASecondDocument() {
  #expect(throws: YAMLError(file: "f", line: 3, column: 1, message: "expected a single YAML document, but a second one starts here")) {
    try YAML.parse("a: 1\n\n---\nb: 2\n", file: "f")
  }
}
