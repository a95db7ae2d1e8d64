import Foundation
import Testing

/// Helm v3's flags (3.17 and helm-diff 3.9), written by hand from Helm's command reference, for
/// each verb flowrel has, with flowrel's answer to each. Kept apart from flowrel's own table
/// (Sources/flowrel/HelmDifferences.swift) so the test checks the binary, not the table.
enum HelmFlagList {
  /// What flowrel does with a flag.
  enum Answer: Sendable, CustomStringConvertible {
    /// Parsed and used as in Helm (no usage error, no note).
    case accepted
    /// Accepted, with a one-line `note: FLAG ...` on standard error.
    case noted
    /// Refused, exit 1, with `Error: FLAG: reason` (or, for refusals inside a command, this
    /// text in the message).
    case refused(String? = nil)

    var description: String {
      switch self {
      case .accepted: "accepted"
      case .noted: "noted"
      case .refused(let text): "refused \(text ?? "")"
      }
    }
  }

  /// One flag of one verb: the flag as typed, its example value, and the answer.
  struct Flag: Sendable, CustomTestStringConvertible {
    var verb: String
    var flag: String
    var value: String?
    var answer: Answer
    var testDescription: String { "\(verb) \(flag)\(value.map { " \($0)" } ?? ""): \(answer)" }
  }

  /// A command line that runs offline for `verb` (an empty store, no cluster).
  static func base(_ verb: String, folder: TemporaryFolder) -> [String] {
    switch verb {
    case "install": ["install", "web", "--dry-run"]
    case "upgrade": ["upgrade", "web", "--install", "--dry-run"]
    case "rollback": ["rollback", "web"]
    case "uninstall": ["uninstall", "web", "--dry-run"]
    case "test": ["test", "web"]
    case "status", "history": [verb, "web"]
    case "list": ["list"]
    case "template": ["template", "web"]
    case "lint": ["lint"]
    case "create": ["create", folder.path("newchart")]
    case "version": ["version"]
    case "completion": ["completion", "bash"]
    case "env": ["env"]
    default: verb.split(separator: " ").map(String.init) + (verb.hasPrefix("get ") || verb.hasPrefix("diff ") ? ["web"] : [])
    }
  }

  // Flag groups many verbs share.
  static let values: [(String, String?)] = [
    ("-f", "/dev/null"), ("--values", "/dev/null"), ("--set", "a=b"), ("--set-string", "a=b"), ("--set-file", "a=/dev/null"),
    ("--set-json", "a=1"), ("--set-literal", "a=b"),
  ]
  static let repository = ["--repo", "--username", "--password", "--pass-credentials", "--ca-file", "--cert-file", "--key-file",
                           "--insecure-skip-tls-verify", "--plain-http", "--verify", "--keyring", "--devel"]
  static let repositoryValues: Set<String> = ["--repo", "--username", "--password", "--ca-file", "--cert-file", "--key-file", "--keyring"]

  static func shared(_ verb: String) -> [Flag] {
    values.map { Flag(verb: verb, flag: $0.0, value: $0.1, answer: .accepted) }
      + repository.map { Flag(verb: verb, flag: $0, value: repositoryValues.contains($0) ? "x" : nil, answer: .refused()) }
  }

  /// install's and upgrade's flags (and template's, which Helm shares with install).
  static func deploy(_ verb: String) -> [Flag] {
    let inTemplate = verb == "template"
    let applyOnly: Answer = inTemplate ? .noted : .accepted
    var flags = shared(verb) + [
      Flag(verb: verb, flag: "--atomic", value: nil, answer: applyOnly),
      Flag(verb: verb, flag: "--create-namespace", value: nil, answer: applyOnly),
      Flag(verb: verb, flag: "--dependency-update", value: nil, answer: .refused()),
      Flag(verb: verb, flag: "--description", value: "d", answer: applyOnly),
      Flag(verb: verb, flag: "--disable-openapi-validation", value: nil, answer: .refused()),
      Flag(verb: verb, flag: "--enable-dns", value: nil, answer: .accepted),
      Flag(verb: verb, flag: "--hide-notes", value: nil, answer: .refused()),
      Flag(verb: verb, flag: "--hide-secret", value: nil, answer: .refused()),
      Flag(verb: verb, flag: "-l", value: "a=b", answer: .refused()),
      Flag(verb: verb, flag: "--labels", value: "a=b", answer: .refused()),
      Flag(verb: verb, flag: "--no-hooks", value: nil, answer: .accepted),
      Flag(verb: verb, flag: "--render-subchart-notes", value: nil, answer: .refused()),
      Flag(verb: verb, flag: "--skip-crds", value: nil, answer: applyOnly),
      Flag(verb: verb, flag: "--skip-schema-validation", value: nil, answer: .refused()),
      Flag(verb: verb, flag: "--timeout", value: "5m", answer: applyOnly),
      Flag(verb: verb, flag: "--version", value: "0.1.0", answer: .accepted),
      Flag(verb: verb, flag: "--wait", value: nil, answer: applyOnly),
      Flag(verb: verb, flag: "--wait-for-jobs", value: nil, answer: applyOnly),
      Flag(verb: verb, flag: "--post-renderer", value: "/bin/cat", answer: .accepted),
      Flag(verb: verb, flag: "--post-renderer-args", value: "x", answer: .accepted),
    ]
    if inTemplate {
      flags += [
        Flag(verb: verb, flag: "--dry-run", value: nil, answer: .noted),
        Flag(verb: verb, flag: "--force", value: nil, answer: .noted),
      ]
    } else {
      flags += [
        Flag(verb: verb, flag: "--dry-run", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--dry-run=client", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--dry-run=server", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--force", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "-o", value: "json", answer: .accepted),
        Flag(verb: verb, flag: "--output", value: "yaml", answer: .accepted),
      ]
    }
    return flags
  }

  static let flags: [Flag] = {
    var flags: [Flag] = []
    // install
    flags += deploy("install") + [
      Flag(verb: "install", flag: "-g", value: nil, answer: .accepted),
      Flag(verb: "install", flag: "--generate-name", value: nil, answer: .accepted),
      Flag(verb: "install", flag: "--name-template", value: "x", answer: .refused()),
      Flag(verb: "install", flag: "--replace", value: nil, answer: .accepted),
    ]
    // upgrade
    flags += deploy("upgrade") + [
      Flag(verb: "upgrade", flag: "--cleanup-on-fail", value: nil, answer: .accepted),
      Flag(verb: "upgrade", flag: "--history-max", value: "5", answer: .noted),
      Flag(verb: "upgrade", flag: "-i", value: nil, answer: .accepted),
      Flag(verb: "upgrade", flag: "--reset-values", value: nil, answer: .accepted),
      Flag(verb: "upgrade", flag: "--reuse-values", value: nil, answer: .accepted),
      Flag(verb: "upgrade", flag: "--reset-then-reuse-values", value: nil, answer: .accepted),
    ]
    // template (Helm's template takes install's flags, and these)
    flags += deploy("template") + [
      Flag(verb: "template", flag: "-a", value: "x/v1", answer: .accepted),
      Flag(verb: "template", flag: "--api-versions", value: "x/v1", answer: .accepted),
      Flag(verb: "template", flag: "-g", value: nil, answer: .accepted),
      Flag(verb: "template", flag: "--include-crds", value: nil, answer: .accepted),
      Flag(verb: "template", flag: "--is-upgrade", value: nil, answer: .accepted),
      Flag(verb: "template", flag: "--kube-version", value: "v1.30.0", answer: .accepted),
      Flag(verb: "template", flag: "--name-template", value: "x", answer: .refused()),
      Flag(verb: "template", flag: "--output-dir", value: "OUT", answer: .accepted),
      Flag(verb: "template", flag: "--release-name", value: nil, answer: .refused()),
      Flag(verb: "template", flag: "--replace", value: nil, answer: .noted),
      Flag(verb: "template", flag: "-s", value: "templates/gateway.yaml", answer: .accepted),
      Flag(verb: "template", flag: "--show-only", value: "templates/gateway.yaml", answer: .accepted),
      Flag(verb: "template", flag: "--skip-tests", value: nil, answer: .accepted),
      Flag(verb: "template", flag: "--validate", value: nil, answer: .refused()),
    ]
    // rollback
    flags += [
      Flag(verb: "rollback", flag: "--cleanup-on-fail", value: nil, answer: .accepted),
      Flag(verb: "rollback", flag: "--dry-run", value: nil, answer: .accepted),
      Flag(verb: "rollback", flag: "--force", value: nil, answer: .accepted),
      Flag(verb: "rollback", flag: "--history-max", value: "5", answer: .noted),
      Flag(verb: "rollback", flag: "--no-hooks", value: nil, answer: .accepted),
      Flag(verb: "rollback", flag: "--recreate-pods", value: nil, answer: .refused()),
      Flag(verb: "rollback", flag: "--timeout", value: "5m", answer: .accepted),
      Flag(verb: "rollback", flag: "--wait", value: nil, answer: .accepted),
      Flag(verb: "rollback", flag: "--wait-for-jobs", value: nil, answer: .accepted),
    ]
    // uninstall
    flags += [
      Flag(verb: "uninstall", flag: "--cascade", value: "background", answer: .refused()),
      Flag(verb: "uninstall", flag: "--description", value: "d", answer: .accepted),
      Flag(verb: "uninstall", flag: "--dry-run", value: nil, answer: .accepted),
      Flag(verb: "uninstall", flag: "--ignore-not-found", value: nil, answer: .refused()),
      Flag(verb: "uninstall", flag: "--keep-history", value: nil, answer: .accepted),
      Flag(verb: "uninstall", flag: "--no-hooks", value: nil, answer: .accepted),
      Flag(verb: "uninstall", flag: "--timeout", value: "5m", answer: .accepted),
      Flag(verb: "uninstall", flag: "--wait", value: nil, answer: .accepted),
    ]
    // test
    flags += [
      Flag(verb: "test", flag: "--filter", value: "name=smoke", answer: .refused()),
      Flag(verb: "test", flag: "--logs", value: nil, answer: .refused()),
    ]
    // status, history, list, get
    flags += [
      Flag(verb: "status", flag: "-o", value: "json", answer: .accepted),
      Flag(verb: "status", flag: "--output", value: "yaml", answer: .accepted),
      Flag(verb: "status", flag: "--revision", value: "1", answer: .accepted),
      Flag(verb: "status", flag: "--show-desc", value: nil, answer: .noted),
      Flag(verb: "status", flag: "--show-resources", value: nil, answer: .accepted),
      Flag(verb: "history", flag: "--max", value: "1", answer: .accepted),
      Flag(verb: "history", flag: "-o", value: "json", answer: .accepted),
      Flag(verb: "history", flag: "--output", value: "yaml", answer: .accepted),
    ]
    for (flag, value) in [
      ("-a", nil), ("--all", nil), ("-A", nil), ("--all-namespaces", nil), ("-d", nil), ("--date", nil), ("--deployed", nil),
      ("--failed", nil), ("-f", "web"), ("--filter", "web"), ("-m", "1"), ("--max", "1"), ("--no-headers", nil),
      ("--offset", "0"), ("-o", "json"), ("--output", "yaml"), ("--pending", nil), ("-r", nil), ("--reverse", nil),
      ("-q", nil), ("--short", nil), ("--superseded", nil), ("--uninstalling", nil),
    ] as [(String, String?)] {
      flags.append(Flag(verb: "list", flag: flag, value: value, answer: .accepted))
    }
    flags += [
      Flag(verb: "list", flag: "--uninstalled", value: nil, answer: .refused("--uninstalled: flowrel lists the store's release folders")),
      Flag(verb: "list", flag: "-l", value: "a=b", answer: .refused()),
      Flag(verb: "list", flag: "--selector", value: "a=b", answer: .refused()),
      Flag(verb: "list", flag: "--time-format", value: "2006", answer: .refused()),
      Flag(verb: "get values", flag: "-a", value: nil, answer: .accepted),
      Flag(verb: "get values", flag: "--all", value: nil, answer: .accepted),
      Flag(verb: "get values", flag: "-o", value: "json", answer: .accepted),
      Flag(verb: "get values", flag: "--output", value: "yaml", answer: .accepted),
      Flag(verb: "get values", flag: "--revision", value: "1", answer: .accepted),
      Flag(verb: "get manifest", flag: "--revision", value: "1", answer: .accepted),
      Flag(verb: "get notes", flag: "--revision", value: "1", answer: .accepted),
      Flag(verb: "get hooks", flag: "--revision", value: "1", answer: .accepted),
      Flag(verb: "get all", flag: "--revision", value: "1", answer: .accepted),
      Flag(verb: "get manifest", flag: "-o", value: "json", answer: .accepted),
      Flag(verb: "get notes", flag: "-o", value: "yaml", answer: .accepted),
      Flag(verb: "get all", flag: "-o", value: "json", answer: .accepted),
      Flag(verb: "get all", flag: "--template", value: "{{.Release.Name}}", answer: .refused()),
    ]
    // lint, show, create, version, completion
    flags += shared("lint").filter { !repository.contains($0.flag) } + [
      Flag(verb: "lint", flag: "--kube-version", value: "v1.30.0", answer: .accepted),
      Flag(verb: "lint", flag: "--quiet", value: nil, answer: .noted),
      Flag(verb: "lint", flag: "--skip-schema-validation", value: nil, answer: .refused()),
      Flag(verb: "lint", flag: "--strict", value: nil, answer: .accepted),
      Flag(verb: "lint", flag: "--with-subcharts", value: nil, answer: .refused()),
    ]
    for verb in ["show chart", "show values", "show readme", "show all"] {
      flags += repository.map { Flag(verb: verb, flag: $0, value: repositoryValues.contains($0) ? "x" : nil, answer: .refused()) }
      flags.append(Flag(verb: verb, flag: "--version", value: "0.1.0", answer: .accepted))
    }
    flags += [
      Flag(verb: "show values", flag: "--jsonpath", value: "{.a}", answer: .refused()),
      Flag(verb: "create", flag: "-p", value: "x", answer: .refused()),
      Flag(verb: "create", flag: "--starter", value: "x", answer: .refused()),
      Flag(verb: "version", flag: "--short", value: nil, answer: .accepted),
      Flag(verb: "version", flag: "--template", value: "{{.Version}}", answer: .refused()),
      Flag(verb: "version", flag: "-c", value: nil, answer: .noted),
      Flag(verb: "version", flag: "--client", value: nil, answer: .noted),
      Flag(verb: "completion", flag: "--no-descriptions", value: nil, answer: .refused()),
    ]
    // helm-diff: diff upgrade, diff rollback, diff revision
    for verb in ["diff upgrade", "diff rollback", "diff revision"] {
      flags += [
        Flag(verb: verb, flag: "-C", value: "3", answer: .accepted),
        Flag(verb: verb, flag: "--context", value: "3", answer: .accepted),
        Flag(verb: verb, flag: "--detailed-exitcode", value: nil,
          answer: .accepted),
        Flag(verb: verb, flag: "--find-renames", value: "0.5", answer: .refused()),
        Flag(verb: verb, flag: "--include-tests", value: nil, answer: .refused()),
        Flag(verb: verb, flag: "--no-color", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--color", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--no-hooks", value: nil, answer: .noted),
        Flag(verb: verb, flag: "--normalize-manifests", value: nil, answer: .noted),
        Flag(verb: verb, flag: "--show-secrets", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--strip-trailing-cr", value: nil, answer: .refused()),
        Flag(verb: verb, flag: "--suppress", value: "Secret",
          answer: .accepted),
        Flag(verb: verb, flag: "-q", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--suppress-secrets", value: nil, answer: .accepted),
        Flag(verb: verb, flag: "--suppress-output-line-regex", value: "x", answer: .refused()),
        Flag(verb: verb, flag: "--three-way-merge", value: nil, answer: .refused()),
      ]
    }
    flags += shared("diff upgrade") + [
      Flag(verb: "diff upgrade", flag: "--allow-unreleased", value: nil, answer: .accepted),
      Flag(verb: "diff upgrade", flag: "-a", value: "x/v1", answer: .accepted),
      Flag(verb: "diff upgrade", flag: "--api-versions", value: "x/v1", answer: .accepted),
      Flag(verb: "diff upgrade", flag: "--disable-openapi-validation", value: nil, answer: .refused()),
      Flag(verb: "diff upgrade", flag: "--disable-validation", value: nil, answer: .refused()),
      Flag(verb: "diff upgrade", flag: "--enable-dns", value: nil, answer: .accepted),
      Flag(verb: "diff upgrade", flag: "--kube-version", value: "v1.30.0", answer: .accepted),
      Flag(verb: "diff upgrade", flag: "-o", value: "markdown", answer: .accepted),
      Flag(verb: "diff upgrade", flag: "--reset-values", value: nil, answer: .accepted),
      Flag(verb: "diff upgrade", flag: "--reuse-values", value: nil, answer: .accepted),
      Flag(verb: "diff upgrade", flag: "--skip-schema-validation", value: nil, answer: .refused()),
      Flag(verb: "diff upgrade", flag: "--take-ownership", value: nil, answer: .refused()),
      Flag(verb: "diff upgrade", flag: "--version", value: "0.1.0", answer: .accepted),
      Flag(verb: "diff rollback", flag: "-o", value: "markdown", answer: .accepted),
      Flag(verb: "diff revision", flag: "-o", value: "markdown", answer: .accepted),
    ]
    return flags
  }()

  /// Helm's global flags, checked on a verb of each kind, after the verb and before it.
  static let global: [(flag: String, value: String?, answer: Answer)] = [
    ("--debug", nil, .accepted), ("-n", "team", .accepted), ("--namespace", "team", .accepted),
    ("--kube-context", "ctx", .accepted), ("--context", "ctx", .accepted), ("--kubeconfig", "KUBECONFIG", .accepted),
    ("--burst-limit", "100", .refused()), ("--qps", "5", .refused()), ("--kube-apiserver", "https://x", .refused()),
    ("--kube-as-group", "g", .refused()), ("--kube-as-user", "u", .refused()), ("--kube-ca-file", "f", .refused()),
    ("--kube-insecure-skip-tls-verify", nil, .refused()), ("--kube-tls-server-name", "x", .refused()),
    ("--kube-token", "t", .refused()), ("--registry-config", "f", .refused()), ("--repository-cache", "d", .refused()),
    ("--repository-config", "f", .refused()),
  ]
}
