#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension TemplateSet {
  /// `execute`, also handing the output of template `name` to `deliver` while it runs, in
  /// pieces: the text before each line for which `startsPiece` is true (given the line without
  /// its newline), once that line has been written, and the rest at the end, each with the
  /// 1-based line of the output it starts at. Joined, the pieces are the returned text, with
  /// the same `<no value>` treatment. Only what `name`
  /// itself writes is examined (what an `include` returns counts once it is printed), so a
  /// caller can read the YAML documents of a template while later ones are being rendered.
  /// `deliver` runs on the execution's thread; after an error, the pieces delivered so far
  /// are only part of an output that will never be finished.
  public func execute(
    _ name: String, data: TemplateValue, options: ExecutionOptions = ExecutionOptions(),
    startsPiece: @escaping (UnsafeRawBufferPointer) -> Bool, deliver: @escaping (_ piece: String, _ firstLine: Int) -> Void
  ) throws(TemplateError) -> String {
    let context = TemplateContext(set: self, options: options)
    let pieces = OutputPieces(startsPiece: startsPiece, deliver: deliver)
    context.pieces = pieces
    return try LargeStack.run { () throws(TemplateError) -> String in
      var output: [UInt8] = []
      try context.run(name, data: data, into: &output)
      pieces.advance(output, finishing: true, context: context)
      return context.finish(output)
    }
  }
}

/// The state of an execution that hands its output over in pieces (see `execute(_:data:options:startsPiece:deliver:)`).
final class OutputPieces {
  let startsPiece: (UnsafeRawBufferPointer) -> Bool
  let deliver: (String, Int) -> Void
  /// Bytes of the output already handed over.
  private var delivered = 0
  /// The line the output not yet handed over starts at.
  private var deliveredLine = 1
  /// Where the first line not yet examined starts, and its number.
  private var scanned = 0
  private var scannedLine = 1

  init(startsPiece: @escaping (UnsafeRawBufferPointer) -> Bool, deliver: @escaping (String, Int) -> Void) {
    self.startsPiece = startsPiece
    self.deliver = deliver
  }

  /// Examines the complete lines of `output` written since the last call and hands over the
  /// text before each line that starts a piece; with `finishing`, also the rest.
  func advance(_ output: [UInt8], finishing: Bool, context: TemplateContext) {
    guard output.count > scanned || (finishing && output.count > delivered) else { return }
    output.withUnsafeBytes { bytes in
      guard let base = bytes.baseAddress else { return }
      while scanned < bytes.count, let newline = memchr(base + scanned, 0x0A, bytes.count - scanned) {
        let end = base.distance(to: UnsafeRawPointer(newline))
        if scanned > delivered && startsPiece(UnsafeRawBufferPointer(rebasing: bytes[scanned..<end])) {
          deliver(context.finish(Array(bytes[delivered..<scanned])), deliveredLine)
          delivered = scanned
          deliveredLine = scannedLine
        }
        scanned = end + 1
        scannedLine += 1
      }
    }
    if finishing && output.count > delivered {
      deliver(context.finish(Array(output[delivered...])), deliveredLine)
      delivered = output.count
    }
  }
}
