#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension TemplateSet {
  /// `execute`, also handing the output of template `name` to `deliver` while it runs, in
  /// pieces: the text before each line that begins with `linePrefix` and for which
  /// `startsPiece` is true (given the line without its newline), once that line has been
  /// written, and the rest at the end, each with the 1-based line of the output it starts at.
  /// Joined, the pieces are the returned text, with the same `<no value>` treatment. Only what
  /// `name` itself writes is examined (what an `include` returns counts once it is printed),
  /// so a caller can read the YAML documents of a template while later ones are being
  /// rendered. `deliver` runs on the execution's thread; after an error, the pieces delivered
  /// so far are only part of an output that will never be finished.
  package func execute(
    _ name: String, data: TemplateValue, options: ExecutionOptions = ExecutionOptions(), linePrefix: String,
    startsPiece: @escaping (UnsafeRawBufferPointer) -> Bool, deliver: @escaping (_ piece: String, _ firstLine: Int) -> Void
  ) throws(TemplateError) -> String {
    let context = TemplateContext(set: self, options: options)
    let pieces = OutputPieces(linePrefix: linePrefix, startsPiece: startsPiece, deliver: deliver)
    context.pieces = pieces
    return try LargeStack.run { (stackFloor) throws(TemplateError) -> String in
      context.stackFloor = stackFloor
      var output: [UInt8] = []
      try context.run(name, data: data, into: &output)
      pieces.advance(output, finishing: true, context: context)
      var finished = context.options.removesNoValue ? TemplateContext.removingNoValue(output) : output
      output = []
      return OutputPieces.text(releasing: &finished)
    }
  }
}

/// The state of an execution that hands its output over in pieces (see
/// `execute(_:data:options:linePrefix:startsPiece:deliver:)`).
final class OutputPieces {
  /// A newline and the prefix: only lines found after it are offered to `startsPiece` (the
  /// executor calls `advance` whenever the output grew).
  private let needle: [UInt8]
  let startsPiece: (UnsafeRawBufferPointer) -> Bool
  let deliver: (String, Int) -> Void
  /// The output's length at the last call.
  private(set) var seen = 0
  /// Bytes of the output already handed over, and the line they end before.
  private var delivered = 0
  private var deliveredLine = 1
  /// Where the search for the next `needle` goes on.
  private var searchFrom = 0

  init(linePrefix: String, startsPiece: @escaping (UnsafeRawBufferPointer) -> Bool, deliver: @escaping (String, Int) -> Void) {
    needle = [0x0A] + Array(linePrefix.utf8)
    self.startsPiece = startsPiece
    self.deliver = deliver
  }

  /// Examines what `output` gained since the last call and hands over the text before each
  /// complete line that starts a piece; with `finishing`, also the rest.
  func advance(_ output: [UInt8], finishing: Bool, context: TemplateContext) {
    seen = output.count
    output.withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress else { return }
      needle.withUnsafeBytes { needle in
        guard let needleBase = needle.baseAddress else { return }
        while searchFrom < bytes.count, let hit = Self.find(needleBase, needle.count, in: base + searchFrom, bytes.count - searchFrom) {
          let lineStart = base.distance(to: hit) + 1
          guard let newline = memchr(base + lineStart, 0x0A, bytes.count - lineStart) else {
            // The line is not complete yet: it is looked at again next time.
            searchFrom = lineStart - 1
            return
          }
          let lineEnd = base.distance(to: UnsafeRawPointer(newline))
          if startsPiece(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])) {
            hand(UnsafeRawBufferPointer(rebasing: bytes[delivered..<lineStart]), context: context)
            delivered = lineStart
          }
          searchFrom = lineEnd
        }
        // No needle in what is left, but its last bytes may begin one.
        searchFrom = max(searchFrom, bytes.count - needle.count + 1)
      }
    }
    if finishing && output.count > delivered {
      output.withUnsafeBytes { bytes in hand(UnsafeRawBufferPointer(rebasing: bytes[delivered...]), context: context) }
      delivered = output.count
    }
  }

  /// The first place `needle` (a newline and more) occurs in `count` bytes at `start`: each
  /// newline is found with `memchr` and the rest compared.
  private static func find(_ needle: UnsafeRawPointer, _ length: Int, in start: UnsafeRawPointer, _ count: Int)
    -> UnsafeRawPointer?
  {
    var offset = 0
    while offset + length <= count, let newline = memchr(start + offset, 0x0A, count - length + 1 - offset) {
      let candidate = UnsafeRawPointer(newline)
      if memcmp(candidate, needle, length) == 0 { return candidate }
      offset = start.distance(to: candidate) + 1
    }
    return nil
  }

  /// `output` as text, copied a few MiB at a time, each part's memory given back to the
  /// system as soon as it is copied (the bytes are left zero): a large template's output is
  /// most of what the process holds, and copying it whole would hold it twice at its end.
  static func text(releasing output: inout [UInt8]) -> String {
    let count = output.count
    let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 1)
    let part = 8 << 20
    return output.withUnsafeMutableBytes { bytes in
      guard let source = bytes.baseAddress, count > 0 else { return "" }
      return String(unsafeUninitializedCapacity: count) { target in
        guard let destination = target.baseAddress else { return 0 }
        let start = Int(bitPattern: source)
        // Only whole pages inside the buffer are given back: the partial pages at its ends
        // may hold the allocator's data or another allocation's.
        var released = (start + page - 1) / page * page
        var copied = 0
        while copied < count {
          let length = min(part, count - copied)
          memcpy(destination + copied, source + copied, length)
          copied += length
          let end = (start + copied) / page * page
          if end > released, let region = UnsafeMutableRawPointer(bitPattern: released) {
            _ = madvise(region, end - released, MADV_DONTNEED)
            released = end
          }
        }
        return count
      }
    }
  }

  private func hand(_ piece: UnsafeRawBufferPointer, context: TemplateContext) {
    deliver(context.finish(Array(piece)), deliveredLine)
    guard let start = piece.baseAddress else { return }
    var offset = 0
    while let newline = memchr(start + offset, 0x0A, piece.count - offset) {
      deliveredLine += 1
      offset = start.distance(to: UnsafeRawPointer(newline)) + 1
    }
  }
}
