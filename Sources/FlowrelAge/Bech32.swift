/// Bech32 (BIP 173 checksum) as age uses it for `age1...` recipients and
/// `AGE-SECRET-KEY-1...` identities, without BIP 173's 90-character limit.
enum Bech32 {
  private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
  private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]
  /// Key strings are short; anything longer is not a key and is refused before work.
  static let maximumLength = 1000

  private static func polymod(_ values: [UInt8]) -> UInt32 {
    var check: UInt32 = 1
    for value in values {
      let top = check >> 25
      check = (check & 0x1ff_ffff) << 5 ^ UInt32(value)
      for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { check ^= generator[i] }
    }
    return check
  }

  private static func expand(_ hrp: [UInt8]) -> [UInt8] {
    hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
  }

  /// `hrp` + `1` + data + checksum, in lower case.
  static func encode(hrp: String, data: [UInt8]) -> String {
    let hrpBytes = Array(hrp.lowercased().utf8)
    let values = regroup(data, from: 8, to: 5, pad: true) ?? []
    let check = polymod(expand(hrpBytes) + values + [0, 0, 0, 0, 0, 0]) ^ 1
    let checksum = (0..<6).map { UInt8((check >> (5 * (5 - UInt32($0)))) & 31) }
    return String(decoding: hrpBytes + [UInt8(ascii: "1")] + (values + checksum).map { charset[Int($0)] }, as: UTF8.self)
  }

  /// The human-readable part (lower case) and the data bytes; `what` names the key in errors.
  static func decode(_ text: String, what: String) throws(AgeError) -> (hrp: String, data: [UInt8]) {
    let bytes = Array(text.utf8)
    guard bytes.count <= maximumLength else { throw .invalidKey("\(what) is too long to be a key") }
    let hasLower = bytes.contains { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    let hasUpper = bytes.contains { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
    guard !(hasLower && hasUpper) else { throw .invalidKey("\(what) mixes upper and lower case") }
    let lower = bytes.map { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? $0 + 32 : $0 }
    guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator > 0, lower.count - separator - 1 >= 6 else {
      throw .invalidKey("\(what) is not a bech32 string")
    }
    let hrp = Array(lower[..<separator])
    guard hrp.allSatisfy({ $0 >= 33 && $0 <= 126 }) else { throw .invalidKey("\(what) has an invalid prefix") }
    var values: [UInt8] = []
    for byte in lower[(separator + 1)...] {
      guard let index = charset.firstIndex(of: byte) else {
        throw .invalidKey("\(what) contains a character that bech32 does not use")
      }
      values.append(UInt8(index))
    }
    guard polymod(expand(hrp) + values) == 1 else { throw .badChecksum(what) }
    guard let data = regroup(Array(values.dropLast(6)), from: 5, to: 8, pad: false) else {
      throw .invalidKey("\(what) has invalid padding")
    }
    return (String(decoding: hrp, as: UTF8.self), data)
  }

  /// Regroups bits; without `pad`, leftover bits must be fewer than `from` and all zero.
  private static func regroup(_ data: [UInt8], from: Int, to: Int, pad: Bool) -> [UInt8]? {
    var accumulator = 0
    var bits = 0
    var out: [UInt8] = []
    let maxValue = (1 << to) - 1
    for value in data {
      accumulator = (accumulator << from) | Int(value)
      bits += from
      while bits >= to {
        bits -= to
        out.append(UInt8((accumulator >> bits) & maxValue))
      }
      accumulator &= (1 << bits) - 1
    }
    if pad {
      if bits > 0 { out.append(UInt8((accumulator << (to - bits)) & maxValue)) }
    } else if bits >= from || accumulator != 0 {
      return nil
    }
    return out
  }
}
