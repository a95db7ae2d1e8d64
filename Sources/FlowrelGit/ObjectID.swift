internal import CGit2

/// The SHA-1 name of a git object (blob, tree or commit), kept as 40 lowercase hex digits.
package struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The 40 lowercase hex digits.
  package let hex: String

  /// The id written as `hex` (40 hex digits, either case), or nil when it is not one.
  package init?(hex: String) {
    // Checked byte by byte: ids are read by the ten thousand from the store's history cache.
    guard hex.utf8.count == 40 else { return nil }
    var upper = false
    for byte in hex.utf8 {
      switch byte {
      case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): continue
      case UInt8(ascii: "A")...UInt8(ascii: "F"): upper = true
      default: return nil
      }
    }
    self.hex = upper ? hex.lowercased() : hex
  }

  /// The first seven hex digits, as git abbreviates ids in messages.
  package var short: String { String(hex.prefix(7)) }

  package var description: String { hex }

  package static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

  private static let digits = Array("0123456789abcdef".utf8)

  init(_ oid: git_oid) {
    let digits = ObjectID.digits
    var text = [UInt8]()
    text.reserveCapacity(40)
    withUnsafeBytes(of: oid.id) { bytes in
      for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0f)])
      }
    }
    hex = String(decoding: text, as: UTF8.self)
  }

  /// The libgit2 form; `hex` is always 40 valid digits, so parsing cannot fail.
  var oid: git_oid {
    var oid = git_oid()
    _ = git_oid_fromstrn(&oid, hex, 40)
    return oid
  }
}
