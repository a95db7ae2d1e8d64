import Crypto
import Foundation

/// Where an age operation gets its random bytes: the system generator, or a seeded one in
/// tests that need byte-for-byte reproducible files.
package typealias AgeRandom = (Int) -> [UInt8]

/// The system's cryptographically secure random bytes.
package func systemRandom(_ count: Int) -> [UInt8] {
  var generator = SystemRandomNumberGenerator()
  return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
}

/// An age X25519 public key (`age1...`): whom a file is encrypted to.
package struct AgeRecipient: Sendable, Hashable, CustomStringConvertible {
  /// The 32-byte Curve25519 public key.
  package let publicKey: [UInt8]

  /// Parses an `age1...` string; post-quantum and SSH recipients are refused with a message.
  package init(parsing text: String) throws(AgeError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.lowercased().hasPrefix("age1pq1") {
      throw .unsupported(
        "post-quantum age recipients (age1pq1...) are not supported: use an X25519 recipient (age1...) from age-keygen without -pq")
    }
    if trimmed.hasPrefix("ssh-") {
      throw .unsupported("SSH public keys are not supported as age recipients: use an X25519 recipient (age1...) from age-keygen")
    }
    let (hrp, data) = try Bech32.decode(trimmed, what: "recipient \(trimmed)")
    guard hrp == "age" else { throw .invalidKey("recipient \(trimmed) does not start with age1") }
    guard trimmed == trimmed.lowercased() else { throw .invalidKey("recipient \(trimmed) must be lower case") }
    guard data.count == 32 else { throw .invalidKey("recipient \(trimmed) does not hold a 32-byte key") }
    publicKey = data
  }

  init(publicKey: [UInt8]) { self.publicKey = publicKey }

  /// The `age1...` form.
  package var description: String { Bech32.encode(hrp: "age", data: publicKey) }
}

/// An age X25519 private key (`AGE-SECRET-KEY-1...`): what decrypts files sent to its recipient.
package struct AgeIdentity: Sendable {
  /// The 32-byte X25519 scalar (kept as bytes: swift-crypto's key type is not Sendable).
  private let secret: [UInt8]

  /// The key for agreement; 32 bytes always make one.
  var privateKey: Curve25519.KeyAgreement.PrivateKey {
    (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: secret)) ?? Curve25519.KeyAgreement.PrivateKey()
  }

  /// Parses an `AGE-SECRET-KEY-1...` string (the key itself never appears in errors).
  package init(parsing text: String) throws(AgeError) {
    try self.init(parsing: text, what: "identity AGE-SECRET-KEY-1...")
  }

  /// `what` names the identity in errors (its line in a file), never its text.
  init(parsing text: String, what: String) throws(AgeError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if trimmed.uppercased().hasPrefix("AGE-SECRET-KEY-PQ-1") {
      throw .unsupported(
        "post-quantum age identities (AGE-SECRET-KEY-PQ-1...) are not supported: use an X25519 identity (AGE-SECRET-KEY-1...)")
    }
    let (hrp, data) = try Bech32.decode(trimmed, what: what)
    guard hrp == "age-secret-key-" else { throw .invalidKey("\(what) does not start with AGE-SECRET-KEY-1") }
    guard trimmed == trimmed.uppercased() else { throw .invalidKey("\(what) must be upper case") }
    guard data.count == 32 else { throw .invalidKey("\(what) does not hold a 32-byte key") }
    secret = data
  }

  /// A new random identity (what `age-keygen` makes).
  package static func generate(random: AgeRandom = systemRandom) -> AgeIdentity {
    // 32 random bytes are always a valid X25519 scalar (it is clamped when used).
    AgeIdentity(secret: random(32))
  }

  private init(secret: [UInt8]) { self.secret = secret }

  /// The public key files for this identity are encrypted to.
  package var recipient: AgeRecipient { AgeRecipient(publicKey: Array(privateKey.publicKey.rawRepresentation)) }

  /// A 32-byte key for `purpose` derived from this identity (HKDF-SHA-256 with the identity
  /// as input key material and `purpose` as info): whoever holds the identity gets the same
  /// key, nobody else can, and the identity itself is never used for anything but age.
  package func derivedKey(purpose: String) -> SymmetricKey {
    HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: secret), info: Data(purpose.utf8), outputByteCount: 32)
  }

  /// The `AGE-SECRET-KEY-1...` form.
  package var encoded: String {
    Bech32.encode(hrp: "AGE-SECRET-KEY-", data: secret).uppercased()
  }

  /// The identity in the layout `age-keygen` writes: creation time and public key as comments.
  package func fileText(created: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return "# created: \(formatter.string(from: created))\n# public key: \(recipient)\n\(encoded)\n"
  }

  /// The identities of an identity file: one `AGE-SECRET-KEY-1...` per line, with `#`
  /// comments and blank lines ignored (the format `age -i` and `SOPS_AGE_KEY_FILE` read).
  package static func parseFile(_ text: String) throws(AgeError) -> [AgeIdentity] {
    guard text.utf8.count <= 1 << 20 else { throw .tooLarge("the identity file is larger than 1 MiB: it is not an identity file") }
    var identities: [AgeIdentity] = []
    for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
      if line.isEmpty || line.hasPrefix("#") { continue }
      if line.hasPrefix("-----BEGIN") {
        throw .unsupported("line \(number + 1) of the identity file is an SSH or PEM key: only age identities (AGE-SECRET-KEY-1...) are supported")
      }
      guard line.uppercased().hasPrefix("AGE-SECRET-KEY-") else {
        throw .invalidIdentityFile("line \(number + 1) is neither a comment nor an AGE-SECRET-KEY-1... identity")
      }
      identities.append(try AgeIdentity(parsing: line, what: "the identity on line \(number + 1) of the identity file"))
    }
    guard !identities.isEmpty else { throw .invalidIdentityFile("it holds no AGE-SECRET-KEY-1... line") }
    return identities
  }
}
