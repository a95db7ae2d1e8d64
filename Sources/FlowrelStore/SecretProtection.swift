import FlowrelAge
import FlowrelManifest
import FlowrelSOPS
import FlowrelValue
import FlowrelYAML
import Crypto
import Foundation
import OrderedCollections

/// Which parts of a revision are secret, and how they are stored: as SOPS files encrypted to
/// age recipients (`SOPSFile`), which Flux and KSOPS decrypt.
///
/// Secret are: every entry of a Secret's `data` and `stringData`; every user-supplied value
/// at or under a path the chart marks secret; and every user-supplied string or integer whose
/// text is the whole of a Secret entry (as text, or as the base64 text decodes), or, for
/// strings of 4 or more characters, a part of one (`postgres://app:PASSWORD@db`). Shorter
/// strings that are only part of a Secret entry are not marked: too common to be told from
/// ordinary values. A string value found secret counts as a Secret entry for the values after
/// it and for the notes.
///
/// A Secret's file is SOPS-encrypted with `encrypted_regex: ^(data|stringData)$`; `values.yaml`,
/// when it holds a secret, with the anchored alternation of the secret values' key names (so
/// every value under such a key is encrypted); notes that show a secret go to
/// `NOTES.sops.yaml` (`notes:` encrypted) instead of `NOTES.txt`.
package struct SecretProtection {
  /// Secret texts found in the Secrets: entry texts and, for `data`, the decoded text.
  private var secretTexts: Set<String> = []
  /// Human-readable names of the secret material found, for the no-recipient message.
  private(set) var found: [String] = []

  /// The one definition of a Secret: kind `Secret` in the core group (`v1`), not a custom
  /// resource of another group that happens to share the name.
  static func isSecret(_ identity: ObjectIdentity) -> Bool { identity.kind == "Secret" && identity.group.isEmpty }

  /// How a diff shows a Secret's `data` and `stringData` entries: never their values unless
  /// asked (`--show-secrets`). With a digest key (derived from the user's age identity, see
  /// `SecretReader`) each entry is `<secret 0123abcd>`, the first 8 hex digits of its
  /// HMAC-SHA-256, so equal values compare equal across revisions and runs without showing
  /// anything; without an identity the stored ciphertexts are compared instead.
  package struct Masking: Sendable {
    enum Mode: Sendable {
      /// Digests keyed by this key.
      case digests([UInt8])
      /// No identity: whether an entry's (encrypted) text changed.
      case unkeyed
      /// The values themselves.
      case shown
    }

    let mode: Mode

    /// Entries as digests keyed by `key`.
    init(digestKey key: SymmetricKey) { mode = .digests(key.withUnsafeBytes { Array($0) }) }

    init(mode: Mode) { self.mode = mode }

    /// The marker of an entry whose value is unchanged, or new, when there is no identity.
    static let unkeyedMarker = "<secret>"
    /// The marker of an entry whose text changed, when there is no identity.
    static let unkeyedChangedMarker = "<secret, changed>"
    /// The marker of an entry whose sides cannot be compared: one is encrypted, the other not.
    static let unkeyedUnknownMarker = "<secret, not comparable without an identity>"

    /// One object's two sides (nil: absent) with every entry of a Secret's `data` and
    /// `stringData` replaced as the mode says.
    func masked(old: Manifest?, new: Manifest?) -> (old: Manifest?, new: Manifest?) {
      if case .shown = mode { return (old, new) }
      return (old.map { mask($0, against: nil) }, new.map { mask($0, against: old) })
    }

    private func mask(_ manifest: Manifest, against other: Manifest?) -> Manifest {
      guard SecretProtection.isSecret(manifest.identity), case .map(var content) = manifest.content else { return manifest }
      for field in ["data", "stringData"] {
        guard case .map(let entries)? = content[field] else { continue }
        let previous = other?.content[field]?.mapValue
        var masked = OrderedDictionary<String, Value>()
        for (name, value) in entries {
          masked[name] = .string(marker(value, field: field, previous: previous.map { $0[name] }))
        }
        content[field] = .map(masked)
      }
      return (try? Manifest(content: .map(content))) ?? manifest
    }

    /// `previous` is nil for the older side (or an object that is new), `.some(nil)` for an
    /// entry the older side lacks.
    private func marker(_ value: Value, field: String, previous: Value??) -> String {
      let text = value.stringValue ?? "\(value)"
      switch mode {
      case .digests(let key):
        // `data` holds base64: the digest is of the decoded bytes, so the same value compares
        // equal under `data` and `stringData`.
        let bytes = field == "data" ? Data(base64Encoded: text).map { Array($0) } ?? Array(text.utf8) : Array(text.utf8)
        let digest = HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: key))
        return "<secret " + digest.prefix(4).map { String(format: "%02x", $0) }.joined() + ">"
      case .unkeyed:
        guard case .some(.some(let old)) = previous else { return Self.unkeyedMarker }
        let oldText = old.stringValue ?? "\(old)"
        if oldText == text { return Self.unkeyedMarker }
        let comparable = SecretProtection.isEncryptedText(oldText) == SecretProtection.isEncryptedText(text)
        return comparable ? Self.unkeyedChangedMarker : Self.unkeyedUnknownMarker
      case .shown:
        return text
      }
    }
  }

  /// Whether a Secret manifest has entries to encrypt (a Secret without data stays in clear).
  static func hasSecretData(_ manifest: Manifest) -> Bool {
    guard isSecret(manifest.identity) else { return false }
    return ["data", "stringData"].contains { manifest.content[$0]?.mapValue.map { !$0.isEmpty } ?? false }
  }

  /// The rule of a Secret's file.
  static let secretRule = SOPSRule.kubernetesSecret
  /// The rule of the notes' file: its one `notes` entry.
  static let notesRule = SOPSRule.encryptedRegex("^notes$")
  /// The rule of the draws' file: each draw's arguments (`bcrypt` hashes a password) and value;
  /// where it was drawn (template, function, occurrence) stays readable.
  static let drawsRule = SOPSRule.encryptedRegex("^(arguments|value)$")

  // MARK: Finding secrets

  /// Collects the secret texts of a Secret's entries (`file` names it in messages). An entry
  /// still encrypted (read back without an identity) cannot be stored again.
  mutating func collect(_ manifest: Manifest, file: String) throws(StoreError) {
    found.append("Secret \(manifest.identity.name)")
    for field in ["data", "stringData"] {
      guard case .map(let entries)? = manifest.content[field] else { continue }
      for (name, value) in entries {
        try Self.refuseEncrypted(value, location: "\(file):\(field).\(name)")
        guard case .string(let text) = value else { continue }
        secretTexts.insert(text)
        if field == "data", let decoded = Data(base64Encoded: text), let string = String(data: decoded, encoding: .utf8) {
          secretTexts.insert(string)
        }
      }
    }
  }

  /// The paths of the secret leaves of `values`: marked by the chart, or showing a secret
  /// text (call after `collect` for every Secret).
  mutating func secretPaths(_ values: Value, marked: [ValuePath]) throws(StoreError) -> [ValuePath] {
    var out: [ValuePath] = []
    try walk(values, path: .root, marked: marked, into: &out)
    return out
  }

  /// Whether the notes show a secret text.
  mutating func notesAreSecret(_ notes: String?) throws(StoreError) -> Bool {
    guard let notes else { return false }
    try Self.refuseEncrypted(.string(notes), location: ReleaseFolder.notesFile)
    guard secretTexts.contains(where: { !$0.isEmpty && ($0.count >= 4 || $0 == notes) && notes.contains($0) }) else {
      return false
    }
    found.append("notes")
    return true
  }

  /// Whether the templates drew values, which are secret (passwords, keys). Draws read back
  /// still encrypted cannot be stored again.
  mutating func hasDraws(_ draws: Value?) throws(StoreError) -> Bool {
    guard let draws, !draws.isNull else { return false }
    try Self.requireDecrypted(draws: draws)
    found.append("values the templates drew")
    return true
  }

  /// Refuses draws read without an identity: their `ENC[...]` texts would reach the objects
  /// of the next render in place of the values.
  package static func requireDecrypted(draws: Value) throws(StoreError) {
    if let path = encryptedPaths(draws, path: .root).first {
      throw .stillEncrypted(location: "\(ReleaseFolder.drawsFile): \(path)")
    }
  }

  private mutating func walk(_ value: Value, path: ValuePath, marked: [ValuePath], into out: inout [ValuePath]) throws(StoreError) {
    switch value {
    case .map(let entries):
      for (name, child) in entries { try walk(child, path: path.appending(key: name), marked: marked, into: &out) }
    case .list(let items):
      for (index, child) in items.enumerated() { try walk(child, path: path.appending(index: index), marked: marked, into: &out) }
    default:
      try Self.refuseEncrypted(value, location: "values \(path)")
      let isMarked = !value.isNull && marked.contains { path.components.starts(with: $0.components) }
      guard isMarked || isSecretText(value) else { return }
      found.append("values \(path)")
      out.append(path)
      // A secret value is secret wherever else it appears too (other values, the notes).
      if case .string(let text) = value, !text.isEmpty { secretTexts.insert(text) }
    }
  }

  private func isSecretText(_ value: Value) -> Bool {
    let text: String
    switch value {
    case .string(let s): text = s
    case .int(let i), .int64(let i): text = String(i)
    default: return false
    }
    guard !text.isEmpty else { return false }
    if secretTexts.contains(text) { return true }
    guard case .string = value, text.count >= 4 else { return false }
    return secretTexts.contains { $0.contains(text) }
  }

  /// A value read back still encrypted (no identity or key to decrypt it) is refused: its
  /// ciphertext means nothing outside the file it came from.
  private static func refuseEncrypted(_ value: Value, location: String) throws(StoreError) {
    guard case .string(let text) = value, isEncryptedText(text) else { return }
    throw .stillEncrypted(location: location)
  }

  /// Refuses objects that would reach a cluster with a Secret entry still encrypted (read
  /// without an identity): Kubernetes would store the ciphertext as the secret.
  package static func requireDecrypted(_ manifests: [Manifest]) throws(StoreError) {
    for manifest in manifests where isSecret(manifest.identity) {
      for field in ["data", "stringData"] {
        for (name, value) in manifest.content[field]?.mapValue ?? [:] {
          try refuseEncrypted(value, location: "Secret \(manifest.identity.name) \(field).\(name)")
        }
      }
    }
  }

  /// Whether `text` is a SOPS value or one of flowrel's earlier format.
  static func isEncryptedText(_ text: String) -> Bool { text.hasPrefix("ENC[AES256_GCM,") || SecretKey.isEncrypted(text) }

  /// The rule that encrypts the values at `paths`: their nearest key names, anchored.
  static func valuesRule(_ paths: [ValuePath]) -> SOPSRule {
    var names: [String] = []
    for path in paths {
      for component in path.components.reversed() {
        guard case .key(let name) = component else { continue }
        if !names.contains(name) { names.append(name) }
        break
      }
    }
    return .encryptedRegex("^(" + names.map(SOPSConfig.quoteMeta).joined(separator: "|") + ")$")
  }

  // MARK: Sealing

  /// `document` as the SOPS file `file` (relative to the release folder) for revision
  /// `context`: the previous version's bytes when its plaintext, rule and recipients are
  /// unchanged; an update of it (same data key, unchanged values keep their ciphertext) when
  /// only values changed; else a new encryption. `fresh` forces a new data key (rotation).
  static func seal(
    _ document: Value, rule: SOPSRule, file: String, recipients: [AgeRecipient], previous: [UInt8]?,
    identities: [AgeIdentity], now: Date, fresh: Bool
  ) throws(StoreError) -> [UInt8] {
    if !fresh, let previous, !identities.isEmpty {
      let text = String(decoding: previous, as: UTF8.self)
      if let old = try? SOPSFile.recipients(of: text), Set(old) == Set(recipients.map(\.description)),
        let updated = try? SOPSFile.update(
          previous: text, identities: identities, document: document, recipients: recipients, rule: rule, now: now)
      {
        return Array(updated.utf8)
      }
    }
    do {
      return Array(try SOPSFile.encrypt(document: document, recipients: recipients, rule: rule, now: now).utf8)
    } catch {
      throw .damaged(file: file, problem: "cannot be encrypted: \(error.description)")
    }
  }

  // MARK: Reading

  /// The plaintext of a stored YAML document: a SOPS file decrypted with `keyring`'s
  /// identities (without any, its `sops` block is dropped and the values stay `ENC[...]`), a
  /// value of flowrel's earlier format decrypted with `legacyKey` (left as it is without one).
  /// Returns the document and the paths of the values that were encrypted.
  static func open(_ bytes: [UInt8], file: String, keyring: AgeKeyring, legacyKey: SecretKey?) throws(StoreError)
    -> (document: Value, encrypted: [ValuePath])
  {
    var document: Value
    do { document = try YAML.parse(bytes, file: file) } catch { throw .damaged(file: file, problem: error.message) }
    if case .map(var map) = document, case .map(let sops)? = map["sops"], sops["mac"] != nil {
      map.removeValue(forKey: "sops")
      let stored = Value.map(map)
      let encrypted = encryptedPaths(stored, path: .root)
      let identities = try keyring.identities()
      guard !identities.isEmpty else { return (stored, encrypted) }
      let text = String(decoding: bytes, as: UTF8.self)
      do { document = try SOPSFile.decrypt(text: text, identities: identities) } catch {
        throw .cannotDecrypt(file: file, problem: error.description)
      }
      return (document, encrypted)
    }
    let encrypted = encryptedPaths(document, path: .root)
    guard !encrypted.isEmpty, let legacyKey else { return (document, encrypted) }
    return (try reveal(document, key: legacyKey, location: file), encrypted)
  }

  /// The paths of the encrypted strings under `value`.
  static func encryptedPaths(_ value: Value, path: ValuePath) -> [ValuePath] {
    switch value {
    case .map(let entries): entries.flatMap { encryptedPaths($0.value, path: path.appending(key: $0.key)) }
    case .list(let items): items.enumerated().flatMap { encryptedPaths($0.element, path: path.appending(index: $0.offset)) }
    case .string(let text) where isEncryptedText(text): [path]
    default: []
    }
  }

  /// `value` with every string of flowrel's earlier format under it decrypted.
  private static func reveal(_ value: Value, key: SecretKey, location: String) throws(StoreError) -> Value {
    switch value {
    case .string(let text) where SecretKey.isEncrypted(text):
      let plain = try key.decrypt(text, location: location)
      do { return try YAML.parse(plain, file: location) } catch { throw .cannotDecrypt(file: location, problem: "damaged text") }
    case .map(let entries):
      var out = OrderedDictionary<String, Value>()
      for (name, child) in entries { out[name] = try reveal(child, key: key, location: "\(location):\(name)") }
      return .map(out)
    case .list(let items):
      var out: [Value] = []
      for (index, child) in items.enumerated() { out.append(try reveal(child, key: key, location: "\(location)[\(index)]")) }
      return .list(out)
    default:
      return value
    }
  }
}

/// How a diff shows Secret entries (helm-diff's default and `--show-secrets`).
package enum SecretDisplay: Sendable {
  /// Masked: keyed digests with an identity, else only whether the stored text changed.
  case masked
  /// Decrypted (needs an identity).
  case shown
}

/// The keys a store decrypts with, for diffs that mask or show Secrets: the stored files of a
/// changed Secret are opened with them, and the digests of masked entries are keyed by a key
/// derived from the identity.
package struct SecretReader: Sendable {
  let keyring: AgeKeyring
  let legacyKey: SecretKey?

  /// A reader with these keys.
  package init(keyring: AgeKeyring, legacyKey: SecretKey?) {
    self.keyring = keyring
    self.legacyKey = legacyKey
  }

  /// The HKDF info of the digest key (a new purpose would give new digests).
  static let digestPurpose = "flowrel diff digest v1"

  /// How `display` shows Secrets with these keys; nil for `shown` without an identity. The
  /// digest key is derived from the identity whose recipient sorts first, so everyone holding
  /// the same identities sees the same digests.
  package func masking(_ display: SecretDisplay) throws(StoreError) -> SecretProtection.Masking? {
    let identities = try keyring.identities()
    switch display {
    case .shown: return identities.isEmpty ? nil : SecretProtection.Masking(mode: .shown)
    case .masked:
      guard let first = identities.min(by: { $0.recipient.description < $1.recipient.description }) else {
        return SecretProtection.Masking(mode: .unkeyed)
      }
      return SecretProtection.Masking(digestKey: first.derivedKey(purpose: Self.digestPurpose))
    }
  }

  /// Stored changes with each Secret's two files opened (decrypted when an identity is there;
  /// the `sops` block left out) and their entries as `masking` shows them. A Secret whose files
  /// differ only in their encryption (rotated, same values) is no change and is left out.
  package func revealing(_ changes: [ObjectChange], masking: SecretProtection.Masking) throws(StoreError) -> [ObjectChange] {
    var out: [ObjectChange] = []
    for var change in changes {
      if SecretProtection.isSecret(change.identity) {
        let (old, new) = masking.masked(
          old: try change.old.map { text throws(StoreError) in try manifest(text, file: change.file) },
          new: try change.new.map { text throws(StoreError) in try manifest(text, file: change.file) })
        change.old = old?.canonicalYAML
        change.new = new?.canonicalYAML
        if change.old == change.new { continue }
      }
      out.append(change)
    }
    return out
  }

  private func manifest(_ text: String, file: String) throws(StoreError) -> Manifest {
    let document = try SecretProtection.open(Array(text.utf8), file: file, keyring: keyring, legacyKey: legacyKey).document
    do { return try Manifest(content: document) } catch { throw .damaged(file: file, problem: "\(error)") }
  }
}

extension Revision {
  /// The revision with every value still encrypted (read without an identity) shown as
  /// `<secret>`: values, Secret entries and notes. Ciphertext tells a reader nothing, and
  /// `get` shows the rest of the revision as it is.
  package func maskingStillEncrypted() -> Revision {
    var masked = self
    masked.values = Self.masking(values)
    masked.manifests = manifests.map { manifest in
      guard SecretProtection.isSecret(manifest.identity) else { return manifest }
      return (try? Manifest(content: Self.masking(manifest.content))) ?? manifest
    }
    if let notes, SecretProtection.isEncryptedText(notes) { masked.notes = SecretProtection.Masking.unkeyedMarker }
    return masked
  }

  private static func masking(_ value: Value) -> Value {
    switch value {
    case .string(let text) where SecretProtection.isEncryptedText(text): .string(SecretProtection.Masking.unkeyedMarker)
    case .map(let entries): .map(entries.mapValues(masking))
    case .list(let items): .list(items.map(masking))
    default: value
    }
  }
}
