// bcrypt (Provos and Mazières' eksblowfish) as golang.org/x/crypto/bcrypt writes it, which
// Sprig's `bcrypt` and `htpasswd` use: version "2a", cost 10, a random 16-byte salt, and the
// password with a NUL byte appended (bytes past the 72nd do not count).

/// A bcrypt hash of `password` at `cost` (4...31) with `salt` (16 bytes): `$2a$10$` then the
/// salt and the hash in bcrypt's base64.
func bcryptHash(password: [UInt8], salt: [UInt8], cost: Int) -> String {
  var state = Blowfish()
  let key = password + [0]
  state.expand(key: key, salt: salt)
  for _ in 0..<(1 << cost) {
    state.expand(key: key, salt: nil)
    state.expand(key: salt, salt: nil)
  }
  // "OrpheanBeholderScryDoubt" as six big-endian words, encrypted 64 times.
  var words = wordsOf(Array("OrpheanBeholderScryDoubt".utf8))
  for _ in 0..<64 {
    for block in stride(from: 0, to: words.count, by: 2) {
      (words[block], words[block + 1]) = state.encrypt(words[block], words[block + 1])
    }
  }
  var hash: [UInt8] = []
  for word in words {
    for shift: UInt32 in [24, 16, 8, 0] { hash.append(UInt8(truncatingIfNeeded: word >> shift)) }
  }
  let costText = cost < 10 ? "0\(cost)" : "\(cost)"
  return "$2a$\(costText)$" + bcryptBase64(salt) + bcryptBase64(Array(hash.prefix(23)))
}

/// Base64 in bcrypt's alphabet, without padding.
private func bcryptBase64(_ bytes: [UInt8]) -> String {
  let encoding = Base(
    alphabet: Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8), bits: 6, block: 4, name: "bcrypt base64")
  var text = encoding.encode(bytes)
  while text.hasSuffix("=") { text.removeLast() }
  return text
}

/// Big-endian 32-bit words of `bytes` (a multiple of 4 long).
private func wordsOf(_ bytes: [UInt8]) -> [UInt32] {
  var position = 0
  return (0..<(bytes.count / 4)).map { _ in Blowfish.nextWord(bytes, &position) }
}

/// Blowfish's key-dependent state: the 18 subkeys and four S-boxes, one array.
private struct Blowfish {
  /// P[0..<18], then S0, S1, S2, S3 of 256 words each.
  var state: [UInt32] = blowfishPi

  /// Encrypts one 64-bit block: 16 Feistel rounds.
  func encrypt(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
    state.withUnsafeBufferPointer { s in
      var l = left, r = right
      for round in 0..<16 {
        l ^= s[round]
        let f = ((s[18 + Int(l >> 24)] &+ s[274 + Int((l >> 16) & 0xff)]) ^ s[530 + Int((l >> 8) & 0xff)]) &+ s[786 + Int(l & 0xff)]
        r ^= f
        swap(&l, &r)
      }
      return (r ^ s[17], l ^ s[16])
    }
  }

  /// Blowfish's key schedule (`salt` nil) or eksblowfish's salted one: the key cycled into the
  /// subkeys, then every word pair replaced by the encryption of the previous pair (xored with
  /// the cycled salt).
  mutating func expand(key: [UInt8], salt: [UInt8]?) {
    var keyPosition = 0
    for i in 0..<18 { state[i] ^= Self.nextWord(key, &keyPosition) }
    var saltPosition = 0
    var l: UInt32 = 0, r: UInt32 = 0
    for i in stride(from: 0, to: state.count, by: 2) {
      if let salt {
        l ^= Self.nextWord(salt, &saltPosition)
        r ^= Self.nextWord(salt, &saltPosition)
      }
      (l, r) = encrypt(l, r)
      state[i] = l
      state[i + 1] = r
    }
  }

  /// The next big-endian word of `bytes` read cyclically from `position`.
  static func nextWord(_ bytes: [UInt8], _ position: inout Int) -> UInt32 {
    var word: UInt32 = 0
    for _ in 0..<4 {
      word = word << 8 | UInt32(bytes[position])
      position += 1
      if position == bytes.count { position = 0 }
    }
    return word
  }
}
