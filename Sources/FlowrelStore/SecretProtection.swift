import FlowrelManifest
import FlowrelValue
import FlowrelYAML
import Crypto
import Foundation
import OrderedCollections

/// Which parts of a revision are secret, and their encryption and decryption.
///
/// Secret are: every entry of a Secret's `data` and `stringData`; every user-supplied value
/// at or under a path the chart marks secret; and every user-supplied string or integer whose
/// text is the whole of a Secret entry (as text, or as the base64 text decodes), or, for
/// strings of 4 or more characters, a part of one (`postgres://app:PASSWORD@db`). Shorter
/// strings that are only part of a Secret entry are not marked: too common to be told from
/// ordinary values. A string value found secret counts as a Secret entry for the values after
/// it and for the notes. Notes that contain a secret are encrypted as a whole.
///
/// A secret is stored as an encrypted string (see `SecretKey`) whose plaintext is the value's
/// YAML text, so a number comes back a number.
struct SecretProtection {
  /// Secret texts found in the Secrets: entry texts and, for `data`, the decoded text.
  private var secretTexts: Set<String> = []
  /// Human-readable names of the secret material found, for the no-key message.
  private(set) var found: [String] = []
  private let key: SecretKey?

  init(key: SecretKey?) { self.key = key }

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

  // MARK: Writing

  /// The manifests with Secret entries encrypted; collects the secret texts for `values(_:)`.
  mutating func protect(_ manifests: [Manifest], files: [ObjectIdentity: String]) throws(StoreError) -> [Manifest] {
    var out: [Manifest] = []
    for manifest in manifests {
      guard Self.hasSecretData(manifest), case .map(var content) = manifest.content else {
        out.append(manifest)
        continue
      }
      found.append("Secret \(manifest.identity.name)")
      let file = files[manifest.identity] ?? manifest.identity.description
      for field in ["data", "stringData"] {
        guard case .map(var entries)? = content[field] else { continue }
        for (name, value) in entries {
          let location = "\(file):\(field).\(name)"
          let plain = try plaintext(value, location: location)
          if case .string(let text) = plain {
            secretTexts.insert(text)
            if field == "data", let decoded = Data(base64Encoded: text), let string = String(data: decoded, encoding: .utf8) {
              secretTexts.insert(string)
            }
          }
          entries[name] = encrypted(plain, location: location)
        }
        content[field] = .map(entries)
      }
      do { out.append(try Manifest(content: .map(content))) } catch {
        throw .damaged(file: file, problem: error.description)
      }
    }
    return out
  }

  /// The values with every secret leaf encrypted (call after `protect(_:files:)`).
  mutating func protect(values: Value, marked: [ValuePath]) throws(StoreError) -> Value {
    try walk(values, path: ValuePath.root, marked: marked)
  }

  /// The notes, encrypted as a whole when they contain a secret text.
  mutating func protect(notes: String?) -> String? {
    guard let notes else { return nil }
    guard secretTexts.contains(where: { !$0.isEmpty && ($0.count >= 4 || $0 == notes) && notes.contains($0) }) else {
      return notes
    }
    found.append("notes")
    return encrypted(.string(notes), location: "NOTES.txt").stringValue ?? notes
  }

  /// Throws the no-key error when secrets were found and there is no key.
  func requireKey(release: String) throws(StoreError) {
    if key == nil, !found.isEmpty { throw .secretKeyRequired(release: release, secrets: found) }
  }

  private mutating func walk(_ value: Value, path: ValuePath, marked: [ValuePath]) throws(StoreError) -> Value {
    switch value {
    case .map(let entries):
      var out = OrderedDictionary<String, Value>()
      for (name, child) in entries { out[name] = try walk(child, path: path.appending(key: name), marked: marked) }
      return .map(out)
    case .list(let items):
      var out: [Value] = []
      for (index, child) in items.enumerated() { out.append(try walk(child, path: path.appending(index: index), marked: marked)) }
      return .list(out)
    default:
      let location = "values \(path)"
      let plain = try plaintext(value, location: location)
      let isMarked = !plain.isNull && marked.contains { path.components.starts(with: $0.components) }
      guard isMarked || isSecretText(plain) || value != plain else { return value }
      found.append("values \(path)")
      // A secret value is secret wherever else it appears too (other values, the notes).
      if case .string(let text) = plain, !text.isEmpty { secretTexts.insert(text) }
      return encrypted(plain, location: location)
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

  /// A value in clear: an already encrypted value (from a revision read back) is decrypted,
  /// so it counts as secret and is encrypted again the same way.
  private mutating func plaintext(_ value: Value, location: String) throws(StoreError) -> Value {
    guard case .string(let text) = value, SecretKey.isEncrypted(text) else { return value }
    guard let key else {
      found.append(location)
      return value
    }
    return try Self.parse(key.decrypt(text, location: location), location: location)
  }

  private func encrypted(_ value: Value, location: String) -> Value {
    guard let key else { return value }
    if case .string(let text) = value, SecretKey.isEncrypted(text) { return value }
    return .string(key.encrypt(YAML.emit(value), location: location))
  }

  // MARK: Reading

  /// `value` with every encrypted string under it decrypted; unchanged without a key.
  static func reveal(_ value: Value, key: SecretKey?, location: String) throws(StoreError) -> Value {
    guard let key else { return value }
    switch value {
    case .string(let text) where SecretKey.isEncrypted(text):
      return try parse(key.decrypt(text, location: location), location: location)
    case .map(let entries):
      var out = OrderedDictionary<String, Value>()
      for (name, child) in entries { out[name] = try reveal(child, key: key, location: "\(location).\(name)") }
      return .map(out)
    case .list(let items):
      var out: [Value] = []
      for (index, child) in items.enumerated() { out.append(try reveal(child, key: key, location: "\(location)[\(index)]")) }
      return .list(out)
    default:
      return value
    }
  }

  private static func parse(_ text: String, location: String) throws(StoreError) -> Value {
    do { return try YAML.parse(text, file: location) } catch { throw .cannotDecrypt(location: location) }
  }
}
