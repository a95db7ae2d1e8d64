import FlowrelAge
import FlowrelStore
import FlowrelValue
import FlowrelYAML
import Foundation
import StoreFixtures
import Testing

/// The values templates drew (`RenderOutput.draws`) as the store keeps them: `draws.sops.yaml`
/// beside the values, encrypted like the secrets, read back with the revision.
@Suite struct DrawStoreTests {
  /// A document as the template library writes it: a password drawn with `randAlphaNum` and
  /// a `bcrypt` of a password given as its argument.
  static let draws: Value = [
    "draws": [
      [
        "template": "app/templates/secret.yaml", "function": "randAlphaNum", "occurrence": 0, "arguments": [16],
        "value": "drawnPa55wordXyz",
      ],
      [
        "template": "app/templates/secret.yaml", "function": "bcrypt", "occurrence": 0, "arguments": ["argPa55word"],
        "value": "$2a$10$hashOfTheArgument",
      ],
    ],
  ]

  /// The secret store tests' repository and store: draws are kept as its secrets are.
  func repository(_ scratch: Scratch) throws -> String { try SecretStoreTests().repository(scratch) }
  func store(_ repo: String, _ secrets: SecretSettings) -> GitReleaseStore { SecretStoreTests().store(repo, secrets) }

  func revision(draws: Value?) -> NewRevision {
    var revision = Fixtures.revision(release: "web")
    revision.draws = draws
    return revision
  }

  @Test func drawsAreASOPSFileThatSopsOpensAndNoValueOrArgumentIsInTheRepository() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let identity = AgeIdentity.generate()
    let recorded = try await store(repo, secretSettings(identity)).record(revision(draws: Self.draws))
    #expect(recorded.draws == Self.draws)
    let text = try String(contentsOfFile: repo + "/releases/default/web/draws.sops.yaml", encoding: .utf8)
    let stored = try YAML.parse(text)
    let first = stored["draws"]?.listValue?.first
    // Where a value was drawn stays readable; the value and the arguments are encrypted.
    #expect(first?["template"] == "app/templates/secret.yaml")
    #expect(first?["function"] == "randAlphaNum")
    #expect(first?["value"]?.stringValue?.hasPrefix("ENC[AES256_GCM,data:") == true)
    #expect(first?["arguments"]?.listValue?.first?.stringValue?.hasPrefix("ENC[AES256_GCM,data:") == true)
    #expect(stored["sops"]?["encrypted_regex"] == "^(arguments|value)$")
    // Nowhere in the repository's history: every object git has, uncompressed.
    let objects = try git(["rev-list", "--all", "--objects"], in: repo).split(separator: "\n").map { String($0.prefix(40)) }
    for object in objects {
      let content = try git(["cat-file", "-p", object], in: repo)
      #expect(!content.contains("drawnPa55wordXyz") && !content.contains("argPa55word") && !content.contains("hashOfTheArgument"))
    }
    // The real sops decrypts the file with the identity.
    let keyFile = try scratch.write("keys.txt", Array(identity.fileText(created: fixedTime).utf8))
    let sops = try run(
      "/usr/bin/env", ["sops", "--decrypt", "--input-type", "yaml", "--output-type", "yaml", repo + "/releases/default/web/draws.sops.yaml"],
      environment: ["SOPS_AGE_KEY_FILE": keyFile])
    #expect(sops.status == 0, "sops failed: \(sops.errorText)")
    #expect(try YAML.parse(sops.output) == Self.draws)
    // Read back: decrypted with the identity, still encrypted without one.
    #expect(try store(repo, secretSettings(identity)).revision(release: "web", namespace: "default", number: 1).draws == Self.draws)
    let locked = try store(repo, SecretSettings()).revision(release: "web", namespace: "default", number: 1).draws
    #expect(locked?["draws"]?.listValue?.first?["value"]?.stringValue?.hasPrefix("ENC[") == true)
  }

  @Test func unchangedDrawsKeepTheirBytesAndARevisionWithoutDrawsHasNoFile() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let identity = AgeIdentity.generate()
    let releases = store(repo, secretSettings(identity))
    _ = try await releases.record(revision(draws: Self.draws))
    let first = try Data(contentsOf: URL(fileURLWithPath: repo + "/releases/default/web/draws.sops.yaml"))
    var upgrade = revision(draws: Self.draws)
    upgrade.action = .upgrade
    _ = try await releases.record(upgrade)
    // A re-render that drew nothing new leaves the file as it was: no diff in review.
    #expect(try Data(contentsOf: URL(fileURLWithPath: repo + "/releases/default/web/draws.sops.yaml")) == first)
    var without = revision(draws: nil)
    without.action = .upgrade
    _ = try await releases.record(without)
    #expect(!FileManager.default.fileExists(atPath: repo + "/releases/default/web/draws.sops.yaml"))
    #expect(try releases.revision(release: "web", namespace: "default", number: 3).draws == nil)
  }

  @Test func drawsWithoutARecipientAreRefusedAsSecretsAreAndNothingIsWritten() async throws {
    let store = MemoryReleaseStore(flowrelVersion: "test")
    do {
      _ = try await store.record(revision(draws: Self.draws))
      Issue.record("recorded drawn values without a recipient")
    } catch let error as StoreError {
      #expect("\(error)".contains("values the templates drew"), "\(error)")
      #expect("\(error)".contains("--age"))
    }
    #expect(try store.releases(namespace: nil).isEmpty)
  }

  @Test func drawsReadWithoutAnIdentityAreNotRecordedAgain() async throws {
    let identity = AgeIdentity.generate()
    let store = MemoryReleaseStore(secrets: secretSettings(identity), flowrelVersion: "test")
    _ = try await store.record(revision(draws: Self.draws))
    let blind = store.withSecrets(SecretSettings(recipients: [identity.recipient]))
    let read = try blind.revision(release: "web", namespace: "default", number: 1)
    let draws = try #require(read.draws)
    #expect(throws: StoreError.self) { try SecretProtection.requireDecrypted(draws: draws) }
    var again = revision(draws: draws)
    again.action = .upgrade
    await #expect(throws: StoreError.self) { _ = try await blind.record(again) }
    #expect(try store.history(release: "web", namespace: "default", max: nil).count == 1)
  }
}
