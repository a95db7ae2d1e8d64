/// Everything that can go wrong reading or writing age keys and files, each with a message
/// that says what to do about it.
package enum AgeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// None of the given identities can unwrap the file key: the file is for someone else.
  case noMatchingIdentity
  /// The file ends before its header, payload nonce or final chunk.
  case truncated(String)
  /// The header does not follow the age format (bad stanza, bad base64, bad version line).
  case malformedHeader(String)
  /// The header MAC does not match: the header was changed after encryption.
  case tamperedHeader
  /// A payload chunk failed authentication: the encrypted data was changed.
  case tamperedPayload
  /// A bech32 key string whose checksum does not verify (a typo or a truncated copy).
  case badChecksum(String)
  /// A key string that is not a valid age recipient or identity.
  case invalidKey(String)
  /// A key or stanza type flowrel does not handle (post-quantum, scrypt, SSH).
  case unsupported(String)
  /// The ASCII armor around the file is broken.
  case malformedArmor(String)
  /// An identity file without identities, or with a line that is not one.
  case invalidIdentityFile(String)
  /// Encryption was asked for no recipients at all.
  case noRecipients
  /// An input beyond a size limit.
  case tooLarge(String)

  /// The message shown to the user.
  package var description: String {
    switch self {
    case .noMatchingIdentity:
      "no identity matches any recipient of this file (use the identity file of one of its recipients)"
    case .truncated(let what): "the age file is truncated: \(what)"
    case .malformedHeader(let what): "the age file's header is malformed: \(what)"
    case .tamperedHeader: "the age file's header MAC does not match: the header was modified after encryption"
    case .tamperedPayload: "the age file's payload failed authentication: the encrypted data was modified or corrupted"
    case .badChecksum(let what): "bad bech32 checksum in \(what): the key was mistyped or cut short; copy it again"
    case .invalidKey(let what): "invalid age key: \(what)"
    case .unsupported(let what): what
    case .malformedArmor(let what): "the armored age file is malformed: \(what)"
    case .invalidIdentityFile(let what): "invalid age identity file: \(what)"
    case .noRecipients: "no recipients given: an age file needs at least one recipient (an age1... public key)"
    case .tooLarge(let what): what
    }
  }
}
