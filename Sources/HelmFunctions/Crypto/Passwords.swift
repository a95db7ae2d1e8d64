import Crypto

// Sprig's password functions (crypto.md): `bcrypt` and `htpasswd` hash with a random salt;
// `derivePassword` is the Master Password algorithm (scrypt, then HMAC-SHA-256 choosing a
// template and its characters), the same for the same inputs. Like Sprig they return their
// failures as text.

extension Library {
  mutating func addPasswords() {
    addNondeterministic("bcrypt") { a in
      try a.expectCount(1)
      return .string(sprigBcrypt(try a.string(at: 0)))
    }
    addNondeterministic("htpasswd") { a in
      try a.expectCount(2)
      let user = try a.string(at: 0), password = try a.string(at: 1)
      guard !user.contains(":") else { return .string("invalid username: \(user)") }
      return .string("\(user):\(sprigBcrypt(password))")
    }
    add("derivePassword", plain: { a in
      try a.expectCount(5)
      let counter = try a.int(at: 0)
      guard let counter = UInt32(exactly: counter) else {
        throw failure("derivePassword: counter \(counter) is not a uint32 (0 to \(UInt32.max))")
      }
      return .string(
        derivePassword(
          counter: counter, type: try a.string(at: 1), password: try a.string(at: 2), user: try a.string(at: 3),
          site: try a.string(at: 4)))
    })
  }
}

/// Sprig's bcrypt: cost 10 and a fresh salt.
private func sprigBcrypt(_ password: String) -> String {
  var generator = SystemRandomNumberGenerator()
  let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
  return bcryptHash(password: Array(password.utf8), salt: salt, cost: 10)
}

/// Master Password's templates per password type: a letter per character class.
private let passwordTemplates: [String: [String]] = [
  "maximum": ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
  "long": [
    "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno", "CvcvnoCvccCvcv",
    "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv",
    "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
  ],
  "medium": ["CvcnoCvc", "CvcCvcno"],
  "short": ["Cvcn"],
  "basic": ["aaanaaan", "aannaaan", "aaannaaa"],
  "pin": ["nnnn"],
]

/// The characters of each class letter.
private let passwordCharacters: [UInt8: [UInt8]] = [
  "V": "AEIOU", "C": "BCDFGHJKLMNPQRSTVWXYZ", "v": "aeiou", "c": "bcdfghjklmnpqrstvwxyz",
  "A": "AEIOUBCDFGHJKLMNPQRSTVWXYZ", "a": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz", "n": "0123456789",
  "o": "@&%?,=[]_:-+*$#!'^~;()/.", "x": "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
].reduce(into: [:]) { table, entry in table[UInt8(ascii: Unicode.Scalar(entry.key) ?? "?")] = Array(entry.value.utf8) }

/// Master Password: the key is scrypt(password, seed ‖ len(user) ‖ user), the seed for the
/// site HMAC-SHA-256(key, seed ‖ len(site) ‖ site ‖ counter); its first byte picks the
/// template, the next bytes the characters.
private func derivePassword(counter: UInt32, type: String, password: String, user: String, site: String) -> String {
  guard let templates = passwordTemplates[type] else { return "cannot find password template \(type)" }
  let seed = Array("com.lyndir.masterpassword".utf8)
  func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32($0))) } }
  // Go writes the lengths as uint32 (truncated when longer, as binary.Write does).
  let userBytes = Array(user.utf8), siteBytes = Array(site.utf8)
  let salt = seed + bigEndian(UInt32(truncatingIfNeeded: userBytes.count)) + userBytes
  let key = scrypt(password: Array(password.utf8), salt: salt, cost: 32768, blockSize: 8, parallelism: 2, length: 64)
  let message = seed + bigEndian(UInt32(truncatingIfNeeded: siteBytes.count)) + siteBytes + bigEndian(counter)
  let siteSeed = Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
  let template = Array(templates[Int(siteSeed[0]) % templates.count].utf8)
  var out: [UInt8] = []
  for (i, letter) in template.enumerated() {
    guard let characters = passwordCharacters[letter] else { continue }
    out.append(characters[Int(siteSeed[i + 1]) % characters.count])
  }
  return String(decoding: out, as: UTF8.self)
}
