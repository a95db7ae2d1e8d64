import FlowrelAge

/// Everything that can go wrong writing or reading a SOPS file, each with a message that
/// says what to do about it.
package enum SOPSError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The text is not YAML flowrel can read, or not a map at the top.
  case invalidDocument(String)
  /// The text has no `sops` metadata block: it is not SOPS-encrypted.
  case notEncrypted
  /// The `sops` block is missing a field or holds one of the wrong shape.
  case invalidMetadata(String)
  /// The data key is not wrapped for any age recipient (only PGP, KMS, Vault, ...).
  case noAgeRecipients(keyTypes: [String])
  /// None of the identities given is one of the file's age recipients.
  case noMatchingIdentity(recipients: [String])
  /// No identities were given, so the data key cannot be unwrapped.
  case noIdentities(recipients: [String])
  /// The data key's age file for `recipient` could not be read (damaged or tampered).
  case dataKey(recipient: String, AgeError)
  /// An encrypted value failed authentication: changed, or moved to another key.
  case tamperedValue(path: String)
  /// A value at `path` is not a well-formed `ENC[AES256_GCM,...]` string.
  case malformedValue(path: String, problem: String)
  /// A value the file's rule says is encrypted is in clear text.
  case unencryptedValue(path: String)
  /// The `mac` field itself failed authentication (changed, or `lastmodified` changed).
  case tamperedMAC
  /// The MAC over the values does not match: a value (encrypted or readable) was changed,
  /// added, removed or reordered.
  case macMismatch
  /// An encryption rule that cannot be used (a bad regular expression).
  case invalidRule(String)
  /// An age problem while encrypting (a bad recipient, no recipients).
  case age(AgeError)
  /// The document nests deeper than `SOPSFile.maximumDepth`.
  case tooDeep(path: String)

  /// The message shown to the user.
  package var description: String {
    switch self {
    case .invalidDocument(let why): "not a document SOPS can encrypt: \(why)"
    case .notEncrypted: "the file has no sops metadata block: it is not SOPS-encrypted"
    case .invalidMetadata(let why): "the file's sops metadata is invalid: \(why)"
    case .noAgeRecipients(let types):
      "the file's data key is wrapped only for \(types.joined(separator: ", ")), not for age: flowrel decrypts age-keyed SOPS files only (re-encrypt it with `sops updatekeys` adding an age recipient)"
    case .noMatchingIdentity(let recipients):
      "no identity matches any recipient of this file; it is encrypted to: \(recipients.joined(separator: ", ")) (set SOPS_AGE_KEY_FILE to the identity of one of them)"
    case .noIdentities(let recipients):
      "no age identity was given; the file is encrypted to: \(recipients.joined(separator: ", ")) (set SOPS_AGE_KEY_FILE or SOPS_AGE_KEY)"
    case .dataKey(let recipient, let error): "cannot unwrap the data key for \(recipient): \(error)"
    case .tamperedValue(let path):
      "the encrypted value at \(path) failed authentication: it was modified, or moved from another key"
    case .malformedValue(let path, let problem): "the value at \(path) is not a valid SOPS encrypted value: \(problem)"
    case .unencryptedValue(let path):
      "the value at \(path) should be encrypted under the file's rule but is in clear text: encrypt the file again"
    case .tamperedMAC: "the file's MAC failed authentication: the mac or lastmodified field was modified"
    case .macMismatch:
      "the file's MAC does not match its values: a value was changed, added, removed or reordered after encryption"
    case .invalidRule(let why): "invalid encryption rule: \(why)"
    case .age(let error): error.description
    case .tooDeep(let path): "the document nests deeper than \(SOPSFile.maximumDepth) levels at \(path)"
    }
  }
}
