/// One regular file from an archive.
package struct ArchiveEntry: Sendable, Equatable {
  /// The file's path inside the archive, with `/` separators and no leading `./`.
  package var path: String
  /// The file's bytes.
  package var contents: [UInt8]

  /// An entry.
  package init(path: String, contents: [UInt8]) {
    self.path = path
    self.contents = contents
  }
}

/// Reading tar archives (POSIX ustar, with the PAX and GNU long-name extensions).
///
/// Only regular files are returned; directories are implied by paths. Links and device
/// files are refused, as are paths that would leave the archive's folder, because a chart
/// must not reach outside itself.
package enum Tar {
  /// Limits that keep a hostile archive from taking all memory; the defaults are Helm's.
  package struct Limits: Sendable {
    /// The most bytes all files may hold together.
    package var totalBytes: Int
    /// The most bytes one file may hold.
    package var fileBytes: Int

    /// Limits; by default 100 MiB in all and 5 MiB per file.
    package init(totalBytes: Int = 100 << 20, fileBytes: Int = 5 << 20) {
      self.totalBytes = totalBytes
      self.fileBytes = fileBytes
    }
  }

  /// The most bytes a GNU long-name or PAX attribute entry may hold (Go's archive/tar
  /// allows the same), so names and attributes cannot take the memory meant for files.
  static let metadataLimit = 1 << 20

  /// The regular files of a `.tgz` archive, in archive order.
  package static func readGzipped(_ data: [UInt8], limits: Limits = Limits()) throws(ArchiveError) -> [ArchiveEntry] {
    // The tar stream is headers and padding on top of the file bytes; allow for them.
    // Saturating, so a caller's "no limit" of Int.max does not overflow.
    let (padded, overflow) = limits.totalBytes.addingReportingOverflow(limits.totalBytes / 8 + (1 << 20))
    let tarLimit = overflow ? Int.max : padded
    return try read(Gzip.decompress(data, limit: tarLimit), limits: limits)
  }

  /// The regular files of a tar archive, in archive order.
  package static func read(_ data: [UInt8], limits: Limits = Limits()) throws(ArchiveError) -> [ArchiveEntry] {
    var entries: [ArchiveEntry] = []
    var offset = 0
    var total = 0
    var longName: String?
    var paxPath: String?
    while offset + 512 <= data.count {
      let header = data[offset..<offset + 512]
      if header.allSatisfy({ $0 == 0 }) { return entries }
      try verifyChecksum(header, at: offset)
      let size = try number(header, 124, 12, at: offset)
      let type = header[header.startIndex + 156]
      let bodyStart = offset + 512
      // Compared by subtraction: a hostile size near Int.max must not overflow the sum.
      guard size >= 0, size <= data.count - bodyStart else {
        throw ArchiveError("tar entry at byte \(offset) claims \(size) bytes but the archive ends first")
      }
      let isMetadata = type == UInt8(ascii: "L") || type == UInt8(ascii: "x") || type == UInt8(ascii: "g")
      guard !isMetadata || size <= metadataLimit else {
        throw ArchiveError("tar entry at byte \(offset) holds \(size) bytes of names or attributes, more than the \(metadataLimit) allowed")
      }
      let body = data[bodyStart..<bodyStart + size]
      offset = bodyStart + (size + 511) / 512 * 512

      switch type {
      case UInt8(ascii: "L"):  // GNU: the next entry's long name
        longName = text(body)
        continue
      case UInt8(ascii: "x"):  // PAX: attributes of the next entry
        paxPath = try paxAttributes(body)["path"] ?? paxPath
        continue
      case UInt8(ascii: "g"):  // PAX global attributes: nothing a chart needs
        continue
      default:
        break
      }
      let rawName = paxPath ?? longName ?? headerName(header)
      paxPath = nil
      longName = nil

      switch type {
      case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
        let path = try cleanPath(rawName)
        guard size <= limits.fileBytes else {
          throw ArchiveError("\(path) holds \(size) bytes, more than the \(limits.fileBytes) allowed for one file")
        }
        total += size
        guard total <= limits.totalBytes else {
          throw ArchiveError("the archive's files hold more than the \(limits.totalBytes) bytes allowed")
        }
        entries.append(ArchiveEntry(path: path, contents: Array(body)))
      case UInt8(ascii: "5"):
        _ = try cleanPath(rawName)
      case UInt8(ascii: "1"), UInt8(ascii: "2"):
        throw ArchiveError("\(rawName) is a link; chart archives may hold only regular files")
      default:
        throw ArchiveError("\(rawName) has tar type '\(Character(Unicode.Scalar(type)))', which a chart archive may not hold")
      }
    }
    // The last entry's padding may be cut off, leaving `offset` past the end.
    guard offset <= data.count, data[offset...].allSatisfy({ $0 == 0 }) else {
      throw ArchiveError("the tar archive ends in the middle of an entry")
    }
    return entries
  }

  /// The archive path made safe: `./` and `/` prefixes removed, `\` read as `/`, and no
  /// `..` step or empty result.
  static func cleanPath(_ raw: String) throws(ArchiveError) -> String {
    let parts = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).filter { $0 != "." }
    guard !raw.hasPrefix("/"), !parts.contains("..") else {
      throw ArchiveError("\(raw) would be written outside the chart's folder")
    }
    guard !parts.isEmpty else { throw ArchiveError("an archive entry has an empty name") }
    return parts.joined(separator: "/")
  }

  private static func text(_ bytes: ArraySlice<UInt8>) -> String {
    let end = bytes.firstIndex(of: 0) ?? bytes.endIndex
    return String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
  }

  private static func field(_ header: ArraySlice<UInt8>, _ start: Int, _ length: Int) -> ArraySlice<UInt8> {
    header[(header.startIndex + start)..<(header.startIndex + start + length)]
  }

  private static func headerName(_ header: ArraySlice<UInt8>) -> String {
    let name = text(field(header, 0, 100))
    // ustar splits long names into a prefix and a name.
    let isUstar = text(field(header, 257, 5)) == "ustar"
    let prefix = isUstar ? text(field(header, 345, 155)) : ""
    return prefix.isEmpty ? name : prefix + "/" + name
  }

  /// An octal number field, or GNU's base-256 form when the high bit is set.
  private static func number(_ header: ArraySlice<UInt8>, _ start: Int, _ length: Int, at offset: Int) throws(ArchiveError) -> Int {
    let bytes = field(header, start, length)
    if let first = bytes.first, first & 0x80 != 0 {
      var value = Int(first & 0x7F)
      for b in bytes.dropFirst() {
        guard value < (Int.max >> 8) else { throw ArchiveError("tar entry at byte \(offset) has a size too large to read") }
        value = value << 8 | Int(b)
      }
      return value
    }
    var value = 0
    for b in bytes {
      switch b {
      case UInt8(ascii: "0")...UInt8(ascii: "7"):
        guard value < (Int.max >> 3) else { throw ArchiveError("tar entry at byte \(offset) has a size too large to read") }
        value = value << 3 | Int(b - UInt8(ascii: "0"))
      case 0, UInt8(ascii: " "):
        continue
      default:
        throw ArchiveError("tar entry at byte \(offset) has a malformed number field; is this a tar archive?")
      }
    }
    return value
  }

  private static func verifyChecksum(_ header: ArraySlice<UInt8>, at offset: Int) throws(ArchiveError) {
    let stored = try number(header, 148, 8, at: offset)
    var sum = 0
    for (i, b) in header.enumerated() { sum += (148..<156).contains(i) ? 32 : Int(b) }
    guard sum == stored else {
      throw ArchiveError("tar header at byte \(offset) fails its checksum; the archive is damaged or not a tar archive")
    }
  }

  /// PAX records: `<length> <key>=<value>\n`, the length counting the whole record.
  private static func paxAttributes(_ body: ArraySlice<UInt8>) throws(ArchiveError) -> [String: String] {
    var attributes: [String: String] = [:]
    var index = body.startIndex
    while index < body.endIndex, body[index] != 0 {
      // The length counts its own digits, the space and the final newline; compared by
      // subtraction so a hostile length near Int.max cannot overflow.
      guard let space = body[index...].firstIndex(of: UInt8(ascii: " ")),
        let length = Int(String(decoding: body[index..<space], as: UTF8.self)),
        length > space - index + 1, length <= body.endIndex - index,
        body[index + length - 1] == UInt8(ascii: "\n")
      else { throw ArchiveError("a PAX header in the archive is malformed") }
      let record = body[(space + 1)..<(index + length - 1)]
      guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
        throw ArchiveError("a PAX header in the archive has a record without '='")
      }
      let key = String(decoding: record[record.startIndex..<equals], as: UTF8.self)
      attributes[key] = String(decoding: record[(equals + 1)...], as: UTF8.self)
      index += length
    }
    return attributes
  }
}
