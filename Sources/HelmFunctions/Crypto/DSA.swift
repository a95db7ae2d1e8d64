import BigInt
import Foundation
import SwiftASN1

/// A DSA key as Sprig's `genPrivateKey "dsa"` makes it: FIPS 186-3 parameters of L = 2048 and
/// N = 256 bits, generated as Go's `dsa.GenerateParameters` does, and a random private value.
/// No cryptographic library here offers DSA, so the arithmetic is BigInt's.
struct DSAPrivateKey {
  let p: BigUInt, q: BigUInt, g: BigUInt, y: BigUInt, x: BigUInt

  /// A new key with fresh parameters (Go's L2048N256).
  static func generate() throws(HelmFunctionsError) -> DSAPrivateKey {
    let (p, q) = primes(l: 2048, n: 256)
    // The generator: h^((p-1)/q) mod p for the first h from 2 that does not give 1.
    let exponent = (p - 1) / q
    var h: BigUInt = 2, g: BigUInt = 1
    while g == 1 {
      g = h.power(exponent, modulus: p)
      h += 1
    }
    // x is uniform in [1, q-1]: random N-bit values, rejected when 0 or not below q.
    var x: BigUInt = 0
    while x == 0 || x >= q { x = randomNumber(bytes: 32) }
    return DSAPrivateKey(p: p, q: q, g: g, y: g.power(x, modulus: p), x: x)
  }

  /// q an N-bit prime and p an L-bit prime with q dividing p - 1, tried as Go tries them:
  /// a random q with its top and bottom bits set, then up to 4·L random p moved to 1 mod q.
  private static func primes(l: Int, n: Int) -> (p: BigUInt, q: BigUInt) {
    while true {
      var q = randomNumber(bytes: n / 8)
      q |= 1
      q |= BigUInt(1) << (n - 1)
      guard isProbablePrime(q) else { continue }
      for _ in 0..<(4 * l) {
        var p = randomNumber(bytes: l / 8)
        p |= 1
        p |= BigUInt(1) << (l - 1)
        // p - (p mod q - 1) is 1 mod q (Go adds 1 when p mod q is 0; such a draw is skipped here).
        let remainder = p % q
        guard remainder != 0 else { continue }
        p -= remainder - 1
        guard p.bitWidth >= l, isProbablePrime(p) else { continue }
        return (p, q)
      }
    }
  }

  /// Reads Sprig's DSA key sequence: version, P, Q, G, Y, X.
  init(der: [UInt8]) throws(HelmFunctionsError) {
    do {
      let node = try DER.parse(der)
      let values = try DER.sequence(node, identifier: .sequence) { nodes in
        var integers: [BigUInt] = []
        while let next = nodes.next() {
          let integer = try ArraySlice<UInt8>(derEncoded: next)
          integers.append(BigUInt(Data(integer)))
        }
        return integers
      }
      guard values.count == 6 else { throw failure("expected 6 integers, found \(values.count)") }
      self.init(p: values[1], q: values[2], g: values[3], y: values[4], x: values[5])
    } catch {
      throw failure("parsing DSA private key from PEM: asn1: structure error: \(error)")
    }
  }

  private init(p: BigUInt, q: BigUInt, g: BigUInt, y: BigUInt, x: BigUInt) {
    self.p = p
    self.q = q
    self.g = g
    self.y = y
    self.x = x
  }

  /// The key as Sprig's `DSAKeyFormat` marshals: a sequence of version 0, P, Q, G, Y and X.
  func der() -> [UInt8] {
    var serializer = DER.Serializer()
    try? serializer.appendConstructedNode(identifier: .sequence) { coder in
      try coder.serialize(0)
      // Unsigned big-endian bytes: the serializer adds the leading zero a set top bit needs.
      for value in [p, q, g, y, x] { try coder.serialize(ArraySlice(value.serialize())) }
    }
    return serializer.serializedBytes
  }
}

/// A uniformly random number of `bytes` bytes from the system's generator.
private func randomNumber(bytes: Int) -> BigUInt {
  var generator = SystemRandomNumberGenerator()
  return BigUInt(Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }))
}

/// The odd primes below 2000, to rule out most composites before Miller-Rabin.
private let smallPrimes: [BigUInt] = {
  var primes: [Int] = []
  for n in stride(from: 3, to: 2000, by: 2) where !primes.contains(where: { $0 * $0 <= n && n % $0 == 0 }) {
    primes.append(n)
  }
  return primes.map { BigUInt($0) }
}()

/// Trial division by the small primes, then 20 Miller-Rabin rounds with random bases (a
/// composite passes with probability below 4^-20).
private func isProbablePrime(_ n: BigUInt) -> Bool {
  for prime in smallPrimes where n % prime == 0 { return n == prime }
  var generator = SystemRandomNumberGenerator()
  for _ in 0..<20 {
    let base = BigUInt.randomInteger(lessThan: n - 3, using: &generator) + 2
    guard n.isStrongProbablePrime(base) else { return false }
  }
  return true
}
