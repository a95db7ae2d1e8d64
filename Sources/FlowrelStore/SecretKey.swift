import Crypto
import Foundation

/// The key of flowrel's earlier secret format, kept to read stores written with it
/// (`--secret-key-file`, or `FLOWREL_SECRET_KEY_FILE`); new revisions are SOPS files.
///
/// The file holds either exactly 32 raw bytes, or text (surrounding whitespace ignored) that is
/// 64 hex digits or the standard base64 of 32 bytes.
///
/// Encrypted values are strings `flowrel:aes256gcm:v1:<base64 of nonce | ciphertext | tag>`:
/// AES-256-GCM with a 12-byte nonce and a 16-byte tag, over the YAML text of the value; no
/// associated data. The encryption key is derived from the file's key with HKDF-SHA256
/// (info `flowrel aes-256-gcm v1`).
package struct SecretKey: Sendable {
  /// What an encrypted value starts with.
  package static let prefix = "flowrel:aes256gcm:v1:"
  /// The environment variable that names the key file.
  package static let environmentVariable = "FLOWREL_SECRET_KEY_FILE"

  // Raw bytes: `SymmetricKey` is not `Sendable`, so keys are rebuilt where they are used.
  private let encryptionBytes: [UInt8]
  private var encryptionKey: SymmetricKey { SymmetricKey(data: encryptionBytes) }

  /// A key from its 32 bytes.
  package init(bytes: [UInt8]) throws(StoreError) {
    guard bytes.count == 32 else {
      throw .badSecretKey(path: "(bytes)", problem: "a key has 32 bytes, not \(bytes.count)")
    }
    let master = SymmetricKey(data: bytes)
    func derive(_ info: String) -> [UInt8] {
      HKDF<SHA256>.deriveKey(inputKeyMaterial: master, info: Data(info.utf8), outputByteCount: 32)
        .withUnsafeBytes { Array($0) }
    }
    encryptionBytes = derive("flowrel aes-256-gcm v1")
  }

  /// The key in the file at `path` (32 raw bytes, 64 hex digits or base64; see the type).
  package init(contentsOfFile path: String) throws(StoreError) {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
      throw .badSecretKey(path: path, problem: "no such file")
    }
    guard !isFolder.boolValue else { throw .badSecretKey(path: path, problem: "is a folder, not a key file") }
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw .badSecretKey(path: path, problem: "cannot be read (\(error.localizedDescription))")
    }
    let bytes = [UInt8](data)
    if bytes.count == 32 {
      try self.init(bytes: bytes)
      return
    }
    let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    if let hex = SecretKey.hexBytes(text), hex.count == 32 {
      try self.init(bytes: hex)
    } else if let decoded = Data(base64Encoded: text), decoded.count == 32 {
      try self.init(bytes: [UInt8](decoded))
    } else {
      throw .badSecretKey(
        path: path,
        problem: "holds \(bytes.count) bytes, which are not a 32-byte key (32 raw bytes, 64 hex digits, or base64 of 32 bytes)")
    }
  }

  /// The key named by `file` (a `--secret-key-file` flag) or else by `FLOWREL_SECRET_KEY_FILE`
  /// in `environment`; nil when neither names one.
  package static func load(file: String?, environment: [String: String]) throws(StoreError) -> SecretKey? {
    if let file { return try SecretKey(contentsOfFile: file) }
    if let file = environment[environmentVariable], !file.isEmpty { return try SecretKey(contentsOfFile: file) }
    return nil
  }

  /// Whether `text` is a value this store encrypted.
  package static func isEncrypted(_ text: String) -> Bool { text.hasPrefix(prefix) }

  /// Whether a file holds a value this store encrypted anywhere in it (a byte search: a
  /// record asks this of the values file on every upgrade).
  static func appearsEncrypted(in bytes: [UInt8]) -> Bool {
    let needle = Array(prefix.utf8)
    guard let first = needle.first, bytes.count >= needle.count else { return false }
    var start = 0
    while let found = bytes[start...].firstIndex(of: first), found + needle.count <= bytes.count {
      if bytes[found..<(found + needle.count)].elementsEqual(needle) { return true }
      start = found + 1
    }
    return false
  }

  /// The plaintext of an encrypted value `text` (found at `location`, for the message).
  func decrypt(_ text: String, location: String) throws(StoreError) -> String {
    guard text.hasPrefix(SecretKey.prefix), let data = Data(base64Encoded: String(text.dropFirst(SecretKey.prefix.count))),
      let box = try? AES.GCM.SealedBox(combined: data),
      let plain = try? AES.GCM.open(box, using: encryptionKey),
      let string = String(data: plain, encoding: .utf8)
    else { throw .cannotDecrypt(file: location, problem: "the --secret-key-file key does not open it, or the text is damaged") }
    return string
  }

  private static func hexBytes(_ text: String) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    var index = 0
    while index < digits.count {
      guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
      bytes.append(high << 4 | low)
      index += 2
    }
    return bytes
  }

  private static func hexValue(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
    default: nil
    }
  }
}
