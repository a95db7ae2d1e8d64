import Foundation
import Testing

/// Every flag of Helm v3's verbs that flowrel has (HelmFlags.swift) is accepted, accepted with a
/// note, or refused with the reason; none is an unknown option or silently something else.
@Suite struct HelmFlagTests {
  /// Runs `arguments` against an empty store in a fresh folder, with no cluster reachable.
  static func run(_ arguments: [String], in folder: TemporaryFolder) throws -> FlowrelProcess.Result {
    try FlowrelProcess.run(arguments, in: folder.url, environment: [
      "FLOWREL_STORE": folder.path("releases"), "FLOWREL_KUBECTL": "/bin/false", "FLOWREL_NAMESPACE": "default",
      "KUBECONFIG": folder.path("kubeconfig"), "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
      "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
    ])
  }

  /// A folder with a kubeconfig whose context is `ctx`.
  static func folder() throws -> TemporaryFolder {
    try TemporaryFolder(["kubeconfig": "current-context: ctx\ncontexts:\n- name: ctx\n  context: {namespace: team}\n"])
  }

  /// The flag and its value as typed; `OUT` and `KUBECONFIG` name files of the folder.
  static func typed(_ flag: String, _ value: String?, in folder: TemporaryFolder) -> [String] {
    let value = value.map { $0 == "OUT" ? folder.path("out") : $0 == "KUBECONFIG" ? folder.path("kubeconfig") : $0 }
    return [flag] + (value.map { [$0] } ?? [])
  }

  /// Checks `result` against `answer` for `flag`.
  static func check(_ result: FlowrelProcess.Result, _ flag: String, _ answer: HelmFlagList.Answer, _ line: [String]) {
    let name = flag.split(separator: "=").first.map(String.init) ?? flag
    let context = "flowrel \(line.joined(separator: " ")) -> \(result.status)\n\(result.stderr)"
    switch answer {
    case .accepted, .noted:
      #expect(!result.stderr.contains("Unknown option"), "\(context)")
      #expect(!result.stderr.contains("Usage: flowrel"), "a usage error: \(context)")
      #expect(!result.stderr.hasPrefix("Error: \(name):"), "refused: \(context)")
      let noted = result.stderr.contains("note: \(name) is accepted")
      if case .noted = answer { #expect(noted, "no note: \(context)") } else { #expect(!noted, "\(context)") }
    case .refused(let text):
      #expect(result.status == 1, "\(context)")
      #expect(!result.stderr.contains("Unknown option"), "\(context)")
      if let text {
        #expect(result.stderr.contains(text), "\(context)")
      } else {
        // `Error: --flag: why`, the why a sentence of its own.
        let prefix = "Error: \(name): "
        #expect(result.stderr.hasPrefix(prefix) && result.stderr.count > prefix.count + 20, "\(context)")
      }
    }
  }

  @Test(arguments: HelmFlagList.flags)
  func helmFlagIsAnsweredAsListed(_ entry: HelmFlagList.Flag) throws {
    let folder = try Self.folder()
    let line = HelmFlagList.base(entry.verb, folder: folder) + Self.typed(entry.flag, entry.value, in: folder)
    Self.check(try Self.run(line, in: folder), entry.flag, entry.answer, line)
  }

  @Test(arguments: HelmFlagList.global.map { ($0.flag, $0.value) }, ["template", "list", "install", "create"])
  func helmGlobalFlagIsAnsweredBeforeAndAfterTheVerb(_ flag: (String, String?), _ verb: String) throws {
    let answer = try #require(HelmFlagList.global.first { $0.flag == flag.0 }).answer
    let folder = try Self.folder()
    let base = HelmFlagList.base(verb, folder: folder)
    let typed = Self.typed(flag.0, flag.1, in: folder)
    for line in [base + typed, typed + base] {
      Self.check(try Self.run(line, in: folder), flag.0, answer, line)
    }
  }

  /// The README's "Differences from Helm" names every flag flowrel refuses or notes.
  @Test func theReadmeNamesEveryFlagThatDiffers() throws {
    let readme = try String(contentsOf: FlowrelProcess.repository.appendingPathComponent("README.md"), encoding: .utf8)
    let section = try #require(readme.components(separatedBy: "## Differences from Helm").dropFirst().first)
      .components(separatedBy: "\n## ").first ?? ""
    var differing = Set<String>()
    for entry in HelmFlagList.flags {
      switch entry.answer {
      // Refusals with their own text are of a whole verb (get hooks) or said where they are.
      case .noted, .refused(nil): differing.insert(entry.flag)
      case .accepted, .refused: break
      }
    }
    for entry in HelmFlagList.global {
      if case .refused = entry.answer { differing.insert(entry.flag) }
    }
    for flag in differing.sorted() {
      // `--flag` or `verb --flag`.
      #expect(section.contains("`\(flag)`") || section.contains(" \(flag)`"), "README's Differences from Helm does not name \(flag)")
    }
  }
}
