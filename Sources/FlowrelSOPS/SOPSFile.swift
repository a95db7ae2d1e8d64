import Crypto
import FlowrelAge
import FlowrelValue
import FlowrelYAML
import GoYAMLWriter
import Foundation
import OrderedCollections

/// YAML documents encrypted in the SOPS format, keyed with age, as sops 3.13 writes them
/// (and Flux's kustomize-controller, KSOPS and `sops -d` read them).
///
/// Each selected scalar becomes `ENC[AES256_GCM,...]` under a random 32-byte data key; the
/// data key is age-encrypted (armored) to each recipient in the `sops` block; a SHA-512
/// MAC over every value in document order, encrypted with `lastmodified` as additional
/// data, guards the whole document.
package enum SOPSFile {
  /// The sops version written into files (the format flowrel reproduces).
  package static let version = "3.13.2"
  /// Nesting deeper than this is refused (Secrets are shallow; this bounds the recursion).
  package static let maximumDepth = 100
  /// Larger texts are refused before parsing (Flux refuses SOPS files over 5 MiB).
  package static let maximumSize = 16 << 20

  // MARK: Writing

  /// The document (a map) as a SOPS file encrypted to `recipients`, values chosen by `rule`.
  /// Deterministic for a given `dataKey`, `now` and `random` (which supplies the IVs, the
  /// data key when none is given, and the age files' randomness).
  package static func encrypt(
    document: Value, recipients: [AgeRecipient], rule: SOPSRule = .kubernetesSecret, now: Date = Date(),
    dataKey: [UInt8]? = nil, random: AgeRandom = systemRandom
  ) throws(SOPSError) -> String {
    guard case .map(let entries) = document else {
      throw .invalidDocument("the top of a SOPS document must be a map, not a \(document.kindName)")
    }
    guard entries["sops"] == nil else { throw .invalidDocument("the key \"sops\" is reserved for SOPS metadata") }
    guard !recipients.isEmpty else { throw .age(.noRecipients) }
    let key = dataKey ?? random(32)
    guard key.count == 32 else { throw .invalidDocument("a SOPS data key must be 32 bytes, not \(key.count)") }
    let matcher = try RuleMatcher(rule)
    let symmetric = SymmetricKey(data: key)
    var hash = SHA512()
    var walker = Walker(matcher: matcher, macOnlyEncrypted: false)
    let encrypted = try walker.encrypt(entries, key: symmetric, hash: &hash, random: random)
    let lastModified = timestamp(now)
    let mac = ValueCipher.seal(Array(macHex(hash).utf8), type: "str", key: symmetric, additionalData: lastModified, random: random)
    var metadata: [String: Value] = [
      "lastmodified": .string(lastModified), "mac": .string(mac), "version": .string(version),
    ]
    metadata[rule.metadataEntry.key] = .string(rule.metadataEntry.value)
    metadata["age"] = try ageEntries(dataKey: key, recipients: recipients, random: random)
    var out = encrypted
    out["sops"] = .map(sortedMap(metadata))
    return try emit(out)
  }

  /// Re-keys a file: with `newDataKey`, the values are encrypted again under a fresh data
  /// key (and `now`); without, the same data key is wrapped for the new recipients and the
  /// values, MAC and `lastmodified` stay as they are. The file is decrypted and its MAC
  /// verified first, so a damaged file is never re-keyed.
  package static func rotate(
    text: String, identities: [AgeIdentity], to recipients: [AgeRecipient], newDataKey: Bool, now: Date = Date(),
    random: AgeRandom = systemRandom
  ) throws(SOPSError) -> String {
    let opened = try open(text, identities: identities)
    if newDataKey {
      return try encrypt(document: .map(opened.plain), recipients: recipients, rule: opened.rule, now: now, random: random)
    }
    guard !recipients.isEmpty else { throw .age(.noRecipients) }
    var metadata = opened.metadata
    metadata["age"] = try ageEntries(dataKey: opened.dataKey, recipients: recipients, random: random)
    metadata["version"] = .string(version)
    var out = opened.encrypted
    out["sops"] = .map(sortedMap(metadata))
    return try emit(out)
  }

  /// `document` stored as a new version of `previous`, a file `identities` open that is
  /// encrypted to exactly `recipients`: `previous` itself when its plaintext and rule are
  /// unchanged; otherwise the file under the same data key and age entries, where every
  /// value whose path and plaintext are unchanged keeps its ciphertext. So a diff of the two
  /// files shows which values changed (and the MAC), never what they are. Callers whose
  /// recipients changed use `encrypt`, so a removed recipient's copy of the key is worth nothing.
  package static func update(
    previous: String, identities: [AgeIdentity], document: Value, recipients: [AgeRecipient],
    rule: SOPSRule = .kubernetesSecret, now: Date = Date(), random: AgeRandom = systemRandom
  ) throws(SOPSError) -> String {
    let opened = try open(previous, identities: identities)
    guard case .map(let plain) = document else {
      throw .invalidDocument("the top of a SOPS document must be a map, not a \(document.kindName)")
    }
    guard Set(try ageKeys(opened.metadata).map(\.recipient)) == Set(recipients.map(\.description)) else {
      throw .invalidDocument("update keeps the recipients of the previous file; encrypt to new recipients instead")
    }
    if plain == opened.plain && rule == opened.rule { return previous }
    let fresh = try encrypt(document: document, recipients: recipients, rule: rule, now: now, dataKey: opened.dataKey, random: random)
    let (encrypted, metadata) = try split(fresh)
    var kept = metadata
    kept["age"] = opened.metadata["age"]
    var out = reuse(encrypted, newPlain: plain, oldPlain: opened.plain, oldEncrypted: opened.encrypted)
    out["sops"] = .map(sortedMap(kept))
    return try emit(out)
  }

  /// The document as sops writes it: go.yaml.in's v3 with an indent of 4, keys in document order.
  private static func emit(_ document: OrderedDictionary<String, Value>) throws(SOPSError) -> String {
    let options = GoYAMLOptions(dialect: .v3, indent: 4, sortKeys: false, literalHeaderBreak: true)
    do {
      return try GoYAML.text(.map(document), options)
    } catch {
      throw .invalidDocument(error.message)
    }
  }

  /// `encrypted` with the ciphertext of `oldEncrypted` wherever both files encrypt a value at
  /// the same path and its plaintext is unchanged (same data key, and the path is the
  /// additional data, so the old ciphertext is valid in the new file).
  private static func reuse(
    _ encrypted: OrderedDictionary<String, Value>, newPlain: OrderedDictionary<String, Value>,
    oldPlain: OrderedDictionary<String, Value>, oldEncrypted: OrderedDictionary<String, Value>
  ) -> OrderedDictionary<String, Value> {
    func merge(_ new: Value, _ plain: Value, _ oldPlainValue: Value?, _ oldValue: Value?) -> Value {
      switch (new, plain, oldPlainValue, oldValue) {
      case (.map(let n), .map(let p), .map(let op)?, .map(let o)?):
        return .map(reuse(n, newPlain: p, oldPlain: op, oldEncrypted: o))
      case (.list(let n), .list(let p), .list(let op)?, .list(let o)?) where n.count == p.count:
        return .list(n.indices.map { i in
          merge(n[i], p[i], i < op.count ? op[i] : nil, i < o.count ? o[i] : nil)
        })
      case (.string(let n), _, let op?, .string(let o)?) where n.hasPrefix("ENC[") && o.hasPrefix("ENC[") && op == plain:
        return .string(o)
      default:
        return new
      }
    }
    var out = encrypted
    for (name, value) in encrypted {
      guard let plain = newPlain[name] else { continue }
      out[name] = merge(value, plain, oldPlain[name], oldEncrypted[name])
    }
    return out
  }

  /// The `age:` list: the data key armored-age-encrypted to each recipient alone.
  private static func ageEntries(dataKey: [UInt8], recipients: [AgeRecipient], random: AgeRandom) throws(SOPSError) -> Value {
    var entries: [Value] = []
    for recipient in recipients {
      let file: [UInt8]
      do { file = try Age.encrypt(dataKey, to: [recipient], armor: true, random: random) } catch { throw .age(error) }
      let entry: OrderedDictionary<String, Value> = [
        "recipient": .string(recipient.description), "enc": .string(String(decoding: file, as: UTF8.self)),
      ]
      entries.append(.map(entry))
    }
    return .list(entries)
  }

  /// sops 3.13 writes its metadata keys in alphabetical order.
  private static func sortedMap(_ map: [String: Value]) -> OrderedDictionary<String, Value> {
    OrderedDictionary(uniqueKeysWithValues: map.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
  }

  /// RFC 3339 in UTC with seconds, as sops writes `lastmodified`.
  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }

  static func macHex(_ hash: SHA512) -> String {
    hash.finalize().map { byte in
      let hex = String(byte, radix: 16, uppercase: true)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }

  // MARK: Reading

  /// The plaintext document of a SOPS file (without its `sops` block), after unwrapping the
  /// data key with one of `identities` and verifying every value and the MAC.
  package static func decrypt(text: String, identities: [AgeIdentity]) throws(SOPSError) -> Value {
    .map(try open(text, identities: identities).plain)
  }

  /// Whether the text is a SOPS-encrypted YAML document (a top-level `sops` map with a `mac`).
  package static func isEncrypted(_ text: String) -> Bool {
    guard text.utf8.count <= maximumSize, let root = try? YAML.parse(text), case .map(let sops)? = root["sops"] else {
      return false
    }
    return sops["mac"] != nil
  }

  /// The age recipients (`age1...`) the file's data key is wrapped for, in file order.
  package static func recipients(of text: String) throws(SOPSError) -> [String] {
    let (_, metadata) = try split(text)
    return try ageKeys(metadata).map(\.recipient)
  }

  /// A decrypted file and what re-keying it needs.
  private struct Opened {
    var encrypted: OrderedDictionary<String, Value>
    var plain: OrderedDictionary<String, Value>
    var metadata: [String: Value]
    var dataKey: [UInt8]
    var rule: SOPSRule
  }

  private static func open(_ text: String, identities: [AgeIdentity]) throws(SOPSError) -> Opened {
    let (document, metadata) = try split(text)
    guard case .string(let lastModifiedText)? = metadata["lastmodified"] else {
      throw .invalidMetadata("lastmodified is missing or not a string")
    }
    let lastModified = try normalizedTimestamp(lastModifiedText)
    guard case .string(let mac)? = metadata["mac"] else { throw .invalidMetadata("mac is missing or not a string") }
    var macOnlyEncrypted = false
    if let flag = metadata["mac_only_encrypted"] {
      guard case .bool(let b) = flag else { throw .invalidMetadata("mac_only_encrypted must be true or false") }
      macOnlyEncrypted = b
    }
    if metadata["key_groups"] != nil {
      throw .invalidMetadata("key_groups (Shamir secret sharing) are not supported: list age recipients directly")
    }
    let rule = try SOPSRule.from(metadata: metadata)
    let dataKey = try unwrapDataKey(metadata, identities: identities)
    let symmetric = SymmetricKey(data: dataKey)
    var hash = SHA512()
    if macOnlyEncrypted {
      // sops starts this MAC with SHA-256("sops"), so it never equals the MAC over all values.
      hash.update(data: Array(SHA256.hash(data: Array("sops".utf8))))
    }
    var walker = Walker(matcher: try RuleMatcher(rule), macOnlyEncrypted: macOnlyEncrypted)
    let plain = try walker.decrypt(document, key: symmetric, hash: &hash)
    let stored: [UInt8]
    do {
      stored = try ValueCipher.open(mac, key: symmetric, additionalData: lastModified, path: "sops.mac").bytes
    } catch .tamperedValue {
      throw .tamperedMAC
    }
    guard stored == Array(macHex(hash).utf8) else { throw .macMismatch }
    return Opened(encrypted: document, plain: plain, metadata: metadata, dataKey: dataKey, rule: rule)
  }

  /// The document without its `sops` block, and that block.
  private static func split(_ text: String) throws(SOPSError) -> (OrderedDictionary<String, Value>, [String: Value]) {
    guard text.utf8.count <= maximumSize else { throw .invalidDocument("the file is larger than \(maximumSize >> 20) MiB") }
    let root: Value
    do { root = try YAML.parse(text, file: "<sops file>") } catch { throw .invalidDocument(error.description) }
    guard case .map(var document) = root else { throw .notEncrypted }
    guard let sops = document.removeValue(forKey: "sops") else { throw .notEncrypted }
    guard case .map(let metadata) = sops else { throw .invalidMetadata("the sops entry must be a map") }
    return (document, Dictionary(uniqueKeysWithValues: metadata.map { ($0.key, $0.value) }))
  }

  /// `(recipient, enc)` of every `age` entry.
  private static func ageKeys(_ metadata: [String: Value]) throws(SOPSError) -> [(recipient: String, enc: String)] {
    var keys: [(recipient: String, enc: String)] = []
    if let list = metadata["age"], list != .null {
      guard case .list(let entries) = list else { throw .invalidMetadata("age must be a list") }
      for entry in entries {
        guard case .string(let recipient)? = entry["recipient"], case .string(let enc)? = entry["enc"] else {
          throw .invalidMetadata("every age entry needs a recipient and an enc string")
        }
        keys.append((recipient, enc))
      }
    }
    if keys.isEmpty {
      let others = ["pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"].filter {
        if case .list(let l)? = metadata[$0] { return !l.isEmpty }
        return false
      }
      throw .noAgeRecipients(keyTypes: others.isEmpty ? ["no key at all"] : others)
    }
    return keys
  }

  /// The 32-byte data key from the first age entry one of `identities` opens.
  private static func unwrapDataKey(_ metadata: [String: Value], identities: [AgeIdentity]) throws(SOPSError) -> [UInt8] {
    let keys = try ageKeys(metadata)
    guard !identities.isEmpty else { throw .noIdentities(recipients: keys.map(\.recipient)) }
    var failure: SOPSError?
    for key in keys {
      do {
        let dataKey = try Age.decrypt(Array(key.enc.utf8), identities: identities)
        guard dataKey.count == 32 else { throw SOPSError.invalidMetadata("the data key for \(key.recipient) is not 32 bytes") }
        return dataKey
      } catch let error as AgeError {
        if error != .noMatchingIdentity, failure == nil { failure = .dataKey(recipient: key.recipient, error) }
      } catch let error as SOPSError {
        failure = failure ?? error
      } catch {
        failure = failure ?? .invalidMetadata("\(error)")
      }
    }
    throw failure ?? .noMatchingIdentity(recipients: keys.map(\.recipient))
  }

  /// `lastmodified` as sops re-formats it for the MAC's additional data (Go's RFC 3339:
  /// no fractional seconds, `Z` for UTC).
  static func normalizedTimestamp(_ text: String) throws(SOPSError) -> String {
    guard let match = text.wholeMatch(of: /([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})/)
    else { throw .invalidMetadata("lastmodified \"\(text)\" is not an RFC 3339 time") }
    let zone = match.output.3 == "+00:00" ? "Z" : String(match.output.3)
    return String(match.output.1) + zone
  }
}
