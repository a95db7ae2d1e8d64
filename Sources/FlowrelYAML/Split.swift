extension YAML {
  /// Cuts a stream into its documents without parsing them, each with the line it starts
  /// on, so a renderer can parse (`parseDocument(_:file:firstLine:)`) and report each one on
  /// its own. A line that starts with `---` (alone or followed by a space) begins a document,
  /// a `...` line ends one; YAML forbids both at the start of a line inside a document, so
  /// the cut is exact. Documents with nothing but blank and comment lines are dropped, as
  /// `parseDocuments` drops them; a document's text starts at its `---` line (or first
  /// directive, or first content line), and `startLine` matches `YAMLDocument.startLine`.
  /// `firstLine` is the line of a larger stream that `text` starts at (for a piece of one).
  package static func splitDocuments(_ text: String, firstLine: Int = 1) -> [YAMLDocumentText] {
    // Lines are found in the bytes (a rendered release is a megabyte); only the documents'
    // bounds become string indices.
    var bytes = text
    let bounds: [(start: Int, end: Int, line: Int)] = bytes.withUTF8 { buffer in
      var bounds: [(start: Int, end: Int, line: Int)] = []
      var start: Int? = nil  // where the open document's text begins
      var startLine = 0
      var hasContent = false
      var sawMarker = false  // the open document has its `---`
      var lineNumber = firstLine - 1
      var lineStart = 0

      func close(at end: Int) {
        if let begin = start, hasContent { bounds.append((begin, end, startLine)) }
        start = nil
        hasContent = false
        sawMarker = false
      }

      while lineStart < buffer.count {
        lineNumber += 1
        let lineEnd = buffer[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
        let next = lineEnd < buffer.count ? lineEnd + 1 : lineEnd
        defer { lineStart = next }
        // Inside a document with content, only a marker or directive line matters.
        let first = lineStart < lineEnd ? buffer[lineStart] : UInt8(ascii: "\n")
        if hasContent && first != UInt8(ascii: "-") && first != UInt8(ascii: ".") && first != UInt8(ascii: "%") {
          continue
        }
        let line = buffer[lineStart..<lineEnd]
        switch lineKind(line) {
        case .documentStart:
          // Directives belong to the document whose `---` follows them.
          if hasContent || sawMarker || start == nil {
            close(at: lineStart)
            start = lineStart
            startLine = lineNumber
          }
          sawMarker = true
          hasContent = !isBlankOrComment(line.dropFirst(3))
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
      }
      close(at: buffer.count)
      return bounds
    }
    let utf8 = text.utf8
    return bounds.map { bound in
      let start = utf8.index(utf8.startIndex, offsetBy: bound.start)
      let end = utf8.index(start, offsetBy: bound.end - bound.start)
      return YAMLDocumentText(text: text[start..<end], startLine: bound.line)
    }
  }

  /// Whether `line` (without its newline) is a document start marker: `---` alone or
  /// followed by a space or tab (a renderer can cut a stream before such lines as it is
  /// written, exactly where `splitDocuments` cuts it).
  package static func isDocumentStart<Line: Collection<UInt8>>(_ line: Line) -> Bool {
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

  private enum LineKind {
    case documentStart
    case documentEnd
    case directive
    case blankOrComment
    case content
  }

  private static func lineKind(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> LineKind {
    if isDocumentStart(line) { return .documentStart }
    if isMarker(line, UInt8(ascii: ".")) { return .documentEnd }
    if line.first == UInt8(ascii: "%") { return .directive }
    return isBlankOrComment(line) ? .blankOrComment : .content
  }

  private static func isBlankOrComment(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
    for b in line {
      if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\r") { continue }
      return b == UInt8(ascii: "#")
    }
    return true
  }
}
