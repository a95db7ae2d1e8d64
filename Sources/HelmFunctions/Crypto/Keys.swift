import Crypto
import SwiftASN1
import X509
import _CryptoExtras

// Sprig's private keys (crypto.md, `genPrivateKey`) in the PEM forms Go's crypto/x509 writes
// them: RSA as PKCS #1 ("RSA PRIVATE KEY"), ECDSA as SEC 1 ("EC PRIVATE KEY"), Ed25519 as
// PKCS #8 ("PRIVATE KEY") and DSA as Sprig's own sequence ("DSA PRIVATE KEY"); and the key
// PEM that the `...WithKey` certificate functions take, read as Sprig reads it.

/// A private key as Sprig handles it.
enum SprigPrivateKey {
  case rsa(_RSA.Signing.PrivateKey)
  case p256(P256.Signing.PrivateKey)
  case p384(P384.Signing.PrivateKey)
  case p521(P521.Signing.PrivateKey)
  case ed25519(Curve25519.Signing.PrivateKey)
  case dsa(DSAPrivateKey)

  /// A new key of Sprig's `genPrivateKey` type ("" and "rsa" are RSA 4096, "ecdsa" P-256),
  /// or `nil` for a type Sprig does not know.
  static func generate(type: String) throws -> SprigPrivateKey? {
    switch type {
    case "", "rsa": .rsa(try _RSA.Signing.PrivateKey(keySize: .bits4096))
    case "ecdsa": .p256(P256.Signing.PrivateKey())
    case "ed25519": .ed25519(Curve25519.Signing.PrivateKey())
    case "dsa": .dsa(try DSAPrivateKey.generate())
    default: nil
    }
  }

  /// The key as PEM, in the block type and encoding Sprig's `pemBlockForKey` gives.
  func pem() -> String {
    switch self {
    case .rsa(let key): PEM.encode(type: "RSA PRIVATE KEY", Array(key.derRepresentation))
    case .p256(let key): PEM.encode(type: "EC PRIVATE KEY", sec1(key.rawRepresentation, key.publicKey.x963Representation, .NamedCurves.secp256r1))
    case .p384(let key): PEM.encode(type: "EC PRIVATE KEY", sec1(key.rawRepresentation, key.publicKey.x963Representation, .NamedCurves.secp384r1))
    case .p521(let key): PEM.encode(type: "EC PRIVATE KEY", sec1(key.rawRepresentation, key.publicKey.x963Representation, .NamedCurves.secp521r1))
    case .ed25519(let key): PEM.encode(type: "PRIVATE KEY", ed25519PKCS8Prefix + Array(key.rawRepresentation))
    case .dsa(let key): PEM.encode(type: "DSA PRIVATE KEY", key.der())
    }
  }

  /// The key as swift-certificates signs with it, and the signature algorithm Go's x509 picks
  /// for it; DSA keys cannot sign certificates (Go refuses them too).
  func signer() throws(HelmFunctionsError) -> (key: Certificate.PrivateKey, algorithm: Certificate.SignatureAlgorithm) {
    switch self {
    case .rsa(let key): (Certificate.PrivateKey(key), .sha256WithRSAEncryption)
    case .p256(let key): (Certificate.PrivateKey(key), .ecdsaWithSHA256)
    case .p384(let key): (Certificate.PrivateKey(key), .ecdsaWithSHA384)
    case .p521(let key): (Certificate.PrivateKey(key), .ecdsaWithSHA512)
    case .ed25519(let key): (Certificate.PrivateKey(key), .ed25519)
    case .dsa: throw failure("error creating certificate: x509: certificate private key does not implement crypto.Signer")
    }
  }

  /// Reads a key as Sprig's `parsePrivateKeyPEM` does: the first PEM block, PKCS #8 for
  /// "PRIVATE KEY", else PKCS #1, SEC 1 or Sprig's DSA sequence by the block's type.
  static func parse(pem text: String) throws(HelmFunctionsError) -> SprigPrivateKey {
    guard let block = PEM.decode(text) else { throw failure("no PEM data in input") }
    let der = block.bytes
    if block.type == "PRIVATE KEY" {
      if der.count == 48, Array(der.prefix(16)) == ed25519PKCS8Prefix,
        let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32))
      {
        return .ed25519(key)
      }
      if let key = ecdsa(der) { return key }
      if let key = try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: der) { return .rsa(key) }
      throw failure("decoding PEM as PKCS#8: x509: failed to parse private key")
    }
    guard block.type.hasSuffix(" PRIVATE KEY") else {
      throw failure("no private key data in PEM block of type \(block.type)")
    }
    switch block.type.dropLast(" PRIVATE KEY".count) {
    case "RSA":
      guard let key = try? _RSA.Signing.PrivateKey(unsafeDERRepresentation: der) else {
        throw failure("parsing RSA private key from PEM: x509: failed to parse private key")
      }
      return .rsa(key)
    case "EC":
      guard let key = ecdsa(der) else { throw failure("parsing EC private key from PEM: x509: failed to parse EC private key") }
      return key
    case "DSA":
      return .dsa(try DSAPrivateKey(der: der))
    default:
      throw failure("invalid private key type \(block.type)")
    }
  }

  /// An ECDSA key on one of Go's NIST curves from SEC 1 or PKCS #8 DER.
  private static func ecdsa(_ der: [UInt8]) -> SprigPrivateKey? {
    if let key = try? P256.Signing.PrivateKey(derRepresentation: der) { return .p256(key) }
    if let key = try? P384.Signing.PrivateKey(derRepresentation: der) { return .p384(key) }
    if let key = try? P521.Signing.PrivateKey(derRepresentation: der) { return .p521(key) }
    return nil
  }
}

/// Go's PKCS #8 encoding of an Ed25519 key before its 32-byte seed: version 0, the Ed25519
/// algorithm, and the seed as an octet string inside the private-key octet string.
private let ed25519PKCS8Prefix: [UInt8] = [
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]

/// SEC 1's ECPrivateKey as Go's `MarshalECPrivateKey` writes it: version 1, the scalar padded
/// to the curve's size, the curve's name and the public point.
private func sec1(_ scalar: some Collection<UInt8>, _ publicPoint: some Collection<UInt8>, _ curve: ASN1ObjectIdentifier) -> [UInt8] {
  var serializer = DER.Serializer()
  try? serializer.appendConstructedNode(identifier: .sequence) { coder in
    try coder.serialize(1)
    try coder.serialize(ASN1OctetString(contentBytes: ArraySlice(scalar)))
    try coder.serialize(explicitlyTaggedWithTagNumber: 0, tagClass: .contextSpecific) { try $0.serialize(curve) }
    try coder.serialize(explicitlyTaggedWithTagNumber: 1, tagClass: .contextSpecific) {
      try $0.serialize(ASN1BitString(bytes: ArraySlice(publicPoint)))
    }
  }
  return serializer.serializedBytes
}

/// PEM blocks as Go's encoding/pem writes and finds them.
enum PEM {
  /// `-----BEGIN TYPE-----`, the base64 in lines of 64, `-----END TYPE-----` and a newline.
  static func encode(type: String, _ der: [UInt8]) -> String {
    let text = Array(Base.base64.encode(der).utf8)
    var out = "-----BEGIN \(type)-----\n"
    for start in stride(from: 0, to: text.count, by: 64) {
      out += String(decoding: text[start..<min(start + 64, text.count)], as: UTF8.self) + "\n"
    }
    return out + "-----END \(type)-----\n"
  }

  /// The first well-formed block of `text` (text around it is skipped), or `nil`.
  static func decode(_ text: String) -> (type: String, bytes: [UInt8])? {
    var rest = Substring(text)
    while let begin = rest.range(of: "-----BEGIN ") {
      rest = rest[begin.upperBound...]
      guard let typeEnd = rest.range(of: "-----"), !rest[..<typeEnd.lowerBound].contains("\n") else { continue }
      let type = String(rest[..<typeEnd.lowerBound])
      let body = rest[typeEnd.upperBound...]
      guard let end = body.range(of: "-----END \(type)-----") else { continue }
      let base64 = body[..<end.lowerBound].filter { !$0.isWhitespace }
      if case .success(let bytes) = Base.base64.decode(String(base64)) { return (type, bytes) }
    }
    return nil
  }
}
