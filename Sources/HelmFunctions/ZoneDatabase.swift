import Foundation

/// Zone abbreviations (`CET`, `EST`, `IST`) from the system's tz database, read from its TZif
/// files as Go reads them; Foundation on Linux names zones `GMT+1` instead.
enum ZoneDatabase {
  /// Where the tz database lives on the systems flowrel runs on.
  static let root = "/usr/share/zoneinfo/"

  /// The abbreviation zone `identifier` uses at `seconds` since the epoch, when its offset is
  /// `offset`; `nil` when the database has no such zone.
  static func abbreviation(zone identifier: String, at seconds: Int64, offset: Int) -> String? {
    guard !identifier.isEmpty, !identifier.contains(".."), !identifier.hasPrefix("/"),
      let data = FileManager.default.contents(atPath: root + identifier), let zone = TZif(Array(data))
    else { return nil }
    let index = zone.transitions.lastIndex { $0 <= seconds }
    if let index, let type = zone.types[safe: Int(zone.transitionTypes[index])], type.offset == offset {
      return type.name
    }
    // Before the first transition or past the last one: the type with this offset.
    return zone.types.last { $0.offset == offset }?.name
  }
}

/// The parts of a TZif file (RFC 8536) that give abbreviations: transition times, the type
/// each one switches to, and the types' offsets and names.
private struct TZif {
  var transitions: [Int64] = []
  var transitionTypes: [UInt8] = []
  var types: [(offset: Int, name: String)] = []

  init?(_ bytes: [UInt8]) {
    var reader = Reader(bytes: bytes)
    guard let header = reader.header() else { return nil }
    var counts = header.counts
    var timeSize = 4
    if header.version >= UInt8(ascii: "2") {
      // Skip the 32-bit block; the 64-bit one follows with its own header.
      reader.offset += counts.blockSize(timeSize: 4)
      guard let second = reader.header() else { return nil }
      counts = second.counts
      timeSize = 8
    }
    for _ in 0..<counts.times {
      guard let time = reader.integer(size: timeSize) else { return nil }
      transitions.append(time)
    }
    for _ in 0..<counts.times {
      guard let type = reader.byte() else { return nil }
      transitionTypes.append(type)
    }
    var raw: [(Int, Int)] = []
    for _ in 0..<counts.types {
      guard let offset = reader.integer(size: 4), reader.byte() != nil, let nameIndex = reader.byte() else { return nil }
      raw.append((Int(offset), Int(nameIndex)))
    }
    guard reader.offset + counts.characters <= bytes.count else { return nil }
    let characters = Array(bytes[reader.offset..<(reader.offset + counts.characters)])
    for (offset, nameIndex) in raw {
      guard nameIndex < characters.count else { return nil }
      let name = characters[nameIndex...].prefix { $0 != 0 }
      types.append((offset, String(decoding: name, as: UTF8.self)))
    }
  }

  struct Counts {
    var utc = 0, standard = 0, leaps = 0, times = 0, types = 0, characters = 0

    /// The size of a data block with `timeSize`-byte times.
    func blockSize(timeSize: Int) -> Int {
      times * timeSize + times + types * 6 + characters + leaps * (timeSize + 4) + standard + utc
    }
  }

  struct Reader {
    let bytes: [UInt8]
    var offset = 0

    mutating func byte() -> UInt8? {
      guard offset < bytes.count else { return nil }
      defer { offset += 1 }
      return bytes[offset]
    }

    /// A big-endian signed integer of `size` bytes.
    mutating func integer(size: Int) -> Int64? {
      guard offset + size <= bytes.count else { return nil }
      var value: UInt64 = 0
      for byte in bytes[offset..<(offset + size)] { value = value << 8 | UInt64(byte) }
      offset += size
      if size < 8, value & (1 << UInt64(size * 8 - 1)) != 0 { value |= ~0 << UInt64(size * 8) }
      return Int64(bitPattern: value)
    }

    mutating func header() -> (version: UInt8, counts: Counts)? {
      guard offset + 44 <= bytes.count, bytes[offset..<(offset + 4)].elementsEqual("TZif".utf8) else { return nil }
      let version = bytes[offset + 4]
      offset += 20
      var numbers: [Int] = []
      for _ in 0..<6 {
        guard let n = integer(size: 4), n >= 0, n < 1 << 20 else { return nil }
        numbers.append(Int(n))
      }
      let counts = Counts(
        utc: numbers[0], standard: numbers[1], leaps: numbers[2], times: numbers[3], types: numbers[4], characters: numbers[5])
      return (version, counts)
    }
  }
}

extension Array {
  /// The element at `index`, or `nil` when it is out of range.
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
