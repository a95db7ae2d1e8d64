internal import CZlib

/// gzip (and zlib) decompression through the system zlib.
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
      let status: Int32 = data.withUnsafeBufferPointer { inBuffer in
        chunk.withUnsafeMutableBufferPointer { outBuffer in
          // zlib counts input in 32 bits; a larger input is offered in parts.
          let offered = min(inBuffer.count - consumed, Int(UInt32.max))
          stream.next_in = inBuffer.baseAddress.map { UnsafeMutablePointer(mutating: $0 + consumed) }
          stream.avail_in = UInt32(offered)
          stream.next_out = outBuffer.baseAddress
          stream.avail_out = UInt32(outBuffer.count)
          let status = inflate(&stream, Z_NO_FLUSH)
          consumed += offered - Int(stream.avail_in)
          return status
        }
      }
      let produced = chunk.count - Int(stream.avail_out)
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
}
