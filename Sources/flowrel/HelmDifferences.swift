import ArgumentParser
import FlowrelActions
import Foundation

/// Helm flags flowrel does not have, each answered instead of ArgumentParser's "unknown option":
/// refused with the reason flowrel differs, or (where Helm's effect is flowrel's anyway) accepted
/// with a one-line note, or (kubectl's `--context`) read as flowrel's own flag. A command that declares one of these flags itself is never touched, so
/// a flag built later simply takes over. The README's "Differences from Helm" lists the same.
enum HelmDifferences {
  /// What happens to a flag.
  enum Handling {
    /// Refused (exit 1) with this reason.
    case refused(String)
    /// Accepted, the note printed on standard error; `takesValue` when the flag is followed by
    /// a value (which is dropped with it).
    case noted(String, takesValue: Bool)
    /// Another name of a flowrel flag: typed as that flag (its value kept).
    case renamed(to: String)
  }

  /// Flags of some verbs and how flowrel answers them.
  struct Entry {
    /// The verbs (`install`, `get`, `diff upgrade`); empty for every verb (Helm's global flags).
    var verbs: Set<String>
    /// The flags, as typed (`--repo`, `-l`).
    var flags: [String]
    /// What happens.
    var handling: Handling
  }

  /// The verbs that render a chart with install's flags.
  static let deployVerbs: Set<String> = ["install", "upgrade", "template", "diff upgrade"]
  /// The verbs that read a chart (Helm's repository flags).
  static let chartVerbs: Set<String> = deployVerbs.union(["show chart", "show values", "show readme", "show all", "show", "lint"])

  /// Every Helm flag flowrel answers this way.
  static let entries: [Entry] = [
    // kubectl's name for the context; on the diff verbs helm-diff's `--context N` (declared there) wins.
    Entry(verbs: [], flags: ["--context"], handling: .renamed(to: "--kube-context")),
    // Helm's global flags for the Kubernetes client and repositories.
    Entry(verbs: [], flags: ["--kube-apiserver", "--kube-token", "--kube-as-user", "--kube-as-group", "--kube-ca-file",
                             "--kube-tls-server-name", "--kube-insecure-skip-tls-verify"],
      handling: .refused("flowrel reaches the cluster through kubectl: put the server, credentials or impersonation in a kubeconfig context (--kubeconfig, --kube-context)")),
    Entry(verbs: [], flags: ["--burst-limit", "--qps"],
      handling: .refused("flowrel runs kubectl, which applies its own client rate limits; they cannot be set from flowrel")),
    Entry(verbs: [], flags: ["--registry-config", "--repository-config", "--repository-cache"],
      handling: .refused("flowrel has no chart repositories or registries: a chart is built in, a folder or a .tgz file")),
    // Charts come from no repository.
    Entry(verbs: chartVerbs, flags: ["--repo", "--username", "--password", "--pass-credentials", "--ca-file", "--cert-file",
                                     "--key-file", "--insecure-skip-tls-verify", "--plain-http"],
      handling: .refused("flowrel has no chart repositories: name a built-in chart, a chart folder or a .tgz file")),
    Entry(verbs: chartVerbs, flags: ["--verify", "--keyring"],
      handling: .refused("flowrel reads no provenance files: charts come from flowrel itself or from your own folders and files")),
    Entry(verbs: chartVerbs, flags: ["--devel"],
      handling: .refused("there is no repository to pick a development version from; --version accepts a prerelease version itself (1.2.3-rc.1)")),
    // Subcharts.
    Entry(verbs: deployVerbs, flags: ["--dependency-update"],
      handling: .refused("a deploy never changes the chart's folder: run `flowrel dependency update CHART` first, then commit charts/ and Chart.lock")),
    Entry(verbs: deployVerbs, flags: ["--render-subchart-notes"],
      handling: .refused("flowrel keeps only the top chart's NOTES.txt, as Helm does without this flag")),
    Entry(verbs: ["lint"], flags: ["--with-subcharts"],
      handling: .refused("lint each subchart by its folder (flowrel lint CHART/charts/NAME); lint takes several charts")),
    Entry(verbs: ["diff upgrade", "diff rollback", "diff revision"], flags: ["--no-hooks"],
      handling: .noted("flowrel's diffs compare the release's objects, never its hooks", takesValue: false)),
    Entry(verbs: ["diff upgrade", "diff rollback", "diff revision"], flags: ["--skip-crds", "--include-crds"],
      handling: .refused("a chart's crds/ are created on install and never changed after, so a diff never shows them")),
    Entry(verbs: ["diff upgrade", "diff rollback", "diff revision"], flags: ["--skip-tests", "--include-tests"],
      handling: .refused("flowrel's diffs compare the release's objects, never its hooks (test hooks included)")),
    // Install and upgrade.
    Entry(verbs: ["install", "upgrade", "template"], flags: ["-l", "--labels"],
      handling: .refused("Helm's release labels are labels of its storage Secret; flowrel records a release as git commits (--description describes a revision)")),
    Entry(verbs: ["install", "template"], flags: ["--name-template"],
      handling: .refused("release names are not made from templates: name the release, or use -g/--generate-name")),
    Entry(verbs: deployVerbs, flags: ["--disable-openapi-validation"],
      handling: .refused("flowrel applies with kubectl server-side apply, where the API server always validates the objects")),
    Entry(verbs: deployVerbs.union(["lint"]), flags: ["--skip-schema-validation"],
      handling: .refused("values are always checked against values.schema.json: the flow chart's schema is how Jina's arguments are checked")),
    Entry(verbs: ["install", "upgrade", "template"], flags: ["--hide-notes"],
      handling: .refused("not supported yet: the notes are part of the printed release; -o json/yaml gives the release for scripts")),
    Entry(verbs: ["install", "upgrade", "template"], flags: ["--hide-secret"],
      handling: .refused("not supported yet: a dry run prints Secrets as rendered (the store encrypts them)")),
    Entry(verbs: ["template"], flags: ["--atomic", "--rollback-on-failure", "--create-namespace", "--wait", "--wait-for-jobs", "--replace", "--dry-run", "--force", "--skip-crds"],
      handling: .noted("template only renders: nothing is applied or recorded, so this flag has no effect (as in Helm)", takesValue: false)),
    Entry(verbs: ["template"], flags: ["--timeout", "--description"],
      handling: .noted("template only renders: nothing is applied or recorded, so this flag has no effect (as in Helm)", takesValue: true)),
    Entry(verbs: ["template"], flags: ["--validate"],
      handling: .refused("template never reaches the cluster: flowrel lint checks the objects, install --dry-run compares with the store")),
    Entry(verbs: ["template"], flags: ["--release-name"],
      handling: .refused("--output-dir writes one file per object, without the release name in the path")),
    // Rollback and uninstall.
    Entry(verbs: ["rollback"], flags: ["--recreate-pods"],
      handling: .refused("deprecated in Helm 3 and not in flowrel: restart the workloads with kubectl rollout restart")),
    Entry(verbs: ["uninstall"], flags: ["--cascade"],
      handling: .refused("flowrel deletes with kubectl's default cascade (background); other policies are not supported")),
    Entry(verbs: ["uninstall"], flags: ["--ignore-not-found"],
      handling: .refused("not supported yet: uninstalling a release that is not installed is an error")),
    Entry(verbs: ["test"], flags: ["--filter", "--logs"],
      handling: .refused("not supported yet: flowrel test runs every test hook and reports each one's phase")),
    // Queries.
    Entry(verbs: ["status"], flags: ["--show-desc"],
      handling: .noted("flowrel's status always shows the description", takesValue: false)),
    Entry(verbs: ["list"], flags: ["-l", "--selector"],
      handling: .refused("Helm's release labels have no flowrel counterpart (a release is git commits); -f/--filter selects by name")),
    Entry(verbs: ["list"], flags: ["--time-format"],
      handling: .refused("not supported: times are printed as RFC 3339 in UTC")),
    Entry(verbs: ["get"], flags: ["--template"],
      handling: .refused("Go templates over a release are not supported: get values -o json, get manifest and get notes give the parts")),
    Entry(verbs: ["show values"], flags: ["--jsonpath"],
      handling: .refused("not supported: show values prints the chart's values.yaml as it is")),
    Entry(verbs: ["lint"], flags: ["--quiet"],
      handling: .noted("flowrel's lint prints only warnings and errors anyway", takesValue: false)),
    Entry(verbs: ["create"], flags: ["-p", "--starter"],
      handling: .refused("flowrel create copies the built-in flow chart; starter charts are not supported")),
    Entry(verbs: ["version"], flags: ["--template"],
      handling: .refused("Go templates are not supported: flowrel version -o json gives the versions for scripts")),
    Entry(verbs: ["version"], flags: ["-c", "--client"],
      handling: .noted("flowrel has no server part: the version is the client's", takesValue: false)),
    Entry(verbs: ["completion"], flags: ["--no-descriptions"],
      handling: .refused("flowrel's completion scripts always include the descriptions")),
    // helm-diff.
    Entry(verbs: ["diff upgrade", "diff rollback", "diff revision"], flags: ["--three-way-merge"],
      handling: .refused("flowrel diff upgrade/rollback compare with the store; flowrel diff live shows how the cluster differs from it")),
    Entry(verbs: ["diff upgrade", "diff rollback", "diff revision"], flags: ["--normalize-manifests"],
      handling: .noted("flowrel always compares manifests in canonical YAML", takesValue: false)),
    Entry(verbs: ["diff upgrade", "diff rollback", "diff revision"], flags: ["--find-renames", "--strip-trailing-cr", "--suppress-output-line-regex"],
      handling: .refused("not supported: flowrel compares objects by kind, namespace and name")),
    Entry(verbs: ["diff upgrade"], flags: ["--disable-validation", "--take-ownership"],
      handling: .refused("flowrel's diff never reaches the cluster: it compares the store with the new render")),
  ]

  /// Applies the table to `arguments` (without the program name): refuses a listed flag, or
  /// drops a noted one (and its value) after printing its note, or types a renamed one as
  /// flowrel's flag. Flags the command declares are left to it. Returns the arguments to parse.
  static func apply(to arguments: [String]) throws(ActionError) -> [String] {
    let (verb, command) = resolve(arguments)
    var kept: [String] = []
    var index = 0
    var declared: String?
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" {
        kept += arguments[index...]
        break
      }
      let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
      guard name.hasPrefix("-"), let entry = entries.first(where: { $0.flags.contains(name) && ($0.verbs.isEmpty || $0.verbs.contains(verb)) })
      else {
        kept.append(argument)
        index += 1
        continue
      }
      // The command's own flag of that name wins (checked only when a listed flag is typed).
      declared = declared ?? Flowrel.helpMessage(for: command, includeHidden: true, columns: 10_000)
      if let declared, declares(declared, name) {
        kept.append(argument)
        index += 1
        continue
      }
      switch entry.handling {
      case .refused(let reason):
        throw .usage("\(name): \(reason)")
      case .noted(let note, let takesValue):
        Console.error("note: \(name) is accepted: \(note)")
        index += takesValue && !argument.contains("=") ? 2 : 1
      case .renamed(let flowrelName):
        kept.append(flowrelName + argument.dropFirst(name.count))
        index += 1
      }
    }
    return kept
  }

  /// Whether `help` (a command's help text) lists the flag `name`: in the names that start a
  /// line of the options, before the two spaces that lead to its description.
  static func declares(_ help: String, _ name: String) -> Bool {
    help.split(separator: "\n").contains { line in
      let trimmed = line.drop(while: { $0 == " " })
      guard trimmed.hasPrefix("-") else { return false }
      let names = trimmed.components(separatedBy: "  ").first ?? ""
      return names.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "=" }).contains { $0 == name }
    }
  }

  /// The global flags that take a value, skipped when looking for the verb.
  static let globalOptionsWithValues: Set<String> = ["-n", "--namespace", "--kubeconfig", "--kube-context", "--context"]

  /// The verb `arguments` name (`get`, `diff upgrade`; `""` for none) and its command type.
  static func resolve(_ arguments: [String]) -> (String, ParsableCommand.Type) {
    var command: ParsableCommand.Type = Flowrel.self
    var path: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      if argument == "--" { break }
      if argument.hasPrefix("-") {
        index += globalOptionsWithValues.contains(argument) ? 2 : 1
        continue
      }
      let next = command.configuration.subcommands.first { sub in
        sub.configuration.commandName == argument || sub.configuration.aliases.contains(argument)
      }
      // Before the verb, a word that is none may be the value of a flag flowrel lacks.
      guard let next else {
        if path.isEmpty {
          index += 1
          continue
        }
        break
      }
      command = next
      path.append(next.configuration.commandName ?? argument)
      index += 1
    }
    return (path.joined(separator: " "), command)
  }
}
