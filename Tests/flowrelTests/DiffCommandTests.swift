import Foundation
import Testing

/// The diff commands with helm-diff's flags, as a user types them.
@Suite struct DiffCommandTests {
  /// A store with release `db` at revision 2 (password `hunter2-first`, then `hunter2-second`),
  /// encrypted to a new identity kept in sops's default key file.
  struct Release {
    let fx: GitOpsFixture
    let work: String
    let chart: String
    /// The environment that finds the identity.
    let withKey: [String: String]
    /// `--age RECIPIENT`.
    let recipient: [String]

    init() throws {
      fx = try GitOpsFixture()
      (_, work) = try fx.repositories()
      chart = try fx.secretChart()
      let config = fx.folder.path(".config")
      try FileManager.default.createDirectory(atPath: config + "/sops/age", withIntermediateDirectories: true)
      withKey = ["XDG_CONFIG_HOME": config]
      let keygen = try fx.flowrel(["secrets", "keygen", "-o", config + "/sops/age/keys.txt"], in: work, environment: withKey)
      try #require(keygen.status == 0, "\(keygen.stderr)")
      recipient = ["--age", keygen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]
      for (verb, password) in [("install", "hunter2-first"), ("upgrade", "hunter2-second")] {
        let run = try fx.flowrel([verb, "db", chart, "--set", "password=\(password)", "--no-apply"] + recipient, in: work, environment: withKey)
        try #require(run.status == 0, "\(run.stderr)")
      }
    }

    /// `flowrel ARGS` with the identity (or, `keyless`, with an empty key folder).
    func run(_ arguments: [String], keyless: Bool = false, environment: [String: String] = [:]) throws -> FlowrelProcess.Result {
      let keys = keyless ? ["XDG_CONFIG_HOME": fx.folder.path("no-keys")] : withKey
      return try fx.flowrel(arguments, in: work, environment: keys.merging(environment) { _, new in new })
    }
  }

  @Test func diffRevisionMasksShowsOrSuppressesSecretsWithHelmDiffsFlags() throws {
    let release = try Release()
    let masked = try release.run(["diff", "revision", "db", "-o", "json", "--detailed-exitcode"])
    #expect(masked.status == 2, "changes: exit 2 as helm-diff (\(masked.stderr))")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(masked.stdout.utf8)) as? [String: Any])
    #expect(json["from"] as? Int == 1 && json["to"] as? Int == 2)
    let patch = try #require((json["changes"] as? [[String: Any]])?.first?["patch"] as? String)
    #expect(patch.contains("-  password: <secret ") && patch.contains("+  password: <secret "), "\(patch)")
    #expect(!masked.stdout.contains("hunter2") && !masked.stdout.contains("ENC["))

    let shown = try release.run(["diff", "revision", "db", "1", "2", "--show-secrets"])
    #expect(shown.status == 0)
    #expect(shown.stdout.contains("+  password: hunter2-second"), "\(shown.stdout)")

    let suppressed = try release.run(["diff", "revision", "db", "-q"])
    #expect(suppressed.stdout.contains("# Changes suppressed on sensitive content of type Secret"))
    #expect(!suppressed.stdout.contains("password"))
    #expect(suppressed.stderr.contains("1 changed"))
    #expect(try release.run(["diff", "revision", "db", "--suppress", "Secret"]).stdout == suppressed.stdout)

    let keyless = try release.run(["diff", "revision", "db"], keyless: true)
    #expect(keyless.stdout.contains("-  password: <secret>\n+  password: <secret, changed>\n"), "\(keyless.stdout)")
    let refused = try release.run(["diff", "revision", "db", "--show-secrets"], keyless: true)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("--show-secrets needs an age identity"), "\(refused.stderr)")

    let values = try release.run(["get", "values", "db"], keyless: true)
    #expect(values.status == 0, "\(values.stderr)")
    #expect(values.stdout == "USER-SUPPLIED VALUES:\npassword: <secret>\n", "\(values.stdout)")
    #expect(try release.run(["get", "values", "db"]).stdout == "USER-SUPPLIED VALUES:\npassword: hunter2-second\n")
  }

  @Test func colorsContextAndUnreleasedDiffs() throws {
    let release = try Release()
    let plain = try release.run(["diff", "revision", "db"])
    #expect(!plain.stdout.contains("\u{1B}["), "not a terminal: no colors")
    let colored = try release.run(["diff", "revision", "db", "--color"], environment: ["NO_COLOR": "1"])
    #expect(colored.stdout.contains("\u{1B}[32m+  password: <secret "))
    #expect(try release.run(["diff", "revision", "db", "--no-color"], environment: ["HELM_DIFF_COLOR": "true"]).stdout == plain.stdout)
    #expect(try release.run(["diff", "revision", "db"], environment: ["HELM_DIFF_COLOR": "true"]).stdout == colored.stdout)

    let whole = try release.run(["diff", "revision", "db", "-C", "-1"])
    #expect(whole.stdout.contains(" apiVersion: v1\n"), "the whole object: \(whole.stdout)")
    let none = try release.run(["diff", "revision", "db", "--context", "0"])
    #expect(!none.stdout.contains(" apiVersion: v1\n") && none.stdout.contains("+  password: <secret "))

    let unreleased = ["diff", "upgrade", "cache", release.chart, "--set", "password=p4ss-w0rd"] + release.recipient
    let refused = try release.run(unreleased)
    #expect(refused.status == 1 && refused.stderr.contains("not installed"), "\(refused.stderr)")
    for flag in ["--allow-unreleased", "--install"] {
      let planned = try release.run(unreleased + [flag, "-o", "markdown", "--detailed-exitcode"])
      #expect(planned.status == 2, "\(planned.stderr)")
      #expect(planned.stdout.hasPrefix("**flowrel diff**: 0 changed, 1 added, 0 removed\n"), "\(planned.stdout)")
      #expect(!planned.stdout.contains("p4ss-w0rd"))
    }
  }
}
