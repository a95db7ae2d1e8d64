import Crypto
import FlowrelValue
import FlowrelYAML
import Foundation
import OrderedCollections

/// A second SOPS implementation written from the format's definition (sops-age reference
/// notes), sharing no code with FlowrelSOPS: the data key goes through the real `age`
/// tool, values through swift-crypto directly. It handles the rule `encrypted_regex` and
/// readable strings, ints and bools (enough for Secrets), and fails on anything else.
enum IndependentSOPS {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  // MARK: Decoding

  /// The plaintext of a SOPS file, after checking every value and the MAC.
  static func decrypt(_ text: String, keyFile: String) throws -> Value {
    guard case .map(var document) = try YAML.parse(text), case .map(let metadata)? = document.removeValue(forKey: "sops") else {
      throw Failure(description: "no sops block")
    }
    guard case .list(let ageEntries)? = metadata["age"], case .string(let enc)? = ageEntries.first?["enc"] else {
      throw Failure(description: "no age entry")
    }
    let dataKey = SymmetricKey(data: try Tool.run("age", ["-d", "-i", keyFile], input: Array(enc.utf8)))
    guard case .string(let pattern)? = metadata["encrypted_regex"] else { throw Failure(description: "no encrypted_regex") }
    let regex = try Regex(pattern)
    var macInput: [UInt8] = []

    func walk(_ value: Value, keys: [String]) throws -> Value {
      switch value {
      case .null: return value
      case .map(let map):
        var out = map
        for (key, child) in map { out[key] = try walk(child, keys: keys + [key]) }
        return .map(out)
      case .list(let items): return .list(try items.map { try walk($0, keys: keys) })
      default:
        let encrypted = keys.contains { (try? regex.firstMatch(in: $0)) != nil }
        if encrypted, case .string(let s) = value, !s.isEmpty {
          let (plaintext, type) = try open(s, key: dataKey, additionalData: keys.map { $0 + ":" }.joined())
          let text = String(decoding: plaintext, as: UTF8.self)
          switch type {
          case "str":
            macInput += plaintext
            return .string(text)
          case "int":
            macInput += plaintext
            guard let int = Int64(text) else { throw Failure(description: "bad int \(text)") }
            return .int(int)
          case "float":
            macInput += plaintext
            guard let double = Double(text) else { throw Failure(description: "bad float \(text)") }
            return .double(double)
          case "bool":
            // sops hashes booleans capitalised.
            macInput += Array((text == "true" ? "True" : "False").utf8)
            return .bool(text == "true")
          default: throw Failure(description: "unknown type \(type)")
          }
        }
        switch value {
        case .string(let s): macInput += Array(s.utf8)
        case .int(let i): macInput += Array(String(i).utf8)
        case .bool(let b): macInput += Array((b ? "True" : "False").utf8)
        default: throw Failure(description: "the independent decoder does not hash a readable \(value.kindName)")
        }
        return value
      }
    }

    let plain = try walk(.map(document), keys: [])
    guard case .string(let lastModified)? = metadata["lastmodified"], case .string(let mac)? = metadata["mac"] else {
      throw Failure(description: "no lastmodified or mac")
    }
    let stored = try open(mac, key: dataKey, additionalData: lastModified).plaintext
    let computed = SHA512.hash(data: macInput).map { String(format: "%02X", $0) }.joined()
    guard stored == Array(computed.utf8) else { throw Failure(description: "MAC mismatch") }
    return plain
  }

  private static func open(_ text: String, key: SymmetricKey, additionalData: String) throws -> (plaintext: [UInt8], type: String) {
    guard let match = text.wholeMatch(of: /ENC\[AES256_GCM,data:([^,]*),iv:([^,]*),tag:([^,]*),type:([a-z]+)\]/),
      let data = Data(base64Encoded: String(match.output.1)), let iv = Data(base64Encoded: String(match.output.2)),
      let tag = Data(base64Encoded: String(match.output.3))
    else { throw Failure(description: "not an ENC value: \(text)") }
    guard iv.count == 32 else { throw Failure(description: "IV of \(iv.count) bytes, sops uses 32") }
    let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: data, tag: tag)
    return (Array(try AES.GCM.open(box, using: key, authenticating: Array(additionalData.utf8))), String(match.output.4))
  }

  // MARK: Encoding

  /// A SOPS file for `document` encrypted to `recipient` (through the real `age`), laid out
  /// by FlowrelYAML's go-yaml v2 emitter (2-space indent), which SOPS readers accept too.
  static func encrypt(_ document: Value, recipient: String, encryptedRegex: String, lastModified: String) throws -> String {
    let keyBytes = (0..<32).map { _ in UInt8.random(in: 0...255) }
    let dataKey = SymmetricKey(data: keyBytes)
    let regex = try Regex(encryptedRegex)
    var macInput: [UInt8] = []

    func seal(_ plaintext: String, type: String, additionalData: String) throws -> String {
      let iv = (0..<32).map { _ in UInt8.random(in: 0...255) }
      let box = try AES.GCM.seal(
        Array(plaintext.utf8), using: dataKey, nonce: AES.GCM.Nonce(data: iv), authenticating: Array(additionalData.utf8))
      return "ENC[AES256_GCM,data:\(box.ciphertext.base64EncodedString()),iv:\(Data(iv).base64EncodedString()),tag:\(box.tag.base64EncodedString()),type:\(type)]"
    }

    func walk(_ value: Value, keys: [String]) throws -> Value {
      let additionalData = keys.map { $0 + ":" }.joined()
      let encrypted = keys.contains { (try? regex.firstMatch(in: $0)) != nil }
      switch value {
      case .null: return value
      case .map(let map):
        var out = map
        for (key, child) in map { out[key] = try walk(child, keys: keys + [key]) }
        return .map(out)
      case .list(let items): return .list(try items.map { try walk($0, keys: keys) })
      case .string(let s):
        macInput += Array(s.utf8)
        return encrypted && !s.isEmpty ? .string(try seal(s, type: "str", additionalData: additionalData)) : value
      case .int(let i), .int64(let i):
        macInput += Array(String(i).utf8)
        return encrypted ? .string(try seal(String(i), type: "int", additionalData: additionalData)) : value
      case .double(let d):
        // Test floats are chosen so Swift's shortest form is Go's %f form.
        let text = "\(d)"
        guard !text.contains("e") else { throw Failure(description: "pick a float without an exponent") }
        macInput += Array(text.utf8)
        return encrypted ? .string(try seal(text, type: "float", additionalData: additionalData)) : value
      case .bool(let b):
        macInput += Array((b ? "True" : "False").utf8)
        return encrypted ? .string(try seal(b ? "true" : "false", type: "bool", additionalData: additionalData)) : value
      }
    }

    guard case .map(var out) = try walk(document, keys: []) else { throw Failure(description: "not a map") }
    let mac = SHA512.hash(data: macInput).map { String(format: "%02X", $0) }.joined()
    let enc = String(decoding: try Tool.run("age", ["-e", "-a", "-r", recipient], input: keyBytes), as: UTF8.self)
    out["sops"] = [
      "age": [["recipient": .string(recipient), "enc": .string(enc)]],
      "lastmodified": .string(lastModified),
      "mac": .string(try seal(mac, type: "str", additionalData: lastModified)),
      "encrypted_regex": .string(encryptedRegex),
      "version": "3.13.2",
    ]
    return YAML.emit(.map(out))
  }
}
