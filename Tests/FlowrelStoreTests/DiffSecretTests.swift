import Crypto
import FlowrelAge
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// Secrets in diffs: masked by digests keyed from the identity, compared by ciphertext without
/// one, shown only when asked; and the `.sops.yaml` rules read with Go's regular expressions.
@Suite struct DiffSecretTests {
  /// An identity whose scalar the test knows, so the digest can be computed here independently.
  static let scalar = (0..<32).map { UInt8($0 * 7 + 1) }
  static let identity = AgeIdentity.generate(random: { _ in scalar })

  /// The marker the design asks for, computed here with swift-crypto: HMAC-SHA-256 of the value
  /// under HKDF-SHA-256(identity scalar, info "flowrel diff digest v1"), first 8 hex digits.
  static func expectedMarker(_ value: String) -> String {
    let key = HKDF<SHA256>.deriveKey(
      inputKeyMaterial: SymmetricKey(data: scalar), info: Data("flowrel diff digest v1".utf8), outputByteCount: 32)
    let mac = HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: key)
    return "<secret " + mac.prefix(4).map { String(format: "%02x", $0) }.joined() + ">"
  }

  /// Records revisions 1 (password `first-Pa55`), 2 (the same) and 3 (`second-Pa55`).
  func threeRevisions(_ kind: StoreKind) async throws -> StoreUnderTest {
    let subject = try StoreUnderTest(kind, identity: Self.identity)
    _ = try await subject.store.record(Fixtures.revision(release: "web", password: "first-Pa55"))
    _ = try await subject.store.record(Fixtures.revision(release: "web", action: .upgrade, password: "first-Pa55"))
    _ = try await subject.store.record(Fixtures.revision(release: "web", action: .upgrade, password: "second-Pa55"))
    return subject
  }

  func revealed(_ store: any ReleaseStore, _ display: SecretDisplay, from: Int = 2, to: Int = 3) throws -> [ObjectChange] {
    let masking = try #require(try store.secretReader.masking(display))
    return try store.secretReader.revealing(
      store.diff(release: "web", namespace: "default", from: from, to: to), masking: masking)
  }

  func changedLines(_ patch: String) -> [String] {
    patch.split(separator: "\n").map(String.init).filter {
      ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---")
    }
  }

  @Test(arguments: StoreKind.allCases)
  func aChangedSecretShowsIdentityKeyedDigestsOfItsEntries(_ kind: StoreKind) async throws {
    let subject = try await threeRevisions(kind)
    let changes = try revealed(subject.store, .masked)
    #expect(changes.map { "\($0.kind.rawValue) \($0.identity)" } == ["changed Secret default/db"])
    let patch = try #require(changes.first?.patch)
    let url = { (password: String) in "postgres://app:\(password)@db:5432/app" }
    // `data` digests the decoded bytes, so the marker is the one of the password itself.
    #expect(changedLines(patch) == [
      "-  password: \(Self.expectedMarker("first-Pa55"))",
      "+  password: \(Self.expectedMarker("second-Pa55"))",
      "-  url: \(Self.expectedMarker(url("first-Pa55")))",
      "+  url: \(Self.expectedMarker(url("second-Pa55")))",
    ], "\(patch)")
    #expect(!patch.contains("ENC[") && !patch.contains("sops:"), "no ciphertext or sops block: \(patch)")
  }

  @Test(arguments: StoreKind.allCases)
  func equalValuesGiveEqualDigestsAcrossRevisionsAndAnotherIdentityOthers(_ kind: StoreKind) async throws {
    let subject = try await threeRevisions(kind)
    // Revision 1 to 3 and 2 to 3 show the same old digest: revision 1 and 2 hold the same value.
    let fromFirst = try #require(try revealed(subject.store, .masked, from: 1).first?.patch)
    let fromSecond = try #require(try revealed(subject.store, .masked, from: 2).first?.patch)
    #expect(changedLines(fromFirst) == changedLines(fromSecond))
    // The same revisions read by a holder of another identity too (both can decrypt): other digests.
    let other = AgeIdentity.generate()
    let both = subject.view(SecretSettings(
      recipients: [Self.identity.recipient], keyring: AgeKeyring(identities: [Self.identity, other].shuffled())))
    let theirs = try #require(try revealed(both, .masked).first?.patch)
    let first = [Self.identity, other].min { $0.recipient.description < $1.recipient.description }
    #expect((changedLines(theirs) == changedLines(fromSecond)) == (first?.recipient == Self.identity.recipient))
  }

  @Test(arguments: StoreKind.allCases)
  func withoutAnIdentityADiffSaysWhichEntriesChangedWithoutDigests(_ kind: StoreKind) async throws {
    let subject = try await threeRevisions(kind)
    let patch = try #require(try revealed(subject.keyless, .masked).first?.patch)
    #expect(changedLines(patch) == [
      "-  password: <secret>", "+  password: <secret, changed>", "-  url: <secret>", "+  url: <secret, changed>",
    ], "\(patch)")
    #expect(try revealed(subject.keyless, .masked, from: 1, to: 2).isEmpty)
  }

  @Test(arguments: StoreKind.allCases)
  func showSecretsDecryptsAndNeedsAnIdentity(_ kind: StoreKind) async throws {
    let subject = try await threeRevisions(kind)
    let patch = try #require(try revealed(subject.store, .shown).first?.patch)
    #expect(changedLines(patch).contains("+  url: postgres://app:second-Pa55@db:5432/app"), "\(patch)")
    #expect(changedLines(patch).contains("-  password: \(Data("first-Pa55".utf8).base64EncodedString())"))
    #expect(try subject.keyless.secretReader.masking(.shown) == nil)
  }

  @Test(arguments: StoreKind.allCases)
  func aSecretEncryptedAfreshWithTheSameValuesIsNoChange(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind, identity: Self.identity)
    _ = try await subject.store.record(Fixtures.revision(release: "web", password: "first-Pa55"))
    // Another recipient list: the Secret's file is encrypted afresh, its values unchanged.
    let wider = subject.view(SecretSettings(
      recipients: [Self.identity.recipient, AgeIdentity.generate().recipient], keyring: AgeKeyring(identities: [Self.identity])))
    _ = try await wider.record(Fixtures.revision(release: "web", action: .upgrade, password: "first-Pa55"))
    let stored = try subject.store.diff(release: "web", namespace: "default", from: 1, to: 2)
    #expect(stored.map(\.identity.kind) == ["Secret"], "the stored file changed")
    #expect(try revealed(subject.store, .masked, from: 1, to: 2).isEmpty)
  }

  @Test func plannedDiffsMaskWithTheSameDigests() throws {
    let old = try #require(Fixtures.revision(release: "web", password: "first-Pa55").manifests.last)
    let new = try #require(Fixtures.revision(release: "web", password: "second-Pa55").manifests.last)
    let reader = SecretReader(keyring: AgeKeyring(identities: [Self.identity]), legacyKey: nil)
    let changes = ObjectChange.planned(
      from: [old], to: [new], releaseNamespace: "default", masking: try #require(try reader.masking(.masked)))
    let patch = try #require(changes.first?.patch)
    #expect(changedLines(patch).contains("+  password: \(Self.expectedMarker("second-Pa55"))"), "\(patch)")
    #expect(!patch.contains("Pa55"))
  }

  @Test(arguments: StoreKind.allCases)
  func aRevisionReadWithoutAnIdentityMasksWhatIsStillEncrypted(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind, identity: Self.identity)
    _ = try await subject.store.record(Fixtures.revision(release: "web", password: "first-Pa55", notes: "db: first-Pa55"))
    let read = try subject.keyless.revision(release: "web", namespace: "default", number: nil)
    #expect(read.values["db"]?["password"]?.stringValue?.hasPrefix("ENC[") == true)
    let masked = read.maskingStillEncrypted()
    #expect(masked.values["db"]?["password"] == "<secret>")
    #expect(masked.values["setting"] == read.values["setting"])
    let secret = try #require(masked.manifests.first { $0.identity.kind == "Secret" })
    #expect(secret.content["stringData"]?["url"] == "<secret>")
    #expect(secret.content["type"] == "Opaque")
    #expect(masked.notes == "<secret>")
    // With the identity nothing is encrypted, so nothing changes.
    let clear = try subject.store.revision(release: "web", namespace: "default", number: nil)
    #expect(clear.maskingStillEncrypted().values == clear.values)
  }
}

/// `.sops.yaml`'s `path_regex` as sops reads it: Go's regular expressions (RE2).
@Suite struct SOPSConfigRegexTests {
  static let recipient = AgeIdentity.generate().recipient

  func config(_ pattern: String) throws(StoreError) -> SOPSConfig {
    try SOPSConfig(text: "creation_rules:\n  - path_regex: '\(pattern)'\n    age: \(Self.recipient)\n", file: ".sops.yaml")
  }

  @Test func perlSyntaxThatGoRefusesIsRefused() {
    // Lookahead and \Z exist in Swift's and Perl's regular expressions, not in Go's.
    for pattern in ["^(?!secret).*", "\\.yaml\\Z"] {
      #expect(throws: StoreError.self) { try config(pattern) }
    }
  }

  @Test func classesMeanWhatTheyMeanInGo() throws {
    // Go's \d is ASCII only; Swift's would match the Arabic-Indic digit three.
    let digits = try config("^releases/v\\d/")
    #expect(try digits.recipients(forPath: "releases/v3/web/manifests/secret-db.yaml") == [Self.recipient])
    #expect(throws: StoreError.self) { try digits.recipients(forPath: "releases/v\u{0663}/web/manifests/secret-db.yaml") }
    // Go's $ without (?m) is the end of the text only.
    let end = try config("\\.yaml$")
    #expect(throws: StoreError.self) { try end.recipients(forPath: "a.yaml\nb") }
  }
}
