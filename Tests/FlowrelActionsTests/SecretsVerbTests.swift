import FlowrelActions
import FlowrelAge
import Foundation
import KubeTestSupport
import Testing

/// `flowrel secrets rotate` and `flowrel secrets keygen`.
@Suite struct SecretsVerbTests {
  /// A release `web` in `namespace` whose revision 1 (status `recorded`) holds a Secret.
  func recordedRelease(_ store: MemoryReleaseStore, namespace: String) async throws {
    let secret = try Manifest(content: [
      "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": .string(namespace)],
      "stringData": ["password": "rotate-Pa55"],
    ])
    _ = try await store.record(NewRevision(
      release: "web", namespace: namespace, action: .install, status: .recorded, chart: ChartReference(name: "flow", version: "1.0.0"),
      values: ["password": "rotate-Pa55"], manifests: [secret], description: "Install complete"))
  }

  @Test func rotateRecordsTheLatestRevisionAgainWithoutTheCluster() async throws {
    let (old, new) = (AgeIdentity.generate(), AgeIdentity.generate())
    let store = MemoryReleaseStore(
      secrets: SecretSettings(recipients: [old.recipient], keyring: AgeKeyring(identities: [old])), flowrelVersion: "test")
    let kube = FakeKubeClient()
    try await recordedRelease(store, namespace: "search")
    let rotating = store.withSecrets(SecretSettings(recipients: [new.recipient], keyring: AgeKeyring(identities: [old, new])))
    var action = RotateSecrets(config: ActionConfiguration(releases: rotating, kube: kube, namespace: "search"))
    action.release = "web"
    let revision = try await action.run()
    #expect(revision.info.revision == 2)
    #expect(revision.info.action == .rotate)
    #expect(revision.info.status == .recorded)
    #expect(kube.calls.isEmpty)
    let newOnly = store.withSecrets(SecretSettings(keyring: AgeKeyring(identities: [new])))
    #expect(try newOnly.revision(release: "web", namespace: "search", number: 2).values["password"] == "rotate-Pa55")
    #expect(throws: StoreError.self) { try store.revision(release: "web", namespace: "search", number: 2) }
  }

  @Test func rotateWithoutAMatchingIdentityFailsAndWritesNothing() async throws {
    let owner = AgeIdentity.generate()
    let store = MemoryReleaseStore(
      secrets: SecretSettings(recipients: [owner.recipient], keyring: AgeKeyring(identities: [owner])), flowrelVersion: "test")
    try await recordedRelease(store, namespace: "search")
    let stranger = AgeIdentity.generate()
    for keyring in [AgeKeyring(identities: [stranger]), AgeKeyring(identities: [])] {
      let view = store.withSecrets(SecretSettings(recipients: [stranger.recipient], keyring: keyring))
      var action = RotateSecrets(config: ActionConfiguration(releases: view, kube: FakeKubeClient(), namespace: "search"))
      action.release = "web"
      let error = await actionError { _ = try await action.run() }
      #expect(error?.exitCode == 1 || error?.exitCode == 3)
      // The file that could not be opened, or the value still encrypted, is named.
      let message = error?.description ?? ""
      #expect(message.contains("search/web/values.yaml") || message.contains("manifests/secret-db.yaml"), "\(message)")
    }
    #expect(try store.history(release: "web", namespace: "search", max: nil).count == 1)
  }

  @Test func keygenWritesAnIdentityFileOnlyForItsOwnerAndNeverOverOne() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-keygen-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var action = GenerateAgeKey()
    action.output = folder + "/keys.txt"
    let key = try action.run()
    let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/keys.txt")
    #expect((attributes[.posixPermissions] as? Int) == 0o600)
    let identities = try AgeIdentity.parseFile(try String(contentsOfFile: folder + "/keys.txt", encoding: .utf8))
    #expect(identities.map(\.recipient.description) == [key.recipient])
    // The real age-keygen agrees on the recipient of the file.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/age-keygen")
    process.arguments = ["-y", folder + "/keys.txt"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(printed.trimmingCharacters(in: .whitespacesAndNewlines) == key.recipient)
    do {
      _ = try action.run()
      Issue.record("keygen overwrote a key file")
    } catch {
      #expect(error.description.contains("exists already"))
    }
    #expect(try AgeIdentity.parseFile(try String(contentsOfFile: folder + "/keys.txt", encoding: .utf8)).map(\.recipient.description)
            == [key.recipient])
  }
}
