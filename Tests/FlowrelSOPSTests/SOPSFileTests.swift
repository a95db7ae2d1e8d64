import FlowrelAge
import FlowrelSOPS
import FlowrelValue
import FlowrelYAML
import Foundation
import OrderedCollections
import Testing

let fixedTime = Date(timeIntervalSince1970: 1_731_418_422)  // 2024-11-12T13:33:42Z

@Suite struct SOPSFormatTests {
  @Test func flowrelFileIsDecryptedAndMACVerifiedByTheIndependentDecoder() throws {
    let key = try TestKey()
    defer { key.remove() }
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [key.ageRecipient()], now: fixedTime)
    #expect(try IndependentSOPS.decrypt(text, keyFile: key.keyFile) == secretManifest)
  }

  @Test func independentlyEncodedFileIsDecryptedByFlowrel() throws {
    let key = try TestKey()
    defer { key.remove() }
    let text = try IndependentSOPS.encrypt(
      secretManifest, recipient: key.recipient, encryptedRegex: "^(data|stringData)$", lastModified: "2024-11-12T13:33:42Z")
    #expect(try SOPSFile.decrypt(text: text, identities: key.identities()) == secretManifest)
  }

  @Test func readableFieldsStayReadableAndSelectedValuesAreEncrypted() throws {
    let identity = AgeIdentity.generate()
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [identity.recipient], now: fixedTime)
    let parsed = try YAML.parse(text)
    #expect(parsed["metadata"] == secretManifest["metadata"])
    #expect(parsed["kind"] == "Secret")
    #expect(parsed["stringData"]?["empty"] == "")
    #expect(parsed["stringData"]?["nothing"] == .null)
    for (path, type) in [("port", "int"), ("ratio", "float"), ("enabled", "bool"), ("username", "str")] {
      let value = try #require(parsed["stringData"]?[path]?.stringValue)
      #expect(value.hasPrefix("ENC[AES256_GCM,data:") && value.hasSuffix(",type:\(type)]"), "\(path): \(value)")
    }
    #expect(parsed["sops"]?["lastmodified"] == "2024-11-12T13:33:42Z")
    #expect(parsed["sops"]?["encrypted_regex"] == "^(data|stringData)$")
    #expect(parsed["sops"]?["version"] == "3.13.2")
    #expect(parsed["sops"]?.mapValue.map { Array($0.keys) } == ["age", "encrypted_regex", "lastmodified", "mac", "version"])
    #expect(text.contains("\n    lastmodified: \"2024-11-12T13:33:42Z\"\n"))
    #expect(text.contains("\n    mac: ENC[AES256_GCM,"))
  }

  @Test func roundTripsThroughFlowrel() throws {
    let identity = AgeIdentity.generate()
    for rule in [SOPSRule.kubernetesSecret, .encryptedRegex("^(password|port)$"), .unencryptedSuffix("_unencrypted")] {
      let text = try SOPSFile.encrypt(document: secretManifest, recipients: [identity.recipient], rule: rule)
      #expect(SOPSFile.isEncrypted(text))
      #expect(try SOPSFile.decrypt(text: text, identities: [identity]) == secretManifest, "\(rule)")
    }
    #expect(!SOPSFile.isEncrypted(YAML.emit(secretManifest)))
  }

  @Test func outputIsDeterministicWhenKeyIVsAndTimeAreGiven() throws {
    let recipient = AgeIdentity.generate().recipient
    func make() throws -> String {
      let seeded = SeededBytes(seed: 7)
      return try SOPSFile.encrypt(
        document: secretManifest, recipients: [recipient], now: fixedTime, dataKey: [UInt8](repeating: 9, count: 32)
      ) { seeded.next($0) }
    }
    #expect(try make() == make())
  }

  @Test func severalRecipientsEachDecrypt() throws {
    let identities = (0..<3).map { _ in AgeIdentity.generate() }
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: identities.map(\.recipient))
    #expect(try SOPSFile.recipients(of: text) == identities.map(\.recipient.description))
    for identity in identities {
      #expect(try SOPSFile.decrypt(text: text, identities: [identity]) == secretManifest)
    }
  }
}

@Suite struct SOPSTamperingTests {
  let owner = AgeIdentity.generate()

  func encrypted() throws -> String {
    try SOPSFile.encrypt(document: secretManifest, recipients: [owner.recipient], now: fixedTime)
  }

  /// The file with the value of `key` (under `stringData`) swapped for `replacement`.
  func replacing(_ text: String, line key: String, with replacement: (String) -> String) throws -> String {
    var lines = text.components(separatedBy: "\n")
    let index = try #require(lines.firstIndex { $0.hasPrefix("    \(key): ") })
    lines[index] = replacement(lines[index])
    return lines.joined(separator: "\n")
  }

  @Test func changedCiphertextNamesTheValue() throws {
    let text = try replacing(encrypted(), line: "username") { line in
      // Flip one base64 character of the data field.
      guard let marker = line.range(of: "data:") else { return line }
      let position = marker.upperBound
      let flipped = line[position] == "A" ? "B" : "A"
      return line.replacingCharacters(in: position...position, with: flipped)
    }
    #expect(throws: SOPSError.tamperedValue(path: "stringData.username")) { try SOPSFile.decrypt(text: text, identities: [owner]) }
  }

  @Test func ciphertextMovedToAnotherKeyFailsItsAdditionalData() throws {
    let original = try encrypted()
    let usernameLine = try #require(original.components(separatedBy: "\n").first { $0.hasPrefix("    username: ") })
    let moved = try replacing(original, line: "url") { _ in usernameLine.replacingOccurrences(of: "username:", with: "url:") }
    #expect(throws: SOPSError.tamperedValue(path: "stringData.url")) { try SOPSFile.decrypt(text: moved, identities: [owner]) }
  }

  @Test func changedReadableFieldBreaksTheMAC() throws {
    let text = try encrypted().replacingOccurrences(of: "name: db-credentials", with: "name: other")
    #expect(throws: SOPSError.macMismatch) { try SOPSFile.decrypt(text: text, identities: [owner]) }
  }

  @Test func removedValueBreaksTheMAC() throws {
    let text = try encrypted().components(separatedBy: "\n").filter { !$0.hasPrefix("    token: ") }.joined(separator: "\n")
    #expect(throws: SOPSError.macMismatch) { try SOPSFile.decrypt(text: text, identities: [owner]) }
  }

  @Test func changedLastModifiedFailsTheMACField() throws {
    let text = try encrypted().replacingOccurrences(of: "2024-11-12T13:33:42Z", with: "2024-11-12T13:33:43Z")
    #expect(throws: SOPSError.tamperedMAC) { try SOPSFile.decrypt(text: text, identities: [owner]) }
  }

  @Test func valueLeftInClearWhereTheRuleEncryptsIsRefused() throws {
    let text = try replacing(encrypted(), line: "username") { _ in "    username: admin" }
    #expect(throws: SOPSError.unencryptedValue(path: "stringData.username")) { try SOPSFile.decrypt(text: text, identities: [owner]) }
  }

  @Test func wrongIdentityListsTheRecipients() throws {
    let stranger = AgeIdentity.generate()
    let error = #expect(throws: SOPSError.self) { try SOPSFile.decrypt(text: try encrypted(), identities: [stranger]) }
    #expect(error == .noMatchingIdentity(recipients: [owner.recipient.description]))
    #expect(error?.description.contains(owner.recipient.description) == true)
    #expect(throws: SOPSError.noIdentities(recipients: [owner.recipient.description])) {
      try SOPSFile.decrypt(text: try encrypted(), identities: [])
    }
  }

  @Test func fileKeyedOnlyForPGPNamesTheKeyType() throws {
    let text = try encrypted().replacingOccurrences(of: "    age:\n", with: "    pgp:\n")
    #expect(throws: SOPSError.noAgeRecipients(keyTypes: ["pgp"])) { try SOPSFile.decrypt(text: text, identities: [owner]) }
  }

  @Test func plainYAMLIsNotEncrypted() {
    #expect(throws: SOPSError.notEncrypted) { try SOPSFile.decrypt(text: YAML.emit(secretManifest), identities: [owner]) }
  }

  @Test func badRegularExpressionIsRefused() {
    let error = #expect(throws: SOPSError.self) {
      try SOPSFile.encrypt(document: secretManifest, recipients: [owner.recipient], rule: .encryptedRegex("^(data"))
    }
    guard case .invalidRule? = error else { Issue.record("expected invalidRule, got \(String(describing: error))"); return }
  }
}

@Suite struct SOPSRotationTests {
  @Test func rewrappingKeepsValuesAndMovesAccessToTheNewRecipients() throws {
    let old = AgeIdentity.generate()
    let new = AgeIdentity.generate()
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [old.recipient], now: fixedTime)
    let rotated = try SOPSFile.rotate(text: text, identities: [old], to: [new.recipient], newDataKey: false)
    #expect(try SOPSFile.decrypt(text: rotated, identities: [new]) == secretManifest)
    #expect(throws: SOPSError.noMatchingIdentity(recipients: [new.recipient.description])) {
      try SOPSFile.decrypt(text: rotated, identities: [old])
    }
    // Same data key: every encrypted value and the MAC are unchanged.
    let before = try YAML.parse(text)
    let after = try YAML.parse(rotated)
    #expect(after["stringData"] == before["stringData"])
    #expect(after["sops"]?["mac"] == before["sops"]?["mac"])
  }

  @Test func newDataKeyReencryptsEveryValue() throws {
    let old = AgeIdentity.generate()
    let new = AgeIdentity.generate()
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [old.recipient], now: fixedTime)
    let rotated = try SOPSFile.rotate(text: text, identities: [old], to: [new.recipient, old.recipient], newDataKey: true)
    #expect(try SOPSFile.decrypt(text: rotated, identities: [new]) == secretManifest)
    #expect(try YAML.parse(rotated)["stringData"]?["username"] != YAML.parse(text)["stringData"]?["username"])
  }

  @Test func tamperedFileIsNotRotated() throws {
    let old = AgeIdentity.generate()
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [old.recipient], now: fixedTime)
      .replacingOccurrences(of: "name: db-credentials", with: "name: other")
    #expect(throws: SOPSError.macMismatch) {
      try SOPSFile.rotate(text: text, identities: [old], to: [AgeIdentity.generate().recipient], newDataKey: false)
    }
  }
}
