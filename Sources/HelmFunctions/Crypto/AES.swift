import Crypto
import Foundation
import _CryptoExtras

// Sprig's `encryptAES` and `decryptAES` (crypto.md): AES-256-CBC under the password's first 32
// bytes (zero-padded when shorter), PKCS #7 padding, a random IV before the ciphertext, all in
// base64. Decryption strips the padding the way Sprig does, by the last byte alone.

extension Library {
  mutating func addAES() {
    addNondeterministic("encryptAES") { a in
      try a.expectCount(2)
      let plaintext = Array(try a.string(at: 1).utf8)
      guard !plaintext.isEmpty else { return "" }
      let padding = 16 - plaintext.count % 16
      var generator = SystemRandomNumberGenerator()
      let iv = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let padded = plaintext + [UInt8](repeating: UInt8(padding), count: padding)
      let ciphertext = try AES._CBC.encrypt(padded, using: aesKey(try a.string(at: 0)), iv: AES._CBC.IV(ivBytes: iv), noPadding: true)
      return .string(Base.base64.encode(iv + Array(ciphertext)))
    }
    add("decryptAES", plain: { a in
      try a.expectCount(2)
      let text = try a.string(at: 1)
      guard !text.isEmpty else { return "" }
      let bytes: [UInt8]
      switch Base.base64.decode(text) {
      case .success(let decoded): bytes = decoded
      case .failure(let error): throw error
      }
      // The failures Go's slicing and cipher package panic with, which text/template reports.
      guard bytes.count >= 16 else { throw failure("runtime error: slice bounds out of range [:16] with capacity \(bytes.count)") }
      guard bytes.count % 16 == 0 else { throw failure("crypto/cipher: input not full blocks") }
      guard bytes.count > 16 else { throw failure("runtime error: index out of range [-1]") }
      let decrypted = Array(
        try AES._CBC.decrypt(
          bytes[16...], using: aesKey(try a.string(at: 0)), iv: try AES._CBC.IV(ivBytes: bytes[..<16]), noPadding: true))
      let padding = Int(decrypted[decrypted.count - 1])
      guard padding <= decrypted.count else {
        throw failure("runtime error: slice bounds out of range [:\(decrypted.count - padding)]")
      }
      return .string(String(decoding: decrypted[..<(decrypted.count - padding)], as: UTF8.self))
    })
  }
}

/// Sprig's key: the password's bytes copied into 32 zero bytes (longer passwords are cut).
private func aesKey(_ password: String) -> SymmetricKey {
  var key = [UInt8](repeating: 0, count: 32)
  for (i, byte) in password.utf8.prefix(32).enumerated() { key[i] = byte }
  return SymmetricKey(data: key)
}
