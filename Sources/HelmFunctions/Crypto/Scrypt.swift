import Crypto

// scrypt (RFC 7914) on swift-crypto's HMAC-SHA-256, which Sprig's `derivePassword` uses with
// N = 32768, r = 8, p = 2 (32 MiB of memory).

/// scrypt's derived key of `length` bytes; `cost` (N) must be a power of two above 1.
func scrypt(password: [UInt8], salt: [UInt8], cost: Int, blockSize r: Int, parallelism p: Int, length: Int) -> [UInt8] {
  let blockWords = 32 * r
  let input = pbkdf2SHA256(password: password, salt: salt, length: p * 128 * r)
  var words = stride(from: 0, to: input.count, by: 4).map { i in
    UInt32(input[i]) | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2]) << 16 | UInt32(input[i + 3]) << 24
  }
  var table = [UInt32](repeating: 0, count: cost * blockWords)
  var scratch = [UInt32](repeating: 0, count: blockWords)
  for lane in 0..<p {
    words.withUnsafeMutableBufferPointer { all in
      table.withUnsafeMutableBufferPointer { v in
        scratch.withUnsafeMutableBufferPointer { y in
          // The buffers are non-empty (r, p and N are positive), so their base addresses exist.
          guard let base = all.baseAddress, let vBase = v.baseAddress else { return }
          let x = UnsafeMutableBufferPointer(start: base + lane * blockWords, count: blockWords)
          romix(x, v: UnsafeMutableBufferPointer(start: vBase, count: cost * blockWords), y: y, cost: cost, r: r)
        }
      }
    }
  }
  let mixed = words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * UInt32($0))) } }
  return pbkdf2SHA256(password: password, salt: mixed, length: length)
}

/// PBKDF2-HMAC-SHA-256 with one iteration, as scrypt uses it.
private func pbkdf2SHA256(password: [UInt8], salt: [UInt8], length: Int) -> [UInt8] {
  let key = SymmetricKey(data: password)
  var out: [UInt8] = []
  var block: UInt32 = 1
  while out.count < length {
    var mac = HMAC<SHA256>(key: key)
    mac.update(data: salt)
    mac.update(data: [UInt8(block >> 24), UInt8((block >> 16) & 0xff), UInt8((block >> 8) & 0xff), UInt8(block & 0xff)])
    out += Array(mac.finalize())
    block += 1
  }
  return Array(out.prefix(length))
}

/// scrypt's ROMix over one lane `x`: fill `v` with successive BlockMix states, then mix in
/// entries chosen by the state's last block.
private func romix(
  _ x: UnsafeMutableBufferPointer<UInt32>, v: UnsafeMutableBufferPointer<UInt32>, y: UnsafeMutableBufferPointer<UInt32>,
  cost: Int, r: Int
) {
  let blockWords = 32 * r
  for i in 0..<cost {
    for k in 0..<blockWords { v[i * blockWords + k] = x[k] }
    blockMix(x, y: y, r: r)
  }
  for _ in 0..<cost {
    let j = Int(x[(2 * r - 1) * 16]) & (cost - 1)
    for k in 0..<blockWords { x[k] ^= v[j * blockWords + k] }
    blockMix(x, y: y, r: r)
  }
}

/// scrypt's BlockMix with Salsa20/8: each 64-byte block xored into the running one and
/// hashed; even outputs first, then odd ones.
private func blockMix(_ b: UnsafeMutableBufferPointer<UInt32>, y: UnsafeMutableBufferPointer<UInt32>, r: Int) {
  var x = [UInt32](repeating: 0, count: 16)
  for k in 0..<16 { x[k] = b[(2 * r - 1) * 16 + k] }
  for i in 0..<(2 * r) {
    for k in 0..<16 { x[k] ^= b[i * 16 + k] }
    salsa20_8(&x)
    let target = (i % 2 == 0 ? i / 2 : r + i / 2) * 16
    for k in 0..<16 { y[target + k] = x[k] }
  }
  for k in 0..<(32 * r) { b[k] = y[k] }
}

/// The Salsa20/8 core: four double rounds, then the input added back.
private func salsa20_8(_ block: inout [UInt32]) {
  var s = block
  func quarter(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
    s[b] ^= (s[a] &+ s[d]).rotatedLeft(7)
    s[c] ^= (s[b] &+ s[a]).rotatedLeft(9)
    s[d] ^= (s[c] &+ s[b]).rotatedLeft(13)
    s[a] ^= (s[d] &+ s[c]).rotatedLeft(18)
  }
  for _ in 0..<4 {
    quarter(0, 4, 8, 12)
    quarter(5, 9, 13, 1)
    quarter(10, 14, 2, 6)
    quarter(15, 3, 7, 11)
    quarter(0, 1, 2, 3)
    quarter(5, 6, 7, 4)
    quarter(10, 11, 8, 9)
    quarter(15, 12, 13, 14)
  }
  for k in 0..<16 { block[k] = block[k] &+ s[k] }
}

extension UInt32 {
  /// The value rotated left by `count` bits.
  fileprivate func rotatedLeft(_ count: UInt32) -> UInt32 { self << count | self >> (32 - count) }
}
