import Foundation
import Testing

/// Random values through the binary: install draws and records them, upgrade keeps them (the
/// revision changes no file but its metadata), `--regenerate` draws anew, `template` draws
/// fresh and says so on stderr, and no drawn value reaches a git object in clear.
@Suite struct DrawCommandTests {
  @Test func installKeepsUpgradeReusesRegenerateDrawsAndTemplateSaysItDrew() throws {
    let folder = try TemporaryFolder([
      "chart/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
      "chart/templates/secret.yaml": """
        apiVersion: v1
        kind: Secret
        metadata:
          name: admin
        stringData:
          password: {{ randAlphaNum 16 | quote }}
        """,
    ])
    var environment = ["XDG_CONFIG_HOME": folder.path("no-config")]
    func flowrel(_ arguments: [String]) throws -> FlowrelProcess.Result {
      try FlowrelProcess.run(arguments, in: folder.url, environment: environment)
    }
    let keygen = try flowrel(["secrets", "keygen", "-o", folder.path("key.txt")])
    #expect(keygen.status == 0, "\(keygen.stderr)")
    environment["SOPS_AGE_KEY_FILE"] = folder.path("key.txt")
    let store = folder.path("store")
    #expect(try flowrel(["init", store, "--age", keygen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]).status == 0)
    func password() throws -> String {
      let manifest = try flowrel(["get", "manifest", "app", "--store", store])
      let line = manifest.stdout.split(separator: "\n").first { $0.contains("password:") } ?? ""
      return line.replacingOccurrences(of: "password:", with: "").trimmingCharacters(in: .whitespaces)
    }
    let install = try flowrel(["install", "app", "./chart", "--store", store, "--no-apply"])
    #expect(install.status == 0, "\(install.stderr)")
    let first = try password()
    #expect(first.count == 16)
    let upgrade = try flowrel(["upgrade", "app", "./chart", "--store", store, "--no-apply"])
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    #expect(try password() == first)
    let files = try gitOutput(["show", "--name-only", "--format=", "HEAD"], in: store)
    #expect(files == "default/app/release.yaml\n", "a re-render changes only the metadata: \(files)")
    let regenerate = try flowrel(["upgrade", "app", "./chart", "--store", store, "--no-apply", "--regenerate"])
    #expect(regenerate.status == 0, "\(regenerate.stderr)")
    let second = try password()
    #expect(second.count == 16 && second != first)

    let objects = try gitOutput(["cat-file", "--batch-all-objects", "--batch"], in: store)
    for value in [first, second] { #expect(!objects.contains(value), "\(value) is in a git object") }

    let template = try flowrel(["template", "app", "./chart"])
    #expect(template.status == 0, "\(template.stderr)")
    #expect(template.stderr.contains("note: randAlphaNum drew new values"), "\(template.stderr)")
    #expect(template.stdout.contains("password: "))
  }

  /// What `git arguments` prints in `directory`.
  func gitOutput(_ arguments: [String], in directory: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
