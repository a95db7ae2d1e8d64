import Crypto
import FlowrelAge
import FlowrelValue
import OrderedCollections

/// Walks a document's scalars in document order, as sops walks its tree: encrypting or
/// decrypting the ones the rule selects, and hashing every value into the MAC (only the
/// selected ones with `mac_only_encrypted`). Nulls are left alone and not hashed; empty
/// strings stay empty.
struct Walker {
  let matcher: RuleMatcher
  let macOnlyEncrypted: Bool
  /// Map keys from the root (list positions are not part of a SOPS path).
  private var keys: [String] = []
  /// The full path, for messages.
  private var path = ValuePath.root

  init(matcher: RuleMatcher, macOnlyEncrypted: Bool) {
    self.matcher = matcher
    self.macOnlyEncrypted = macOnlyEncrypted
  }

  /// The additional data for the current value: its keys joined by `:`, plus a final `:`.
  private var additionalData: String { keys.map { $0 + ":" }.joined() }

  mutating func encrypt(
    _ map: OrderedDictionary<String, Value>, key: SymmetricKey, hash: inout SHA512, random: AgeRandom
  ) throws(SOPSError) -> OrderedDictionary<String, Value> {
    var out = map
    for (name, value) in map {
      keys.append(name)
      path = path.appending(key: name)
      out[name] = try encrypt(value, key: key, hash: &hash, random: random)
      keys.removeLast()
      path.components.removeLast()
    }
    return out
  }

  private mutating func encrypt(_ value: Value, key: SymmetricKey, hash: inout SHA512, random: AgeRandom) throws(SOPSError) -> Value {
    guard path.components.count <= SOPSFile.maximumDepth else { throw .tooDeep(path: path.description) }
    switch value {
    case .null: return value
    case .map(let map): return .map(try encrypt(map, key: key, hash: &hash, random: random))
    case .list(let items):
      var out: [Value] = []
      for (index, item) in items.enumerated() {
        path = path.appending(index: index)
        out.append(try encrypt(item, key: key, hash: &hash, random: random))
        path.components.removeLast()
      }
      return .list(out)
    case .string, .int, .int64, .double, .bool:
      let selected = matcher.isEncrypted(keys)
      if let text = ValueCipher.macText(value), !macOnlyEncrypted || selected { hash.update(data: Array(text.utf8)) }
      guard selected, value != .string("") else { return value }
      return .string(ValueCipher.encrypt(value, key: key, additionalData: additionalData, random: random) ?? "")
    }
  }

  mutating func decrypt(
    _ map: OrderedDictionary<String, Value>, key: SymmetricKey, hash: inout SHA512
  ) throws(SOPSError) -> OrderedDictionary<String, Value> {
    var out = map
    for (name, value) in map {
      keys.append(name)
      path = path.appending(key: name)
      out[name] = try decrypt(value, key: key, hash: &hash)
      keys.removeLast()
      path.components.removeLast()
    }
    return out
  }

  private mutating func decrypt(_ value: Value, key: SymmetricKey, hash: inout SHA512) throws(SOPSError) -> Value {
    guard path.components.count <= SOPSFile.maximumDepth else { throw .tooDeep(path: path.description) }
    switch value {
    case .null: return value
    case .map(let map): return .map(try decrypt(map, key: key, hash: &hash))
    case .list(let items):
      var out: [Value] = []
      for (index, item) in items.enumerated() {
        path = path.appending(index: index)
        out.append(try decrypt(item, key: key, hash: &hash))
        path.components.removeLast()
      }
      return .list(out)
    case .string, .int, .int64, .double, .bool:
      let selected = matcher.isEncrypted(keys)
      var plain = value
      if selected, value != .string("") {
        guard case .string(let text) = value, text.hasPrefix("ENC[") else { throw .unencryptedValue(path: path.description) }
        let (bytes, type) = try ValueCipher.open(text, key: key, additionalData: additionalData, path: path.description)
        plain = try ValueCipher.value(bytes, type: type, path: path.description)
      }
      if let text = ValueCipher.macText(plain), !macOnlyEncrypted || selected { hash.update(data: Array(text.utf8)) }
      return plain
    }
  }
}
