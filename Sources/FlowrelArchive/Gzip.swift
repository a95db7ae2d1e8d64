internal import CZlib

/// gzip (and zlib) decompression, and deterministic gzip compression, through the system zlib.
package enum Gzip {
  /// The decompressed bytes of `data`, a gzip stream of one or more members.
  /// Stops with an error instead of producing more than `limit` bytes, so a small
  /// archive cannot expand into all of memory.
  package static func decompress(_ data: [UInt8], limit: Int) throws(ArchiveError) -> [UInt8] {
    var output: [UInt8] = []
    var stream = z_stream()
    // 15 window bits plus 32: detect a gzip or zlib header by itself.
    guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      throw ArchiveError("zlib could not start decompressing")
    }
    defer { inflateEnd(&stream) }
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    // `consumed` indexes `data` itself: later gzip members are read in place, as copying
    // the rest for each member would be quadratic in the number of members.
    var consumed = 0
    while consumed < data.count {
      let (status, produced) = round(&stream, over: data, consumed: &consumed, into: &chunk) { stream, _ in
        inflate(&stream, Z_NO_FLUSH)
      }
      guard output.count + produced <= limit else {
        throw ArchiveError("archive expands to more than \(limit) bytes")
      }
      output.append(contentsOf: chunk[0..<produced])
      switch status {
      case Z_OK:
        continue
      case Z_STREAM_END:
        // Another gzip member may follow, as `cat a.gz b.gz` makes.
        guard consumed < data.count else { return output }
        guard inflateReset(&stream) == Z_OK else { throw ArchiveError("zlib could not restart decompressing") }
      case Z_BUF_ERROR where produced > 0:
        continue
      default:
        let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        throw ArchiveError("not a valid gzip archive: \(detail)")
      }
    }
    throw ArchiveError("not a valid gzip archive: the data ends before the compressed stream does")
  }

  /// `data` compressed as one gzip member at zlib's best compression, with zlib's default
  /// header (no name, time 0): the same input always gives the same bytes.
  package static func compress(_ data: [UInt8]) throws(ArchiveError) -> [UInt8] {
    var stream = z_stream()
    // 15 window bits plus 16: write a gzip header and trailer instead of zlib's.
    guard deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else {
      throw ArchiveError("zlib could not start compressing")
    }
    defer { deflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    var consumed = 0
    while true {
      let (status, produced) = round(&stream, over: data, consumed: &consumed, into: &chunk) { stream, allOffered in
        deflate(&stream, allOffered ? Z_FINISH : Z_NO_FLUSH)
      }
      output.append(contentsOf: chunk[0..<produced])
      switch status {
      case Z_STREAM_END: return output
      case Z_OK, Z_BUF_ERROR: continue
      default: throw ArchiveError("zlib could not compress: error \(status)")
      }
    }
  }

  /// One round of `stream` over `data` from `consumed`, the one loop body of compressing and
  /// decompressing: offers the rest of the input (zlib counts input in 32 bits, so a larger
  /// input is offered in parts) and `chunk` as room for output, runs `process` (told whether
  /// all the input is offered), and moves `consumed` past what zlib took. Returns zlib's status
  /// and how many bytes of `chunk` it filled.
  private static func round(
    _ stream: inout z_stream, over data: [UInt8], consumed: inout Int, into chunk: inout [UInt8],
    _ process: (inout z_stream, _ allOffered: Bool) -> Int32
  ) -> (status: Int32, produced: Int) {
    let status: Int32 = data.withUnsafeBufferPointer { inBuffer in
      chunk.withUnsafeMutableBufferPointer { outBuffer in
        let offered = min(inBuffer.count - consumed, Int(UInt32.max))
        stream.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0 + consumed) }
        stream.avail_in = UInt32(offered)
        stream.next_out = outBuffer.baseAddress
        stream.avail_out = UInt32(outBuffer.count)
        let status = process(&stream, consumed + offered == inBuffer.count)
        consumed += offered - Int(stream.avail_in)
        return status
      }
    }
    return (status, chunk.count - Int(stream.avail_out))
  }
}
