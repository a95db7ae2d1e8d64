import Crypto
import Foundation

/// The age v1 file format (age-encryption.org/v1) for X25519 recipients, binary or
/// ASCII-armored, as the `age` tool reads and writes it.
///
/// A file is a header (one stanza per recipient wrapping a random 16-byte file key, then
/// an HMAC over the header) and a payload: a 16-byte nonce and the plaintext in 64 KiB
/// ChaCha20-Poly1305 chunks, the last one flagged, under a key derived from the file key.
package enum Age {
  static let versionLine = "age-encryption.org/v1"
  static let x25519Label = "age-encryption.org/v1/X25519"
  static let chunkSize = 64 * 1024
  static let tagSize = 16
  static let armorBegin = "-----BEGIN AGE ENCRYPTED FILE-----"
  static let armorEnd = "-----END AGE ENCRYPTED FILE-----"
  /// Headers hold one stanza per recipient; more than this is not a file flowrel wrote or needs.
  static let maximumStanzas = 1000
  /// A stanza body longer than this is not a key wrapping.
  static let maximumStanzaBody = 1 << 16

  // MARK: Encrypting

  /// `plaintext` encrypted to every recipient (any one of their identities decrypts it),
  /// armored (`-----BEGIN AGE ENCRYPTED FILE-----`) when asked.
  package static func encrypt(
    _ plaintext: [UInt8], to recipients: [AgeRecipient], armor: Bool = false, random: AgeRandom = systemRandom
  ) throws(AgeError) -> [UInt8] {
    guard !recipients.isEmpty else { throw .noRecipients }
    let fileKey = random(16)
    var header = Array("\(versionLine)\n".utf8)
    for recipient in recipients {
      header += try wrap(fileKey: fileKey, to: recipient, random: random)
    }
    header += Array("---".utf8)
    let mac = HMAC<SHA256>.authenticationCode(for: header, using: derive(fileKey, salt: [], info: "header"))
    header += Array(" \(base64Raw(Array(mac)))\n".utf8)
    let nonce = random(16)
    var out = header + nonce
    let payloadKey = derive(fileKey, salt: nonce, info: "payload")
    var counter: UInt64 = 0
    var offset = 0
    repeat {
      let end = min(offset + chunkSize, plaintext.count)
      let last = end == plaintext.count
      out += seal(Array(plaintext[offset..<end]), key: payloadKey, nonce: chunkNonce(counter, last: last))
      offset = end
      counter += 1
    } while offset < plaintext.count
    return armor ? Array(armored(out).utf8) : out
  }

  /// One `-> X25519` stanza: the file key wrapped for `recipient` under a fresh ephemeral key.
  private static func wrap(fileKey: [UInt8], to recipient: AgeRecipient, random: AgeRandom) throws(AgeError) -> [UInt8] {
    guard let ephemeral = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: random(32)),
      let theirs = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: recipient.publicKey),
      let shared = try? ephemeral.sharedSecretFromKeyAgreement(with: theirs)
    else { throw .invalidKey("recipient \(recipient) is not a usable X25519 public key") }
    let share = Array(ephemeral.publicKey.rawRepresentation)
    let secret = shared.withUnsafeBytes { Array($0) }
    guard secret.contains(where: { $0 != 0 }) else { throw .invalidKey("recipient \(recipient) is a low-order point") }
    let wrapKey = derive(secret, salt: share + recipient.publicKey, info: x25519Label)
    let body = seal(fileKey, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12))
    return Array("-> X25519 \(base64Raw(share))\n".utf8) + bodyLines(body)
  }

  /// A stanza body as base64 lines of 64 columns; the last line is always shorter (so a
  /// body that fills its last line is followed by an empty one).
  private static func bodyLines(_ body: [UInt8]) -> [UInt8] {
    let text = Array(base64Raw(body).utf8)
    var out: [UInt8] = []
    var offset = 0
    while offset + 64 <= text.count {
      out += text[offset..<(offset + 64)] + [UInt8(ascii: "\n")]
      offset += 64
    }
    return out + text[offset...] + [UInt8(ascii: "\n")]
  }

  /// The armored form of a binary age file.
  static func armored(_ file: [UInt8]) -> String {
    let text = Data(file).base64EncodedString()
    var out = armorBegin + "\n"
    var index = text.startIndex
    while index < text.endIndex {
      let end = text.index(index, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex
      out += text[index..<end] + "\n"
      index = end
    }
    return out + armorEnd + "\n"
  }

  // MARK: Decrypting

  /// Whether `file` is in the armored form (leading whitespace allowed).
  package static func isArmored(_ file: [UInt8]) -> Bool {
    let start = file.firstIndex { !isWhitespace($0) } ?? file.endIndex
    return file[start...].starts(with: armorBegin.utf8)
  }

  /// The plaintext of an age file, binary or armored, for the first identity that matches
  /// one of its X25519 recipients; the header MAC and every payload chunk are verified.
  package static func decrypt(_ file: [UInt8], identities: [AgeIdentity]) throws(AgeError) -> [UInt8] {
    let bytes = isArmored(file) ? try dearmored(file) : file
    var reader = HeaderReader(bytes: bytes)
    let header = try reader.read()
    let fileKey = try unwrap(header.stanzas, identities: identities)
    let macKey = derive(fileKey, salt: [], info: "header")
    guard HMAC<SHA256>.isValidAuthenticationCode(header.mac, authenticating: bytes[..<header.macedEnd], using: macKey) else {
      throw .tamperedHeader
    }
    let payloadStart = header.end
    guard bytes.count - payloadStart >= 16 else { throw .truncated("the payload nonce is missing") }
    let nonce = Array(bytes[payloadStart..<(payloadStart + 16)])
    let payloadKey = derive(fileKey, salt: nonce, info: "payload")
    return try openPayload(bytes[(payloadStart + 16)...], key: payloadKey)
  }

  /// The file key from the first X25519 stanza one of `identities` unwraps.
  private static func unwrap(_ stanzas: [Stanza], identities: [AgeIdentity]) throws(AgeError) -> [UInt8] {
    var unsupported: [String] = []
    for stanza in stanzas {
      switch stanza.type {
      case "X25519":
        guard stanza.arguments.count == 2, let share = base64RawDecoded(stanza.arguments[1]), share.count == 32 else {
          throw .malformedHeader("an X25519 stanza must carry one 32-byte ephemeral share")
        }
        guard stanza.body.count == 32 else { throw .malformedHeader("an X25519 stanza's body must be 32 bytes") }
        guard let theirs = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: share) else {
          throw .malformedHeader("an X25519 stanza's share is not a public key")
        }
        for identity in identities {
          guard let shared = try? identity.privateKey.sharedSecretFromKeyAgreement(with: theirs) else { continue }
          let secret = shared.withUnsafeBytes { Array($0) }
          guard secret.contains(where: { $0 != 0 }) else { throw .malformedHeader("an X25519 stanza's share is a low-order point") }
          let wrapKey = derive(secret, salt: share + identity.recipient.publicKey, info: x25519Label)
          if let fileKey = open(stanza.body, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12)), fileKey.count == 16 {
            return fileKey
          }
        }
      case "scrypt": unsupported.append("a passphrase (scrypt)")
      case "ssh-ed25519", "ssh-rsa": unsupported.append("an SSH key (\(stanza.type))")
      case "mlkem768x25519": unsupported.append("a post-quantum key (mlkem768x25519)")
      default: continue  // Unknown stanzas (plugins, grease) are skipped, as age does.
      }
    }
    if !unsupported.isEmpty {
      throw .unsupported(
        "no identity matches this file's X25519 recipients, and it is also encrypted to \(unsupported.joined(separator: ", ")), which flowrel does not decrypt: use an AGE-SECRET-KEY-1... identity of one of its X25519 recipients")
    }
    throw .noMatchingIdentity
  }

  /// The plaintext of the chunks after the payload nonce.
  private static func openPayload(_ payload: ArraySlice<UInt8>, key: SymmetricKey) throws(AgeError) -> [UInt8] {
    guard !payload.isEmpty else { throw .truncated("the payload has no chunks") }
    let fullChunk = chunkSize + tagSize
    var out: [UInt8] = []
    out.reserveCapacity(payload.count)
    var offset = payload.startIndex
    var counter: UInt64 = 0
    while true {
      let remaining = payload.endIndex - offset
      let last = remaining <= fullChunk
      let chunk = Array(payload[offset..<(offset + min(remaining, fullChunk))])
      guard chunk.count >= tagSize else { throw .truncated("the last chunk is cut short") }
      if let plain = open(chunk, key: key, nonce: chunkNonce(counter, last: last)) {
        if last, plain.isEmpty, counter > 0 { throw .tamperedPayload }  // age never writes an empty last chunk after data
        out += plain
        if last { return out }
      } else if last, chunk.count == fullChunk, open(chunk, key: key, nonce: chunkNonce(counter, last: false)) != nil {
        throw .truncated("the file ends after a full chunk that is not the last one")
      } else {
        throw .tamperedPayload
      }
      offset += fullChunk
      counter += 1
    }
  }

  /// The binary file inside the armor; whitespace around the armor is allowed, as age allows.
  static func dearmored(_ file: [UInt8]) throws(AgeError) -> [UInt8] {
    guard let text = String(validating: file, as: UTF8.self) else { throw .malformedArmor("it is not text") }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      $0.hasSuffix("\r") ? $0.dropLast() : $0
    }
    while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
    while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
    guard lines.first == Substring(armorBegin) else { throw .malformedArmor("the first line must be \(armorBegin)") }
    guard lines.count >= 2, lines.last == Substring(armorEnd) else {
      throw .truncated("the armor's \(armorEnd) line is missing")
    }
    let body = lines[1..<(lines.count - 1)]
    guard let lastLine = body.last, !lastLine.isEmpty else { throw .malformedArmor("it holds no data") }
    for (index, line) in body.enumerated() where line.count > 64 || (index < body.count - 1 && line.count != 64) {
      throw .malformedArmor("line \(index + 2) must be 64 columns (only the last line may be shorter)")
    }
    let joined = body.joined()
    guard let data = Data(base64Encoded: joined), data.base64EncodedString() == joined else {
      throw .malformedArmor("the lines are not canonical base64")
    }
    return Array(data)
  }

  // MARK: Primitives

  static func derive(_ secret: [UInt8], salt: [UInt8], info: String) -> SymmetricKey {
    HKDF<SHA256>.deriveKey(
      inputKeyMaterial: SymmetricKey(data: secret), salt: salt, info: Array(info.utf8), outputByteCount: 32)
  }

  /// The chunk nonce: an 11-byte big-endian counter and a last-chunk flag byte.
  private static func chunkNonce(_ counter: UInt64, last: Bool) -> [UInt8] {
    [0, 0, 0] + (0..<8).map { UInt8(truncatingIfNeeded: counter >> (8 * (7 - UInt64($0)))) } + [last ? 1 : 0]
  }

  private static func seal(_ plaintext: [UInt8], key: SymmetricKey, nonce: [UInt8]) -> [UInt8] {
    // A 12-byte nonce and a 32-byte key never fail; the fallback is unreachable.
    guard let nonce = try? ChaChaPoly.Nonce(data: nonce), let box = try? ChaChaPoly.seal(plaintext, using: key, nonce: nonce)
    else { return [] }
    return Array(box.ciphertext) + Array(box.tag)
  }

  private static func open(_ sealed: [UInt8], key: SymmetricKey, nonce: [UInt8]) -> [UInt8]? {
    guard sealed.count >= tagSize, let nonce = try? ChaChaPoly.Nonce(data: nonce),
      let box = try? ChaChaPoly.SealedBox(nonce: nonce, ciphertext: sealed.dropLast(tagSize), tag: sealed.suffix(tagSize)),
      let plain = try? ChaChaPoly.open(box, using: key)
    else { return nil }
    return Array(plain)
  }

  /// Base64 without padding, as age writes header fields.
  static func base64Raw(_ bytes: [UInt8]) -> String {
    var text = Data(bytes).base64EncodedString()
    while text.hasSuffix("=") { text.removeLast() }
    return text
  }

  /// Strict unpadded base64: no padding, no stray characters, no non-zero trailing bits.
  static func base64RawDecoded<S: StringProtocol>(_ text: S) -> [UInt8]? {
    guard text.utf8.allSatisfy(isBase64Character) else { return nil }
    let padding = String(repeating: "=", count: (4 - text.utf8.count % 4) % 4)
    guard let data = Data(base64Encoded: String(text) + padding), base64Raw(Array(data)) == text else { return nil }
    return Array(data)
  }

  static func isBase64Character(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "+"), UInt8(ascii: "/"):
      true
    default: false
    }
  }

  static func isWhitespace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
}

/// One recipient stanza of a header: `-> type args...` and its body.
struct Stanza {
  /// The words after `-> `; the first is the type.
  var arguments: [Substring]
  var body: [UInt8]
  var type: Substring { arguments[0] }
}

/// Reads an age header from the start of a file.
struct HeaderReader {
  let bytes: [UInt8]
  var position = 0

  struct Header {
    var stanzas: [Stanza]
    var mac: [UInt8]
    /// The end of the bytes the MAC covers (through `---`).
    var macedEnd: Int
    /// Where the payload starts.
    var end: Int
  }

  init(bytes: [UInt8]) { self.bytes = bytes }

  mutating func read() throws(AgeError) -> Header {
    let first = try line(what: "the version line")
    guard first == Age.versionLine else {
      if first.hasPrefix("age-encryption.org/") {
        throw .unsupported("this age file uses format \(first), which flowrel does not read (it reads \(Age.versionLine))")
      }
      throw .malformedHeader("it does not begin with \(Age.versionLine): not an age file")
    }
    var stanzas: [Stanza] = []
    while true {
      let start = position
      let text = try line(what: "the header")
      if text.hasPrefix("--- ") || text == "---" {
        guard let mac = Age.base64RawDecoded(text.dropFirst(4)), mac.count == 32 else {
          throw .malformedHeader("the MAC line must hold a 32-byte base64 MAC")
        }
        guard !stanzas.isEmpty else { throw .malformedHeader("it has no recipient stanzas") }
        return Header(stanzas: stanzas, mac: mac, macedEnd: start + 3, end: position)
      }
      guard text.hasPrefix("-> ") else { throw .malformedHeader("line \"\(text.prefix(40))\" is neither a stanza nor the MAC") }
      let arguments = text.dropFirst(3).split(separator: " ", omittingEmptySubsequences: false)
      guard arguments.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 33 && $0 <= 126 } }) else {
        throw .malformedHeader("a stanza has an empty or non-printable argument")
      }
      guard stanzas.count < Age.maximumStanzas else { throw .tooLarge("the age header has more than \(Age.maximumStanzas) stanzas") }
      stanzas.append(Stanza(arguments: arguments, body: try body()))
    }
  }

  /// A stanza body: full 64-column base64 lines up to one shorter line.
  private mutating func body() throws(AgeError) -> [UInt8] {
    var text = ""
    while true {
      let part = try line(what: "a stanza body")
      guard part.count <= 64, part.utf8.allSatisfy(Age.isBase64Character) else {
        throw .malformedHeader("a stanza body line is not base64 of at most 64 columns")
      }
      text += part
      guard text.utf8.count <= Age.maximumStanzaBody else { throw .tooLarge("an age stanza body is larger than 64 KiB") }
      if part.count < 64 { break }
    }
    guard let body = Age.base64RawDecoded(text) else { throw .malformedHeader("a stanza body is not canonical base64") }
    return body
  }

  /// The next line without its newline; a header that stops mid-line is truncated.
  private mutating func line(what: String) throws(AgeError) -> String {
    guard let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
      throw .truncated("the file ends inside \(what)")
    }
    guard let text = String(validating: bytes[position..<newline], as: UTF8.self) else {
      throw .malformedHeader("\(what) is not text")
    }
    position = newline + 1
    return text
  }
}
