import FlowrelValue
import FlowrelYAML
import Testing

let stream = """
  # leading comment
  %YAML 1.1
  ---
  kind: A   # trailing comment
  list:
  - 1
  ...
  ---
  # only a comment: an empty document
  ---
  --- ~
  ---
  kind: B
  ---
  --- |
    text
  ...
  # comment after end
  --- {last: [1, {x: z}]}

  """

@Test func multiDocumentStreamDropsEmptyDocuments() throws {
  let documents = try YAML.parseDocuments(stream, file: "s.yaml")
  #expect(documents.map(\.value) == [["kind": "A", "list": [1]], nil, ["kind": "B"], "text\n", ["last": [1, ["x": "z"]]]])
  #expect(documents.map(\.startLine) == [2, 11, 12, 15, 19])
  #expect(documents.allSatisfy { $0.file == "s.yaml" })
}

@Test func splitAgreesWithTheParser() throws {
  let pieces = YAML.splitDocuments(stream)
  #expect(pieces.map(\.startLine) == [2, 11, 12, 15, 19])
  #expect(pieces[0].text == "%YAML 1.1\n---\nkind: A   # trailing comment\nlist:\n- 1\n")
  #expect(pieces[3].text == "--- |\n  text\n")
  let parsed = try pieces.map { try YAML.parseDocument(String($0.text), file: "s.yaml", firstLine: $0.startLine) }
  let whole = try YAML.parseDocuments(stream, file: "s.yaml")
  #expect(parsed.map(\.value) == whole.map(\.value))
  #expect(parsed.map(\.startLine) == whole.map(\.startLine))
  #expect(parsed[4].position(of: ValuePath([.key("last"), .index(1), .key("x")])) == YAMLPosition(line: 19, column: 20))
}

@Test func markerLikeTextInsideDocumentsDoesNotSplit() {
  let text = "a: |\n  ---\n  ...\nb: \"--- x\"\n---x: 1\n----\n"
  #expect(YAML.splitDocuments(text).count == 1)
  #expect(YAML.splitDocuments("").isEmpty)
  #expect(YAML.splitDocuments("# just a comment\n---\n...\n").isEmpty)
  #expect(YAML.splitDocuments("a: 1\r\n---\r\nb: 2\r\n").map(\.startLine) == [1, 2])
}

@Test func emptyStreamsParseAsNull() throws {
  #expect(try YAML.parse("") == nil)
  #expect(try YAML.parse("# nothing\n") == nil)
  #expect(try YAML.parseDocuments("---\n---\n").isEmpty)
  #expect(try YAML.parse("---\n---\na: 1\n") == ["a": 1])
}

@Test func positionsOfEveryNode() throws {
  let text = """
    apiVersion: v1
    spec:
      containers:
      - name: web
        ports: [80, 443]
      "quoted key": |
        block
    """
  let document = try YAML.parseDocument(text, file: "deploy.yaml", firstLine: 10)
  func at(_ path: [ValuePath.Component]) -> YAMLPosition? { document.position(of: ValuePath(path)) }
  #expect(at([]) == YAMLPosition(line: 10, column: 1))
  #expect(at([.key("apiVersion")]) == YAMLPosition(line: 10, column: 13))
  #expect(at([.key("spec"), .key("containers")]) == YAMLPosition(line: 13, column: 3))
  #expect(at([.key("spec"), .key("containers"), .index(0)]) == YAMLPosition(line: 13, column: 5))
  #expect(at([.key("spec"), .key("containers"), .index(0), .key("ports"), .index(1)]) == YAMLPosition(line: 14, column: 17))
  #expect(at([.key("spec"), .key("quoted key")]) == YAMLPosition(line: 15, column: 17))
  #expect(document.keyPosition(of: ValuePath([.key("spec"), .key("quoted key")])) == YAMLPosition(line: 15, column: 3))
  #expect(at([.key("spec"), .key("missing")]) == nil)
  #expect(at([.key("apiVersion"), .index(0)]) == nil)
  let error = document.error(at: ValuePath([.key("spec"), .key("containers"), .index(0), .key("image")]), "image is required")
  #expect(error.description == "deploy.yaml:13:5: image is required")
}

@Test func anchorsAliasesAndMergeKeys() throws {
  let text = """
    base: &base {a: 1, b: 2}
    extra: &extra {b: 20, c: 30}
    one:
      <<: *base
      b: 3
    many:
      a: 0
      <<: [*extra, *base]
      d: 4
    inline:
      <<: {x: 1}
    list: &l [1, 2]
    again: *l
    scalar: &s hello
    copy: *s
    """
  let document = try YAML.parseDocument(text)
  let value = document.value
  #expect(value["one"] == ["a": 1, "b": 3])
  // Explicit keys win wherever they are; earlier maps in the list win over later ones.
  #expect(value["many"] == ["a": 0, "b": 20, "c": 30, "d": 4])
  #expect(value["inline"] == ["x": 1])
  #expect(value["again"] == [1, 2])
  #expect(value["copy"] == "hello")
  // A merged key reports where the merged map wrote it; an alias reports itself.
  #expect(document.position(of: ValuePath([.key("one"), .key("a")])) == YAMLPosition(line: 1, column: 17))
  #expect(document.position(of: ValuePath([.key("again")])) == YAMLPosition(line: 13, column: 8))
  #expect(document.position(of: ValuePath([.key("again"), .index(1)])) == YAMLPosition(line: 12, column: 14))
}

@Test func severalMergeKeysInOneMapEarlierWins() throws {
  let text = "a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2}\nc:\n  <<: *a\n  w: 0\n  <<: *b\n"
  let value = try YAML.parse(text)
  #expect(value["c"] == ["p": 1, "q": 1, "w": 0, "r": 2])
}

@Test func anchorsDoNotCrossDocuments() {
  #expect(throws: YAMLError.self) { try YAML.parseDocuments("a: &x 1\n---\nb: *x\n") }
}

@Test func byteOrderMarkAndCRLFLineEnds() throws {
  #expect(try YAML.parse("\u{FEFF}a: 1\n") == ["a": 1])
  let document = try YAML.parseDocument("a: 1\r\nb:\r\n  c: \"x\"\r\n")
  #expect(document.value == ["a": 1, "b": ["c": "x"]])
  #expect(document.position(of: ValuePath([.key("b"), .key("c")])) == YAMLPosition(line: 3, column: 6))
  #expect(document.keyPosition(of: ValuePath([.key("b"), .key("c")])) == YAMLPosition(line: 3, column: 3))
  #expect(document.keyPosition(of: ValuePath([.key("b"), .key("missing")])) == nil)
  #expect(document.keyPosition(of: ValuePath([])) == nil)
}

@Test func documentStartLinesAreTheSplittersMarkers() {
  for line in ["---", "--- ", "---\t# c", "--- |", "---\r"] { #expect(YAML.isDocumentStart(Array(line.utf8)), "\(line)") }
  for line in ["", "--", "----", "---x", " ---", "...", "%YAML 1.1"] { #expect(!YAML.isDocumentStart(Array(line.utf8)), "\(line)") }
}

@Test func splittingAPieceCountsLinesFromItsFirstLine() {
  // The same stream split whole and as two pieces (cut before a `---` line) gives the same
  // documents at the same lines.
  let whole = YAML.splitDocuments(stream)
  let cut = stream.range(of: "---\nkind: B")!.lowerBound
  let head = String(stream[..<cut])
  let tail = String(stream[cut...])
  let tailLine = head.utf8.count(where: { $0 == UInt8(ascii: "\n") }) + 1
  let pieces = YAML.splitDocuments(head) + YAML.splitDocuments(tail, firstLine: tailLine)
  #expect(pieces == whole)
}
