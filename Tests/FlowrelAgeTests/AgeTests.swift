import FlowrelAge
import Foundation
import Testing

/// A key pair made by the real `age-keygen`, kept in a temporary directory.
struct KeygenKey {
  let directory: URL
  let keyFile: String
  let recipient: String
  let text: String

  init() throws {
    directory = try Tool.temporaryDirectory()
    keyFile = directory.appendingPathComponent("key.txt").path
    try Tool.run("age-keygen", ["-o", keyFile])
    text = try String(contentsOfFile: keyFile, encoding: .utf8)
    recipient = String(decoding: try Tool.run("age-keygen", ["-y", keyFile]), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func identities() throws -> [AgeIdentity] { try AgeIdentity.parseFile(text) }
  func ageRecipient() throws -> AgeRecipient { try AgeRecipient(parsing: recipient) }
  func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// Plaintexts around the 64 KiB chunk size, where the STREAM framing has its edge cases.
let plaintextSizes = [0, 1, 100, 65_535, 65_536, 65_537, 2 * 65_536, 200_000]

func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) } }

@Suite struct AgeKeyTests {
  @Test func identityFromAgeKeygenYieldsTheRecipientAgeKeygenPrints() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    let identities = try key.identities()
    #expect(identities.count == 1)
    #expect(identities[0].recipient.description == key.recipient)
    #expect(try key.ageRecipient().description == key.recipient)
  }

  @Test func generatedIdentityIsReadByAgeKeygen() throws {
    let directory = try Tool.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let identity = AgeIdentity.generate()
    let file = directory.appendingPathComponent("key.txt")
    try identity.fileText(created: Date(timeIntervalSince1970: 1_700_000_000)).write(to: file, atomically: true, encoding: .utf8)
    let printed = String(decoding: try Tool.run("age-keygen", ["-y", file.path]), as: UTF8.self)
    #expect(printed.trimmingCharacters(in: .whitespacesAndNewlines) == identity.recipient.description)
    #expect(try AgeIdentity(parsing: identity.encoded).recipient == identity.recipient)
  }

  @Test func identityFileSkipsCommentsAndBlankLines() throws {
    let a = AgeIdentity.generate()
    let b = AgeIdentity.generate()
    let text = "# first\n\n\(a.encoded)\n   \n# second key\n\(b.encoded)\n"
    #expect(try AgeIdentity.parseFile(text).map(\.recipient) == [a.recipient, b.recipient])
  }

  @Test func identityFileWithAStrayLineIsRefused() throws {
    let text = "# keys\n\(AgeIdentity.generate().encoded)\nnot a key\n"
    #expect(throws: AgeError.invalidIdentityFile("line 3 is neither a comment nor an AGE-SECRET-KEY-1... identity")) {
      try AgeIdentity.parseFile(text)
    }
    #expect(throws: AgeError.invalidIdentityFile("it holds no AGE-SECRET-KEY-1... line")) {
      try AgeIdentity.parseFile("# only a comment\n")
    }
  }

  @Test func recipientWithAChangedCharacterFailsTheChecksum() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    var characters = Array(key.recipient)
    let position = characters.count - 10
    characters[position] = characters[position] == "q" ? "p" : "q"
    let mistyped = String(characters)
    #expect(throws: AgeError.badChecksum("recipient \(mistyped)")) { try AgeRecipient(parsing: mistyped) }
  }

  @Test func identityWithAChangedCharacterFailsTheChecksumWithoutEchoingTheKey() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    let lines = key.text.split(separator: "\n").map(String.init)
    let secretLine = try #require(lines.firstIndex { $0.hasPrefix("AGE-SECRET-KEY-1") })
    var characters = Array(lines[secretLine])
    characters[20] = characters[20] == "Q" ? "P" : "Q"
    var edited = lines
    edited[secretLine] = String(characters)
    let error = #expect(throws: AgeError.self) { try AgeIdentity.parseFile(edited.joined(separator: "\n")) }
    #expect(error == .badChecksum("the identity on line \(secretLine + 1) of the identity file"))
    #expect(error?.description.contains(String(characters)) == false)
  }

  @Test func postQuantumAndSSHKeysAreRefusedWithAMessage() {
    let pq = #expect(throws: AgeError.self) { try AgeRecipient(parsing: "age1pq1" + String(repeating: "q", count: 60)) }
    #expect(pq?.description.contains("post-quantum") == true)
    let ssh = #expect(throws: AgeError.self) { try AgeRecipient(parsing: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx user@host") }
    #expect(ssh?.description.contains("SSH") == true)
    let pqIdentity = #expect(throws: AgeError.self) { try AgeIdentity(parsing: "AGE-SECRET-KEY-PQ-1" + String(repeating: "Q", count: 60)) }
    #expect(pqIdentity?.description.contains("post-quantum") == true)
  }
}

@Suite struct AgeInteropTests {
  @Test(arguments: [false, true])
  func flowrelEncryptsAndAgeDecrypts(armor: Bool) throws {
    let key = try KeygenKey()
    defer { key.remove() }
    for size in plaintextSizes {
      let plaintext = pattern(size)
      let file = try Age.encrypt(plaintext, to: [key.ageRecipient()], armor: armor)
      #expect(Age.isArmored(file) == armor)
      let decrypted = try Tool.run("age", ["-d", "-i", key.keyFile], input: file)
      #expect(decrypted == plaintext, "size \(size)")
    }
  }

  @Test(arguments: [false, true])
  func ageEncryptsAndFlowrelDecrypts(armor: Bool) throws {
    let key = try KeygenKey()
    defer { key.remove() }
    for size in plaintextSizes {
      let plaintext = pattern(size)
      let file = try Tool.run("age", (armor ? ["-a"] : []) + ["-e", "-r", key.recipient], input: plaintext)
      #expect(Age.isArmored(file) == armor)
      #expect(try Age.decrypt(file, identities: key.identities()) == plaintext, "size \(size)")
    }
  }

  @Test func flowrelEncryptsToSeveralRecipientsAndEachDecryptsWithAge() throws {
    let keys = try (0..<3).map { _ in try KeygenKey() }
    defer { keys.forEach { $0.remove() } }
    let plaintext = pattern(70_000)
    let file = try Age.encrypt(plaintext, to: keys.map { try $0.ageRecipient() })
    for key in keys {
      #expect(try Tool.run("age", ["-d", "-i", key.keyFile], input: file) == plaintext)
    }
  }

  @Test func ageEncryptsToSeveralRecipientsAndFlowrelDecryptsWithAnyOne() throws {
    let keys = try (0..<3).map { _ in try KeygenKey() }
    defer { keys.forEach { $0.remove() } }
    let plaintext = pattern(1000)
    let file = try Tool.run("age", ["-e"] + keys.flatMap { ["-r", $0.recipient] }, input: plaintext)
    for key in keys {
      #expect(try Age.decrypt(file, identities: key.identities()) == plaintext)
    }
  }

  @Test func wrongIdentityIsNamedAsSuch() throws {
    let owner = try KeygenKey()
    let stranger = try KeygenKey()
    defer { owner.remove(); stranger.remove() }
    let file = try Tool.run("age", ["-e", "-r", owner.recipient], input: pattern(10))
    #expect(throws: AgeError.noMatchingIdentity) { try Age.decrypt(file, identities: stranger.identities()) }
    #expect(AgeError.noMatchingIdentity.description.hasPrefix("no identity matches any recipient of this file"))
  }

  @Test func truncatedFilesAreReportedAsTruncated() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    let identities = try key.identities()
    let file = try Tool.run("age", ["-e", "-r", key.recipient], input: pattern(2 * 65_536 + 10))
    let headerEnd = try #require(headerLength(file))
    let cuts = [
      ("inside the header", 30),
      ("after the header, before the nonce", headerEnd),
      ("inside the nonce", headerEnd + 8),
      ("after the nonce", headerEnd + 16),
      ("after one full chunk", headerEnd + 16 + 65_536 + 16),
      ("after two full chunks", headerEnd + 16 + 2 * (65_536 + 16)),
    ]
    for (name, length) in cuts {
      let error = #expect(throws: AgeError.self, "cut \(name)") { try Age.decrypt(Array(file.prefix(length)), identities: identities) }
      guard case .truncated? = error else {
        Issue.record("cut \(name): expected a truncation error, got \(String(describing: error))")
        continue
      }
    }
  }

  @Test func armoredFileWithoutItsEndLineIsTruncated() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    let file = try Tool.run("age", ["-a", "-e", "-r", key.recipient], input: pattern(10))
    let text = String(decoding: file, as: UTF8.self)
    let cut = text.components(separatedBy: "-----END").first ?? ""
    let error = #expect(throws: AgeError.self) { try Age.decrypt(Array(cut.utf8), identities: key.identities()) }
    guard case .truncated? = error else { Issue.record("expected truncated, got \(String(describing: error))"); return }
  }

  @Test func armorWithShortInnerLinesIsRefused() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    let file = try Tool.run("age", ["-a", "-e", "-r", key.recipient], input: pattern(100))
    var lines = String(decoding: file, as: UTF8.self).components(separatedBy: "\n")
    // Split the first data line in two: valid base64 overall, but not age's 64-column armor.
    let first = lines[1]
    lines.replaceSubrange(1...1, with: [String(first.prefix(32)), String(first.dropFirst(32))])
    let error = #expect(throws: AgeError.self) { try Age.decrypt(Array(lines.joined(separator: "\n").utf8), identities: key.identities()) }
    guard case .malformedArmor? = error else { Issue.record("expected malformedArmor, got \(String(describing: error))"); return }
  }

  @Test func tamperedHeaderFailsTheHeaderMAC() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    let file = try Tool.run("age", ["-e", "-r", key.recipient], input: pattern(10))
    // An extra stanza that decryption skips, but that the MAC covers.
    let insertAt = try #require(macLineStart(file))
    let tampered = Array(file[..<insertAt]) + Array("-> grease\n\n".utf8) + Array(file[insertAt...])
    #expect(throws: AgeError.tamperedHeader) { try Age.decrypt(tampered, identities: key.identities()) }
  }

  @Test func tamperedPayloadFailsAuthentication() throws {
    let key = try KeygenKey()
    defer { key.remove() }
    let file = try Tool.run("age", ["-e", "-r", key.recipient], input: pattern(100_000))
    let headerEnd = try #require(headerLength(file))
    for offset in [headerEnd + 16 + 5, file.count - 3] {
      var tampered = file
      tampered[offset] ^= 0x01
      #expect(throws: AgeError.tamperedPayload) { try Age.decrypt(tampered, identities: key.identities()) }
    }
  }

  @Test func passphraseAndSSHStanzasAreRefusedWithAMessage() throws {
    let identity = AgeIdentity.generate()
    let mac = String(repeating: "A", count: 43)
    for (stanza, expected) in [
      ("-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\n" + String(repeating: "A", count: 43) + "\n", "passphrase"),
      ("-> ssh-ed25519 dGFn " + String(repeating: "A", count: 43) + "\n" + String(repeating: "A", count: 43) + "\n", "SSH"),
    ] {
      let file = Array("age-encryption.org/v1\n\(stanza)--- \(mac)\n".utf8) + [UInt8](repeating: 0, count: 40)
      let error = #expect(throws: AgeError.self) { try Age.decrypt(file, identities: [identity]) }
      #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
    }
  }

  @Test func encryptingToNoRecipientIsRefused() {
    #expect(throws: AgeError.noRecipients) { try Age.encrypt([1, 2, 3], to: []) }
  }

  @Test func encryptionIsDeterministicForAGivenRandomSource() throws {
    let recipient = AgeIdentity.generate().recipient
    func make() throws -> [UInt8] {
      var seeded = SeededBytes(seed: 42)
      return try Age.encrypt(pattern(100), to: [recipient], armor: true) { seeded.next($0) }
    }
    #expect(try make() == make())
  }

  /// The length of the header (through the MAC line's newline).
  private func headerLength(_ file: [UInt8]) -> Int? {
    guard let start = macLineStart(file), let newline = file[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
    return newline + 1
  }

  private func macLineStart(_ file: [UInt8]) -> Int? {
    let marker = Array("\n--- ".utf8)
    guard let index = (0..<(file.count - marker.count)).first(where: { file[$0..<($0 + marker.count)].elementsEqual(marker) }) else {
      return nil
    }
    return index + 1
  }
}
