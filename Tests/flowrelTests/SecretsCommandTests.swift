import Foundation
import Testing

/// Secrets through the binary: `init --age`, install, upgrade, rollback, `secrets rotate`, and
/// no plaintext in any git object of the store.
@Suite struct SecretsCommandTests {
  @Test func noPlaintextSecretReachesAGitObjectThroughTheLifecycle() throws {
    let fx = try GitOpsFixture()
    let (_, work) = try fx.repositories()
    let chart = try fx.secretChart()
    try Data("Log in with {{ .Values.password }}\n".utf8).write(to: URL(fileURLWithPath: chart + "/templates/NOTES.txt"))
    let keyFile = fx.folder.path("old-key.txt")
    let keygen = try fx.flowrel(["secrets", "keygen", "-o", keyFile], in: work)
    #expect(keygen.status == 0, "\(keygen.stderr)")
    let oldRecipient = keygen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(oldRecipient.hasPrefix("age1"))
    let environment = ["SOPS_AGE_KEY_FILE": keyFile, "XDG_CONFIG_HOME": fx.folder.path("no-config")]

    // Without a recipient, nothing is written.
    let refused = try fx.flowrel(["install", "db", chart, "--set", "password=pl41n-first", "--no-apply"], in: work,
                                 environment: environment)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("--age"), "\(refused.stderr)")
    let pq = try fx.flowrel(["init", "--age", "age1pq1qqqqqqqqqqqqqqqqqqqq"], in: work)
    #expect(pq.status == 1)
    #expect(pq.stderr.contains("post-quantum"), "\(pq.stderr)")

    let initialize = try fx.flowrel(["init", "--age", oldRecipient], in: work, environment: environment)
    #expect(initialize.status == 0, "\(initialize.stderr)")
    #expect(FileManager.default.fileExists(atPath: work + "/.sops.yaml"))
    for (arguments, password) in [
      (["install", "db", chart], "pl41n-first"), (["upgrade", "db", chart], "pl41n-second"), (["upgrade", "db", chart], "pl41n-second"),
    ] {
      let result = try fx.flowrel(arguments + ["--set", "password=\(password)", "--no-apply"], in: work, environment: environment)
      #expect(result.status == 0, "\(arguments): \(result.stderr)")
    }
    let rollback = try fx.flowrel(["rollback", "db", "1", "--no-apply"], in: work, environment: environment)
    #expect(rollback.status == 0, "\(rollback.stderr)")
    // A new recipient in .sops.yaml; rotate re-encrypts the latest revision to it.
    let newKey = fx.folder.path("new-key.txt")
    let newRecipient = try fx.flowrel(["secrets", "keygen", "-o", newKey], in: work).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let sopsConfig = try String(contentsOfFile: work + "/.sops.yaml", encoding: .utf8)
    try Data(sopsConfig.replacingOccurrences(of: oldRecipient, with: newRecipient).utf8)
      .write(to: URL(fileURLWithPath: work + "/.sops.yaml"))
    let rotate = try fx.flowrel(["secrets", "rotate", "db"], in: work, environment: environment)
    #expect(rotate.status == 0, "\(rotate.stderr)")
    #expect(rotate.stdout == "Rotated the secrets of db as revision 5\n")
    #expect(try fx.git(["log", "-1", "--format=%s"], in: work) == "db: rotate to revision 5\n")
    let trailers = try fx.git(["log", "-1", "--format=%B"], in: work)
    #expect(trailers.contains("Flowrel-Action: rotate") && trailers.contains("Flowrel-Status: recorded"), "\(trailers)")
    // Only the new identity reads the rotated revision.
    let status = try fx.flowrel(["get", "values", "db"], in: work, environment: ["SOPS_AGE_KEY_FILE": newKey])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.contains("pl41n-first"))
    let stale = try fx.flowrel(["get", "values", "db"], in: work, environment: environment)
    #expect(stale.status != 0)
    #expect(stale.stderr.contains(newRecipient), "names the recipient needed: \(stale.stderr)")

    // kubectl kustomize lists the Secret, encrypted.
    let kustomize = Process()
    kustomize.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    kustomize.arguments = ["kubectl", "kustomize", work + "/releases/default/db"]
    let output = Pipe()
    kustomize.standardOutput = output
    try kustomize.run()
    let rendered = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    kustomize.waitUntilExit()
    #expect(rendered.contains("kind: Secret") && rendered.contains("password: ENC[AES256_GCM,"))

    // No object of the repository holds a password, in clear or base64.
    let objects = Process()
    objects.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    objects.arguments = ["git", "cat-file", "--batch-all-objects", "--batch"]
    objects.currentDirectoryURL = URL(fileURLWithPath: work)
    let pipe = Pipe()
    objects.standardOutput = pipe
    try objects.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    objects.waitUntilExit()
    #expect(data.count > 5_000)
    for secret in ["pl41n-first", "pl41n-second"] {
      for needle in [secret, Data(secret.utf8).base64EncodedString()] {
        #expect(data.range(of: Data(needle.utf8)) == nil, "\(needle) is in a git object")
      }
    }
  }
}
