extension YAML {
  /// Cuts a stream into its documents without parsing them, each with the line it starts
  /// on, so a renderer can parse (`parseDocument(_:file:firstLine:)`) and report each one on
  /// its own. A line that starts with `---` (alone or followed by a space) begins a document,
  /// a `...` line ends one; YAML forbids both at the start of a line inside a document, so
  /// the cut is exact. Documents with nothing but blank and comment lines are dropped, as
  /// `parseDocuments` drops them; a document's text starts at its `---` line (or first
  /// directive, or first content line), and `startLine` matches `YAMLDocument.startLine`.
  /// `firstLine` is the line of a larger stream that `text` starts at (for a piece of one).
  public static func splitDocuments(_ text: String, firstLine: Int = 1) -> [YAMLDocumentText] {
    var documents: [YAMLDocumentText] = []
    let utf8 = text.utf8
    var start: String.Index? = nil  // where the open document's text begins
    var startLine = 0
    var hasContent = false
    var sawMarker = false  // the open document has its `---`
    var lineNumber = firstLine - 1
    var lineStart = utf8.startIndex

    func close(at end: String.Index) {
      if let begin = start, hasContent {
        documents.append(YAMLDocumentText(text: text[begin..<end], startLine: startLine))
      }
      start = nil
      hasContent = false
      sawMarker = false
    }

    while lineStart < utf8.endIndex {
      lineNumber += 1
      let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
      let line = utf8[lineStart..<lineEnd]
      let next = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
      switch lineKind(line) {
      case .documentStart(let rest):
        // Directives belong to the document whose `---` follows them.
        if hasContent || sawMarker || start == nil {
          close(at: lineStart)
          start = lineStart
          startLine = lineNumber
        }
        sawMarker = true
        hasContent = !isBlankOrComment(rest)
      case .documentEnd:
        close(at: lineStart)
      case .directive where !hasContent:
        if start == nil {
          start = lineStart
          startLine = lineNumber
        }
      case .blankOrComment:
        break
      case .content, .directive:
        if start == nil {
          start = lineStart
          startLine = lineNumber
        }
        hasContent = true
      }
      lineStart = next
    }
    close(at: utf8.endIndex)
    return documents
  }

  private enum LineKind {
    case documentStart(rest: Substring.UTF8View)
    case documentEnd
    case directive
    case blankOrComment
    case content
  }

  /// Whether `line` (without its newline) is a document start marker: `---` alone or
  /// followed by a space or tab (a renderer can cut a stream before such lines as it is
  /// written, exactly where `splitDocuments` cuts it).
  public static func isDocumentStart<Line: Collection<UInt8>>(_ line: Line) -> Bool {
    isMarker(line, UInt8(ascii: "-"))
  }

  /// `line` is three `marker` bytes, alone or followed by a space, tab or carriage return.
  private static func isMarker<Line: Collection<UInt8>>(_ line: Line, _ marker: UInt8) -> Bool {
    var index = line.startIndex
    for _ in 0..<3 {
      guard index != line.endIndex, line[index] == marker else { return false }
      index = line.index(after: index)
    }
    guard index != line.endIndex else { return true }
    let after = line[index]
    return after == UInt8(ascii: " ") || after == UInt8(ascii: "\t") || after == UInt8(ascii: "\r")
  }

  private static func lineKind(_ line: Substring.UTF8View) -> LineKind {
    if isDocumentStart(line) { return .documentStart(rest: line.dropFirst(3)) }
    if isMarker(line, UInt8(ascii: ".")) { return .documentEnd }
    if line.first == UInt8(ascii: "%") { return .directive }
    return isBlankOrComment(line) ? .blankOrComment : .content
  }

  private static func isBlankOrComment(_ line: Substring.UTF8View) -> Bool {
    for b in line {
      if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") { continue }
      return b == UInt8(ascii: "#")
    }
    return true
  }
}
