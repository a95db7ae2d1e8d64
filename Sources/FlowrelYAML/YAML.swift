import FlowrelValue

/// A place in YAML text: 1-based line and column (the column counts characters).
package struct YAMLPosition: Sendable, Hashable, CustomStringConvertible {
  /// 1-based line.
  package let line: Int
  /// 1-based column, in characters (Unicode scalars).
  package let column: Int

  /// The position at `line`:`column`.
  package init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// `line:column`.
  package var description: String { "\(line):\(column)" }
}

/// One parsed YAML document: its value, and where each of its nodes came from.
package struct YAMLDocument: Sendable {
  /// The document's content.
  package let value: Value
  /// The input name given to the parser, for messages.
  package let file: String
  /// The line the document starts at: its `---` marker (or first directive) when it has
  /// one, else its first content line. Matches `YAMLDocumentText.startLine`.
  package let startLine: Int
  let positions: PositionTree

  /// Where the node at `path` starts, or `nil` when the document has no node there.
  /// A node reached through an alias reports the alias for itself and the anchored text
  /// for its children; a key brought in by a `<<` merge reports the merged map's text.
  package func position(of path: ValuePath) -> YAMLPosition? {
    positions.node(at: path.components[...], in: value)?.tree.position
  }

  /// Where the key of the map entry at `path` starts (`nil` when `path` does not end
  /// in a key of an existing entry).
  package func keyPosition(of path: ValuePath) -> YAMLPosition? {
    positions.node(at: path.components[...], in: value)?.entry?.key
  }

  /// An error about the value at `path`, placed at that node, or at its nearest
  /// ancestor that exists (for a missing key: the map that lacks it).
  package func error(at path: ValuePath, _ message: String) -> YAMLError {
    var components = path.components[...]
    while position(of: ValuePath(Array(components))) == nil, !components.isEmpty { components = components.dropLast() }
    let at = position(of: ValuePath(Array(components))) ?? YAMLPosition(line: startLine, column: 1)
    return YAMLError(file: file, at: at, message: message)
  }
}

/// One document's slice of a YAML stream, cut without parsing (see `YAML.splitDocuments`).
package struct YAMLDocumentText: Sendable, Equatable {
  /// The document's text, from its start line up to (not including) the next document's
  /// marker or a `...` end marker.
  package let text: Substring
  /// The 1-based line of the stream that `text` begins on.
  package let startLine: Int

  /// A document's text and the line it begins on.
  package init(text: Substring, startLine: Int) {
    self.text = text
    self.startLine = startLine
  }
}

/// Reading and writing YAML the way Helm does (go-yaml v2, YAML 1.1 scalars), on libyaml.
///
/// - Plain scalars: `true/false/yes/no/on/off/y/n` (lower, Capitalized, UPPER) are bools;
///   `null`, `~` and empty are null; integers in decimal, `0x`, `0o`, `0b` and 0-prefixed
///   octal, with `_` separators and a sign, are `Int64` (out of range: a double, as go-yaml
///   does); floats include `.5`, `1e3`, `.inf`, `-.Inf`, `.nan`; everything else (also
///   `1:20` and timestamps) is a string. Quoted and block scalars are strings.
/// - Tags: `!!str`, `!!int`, `!!float`, `!!bool`, `!!null` force that type (an error when
///   the text is not one); `!!binary` is base64-decoded into a string (bytes that are not
///   UTF-8 become U+FFFD); any other tag (`!!timestamp`, `!custom`, `!`) keeps the text as
///   a string; tags on maps and lists are ignored.
/// - Anchors, aliases and `<<` merge keys (a map or a list of maps; explicit keys win,
///   earlier merged maps win over later ones); duplicate keys are an error; keys that are
///   not strings become their string form (`1` → `"1"`, `yes` → `"true"`), as Helm's JSON
///   round trip does; null and collection keys are an error.
/// - Limits: nesting deeper than `maximumDepth` and excessive alias expansion are errors.
package enum YAML {
  /// The deepest nesting of maps and lists accepted (aliases included), so hostile input
  /// cannot exhaust the stack of code that walks the value.
  package static let maximumDepth = 1000

  /// Parses a stream that holds one document (empty documents aside) into its value;
  /// an empty stream is `null`. More than one document is an error. Text in the plain block
  /// shape templates write is read by `BlockReader` straight from the bytes, the rest by
  /// libyaml, with the same values either way.
  /// `scalars` chooses how plain scalars get their types (Helm's rules unless a chart asks
  /// for PyYAML's; `BlockReader` knows only Helm's).
  package static func parse(
    _ text: String, file: String = "<input>", firstLine: Int = 1, scalars: YAMLScalarRules = .helm
  ) throws(YAMLError) -> Value {
    var contiguous = text
    if scalars == .helm, let value = contiguous.withUTF8(BlockReader.read) { return value }
    return try single(.copying(text), file: file, firstLine: firstLine, positions: false, scalars: scalars).value
  }

  /// `parse` for raw bytes (must be UTF-8), so that invalid UTF-8 is reported, not repaired.
  package static func parse(
    _ bytes: [UInt8], file: String = "<input>", firstLine: Int = 1, scalars: YAMLScalarRules = .helm
  ) throws(YAMLError) -> Value {
    if scalars == .helm, let value = bytes.withUnsafeBufferPointer(BlockReader.read) { return value }
    return try single(.copying(bytes), file: file, firstLine: firstLine, positions: false, scalars: scalars).value
  }

  /// Parses a stream that holds one document, keeping the position of every node.
  /// `firstLine` is the line of the stream `text` starts at (for slices of a larger text).
  package static func parseDocument(
    _ text: String, file: String = "<input>", firstLine: Int = 1
  ) throws(YAMLError) -> YAMLDocument {
    try single(.copying(text), file: file, firstLine: firstLine, positions: true)
  }

  /// `parseDocument` for raw bytes (must be UTF-8), scalars typed by `scalars`.
  package static func parseDocument(
    _ bytes: [UInt8], file: String = "<input>", firstLine: Int = 1, scalars: YAMLScalarRules = .helm
  ) throws(YAMLError) -> YAMLDocument {
    try single(.copying(bytes), file: file, firstLine: firstLine, positions: true, scalars: scalars)
  }

  /// Parses a multi-document stream (`---` / `...` markers, comments, directives).
  /// Empty documents (nothing but comments, or a bare `---`) are dropped, as Helm drops
  /// empty manifests; a document written as `null` or `~` is kept. Without `positions`,
  /// every path of a document is placed at the document's start, and reading is faster.
  package static func parseDocuments(
    _ text: String, file: String = "<input>", firstLine: Int = 1, positions: Bool = true
  ) throws(YAMLError) -> [YAMLDocument] {
    try Parser.parse(Input.copying(text), file: file, firstLine: firstLine, positions: positions)
  }

  /// `parseDocuments` for raw bytes (must be UTF-8).
  package static func parseDocuments(
    _ bytes: [UInt8], file: String = "<input>", firstLine: Int = 1
  ) throws(YAMLError) -> [YAMLDocument] {
    try Parser.parse(Input.copying(bytes), file: file, firstLine: firstLine, positions: true)
  }

  private static func single(
    _ input: Input, file: String, firstLine: Int, positions: Bool, scalars: YAMLScalarRules = .helm
  ) throws(YAMLError) -> YAMLDocument {
    let documents = try Parser.parse(input, file: file, firstLine: firstLine, positions: positions, scalars: scalars)
    if documents.count > 1 {
      throw YAMLError(
        file: file, line: documents[1].startLine, column: 1,
        message: "expected a single YAML document, but a second one starts here")
    }
    let start = YAMLPosition(line: firstLine, column: 1)
    return documents.first ?? YAMLDocument(value: .null, file: file, startLine: firstLine, positions: .scalar(start))
  }
}
