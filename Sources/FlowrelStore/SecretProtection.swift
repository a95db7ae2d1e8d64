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

  /// Secret entries replaced by keyed digests, for diffs that must show that a secret changed
  /// and never its value. The key is random for each masking, so equal secrets compare equal
  /// within one diff and a digest tells nothing across runs.
  struct Masking {
    private let key = SymmetricKey(size: .bits256)

    /// The manifest with every entry of a Secret's `data` and `stringData` replaced by
    /// `(secret, digest 0123abcd)`.
    func masked(_ manifest: Manifest) -> Manifest {
      guard SecretProtection.isSecret(manifest.identity), case .map(var content) = manifest.content else { return manifest }
      for field in ["data", "stringData"] {
        guard case .map(let entries)? = content[field] else { continue }
        content[field] = .map(OrderedDictionary(uniqueKeysWithValues: entries.map { name, value in
          let text = value.stringValue ?? "\(value)"
          let digest = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)
          return (name, .string("(secret, digest " + digest.prefix(8).map { String(format: "%02x", $0) }.joined() + ")"))
        }))
      }
      return (try? Manifest(content: .map(content))) ?? manifest
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
    case .int(let i): text = String(i)
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
