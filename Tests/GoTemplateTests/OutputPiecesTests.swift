@testable import GoTemplate
import Testing

/// Pieces of a template's output handed over while it runs (`execute(_:data:startsPiece:deliver:)`).
@Suite struct OutputPiecesTests {
  /// `---` alone or followed by a space.
  static func marker(_ line: UnsafeRawBufferPointer) -> Bool {
    line.starts(with: "---".utf8) && (line.count == 3 || line[3] == UInt8(ascii: " "))
  }

  /// The pieces of `text`'s output; each piece's first line is checked against its place in the output.
  func pieces(_ text: String, name: String = "t") throws -> (pieces: [String], output: String) {
    var functions = TemplateFunctions()
    functions.register("include") { arguments, context in
      guard case .string(let name) = arguments[0] else { throw TemplateError.failure("include needs a name") }
      return .string(try context.executeTemplate(named: name, data: arguments[1]))
    }
    var set = TemplateSet(functions: functions)
    try set.parse(name, text: text)
    try set.parse("part", text: "{{ define \"unit\" }}a: {{ . }}\n---\nb: {{ . }}\n{{ end }}")
    var pieces: [String] = []
    var firstLines: [Int] = []
    let output = try set.execute(
      name, data: .map(TemplateMap(["items": .list(TemplateList(["x", "y"]))])), options: ExecutionOptions(removesNoValue: true), linePrefix: "---", startsPiece: Self.marker,
      deliver: { pieces.append($0); firstLines.append($1) })
    var expectedLine = 1
    for (piece, line) in zip(pieces, firstLines) {
      #expect(line == expectedLine)
      expectedLine += piece.utf8.count(where: { $0 == UInt8(ascii: "\n") })
    }
    return (pieces, output)
  }

  @Test func piecesEndBeforeEachMarkerLineAndJoinToTheOutput() throws {
    let (pieces, output) = try pieces("{{ range .items }}---\n{{ include \"unit\" . }}{{ end }}tail {{ .missing }}\n")
    #expect(output == "---\na: x\n---\nb: x\n---\na: y\n---\nb: y\ntail \n")
    #expect(pieces == ["---\na: x\n", "---\nb: x\n", "---\na: y\n", "---\nb: y\ntail \n"])
    #expect(pieces.joined() == output)
  }

  @Test func onlyWholeMarkerLinesCut() throws {
    let (pieces, output) = try pieces("a: 1\n----\nb: \"---\"\n--- # c\nc: 3\n---")
    #expect(pieces == ["a: 1\n----\nb: \"---\"\n", "--- # c\nc: 3\n---"])
    #expect(pieces.joined() == output)
  }

  @Test func whatIncludeReturnsIsNotCutUntilPrinted() throws {
    // The include's own `---` lines are examined once the returned text is in the output.
    let (pieces, _) = try pieces("{{ $x := include \"unit\" 1 }}start\n{{ $x }}")
    #expect(pieces == ["start\na: 1\n", "---\nb: 1\n"])
  }

  @Test func aTemplateWithoutMarkersIsOnePiece() throws {
    let (pieces, output) = try pieces("{{ range .items }}{{ . }}{{ end }}")
    #expect(pieces == ["xy"])
    #expect(output == "xy")
    #expect(try self.pieces("").pieces.isEmpty)
  }
}

/// A large output becomes its text part by part, each part's memory given back once copied.
@Suite struct OutputReleasingTests {
  @Test(arguments: [0, 1, 4_095, 4_097, (8 << 20) + 3, (16 << 20) + 4_096])
  func theTextIsTheOutputsBytes(count: Int) {
    // A repeating pattern with a two-byte character, so any misplaced part shows.
    let pattern = Array("abcdefghé\n".utf8)
    let bytes = (0..<count).map { pattern[$0 % pattern.count] }
    var output = bytes
    let text = OutputPieces.text(releasing: &output)
    // As `String(decoding:)` reads them: a character cut at the end is repaired the same way.
    #expect(text == String(decoding: bytes, as: UTF8.self))
    #expect(text.utf8.prefix(max(count - 2, 0)).elementsEqual(bytes.prefix(max(count - 2, 0))))
  }

  @Test func aLargeOutputExecutesToTheSameTextWithAndWithoutPieces() throws {
    var set = TemplateSet(functions: TemplateFunctions())
    try set.parse("t", text: "{{ range $i := .n }}---\nitem: {{ $i }} {{ $.line }} <no value>\n{{ end }}")
    let data = TemplateValue.map(TemplateMap(["n": .list(TemplateList((0..<40_000).map { .int(Int64($0)) })), "line": .string(String(repeating: "x", count: 300))]))
    let options = ExecutionOptions(removesNoValue: true)
    let whole = try set.execute("t", data: data, options: options)
    let parted = try set.execute("t", data: data, options: options, linePrefix: "---", startsPiece: { _ in true }, deliver: { _, _ in })
    #expect(whole.utf8.count > 8 << 20)
    #expect(!whole.contains("<no value>"))
    #expect(parted == whole)
  }
}
