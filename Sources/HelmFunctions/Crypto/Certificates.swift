import Crypto
import Foundation
import GoTemplate
import OrderedCollections
import SwiftASN1
import X509
import _CryptoExtras

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// Sprig's certificate functions (crypto.md): a CA, a self-signed certificate, or one signed by
// a given CA, each with a new RSA 2048 key or a given PEM key; and `buildCustomCert`, which
// checks a base64 certificate and key. A certificate is a map of `Cert` and `Key` (PEM) that
// templates read as Sprig's struct (`$ca.Cert`); a map rather than Sprig's struct so that it
// is plain data (it can be recorded and read back).

extension Library {
  mutating func addCertificates() {
    addNondeterministic("genPrivateKey") { a in
      try a.expectCount(1)
      let type = try a.string(at: 0)
      guard let key = try SprigPrivateKey.generate(type: type) else { return .string("Unknown type \(type)") }
      return .string(key.pem())
    }
    addNondeterministic("genCA") { a in
      try a.expectCount(2)
      return try makeCertificate(request(a, ips: nil, at: 1), key: .newRSA, authority: nil)
    }
    addNondeterministic("genCAWithKey") { a in
      try a.expectCount(3)
      return try makeCertificate(request(a, ips: nil, at: 1), key: .pem(try a.string(at: 2)), authority: nil)
    }
    addNondeterministic("genSelfSignedCert") { a in
      try a.expectCount(4)
      return try makeCertificate(request(a, ips: 1, at: 3), key: .newRSA, authority: .selfSigned)
    }
    addNondeterministic("genSelfSignedCertWithKey") { a in
      try a.expectCount(5)
      return try makeCertificate(request(a, ips: 1, at: 3), key: .pem(try a.string(at: 4)), authority: .selfSigned)
    }
    addNondeterministic("genSignedCert") { a in
      try a.expectCount(5)
      return try makeCertificate(request(a, ips: 1, at: 3), key: .newRSA, authority: try certificate(a, at: 4))
    }
    addNondeterministic("genSignedCertWithKey") { a in
      try a.expectCount(6)
      return try makeCertificate(
        request(a, ips: 1, at: 3), key: .pem(try a.string(at: 5)), authority: try certificate(a, at: 4))
    }
    add("buildCustomCert", plain: { a in
      try a.expectCount(2)
      let certificateBytes: [UInt8], keyBytes: [UInt8]
      guard case .success(let decoded) = Base.base64.decode(try a.string(at: 0)) else {
        throw failure("unable to decode base64 certificate")
      }
      certificateBytes = decoded
      guard case .success(let decodedKey) = Base.base64.decode(try a.string(at: 1)) else {
        throw failure("unable to decode base64 private key")
      }
      keyBytes = decodedKey
      let certificateText = String(decoding: certificateBytes, as: UTF8.self), keyText = String(decoding: keyBytes, as: UTF8.self)
      _ = try parseCertificate(certificateText, what: "decodedCert.Bytes")
      _ = try parseKey(keyText, context: "error parsing private key")
      return certificateValue(certificate: certificateText, key: keyText)
    })
  }
}

/// What Sprig's certificate template takes from the arguments: the common name, IP addresses,
/// DNS names and days of validity.
private struct CertificateRequest {
  var commonName: String
  var ips: [[UInt8]]
  var dnsNames: [String]
  var days: Int64
}

/// Where the key comes from: a new RSA 2048 key, as Sprig makes, or the caller's PEM.
private enum KeySource {
  case newRSA
  case pem(String)
}

/// Who signs: the certificate's own key, or a CA given as a certificate map.
private enum Authority {
  case selfSigned
  case signedBy(cert: String, key: String)
}

/// The common name (argument 0), IPs and DNS names (arguments `ips` and `ips + 1`) and the
/// days (argument `daysAt`).
private func request(_ a: TemplateArguments, ips: Int?, at daysAt: Int) throws -> CertificateRequest {
  let commonName = try a.string(at: 0)
  var request = CertificateRequest(commonName: commonName, ips: [], dnsNames: [], days: 0)
  if let ips {
    request.ips = try strings(a, at: ips, what: "ip").map { text throws(HelmFunctionsError) in
      guard let address = parseIP(text) else { throw failure("error parsing ip: \(text)") }
      return address
    }
    request.dnsNames = try strings(a, at: ips + 1, what: "alternate dns name")
  }
  request.days = try a.int(at: daysAt)
  return request
}

/// The strings of list argument `index` (nil is no strings), each checked as Sprig checks it.
private func strings(_ a: TemplateArguments, at index: Int, what: String) throws -> [String] {
  if case .null = try a.argument(at: index) { return [] }
  return try a.list(at: index).map { element throws(HelmFunctionsError) in
    guard case .string(let text) = element else {
      let shown = GoFormat.sprint([element])
      throw failure(what == "ip" ? "error parsing ip: \(shown) is not a string" : "error processing \(what): \(shown) is not a string")
    }
    return text
  }
}

/// The CA argument: a certificate as these functions return it (a map with `Cert` and `Key`).
private func certificate(_ a: TemplateArguments, at index: Int) throws -> Authority {
  let value = try a.argument(at: index)
  let map: TemplateMap
  switch value {
  case .map(let m): map = m
  case .object(let object) where object.underlyingMap != nil: map = object.underlyingMap ?? TemplateMap([:] as OrderedDictionary<String, TemplateValue>)
  default: throw failure("wrong type for value; expected a certificate (a map of Cert and Key, as genCA returns); got \(value.goTypeName)")
  }
  guard case .string(let cert)? = map["Cert"], case .string(let key)? = map["Key"] else {
    throw failure("the certificate has no Cert and Key strings (pass what genCA or buildCustomCert returns)")
  }
  return .signedBy(cert: cert, key: key)
}

/// The `certificate` value: `Cert` and `Key`.
private func certificateValue(certificate: String, key: String) -> TemplateValue {
  .map(TemplateMap(["Cert": .string(certificate), "Key": .string(key)] as OrderedDictionary<String, TemplateValue>))
}

/// Reads a PEM key, its failure put after `context` as Sprig words it.
private func parseKey(_ text: String, context: String) throws(HelmFunctionsError) -> SprigPrivateKey {
  do throws(HelmFunctionsError) {
    return try SprigPrivateKey.parse(pem: text)
  } catch {
    throw failure("\(context): \(error.message)")
  }
}

/// Reads the first PEM block of `text` as an X.509 certificate, failing as Sprig words it.
private func parseCertificate(_ text: String, what: String) throws(HelmFunctionsError) -> Certificate {
  guard let block = PEM.decode(text) else { throw failure("unable to decode certificate") }
  do {
    return try Certificate(derEncoded: block.bytes)
  } catch {
    throw failure("error parsing certificate: \(what): x509: malformed certificate (\(error))")
  }
}

/// Makes the certificate Sprig's `getBaseCertTemplate` describes (serial below 2^128, the
/// common name as the subject, valid from now for `days` days, key usage key encipherment and
/// digital signature, extended key usage server and client auth, basic constraints); a CA
/// (`authority` nil) adds certificate signing and is self-signed, with a subject key id.
private func makeCertificate(_ request: CertificateRequest, key source: KeySource, authority: Authority?) throws -> TemplateValue {
  let key: SprigPrivateKey
  switch source {
  case .newRSA: key = .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048))
  case .pem(let text):
    key = try parseKey(text, context: "parsing private key")
  }
  let subject = DistinguishedName(request.commonName.isEmpty ? [] : [RelativeDistinguishedName(commonName(request.commonName))])

  // The signer: the certificate's own key and name, or the CA's.
  let issuerName: DistinguishedName, signer: (key: Certificate.PrivateKey, algorithm: Certificate.SignatureAlgorithm)
  var authorityKeyID: ArraySlice<UInt8>?
  switch authority {
  case nil, .selfSigned?:
    issuerName = subject
    signer = try key.signer()
  case .signedBy(let cert, let caKey)?:
    let ca = try parseCertificate(cert, what: "decodedSignerCert.Bytes")
    let caSigner = try parseKey(caKey, context: "error parsing private key")
    issuerName = ca.subject
    signer = try caSigner.signer()
    authorityKeyID = try ca.extensions.subjectKeyIdentifier?.keyIdentifier
  }
  // Go checks the signer before the certified key.
  if case .dsa = key { throw failure("error creating certificate: x509: unsupported public key type: *dsa.PublicKey") }
  let subjectKey = try key.signer().key

  let now = Date()
  // Go keeps whole seconds in certificates; a day is 24 hours of its duration arithmetic.
  let notBefore = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
  guard let seconds = Double(exactly: request.days).map({ $0 * 86400 }), abs(seconds) < 1e11 else {
    throw failure("\(request.days) days of validity is out of range")
  }
  let notAfter = notBefore.addingTimeInterval(seconds)

  // The extensions in the order Go's x509 writes them.
  let isCA = authority == nil
  var extensions: [Certificate.Extension] = [
    try Certificate.Extension(KeyUsage(digitalSignature: true, keyEncipherment: true, keyCertSign: isCA), critical: true),
    try Certificate.Extension(ExtendedKeyUsage([.serverAuth, .clientAuth]), critical: false),
    try Certificate.Extension(
      isCA ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : BasicConstraints.notCertificateAuthority, critical: true),
  ]
  if isCA { extensions.append(try Certificate.Extension(SubjectKeyIdentifier(hash: subjectKey.publicKey), critical: false)) }
  if let authorityKeyID {
    extensions.append(try Certificate.Extension(AuthorityKeyIdentifier(keyIdentifier: authorityKeyID), critical: false))
  }
  if !request.dnsNames.isEmpty || !request.ips.isEmpty {
    for name in request.dnsNames where !name.unicodeScalars.allSatisfy(\.isASCII) {
      throw failure("error creating certificate: x509: \(GoFormat.quote(name)) cannot be encoded as an IA5String")
    }
    let names = request.dnsNames.map { GeneralName.dnsName($0) } + request.ips.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: $0[...])) }
    // Go marks the names critical when the subject is empty (RFC 5280, 4.2.1.6).
    extensions.append(try Certificate.Extension(SubjectAlternativeNames(names), critical: request.commonName.isEmpty))
  }

  var serial = [UInt8](repeating: 0, count: 16)
  var generator = SystemRandomNumberGenerator()
  for i in serial.indices { serial[i] = UInt8.random(in: 0...255, using: &generator) }

  let certificate = try Certificate(
    version: .v3, serialNumber: Certificate.SerialNumber(bytes: serial), publicKey: subjectKey.publicKey,
    notValidBefore: notBefore, notValidAfter: notAfter, issuer: issuerName, subject: subject,
    signatureAlgorithm: signer.algorithm, extensions: try Certificate.Extensions(extensions), issuerPrivateKey: signer.key)
  var serializer = DER.Serializer()
  try serializer.serialize(certificate)
  return certificateValue(certificate: PEM.encode(type: "CERTIFICATE", serializer.serializedBytes), key: key.pem())
}

/// An IP address as Go's `net.ParseIP` reads it and x509 writes it: 4 bytes for IPv4 (also
/// when written as IPv4-mapped IPv6), 16 for IPv6; `nil` when it is not an address.
private func parseIP(_ text: String) -> [UInt8]? {
  var v4 = in_addr()
  if inet_pton(AF_INET, text, &v4) == 1 {
    return withUnsafeBytes(of: &v4) { Array($0) }
  }
  var v6 = in6_addr()
  guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
  let bytes = withUnsafeBytes(of: &v6) { Array($0) }
  if bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff] { return Array(bytes.suffix(4)) }
  return bytes
}

/// The common name as Go's pkix encodes it: a PrintableString when it can be one, else UTF-8.
private func commonName(_ name: String) -> RelativeDistinguishedName.Attribute {
  (try? RelativeDistinguishedName.Attribute(type: .RDNAttributeType.commonName, printableString: name))
    ?? RelativeDistinguishedName.Attribute(type: .RDNAttributeType.commonName, utf8String: name)
}
