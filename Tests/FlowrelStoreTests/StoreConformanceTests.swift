import FlowrelAge
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// The behaviour every `ReleaseStore` shares, run against the in-memory and the git store.
@Suite struct StoreConformanceTests {
  @Test(arguments: StoreKind.allCases)
  func recordedRevisionReadsBackAsGiven(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind)
    let input = Fixtures.revision(release: "web", notes: "Gateway on port 8080.\n")
    let recorded = try await subject.store.record(input)
    #expect(recorded.info.revision == 1)
    let read = try subject.store.revision(release: "web", namespace: "default", number: nil)
    #expect(read == recorded)
    #expect(read.values == input.values)
    #expect(read.manifests == input.manifests.sortedForInstall())
    #expect(read.notes == "Gateway on port 8080.\n")
    #expect(read.info.chart == ChartReference(name: "flow", version: "1.2.0", appVersion: "3.20.0"))
    #expect(read.info.time == fixedTime)
    #expect(read.info.flowrelVersion == "test")
    #expect(read.info.valuesDigest.hasPrefix("sha256:") && read.info.valuesDigest.count == 71)
  }

  @Test(arguments: StoreKind.allCases)
  func aReaderOpenedOnceAnswersAsTheStoreDoes(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind)
    let store = subject.store
    // Before anything is recorded (the git store has no repository yet).
    let empty = try store.reader()
    #expect(throws: StoreError.releaseNotFound(name: "web", namespace: "default")) {
      try empty.history(release: "web", namespace: "default", max: nil)
    }
    #expect(try empty.syncRecords(release: "web", namespace: "default").isEmpty)
    _ = try await store.record(Fixtures.revision(release: "web"))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    _ = try await store.record(Fixtures.revision(release: "api"))
    let synced = SyncRecord(release: "web", namespace: "default", revision: 1, time: fixedTime, context: "prod", result: "deployed")
    try store.recordSync(synced)
    try store.recordSync(SyncRecord(release: "api", namespace: "default", revision: 1, time: fixedTime, context: "prod", result: "failed"))
    let reader = try store.reader()
    #expect(try reader.history(release: "web", namespace: "default", max: nil).map(\.revision) == [1, 2])
    #expect(try reader.history(release: "web", namespace: "default", max: nil) == store.history(release: "web", namespace: "default", max: nil))
    #expect(try reader.revision(release: "web", namespace: "default", number: 1) == store.revision(release: "web", namespace: "default", number: 1))
    #expect(try reader.revision(release: "web", namespace: "default", number: nil).info.revision == 2)
    #expect(try reader.syncRecords(release: "web", namespace: "default") == [synced])
    #expect(try reader.syncRecords(release: "web", namespace: "default") == store.syncRecords(release: "web", namespace: "default"))
  }

  @Test(arguments: StoreKind.allCases)
  func historyIsOrderedAndDerivesSuperseded(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    _ = try await store.record(Fixtures.revision(release: "web"))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, status: .failed, replicas: 3))
    _ = try await store.record(Fixtures.revision(release: "web", action: .rollback, status: .recorded, replicas: 2))
    let history = try store.history(release: "web", namespace: "default", max: nil)
    #expect(history.map(\.revision) == [1, 2, 3, 4])
    #expect(history.map(\.status) == [.superseded, .superseded, .failed, .recorded])
    #expect(history.map(\.action) == [.install, .upgrade, .upgrade, .rollback])
    #expect(history.map(\.description) == ["Install complete", "Upgrade complete", "Upgrade complete", "Rollback complete"])
    #expect(try store.history(release: "web", namespace: "default", max: 2).map(\.revision) == [3, 4])
  }

  @Test(arguments: StoreKind.allCases)
  func revisionsReadAtAnyNumber(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    for replicas in 1...3 {
      _ = try await store.record(Fixtures.revision(release: "web", action: replicas == 1 ? .install : .upgrade, replicas: Int64(replicas)))
    }
    for number in 1...3 {
      let revision = try store.revision(release: "web", namespace: "default", number: number)
      #expect(revision.info.revision == number)
      #expect(revision.values["replicas"] == .int(Int64(number)))
    }
    #expect(throws: StoreError.revisionNotFound(name: "web", namespace: "default", revision: 9)) {
      try store.revision(release: "web", namespace: "default", number: 9)
    }
    #expect(throws: StoreError.releaseNotFound(name: "api", namespace: "default")) {
      try store.history(release: "api", namespace: "default", max: nil)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func uninstallRemovesTheReleaseAndNumbersContinue(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    _ = try await store.record(Fixtures.revision(release: "web"))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    let uninstall = try await store.recordUninstall(release: "web", namespace: "default", description: "Uninstall complete")
    #expect(uninstall.revision == 3)
    #expect(try store.releases(namespace: nil).isEmpty)
    #expect(throws: StoreError.releaseNotFound(name: "web", namespace: "default")) {
      try store.revision(release: "web", namespace: "default", number: nil)
    }
    #expect(try store.revision(release: "web", namespace: "default", number: 2).values["replicas"] == 2)
    let again = try await store.record(Fixtures.revision(release: "web"))
    #expect(again.info.revision == 4)
    let history = try store.history(release: "web", namespace: "default", max: nil)
    #expect(history.map(\.status) == [.superseded, .superseded, .uninstalled, .deployed])
    await #expect(throws: StoreError.releaseNotFound(name: "api", namespace: "default")) {
      try await store.recordUninstall(release: "api", namespace: "default", description: "x")
    }
  }

  @Test(arguments: StoreKind.allCases)
  func listsReleasesOfOneOrAllNamespaces(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    _ = try await store.record(Fixtures.revision(release: "web", namespace: "prod"))
    _ = try await store.record(Fixtures.revision(release: "api", namespace: "prod"))
    _ = try await store.record(Fixtures.revision(release: "web", namespace: "dev"))
    _ = try await store.record(Fixtures.revision(release: "web", namespace: "dev", action: .upgrade, replicas: 4))
    let all = try store.releases(namespace: nil)
    #expect(all.map { "\($0.namespace)/\($0.release)@\($0.revision)" } == ["dev/web@2", "prod/api@1", "prod/web@1"])
    #expect(try store.releases(namespace: "prod").map(\.release) == ["api", "web"])
    #expect(try store.releases(namespace: "staging").isEmpty)
  }

  @Test(arguments: StoreKind.allCases)
  func diffNamesAddedChangedAndRemovedObjects(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    _ = try await store.record(Fixtures.revision(release: "web", executors: 3))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 1, executors: 3))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2, executors: 2))
    #expect(try store.diff(release: "web", namespace: "default", from: 1, to: 2).isEmpty)
    let changes = try store.diff(release: "web", namespace: "default", from: 2, to: 3)
    #expect(changes.map { "\($0.kind.rawValue) \($0.identity)" } == [
      "changed ConfigMap default/flow-config", "changed Deployment default/executor0",
      "changed Deployment default/executor1", "removed Deployment default/executor2",
    ])
    let executor = try #require(changes.first { $0.identity.name == "executor0" })
    #expect(executor.file == "manifests/deployment-executor0.yaml")
    #expect(executor.patch.contains("-  replicas: 1\n+  replicas: 2\n"))
    #expect(executor.patch.hasPrefix("--- a/manifests/deployment-executor0.yaml\n+++ b/manifests/deployment-executor0.yaml\n@@ "))
    let back = try store.diff(release: "web", namespace: "default", from: 3, to: 1)
    #expect(back.first { $0.identity.name == "executor2" }?.kind == .added)
  }

  @Test(arguments: StoreKind.allCases)
  func badNamesAndDuplicateObjectsAreRefused(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    await #expect(throws: StoreError.self) { try await store.record(Fixtures.revision(release: "../etc")) }
    await #expect(throws: StoreError.self) { try await store.record(Fixtures.revision(release: "Web")) }
    var twice = Fixtures.revision(release: "web")
    twice.manifests.append(twice.manifests[0])
    await #expect(throws: StoreError.duplicateObject("Deployment default/gateway")) { try await store.record(twice) }
    #expect(try store.releases(namespace: nil).isEmpty)
  }

  @Test(arguments: StoreKind.allCases)
  func oneLockHoldsAReadAndSeveralRecords(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    _ = try await store.record(Fixtures.revision(release: "web"))
    // As `upgrade --atomic` does: read, record the failed upgrade, restore the previous revision.
    let numbers = try await store.withWriteLock { writer in
      let previous = try store.revision(release: "web", namespace: "default", number: nil)
      let failed = try writer.record(Fixtures.revision(release: "web", action: .upgrade, status: .failed, replicas: 3))
      var restore = Fixtures.revision(release: "web", action: .rollback)
      restore.values = previous.values
      restore.manifests = previous.manifests
      return [failed.info.revision, try writer.record(restore).info.revision]
    }
    #expect(numbers == [2, 3])
    #expect(try store.history(release: "web", namespace: "default", max: nil).map(\.status) == [.superseded, .failed, .deployed])
    await #expect(throws: StoreError.invalidRevision("an uninstall is recorded with recordUninstall, and superseded is derived, never stored")) {
      try await store.record(Fixtures.revision(release: "web", status: .superseded))
    }
  }

  // MARK: Secrets

  @Test(arguments: StoreKind.allCases)
  func secretsWithoutARecipientAreRefused(_ kind: StoreKind) async throws {
    let store = try StoreUnderTest(kind).store
    do {
      _ = try await store.record(Fixtures.revision(release: "web", password: "s3cret-Pa55"))
      Issue.record("recorded secrets without a recipient")
    } catch let error as StoreError {
      guard case .recipientsRequired(let release, let secrets) = error else { throw error }
      #expect(release == "web")
      #expect(secrets == ["Secret db", "values db.password"])
      #expect(error.description.contains("--age") && error.description.contains(".sops.yaml"))
    }
    // A value the chart marks secret needs a recipient too, even when no Secret uses it.
    await #expect(throws: StoreError.recipientsRequired(release: "web", secrets: ["values image"])) {
      try await store.record(Fixtures.revision(release: "web", secretPaths: [ValuePath([.key("image")])]))
    }
    #expect(try store.releases(namespace: nil).isEmpty)
    // References to existing Secrets (secretKeyRef) are plain values.
    #expect(try await store.record(Fixtures.revision(release: "web")).info.revision == 1)
  }

  @Test(arguments: StoreKind.allCases)
  func secretsAreEncryptedAndComeBackWithTheIdentity(_ kind: StoreKind) async throws {
    let identity = AgeIdentity.generate()
    let subject = try StoreUnderTest(kind, identity: identity)
    let input = Fixtures.revision(release: "web", password: "s3cret-Pa55", secretPaths: [ValuePath([.key("image")])])
    let recorded = try await subject.store.record(input)
    #expect(recorded.values == input.values)
    #expect(recorded.manifests == input.manifests.sortedForInstall())
    let read = try subject.store.revision(release: "web", namespace: "default", number: 1)
    #expect(read == recorded)
    #expect(Set(read.secretValuePaths) == [ValuePath([.key("db"), .key("password")]), ValuePath([.key("image")])])
    // Without an identity: history and metadata read, secret fields stay encrypted.
    let locked = try subject.keyless.revision(release: "web", namespace: "default", number: 1)
    #expect(try subject.keyless.history(release: "web", namespace: "default", max: nil).map(\.revision) == [1])
    func isEncrypted(_ value: Value?) -> Bool { value?.stringValue?.hasPrefix("ENC[AES256_GCM,data:") ?? false }
    #expect(isEncrypted(locked.values["db"]?["password"]))
    #expect(isEncrypted(locked.values["image"]))
    #expect(locked.values["replicas"] == 1)
    #expect(locked.values["sops"] == nil)
    let secret = try #require(locked.manifests.first { $0.identity.kind == "Secret" })
    #expect(isEncrypted(secret.content["data"]?["password"]))
    #expect(isEncrypted(secret.content["stringData"]?["url"]))
    #expect(secret.content["type"] == "Opaque")
    // Another identity cannot read them; the message names the file and the recipient needed.
    let other = subject.view(secretSettings(AgeIdentity.generate()))
    let error = storeError { () throws(StoreError) in try other.revision(release: "web", namespace: "default", number: 1) }
    guard case .cannotDecrypt(let file, let problem)? = error else {
      Issue.record("another identity read the secrets, or failed otherwise: \(String(describing: error))")
      return
    }
    #expect(file.hasPrefix("default/web/"))
    #expect(problem.contains(identity.recipient.description))
  }

  @Test(arguments: StoreKind.allCases)
  func unchangedSecretsKeepTheirBytesAndChangesShowNoValue(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind, identity: AgeIdentity.generate())
    _ = try await subject.store.record(Fixtures.revision(release: "web", password: "first-Pa55"))
    _ = try await subject.store.record(Fixtures.revision(release: "web", action: .upgrade, password: "first-Pa55"))
    _ = try await subject.store.record(Fixtures.revision(release: "web", action: .upgrade, password: "second-Pa55"))
    let stored = try (1...3).map { try subject.keyless.revision(release: "web", namespace: "default", number: $0) }
    #expect(stored[0].values == stored[1].values)
    #expect(stored[0].manifests == stored[1].manifests)
    #expect(stored[1].values != stored[2].values)
    #expect(stored[0].info.valuesDigest == stored[1].info.valuesDigest)
    #expect(try subject.store.diff(release: "web", namespace: "default", from: 1, to: 2).isEmpty)
    let changes = try subject.store.diff(release: "web", namespace: "default", from: 2, to: 3)
    #expect(changes.map { "\($0.kind.rawValue) \($0.identity)" } == ["changed Secret default/db"])
    let patch = try #require(changes.first?.patch)
    for text in ["first-Pa55", "second-Pa55", Data("first-Pa55".utf8).base64EncodedString(),
                 Data("second-Pa55".utf8).base64EncodedString()] {
      #expect(!patch.contains(text))
    }
    // The diff names the changed entries (their ciphertext changed), and no other entry.
    let changedLines = patch.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }
    #expect(changedLines.contains { $0.hasPrefix("+    password: ENC[") })
    #expect(changedLines.contains { $0.hasPrefix("+    url: ENC[") })
    let expected = ["+    password: ENC[", "+    url: ENC[", "+    mac: ENC[", "+    lastmodified: "]
    #expect(changedLines.allSatisfy { line in expected.contains { line.hasPrefix($0) } }, "\(patch)")
    // Rollback content: revision 1 with the identity is the real value again.
    let rollback = try subject.store.revision(release: "web", namespace: "default", number: 1)
    #expect(rollback.values["db"]?["password"] == "first-Pa55")
    let secret = try #require(rollback.manifests.first { $0.identity.kind == "Secret" })
    #expect(secret.content["stringData"]?["url"] == "postgres://app:first-Pa55@db:5432/app")
    var again = Fixtures.revision(release: "web", action: .rollback, password: nil)
    again.values = rollback.values
    again.manifests = rollback.manifests
    again.secretValuePaths = rollback.secretValuePaths
    #expect(try await subject.store.record(again).values["db"]?["password"] == "first-Pa55")
    #expect(try subject.store.revision(release: "web", namespace: "default", number: 4).values == rollback.values)
  }

  @Test(arguments: StoreKind.allCases)
  func notesThatShowASecretAreASOPSFile(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind, identity: AgeIdentity.generate())
    _ = try await subject.store.record(Fixtures.revision(release: "web", password: "n0tes-Pa55", notes: "Log in with n0tes-Pa55.\n"))
    #expect(try subject.store.revision(release: "web", namespace: "default", number: 1).notes == "Log in with n0tes-Pa55.\n")
    let locked = try subject.keyless.revision(release: "web", namespace: "default", number: 1)
    #expect(locked.notes?.hasPrefix("ENC[AES256_GCM,") == true)
    // A value the chart marks secret, shown in the notes, also encrypts them.
    _ = try await subject.store.record(Fixtures.revision(
      release: "api", secretPaths: [ValuePath([.key("image")])], notes: "Image: jina/executor:3.20\n"))
    #expect(try subject.keyless.revision(release: "api", namespace: "default", number: 1).notes?.hasPrefix("ENC[") == true)
    #expect(try subject.store.revision(release: "api", namespace: "default", number: 1).notes == "Image: jina/executor:3.20\n")
    // Notes that show no secret stay readable.
    _ = try await subject.store.record(Fixtures.revision(release: "plain", notes: "Hello.\n"))
    #expect(try subject.keyless.revision(release: "plain", namespace: "default", number: 1).notes == "Hello.\n")
  }

  @Test(arguments: StoreKind.allCases)
  func valuesReadWithoutAnIdentityAreNotStoredAgain(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind, identity: AgeIdentity.generate())
    _ = try await subject.store.record(Fixtures.revision(release: "web", password: "again-Pa55"))
    let locked = try subject.keyless.revision(release: "web", namespace: "default", number: 1)
    var again = Fixtures.revision(release: "web", action: .rollback)
    (again.values, again.manifests) = (locked.values, locked.manifests)
    do {
      _ = try await subject.store.record(again)
      Issue.record("recorded ciphertext read without an identity")
    } catch let error as StoreError {
      guard case .stillEncrypted(let location) = error else { throw error }
      #expect(location.contains("secret-db.yaml"))
      #expect(error.description.contains("SOPS_AGE_KEY_FILE"))
    }
    #expect(try subject.store.history(release: "web", namespace: "default", max: nil).count == 1)
  }
}
