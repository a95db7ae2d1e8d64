import ArgumentParser
import FlowrelActions
import Foundation

extension Flowrel {
  /// `flowrel completion bash|zsh|fish`: the shell's completion script (Helm's `helm completion`).
  struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "completion",
      abstract: "Print the shell completion script for bash, zsh or fish.",
      discussion: """
        Completes verbs, flags, release names and namespaces (from the store) and revision \
        numbers. To load it:
          bash:  source <(flowrel completion bash)
          zsh:   flowrel completion zsh > "${fpath[1]}/_flowrel"
          fish:  flowrel completion fish > ~/.config/fish/completions/flowrel.fish
        """)

    enum Shell: String, ExpressibleByArgument, CaseIterable { case bash, zsh, fish }

    @Argument(help: "bash, zsh or fish.") var shell: Shell
    @OptionGroup var debugging: DebugOption

    func run() throws {
      guard let kind = CompletionShell(rawValue: shell.rawValue) else {
        throw ValidationError("no completion script for \(shell.rawValue)")
      }
      Console.write(Flowrel.completionScript(for: kind))
    }
  }

  /// `flowrel env [NAME]`: the settings in effect as `FLOWREL_*="value"` lines (Helm's `helm env`).
  struct EnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "env",
      abstract: "Print the settings flowrel runs with, as FLOWREL_* variables.",
      discussion: """
        Each value is the one in effect here: a flag, else the variable, else flowrel's default \
        (the store found from this folder, the kubeconfig context's namespace). With NAME, only \
        that variable's value. The lines can be read by a shell: eval "$(flowrel env)".
        """)

    @Argument(help: "Print only this variable's value.") var name: String?
    @OptionGroup var target: ReleaseOptions

    func run() throws {
      var action = ShowEnvironment()
      action.settings = target.settings
      action.debug = target.global.debugging.enabled()
      action.executable = CommandLine.arguments.first ?? "flowrel"
      let variables = try action.run()
      if let name {
        guard let variable = variables.first(where: { $0.name == name }) else {
          throw ValidationError("\(name) is not one of flowrel's variables: \(variables.map(\.name).joined(separator: ", "))")
        }
        Console.write(variable.value + "\n")
      } else {
        Console.write(variables.map { "\($0.name)=\"\(Self.quoted($0.value))\"\n" }.joined())
      }
    }

    /// `value` safe inside a shell's double quotes: `\`, `"`, `$` and `` ` `` escaped.
    static func quoted(_ value: String) -> String {
      var out = ""
      for character in value {
        if "\\\"$`".contains(character) { out.append("\\") }
        out.append(character)
      }
      return out
    }
  }
}

/// What the completion script asks flowrel for while a user types: names from the store.
enum Completions {
  /// The value of the last `-n`/`--namespace`/`--store` (or `--flag=value`) among `words`.
  static func flag(_ names: Set<String>, in words: [String]) -> String? {
    var found: String?
    for (index, word) in words.enumerated() {
      if names.contains(word), index + 1 < words.count { found = words[index + 1] }
      if let equals = word.firstIndex(of: "="), names.contains(String(word[..<equals])) {
        found = String(word[word.index(after: equals)...])
      }
    }
    return found
  }

  /// The store and namespace `words` name, as the command would use them.
  static func configuration(_ words: [String]) -> ActionConfiguration? {
    var settings = Settings()
    settings.namespace = flag(["-n", "--namespace"], in: words)
    settings.store = flag(["--store"], in: words)
    settings.kubeconfig = flag(["--kubeconfig"], in: words)
    settings.kubeContext = flag(["--kube-context"], in: words)
    return try? ActionConfiguration(settings: settings)
  }

  /// Release names of the namespace `words` name.
  static let releases = CompletionKind.custom { words, _, prefix in
    guard let config = configuration(words), let releases = try? ListReleases(config: config).run() else { return [] }
    return releases.map(\.release).filter { $0.hasPrefix(prefix) }
  }

  /// Namespaces that have releases in the store.
  static let namespaces = CompletionKind.custom { words, _, prefix in
    guard let config = configuration(words) else { return [] }
    var list = ListReleases(config: config)
    list.allNamespaces = true
    let namespaces = Set(((try? list.run()) ?? []).map(\.namespace))
    return namespaces.sorted().filter { $0.hasPrefix(prefix) }
  }

  /// Charts: the built-in ones and, in the folder the typed prefix names, the folders and
  /// `.tgz` files whose names start with it.
  static let charts = CompletionKind.custom { _, _, prefix in
    let slash = prefix.lastIndex(of: "/")
    let folder = slash.map { String(prefix[...$0]) } ?? ""
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
    let local = entries.sorted().compactMap { name -> String? in
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: (folder.isEmpty ? "." : folder) + "/" + name, isDirectory: &isFolder),
        isFolder.boolValue || name.hasSuffix(".tgz") else { return nil }
      return folder + name + (isFolder.boolValue ? "/" : "")
    }
    return (ChartSelection.builtinNames + local).filter { $0.hasPrefix(prefix) }
  }

  /// Revision numbers of the release named in `words` (the first word that is a release).
  static let revisions = CompletionKind.custom { words, _, prefix in
    guard let config = configuration(words), let releases = try? ListReleases(config: config).run() else { return [] }
    let names = Set(releases.map(\.release))
    guard let release = words.first(where: names.contains) else { return [] }
    var history = History(config: config)
    history.release = release
    return ((try? history.run()) ?? []).map { String($0.revision) }.filter { $0.hasPrefix(prefix) }
  }
}
