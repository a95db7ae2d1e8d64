import Crypto
import Foundation
import GoTemplate

// Sprig's encodings and hashes (encoding.md, crypto.md): base64 and base32 with padding
// (Go's StdEncoding), hex digests, Adler-32 in decimal.

extension Library {
  mutating func addEncodings() {
    add("b64enc", plain: { a in try a.expectCount(1); return .string(Base.base64.encode(Array(try a.string(at: 0).utf8))) })
    add("b32enc", plain: { a in try a.expectCount(1); return .string(Base.base32.encode(Array(try a.string(at: 0).utf8))) })
    // Sprig returns the decoder's error message as the result instead of failing.
    add("b64dec", plain: { a in try a.expectCount(1); return .string(Base.base64.decodeText(try a.string(at: 0))) })
    add("b32dec", plain: { a in try a.expectCount(1); return .string(Base.base32.decodeText(try a.string(at: 0))) })
    add("sha1sum", plain: { a in try a.expectCount(1); return .string(hex(Insecure.SHA1.hash(data: Array(try a.string(at: 0).utf8)))) })
    add("sha256sum", plain: { a in try a.expectCount(1); return .string(hex(SHA256.hash(data: Array(try a.string(at: 0).utf8)))) })
    add("sha512sum", plain: { a in try a.expectCount(1); return .string(hex(SHA512.hash(data: Array(try a.string(at: 0).utf8)))) })
    add("adler32sum", plain: { a in try a.expectCount(1); return .string(String(adler32(Array(try a.string(at: 0).utf8)))) })
  }
}

/// Lowercase hex of a digest.
private func hex<D: Digest>(_ digest: D) -> String {
  digest.map { hexDigits(UInt64($0), width: 2) }.joined()
}

/// zlib's Adler-32 checksum.
func adler32(_ bytes: [UInt8]) -> UInt32 {
  var a: UInt32 = 1, b: UInt32 = 0
  for byte in bytes {
    a = (a + UInt32(byte)) % 65521
    b = (b + a) % 65521
  }
  return b << 16 | a
}

/// A padded RFC 4648 encoding (Go's `base64.StdEncoding`, `base32.StdEncoding`).
struct Base {
  let alphabet: [UInt8]
  /// Bits per character (6 or 5).
  let bits: Int
  /// Characters per padded block (4 or 8).
  let block: Int
  let name: String

  static let base64 = Base(
    alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8), bits: 6, block: 4,
    name: "base64")
  static let base32 = Base(alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8), bits: 5, block: 8, name: "base32")

  func encode(_ bytes: [UInt8]) -> String {
    var out: [UInt8] = []
    var buffer: UInt32 = 0, held = 0
    for byte in bytes {
      buffer = buffer << 8 | UInt32(byte)
      held += 8
      while held >= bits {
        held -= bits
        out.append(alphabet[Int((buffer >> UInt32(held)) & UInt32((1 << bits) - 1))])
      }
      buffer &= (1 << UInt32(held)) - 1
    }
    if held > 0 { out.append(alphabet[Int((buffer << UInt32(bits - held)) & UInt32((1 << bits) - 1))]) }
    while out.count % block != 0 { out.append(UInt8(ascii: "=")) }
    return String(decoding: out, as: UTF8.self)
  }

  /// The decoded text, or Go's error message (`illegal base64 data at input byte 4`).
  func decodeText(_ text: String) -> String {
    switch decode(text) {
    case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
    case .failure(let error): return error.message
    }
  }

  /// Decodes `text`, ignoring line breaks as Go does; fails at the first illegal byte.
  func decode(_ text: String) -> Result<[UInt8], HelmFunctionsError> {
    let input = Array(text.utf8)
    func illegal(_ at: Int) -> Result<[UInt8], HelmFunctionsError> {
      .failure(failure("illegal \(name) data at input byte \(at)"))
    }
    var out: [UInt8] = []
    var buffer: UInt32 = 0, held = 0, inBlock = 0, padding = 0, blockStart = 0
    for (i, byte) in input.enumerated() {
      if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { continue }
      if inBlock == 0 { blockStart = i }
      if byte == UInt8(ascii: "=") {
        // Padding may only finish a block that holds at least two data characters, and must
        // fill it; a block cut short is reported at the end of the input, as Go does.
        guard inBlock >= 2 else { return illegal(i) }
        let rest = input[i...].filter { $0 != 10 && $0 != 13 }.count
        if padding == 0, inBlock + rest < block { return illegal(input.count) }
        padding += 1
      } else {
        guard padding == 0, let value = alphabet.firstIndex(of: byte) else { return illegal(i) }
        buffer = buffer << UInt32(bits) | UInt32(value)
        held += bits
        if held >= 8 {
          held -= 8
          out.append(UInt8((buffer >> UInt32(held)) & 0xFF))
          buffer &= (1 << UInt32(held)) - 1
        }
      }
      inBlock += 1
      if inBlock == block {
        if padding > 0, i + 1 < input.count, input[(i + 1)...].contains(where: { $0 != 10 && $0 != 13 }) {
          return illegal(i + 1)
        }
        inBlock = 0
        buffer = 0
        held = 0
      }
    }
    if inBlock != 0 { return illegal(blockStart) }
    return .success(out)
  }
}
