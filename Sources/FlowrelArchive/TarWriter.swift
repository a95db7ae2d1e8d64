extension Tar {
  /// A gzip-compressed tar archive of `entries`, in the given order, that depends on nothing
  /// but the entries: every file has mode 0644, owner 0, time 0 (1970-01-01), and the gzip
  /// header has no time or name, so the same files always give the same bytes. Paths longer
  /// than a ustar header holds are written with a PAX `path` record.
  package static func writeGzipped(_ entries: [ArchiveEntry]) throws(ArchiveError) -> [UInt8] {
    var tar: [UInt8] = []
    for entry in entries {
      let path = Array(entry.path.utf8)
      if path.count > 100 {
        // A PAX record is "<length> path=<path>\n", its length counting its own digits.
        let body = " path=".utf8.count + path.count + 1
        var length = body + String(body).count
        if String(length).count != String(body).count { length = body + String(length).count }
        let record = Array("\(length) path=".utf8) + path + [UInt8(ascii: "\n")]
        tar += header(name: Array("PaxHeaders/file".utf8), size: record.count, type: UInt8(ascii: "x"))
        tar += padded(record)
      }
      tar += header(name: Array(path.prefix(100)), size: entry.contents.count, type: UInt8(ascii: "0"))
      tar += padded(entry.contents)
    }
    tar += [UInt8](repeating: 0, count: 1024)
    return try Gzip.compress(tar)
  }

  /// The bytes followed by zeros up to a multiple of 512.
  private static func padded(_ bytes: [UInt8]) -> [UInt8] {
    bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
  }

  /// A ustar header block for a regular file (or a PAX record) of `size` bytes.
  private static func header(name: [UInt8], size: Int, type: UInt8) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ bytes: [UInt8], at offset: Int) {
      for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
    }
    func octal(_ value: Int, width: Int) -> [UInt8] {
      let digits = String(value, radix: 8)
      return Array((String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits).utf8) + [0]
    }
    put(name, at: 0)
    put(octal(0o644, width: 8), at: 100)
    put(octal(0, width: 8), at: 108)
    put(octal(0, width: 8), at: 116)
    put(octal(size, width: 12), at: 124)
    put(octal(0, width: 12), at: 136)
    put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
    block[156] = type
    put(Array("ustar\u{0}00".utf8), at: 257)
    let sum = block.reduce(0) { $0 + Int($1) }
    put(Array((String(repeating: "0", count: max(0, 6 - String(sum, radix: 8).count)) + String(sum, radix: 8)).utf8) + [0, UInt8(ascii: " ")], at: 148)
    return block
  }
}
