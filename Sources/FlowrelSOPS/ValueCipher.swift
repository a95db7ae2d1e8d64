import Crypto
import FlowrelAge
import FlowrelValue
import Foundation

/// One SOPS-encrypted scalar: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<type>]`,
/// AES-256-GCM under the file's data key with a 32-byte IV and the value's key path
/// (`stringData:password:`) as additional data.
enum ValueCipher {
  static let ivSize = 32

  /// The text SOPS encrypts for a scalar (Go's `strconv` forms: floats as `%f` shortest)
  /// and its type name; `nil` for null and collections.
  static func plaintext(_ value: Value) -> (text: String, type: String)? {
    switch value {
    case .string(let s): (s, "str")
    case .int(let i), .int64(let i): (String(i), "int")
    case .double(let d): (goFloat(d), "float")
    case .bool(let b): (b ? "true" : "false", "bool")
    case .null, .list, .map: nil
    }
  }

  /// The text SOPS hashes into the MAC for a scalar: as `plaintext`, but booleans are
  /// `True`/`False` (sops capitalises them).
  static func macText(_ value: Value) -> String? {
    if case .bool(let b) = value { return b ? "True" : "False" }
    return plaintext(value)?.text
  }

  /// Go's `strconv.FormatFloat(d, 'f', -1, 64)`.
  static func goFloat(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d < 0 ? "-Inf" : "+Inf" }
    return ShortestDecimal(d).fixedForm
  }

  static func encrypt(_ value: Value, key: SymmetricKey, additionalData: String, random: AgeRandom) -> String? {
    guard let plain = plaintext(value) else { return nil }
    return seal(Array(plain.text.utf8), type: plain.type, key: key, additionalData: additionalData, random: random)
  }

  static func seal(_ plaintext: [UInt8], type: String, key: SymmetricKey, additionalData: String, random: AgeRandom) -> String {
    let iv = random(ivSize)
    // A 32-byte IV (at least 12) and a 32-byte key never fail; the fallback is unreachable.
    guard let nonce = try? AES.GCM.Nonce(data: iv),
      let box = try? AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: Array(additionalData.utf8))
    else { return "" }
    return "ENC[AES256_GCM,data:\(Data(box.ciphertext).base64EncodedString()),iv:\(Data(iv).base64EncodedString()),tag:\(Data(box.tag).base64EncodedString()),type:\(type)]"
  }

  /// The plaintext bytes and type name of an `ENC[...]` string.
  static func open(_ text: String, key: SymmetricKey, additionalData: String, path: String) throws(SOPSError) -> (bytes: [UInt8], type: String) {
    let prefix = "ENC[AES256_GCM,"
    guard text.hasPrefix(prefix), text.hasSuffix("]") else {
      throw .malformedValue(path: path, problem: "it does not have the form ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]")
    }
    var fields: [Substring: Substring] = [:]
    for part in text.dropFirst(prefix.count).dropLast().split(separator: ",", omittingEmptySubsequences: false) {
      guard let colon = part.firstIndex(of: ":") else {
        throw .malformedValue(path: path, problem: "field \"\(part.prefix(20))\" has no name")
      }
      fields[part[..<colon]] = part[part.index(after: colon)...]
    }
    guard let dataText = fields["data"], let ivText = fields["iv"], let tagText = fields["tag"], let type = fields["type"] else {
      throw .malformedValue(path: path, problem: "it lacks one of data, iv, tag and type")
    }
    guard let data = Data(base64Encoded: String(dataText)), let iv = Data(base64Encoded: String(ivText)),
      let tag = Data(base64Encoded: String(tagText))
    else { throw .malformedValue(path: path, problem: "data, iv or tag is not base64") }
    guard iv.count >= 12, tag.count == 16, let nonce = try? AES.GCM.Nonce(data: iv),
      let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: data, tag: tag)
    else { throw .malformedValue(path: path, problem: "the iv or tag has the wrong length") }
    guard let plain = try? AES.GCM.open(box, using: key, authenticating: Array(additionalData.utf8)) else {
      throw .tamperedValue(path: path)
    }
    return (Array(plain), String(type))
  }

  /// The value a decrypted plaintext stands for, by its SOPS type (Go's `strconv` parsing).
  static func value(_ bytes: [UInt8], type: String, path: String) throws(SOPSError) -> Value {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw .malformedValue(path: path, problem: "the decrypted value is not UTF-8")
    }
    switch type {
    case "str", "time", "comment": return .string(text)
    case "int":
      guard let int = Int64(text) else { throw .malformedValue(path: path, problem: "\"\(text)\" is not an int") }
      return .int(int)
    case "float":
      switch text {
      case "NaN": return .double(.nan)
      case "+Inf", "Inf": return .double(.infinity)
      case "-Inf": return .double(-.infinity)
      default:
        guard let double = Double(text), double.isFinite else {
          throw .malformedValue(path: path, problem: "\"\(text)\" is not a float")
        }
        return .double(double)
      }
    case "bool":
      // Go's strconv.ParseBool.
      switch text {
      case "1", "t", "T", "TRUE", "true", "True": return .bool(true)
      case "0", "f", "F", "FALSE", "false", "False": return .bool(false)
      default: throw .malformedValue(path: path, problem: "\"\(text)\" is not a bool")
      }
    default:
      throw .malformedValue(path: path, problem: "unknown type \"\(type)\" (expected str, int, float, bool or time)")
    }
  }
}
