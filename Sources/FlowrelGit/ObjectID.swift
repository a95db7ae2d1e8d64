internal import CGit2

/// The SHA-1 name of a git object (blob, tree or commit), kept as 40 lowercase hex digits.
package struct ObjectID: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// The 40 lowercase hex digits.
  package let hex: String

  /// The id written as `hex` (40 hex digits, either case), or nil when it is not one.
  package init?(hex: String) {
    let lower = hex.lowercased()
    guard lower.utf8.count == 40, lower.utf8.allSatisfy({ ObjectID.hexDigits.contains($0) }) else {
      return nil
    }
    self.hex = lower
  }

  /// The first seven hex digits, as git abbreviates ids in messages.
  package var short: String { String(hex.prefix(7)) }

  package var description: String { hex }

  package static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

  private static let digits = Array("0123456789abcdef".utf8)
  private static let hexDigits = Set(digits)

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
