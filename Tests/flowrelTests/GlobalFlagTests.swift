import Foundation
import Testing

/// Helm's global flags before the verb, `--debug` on every command, `flowrel env` and
/// `flowrel completion`.
@Suite struct GlobalFlagTests {
  static let kubeconfig =
    "current-context: dev\ncontexts:\n- name: dev\n  context: {namespace: team-a}\n- name: prod\n  context: {namespace: team-b}\n"

  @Test func globalFlagsWorkBeforeTheVerb() throws {
    let folder = try TemporaryFolder(["kubeconfig": Self.kubeconfig])
    let environment = ["FLOWREL_NAMESPACE": ""]
    let before = try FlowrelProcess.run(["-n", "search", "template", "web"], environment: environment)
    #expect(before.status == 0, "\(before.stderr)")
    #expect(before.stdout.contains("namespace: search\n"))
    let context = try FlowrelProcess.run(
      ["--kubeconfig", folder.path("kubeconfig"), "--kube-context", "prod", "template", "web"], environment: environment)
    #expect(context.status == 0, "\(context.stderr)")
    #expect(context.stdout.contains("namespace: team-b\n"))
    // The variable names the context as HELM_KUBECONTEXT does; the flag wins over it.
    let variable = try FlowrelProcess.run(
      ["template", "web", "--kubeconfig", folder.path("kubeconfig")], environment: ["FLOWREL_NAMESPACE": "", "FLOWREL_KUBECONTEXT": "prod"])
    #expect(variable.stdout.contains("namespace: team-b\n"))
  }

  /// kubectl's `--context` names the context as `--kube-context` does, before or after the verb;
  /// on `diff upgrade` it stays helm-diff's number of context lines.
  @Test func kubectlsContextFlagIsTheKubeContext() throws {
    let folder = try TemporaryFolder(["kubeconfig": Self.kubeconfig])
    let environment = ["FLOWREL_NAMESPACE": ""]
    for line in [
      ["--kubeconfig", folder.path("kubeconfig"), "--context", "prod", "template", "web"],
      ["template", "web", "--kubeconfig", folder.path("kubeconfig"), "--context=prod"],
    ] {
      let result = try FlowrelProcess.run(line, environment: environment)
      #expect(result.status == 0, "\(line): \(result.stderr)")
      #expect(result.stdout.contains("namespace: team-b\n"), "\(line)")
    }
    let diff = try FlowrelProcess.run(["diff", "upgrade", "web", "--context", "prod", "--store", folder.path("releases")], environment: environment)
    #expect(diff.stderr.contains("prod"), "helm-diff's --context takes a number: \(diff.stderr)")
  }

  @Test func globalFlagsBeforeTheVerbReachARecordingCommand() throws {
    let folder = try TemporaryFolder()
    let store = folder.path("releases")
    let install = try FlowrelProcess.run(["-n", "search", "install", "web", "--no-apply", "--store", store], in: folder.url)
    #expect(install.status == 0, "\(install.stderr)")
    #expect(install.stdout.contains("NAMESPACE: search\n"))
    let status = try FlowrelProcess.run(["--namespace", "search", "status", "web", "--store", store, "--kubectl", "/bin/false", "--debug"], in: folder.url)
    #expect(status.stderr.contains("running /bin/false"), "\(status.stderr)")
    let list = try FlowrelProcess.run(["-n", "search", "list", "-q", "--store", store], in: folder.url)
    #expect(list.stdout == "web\n")
  }

  @Test func debugBeforeTheVerbOrFromTheEnvironmentShowsKubectlLines() throws {
    let folder = try TemporaryFolder()
    let before = try FlowrelProcess.run(["--debug", "install", "web", "--kubectl", "/bin/false"], in: folder.url)
    #expect(before.status == 2)
    #expect(before.stderr.hasPrefix("running /bin/false get --raw /version"), "\(before.stderr)")
    let variable = try FlowrelProcess.run(
      ["install", "web", "--kubectl", "/bin/false"], in: folder.url, environment: ["FLOWREL_DEBUG": "true"])
    #expect(variable.stderr.hasPrefix("running /bin/false get --raw /version"), "\(variable.stderr)")
    let off = try FlowrelProcess.run(
      ["install", "web", "--kubectl", "/bin/false"], in: folder.url, environment: ["FLOWREL_DEBUG": "false"])
    #expect(!off.stderr.contains("running /bin/false"))
  }

  @Test(arguments: [
    ["--debug", "show", "chart"], ["show", "values", "--debug"], ["--debug", "lint"], ["version", "--debug"],
    ["--debug", "completion", "bash"], ["env", "--debug"], ["--debug", "list", "-A"], ["secrets", "keygen", "--debug"],
  ])
  func everyCommandTakesDebug(_ arguments: [String]) throws {
    let folder = try TemporaryFolder()
    let result = try FlowrelProcess.run(arguments, in: folder.url, environment: ["FLOWREL_STORE": folder.path("releases")])
    #expect(result.status == 0, "\(result.stderr)")
  }

  @Test func templateDebugPrintsTheFailingOutput() throws {
    let folder = try TemporaryFolder([
      "bad/Chart.yaml": "apiVersion: v2\nname: bad\nversion: 1.0.0\n",
      "bad/templates/a.yaml": "kind: ConfigMap\nmetadata: {name: x\n",
    ])
    let plain = try FlowrelProcess.run(["template", "r", folder.path("bad")])
    let debug = try FlowrelProcess.run(["--debug", "template", "r", folder.path("bad")])
    #expect(plain.status == 1 && debug.status == 1)
    #expect(!plain.stderr.contains("metadata: {name: x"))
    #expect(debug.stderr.contains("metadata: {name: x"))
    #expect(debug.stderr.contains("(--debug shows the rendered text)"))
    // Every rendering command shows it with --debug.
    let store = folder.path("releases")
    let install = try FlowrelProcess.run(["install", "r", folder.path("bad"), "--no-apply", "--store", store, "--debug"], in: folder.url)
    #expect(install.status == 1)
    #expect(install.stderr.contains("kind: ConfigMap\nmetadata: {name: x\nError: "), "\(install.stderr)")
  }
}

@Suite struct EnvCommandTests {
  @Test func envPrintsTheSettingsInEffectSortedAsHelmEnv() throws {
    let folder = try TemporaryFolder()
    let store = folder.path("store")
    let result = try FlowrelProcess.run(
      ["env", "-n", "team", "--store", store, "--kube-context", "prod"], in: folder.url,
      environment: ["FLOWREL_KUBECTL": "/opt/kubectl", "FLOWREL_AGE_RECIPIENTS": "", "FLOWREL_SECRET_KEY_FILE": "", "KUBECONFIG": "",
                    "FLOWREL_DEBUG": ""])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n").map(String.init)
    #expect(lines == lines.sorted())
    #expect(lines.contains("FLOWREL_NAMESPACE=\"team\""))
    #expect(lines.contains("FLOWREL_STORE=\"\(store)\""))
    #expect(lines.contains("FLOWREL_KUBECONTEXT=\"prod\""))
    #expect(lines.contains("FLOWREL_KUBECTL=\"/opt/kubectl\""))
    #expect(lines.contains("FLOWREL_DEBUG=\"false\""))
    #expect(!lines.contains { $0.hasPrefix("KUBECONFIG=") }, "only when one is given, as Helm")
    #expect(lines.allSatisfy { $0.range(of: #"^[A-Z_]+="[^"]*"$"#, options: .regularExpression) != nil }, "\(lines)")
  }

  @Test func envWithANamePrintsItsValue() throws {
    let folder = try TemporaryFolder()
    let one = try FlowrelProcess.run(["env", "FLOWREL_NAMESPACE", "-n", "team"], in: folder.url)
    #expect(one.stdout == "team\n")
    let debug = try FlowrelProcess.run(["--debug", "env", "FLOWREL_DEBUG"], in: folder.url)
    #expect(debug.stdout == "true\n")
    let unknown = try FlowrelProcess.run(["env", "HELM_NAMESPACE"], in: folder.url)
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("HELM_NAMESPACE is not one of flowrel's variables"))
  }

  @Test func theDefaultStoreIsTheOneACommandWouldUse() throws {
    let folder = try TemporaryFolder()
    let result = try FlowrelProcess.run(["env", "FLOWREL_STORE"], in: folder.url, environment: ["FLOWREL_STORE": ""])
    // Outside any repository: releases/ in the current folder (as install would make it).
    #expect(result.stdout.hasSuffix("/releases\n"), "\(result.stdout)")
    #expect(!FileManager.default.fileExists(atPath: folder.path("releases")), "env creates nothing")
  }

  @Test func valuesAreQuotedForAShell() throws {
    let result = try FlowrelProcess.run(["env", "--store", "a\"$b`c\\d"])
    #expect(result.stdout.contains(#"FLOWREL_STORE="a\"\$b\`c\\d""#), "\(result.stdout)")
  }
}

@Suite struct CompletionCommandTests {
  @Test(arguments: [("bash", "complete -o filenames -F"), ("zsh", "#compdef flowrel"), ("fish", "complete -c 'flowrel'")])
  func completionPrintsTheShellsScript(_ shell: String, _ marker: String) throws {
    let result = try FlowrelProcess.run(["completion", shell])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains(marker), "\(result.stdout.prefix(300))")
    #expect(result.stdout.contains("install"))
    #expect(result.stdout.contains("---completion"), "release names are asked from flowrel")
  }

  @Test func anUnknownShellIsRefused() throws {
    let result = try FlowrelProcess.run(["completion", "powershell"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("powershell"))
  }

  @Test func releaseNamesAndNamespacesComeFromTheStore() throws {
    let folder = try TemporaryFolder()
    let store = folder.path("releases")
    for (name, namespace) in [("web", "search"), ("api", "search"), ("db", "data")] {
      let install = try FlowrelProcess.run(["install", name, "-n", namespace, "--no-apply", "--store", store], in: folder.url)
      #expect(install.status == 0, "\(install.stderr)")
    }
    // What the scripts run while a user types `flowrel status -n search --store STORE <TAB>`.
    let releases = try FlowrelProcess.run(
      ["---completion", "status", "--", "positional@0", "6", "0", "flowrel", "status", "-n", "search", "--store", store, ""], in: folder.url)
    #expect(releases.stdout.split(separator: "\n").sorted() == ["api", "web"], "\(releases.stdout)\(releases.stderr)")
    let namespaces = try FlowrelProcess.run(
      ["---completion", "status", "--", "--namespace", "5", "0", "flowrel", "status", "--store", store, "-n", ""], in: folder.url)
    #expect(namespaces.stdout.split(separator: "\n") == ["data", "search"], "\(namespaces.stdout)\(namespaces.stderr)")
  }

  @Test func chartsAreTheBuiltInOnesAndFoldersAndArchives() throws {
    let folder = try TemporaryFolder(["mychart/Chart.yaml": "name: mychart\n", "my.tgz": "", "mynotes.txt": ""])
    let typed = try FlowrelProcess.run(["---completion", "lint", "--", "positional@0", "2", "2", "flowrel", "lint", "my"], in: folder.url)
    #expect(typed.stdout.split(separator: "\n") == ["my.tgz", "mychart/"], "\(typed.stdout)\(typed.stderr)")
    let empty = try FlowrelProcess.run(["---completion", "lint", "--", "positional@0", "2", "0", "flowrel", "lint", ""], in: folder.url)
    #expect(empty.stdout.split(separator: "\n").first == "flow", "\(empty.stdout)")
  }
}

/// `get values -a/-o` as Helm's, and `-o json|yaml` on every part.
@Suite struct GetFlagTests {
  @Test func getValuesTakesAllAndOutputAndEveryPartTakesOutput() throws {
    let folder = try TemporaryFolder()
    let store = folder.path("releases")
    let install = try FlowrelProcess.run(["install", "web", "--no-apply", "--store", store, "--set", "gateway.replicas=2"], in: folder.url)
    #expect(install.status == 0, "\(install.stderr)")
    let given = try FlowrelProcess.run(["get", "values", "web", "--store", store], in: folder.url)
    #expect(given.stdout == "USER-SUPPLIED VALUES:\ngateway:\n  replicas: 2\n", "\(given.stdout)")
    let json = try FlowrelProcess.run(["get", "values", "web", "--store", store, "-o", "json"], in: folder.url)
    #expect(json.stdout.filter { !$0.isWhitespace } == #"{"gateway":{"replicas":2}}"#, "\(json.stdout)")
    let all = try FlowrelProcess.run(["get", "values", "web", "--store", store, "-a", "-o", "yaml"], in: folder.url)
    #expect(all.status == 0, "\(all.stderr)")
    #expect(all.stdout.hasPrefix("jtype: Flow\n"), "the chart's defaults come first: \(all.stdout)")
    #expect(all.stdout.contains("gateway:\n  replicas: 2\n"))
    let manifest = try FlowrelProcess.run(["get", "manifest", "web", "--store", store, "-o", "json"], in: folder.url)
    #expect(manifest.status == 0, "\(manifest.stderr)")
    let objects = try JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8)) as? [[String: Any]]
    #expect(objects?.contains { $0["kind"] as? String == "Deployment" } == true, "\(manifest.stdout)")
    let notes = try FlowrelProcess.run(["get", "notes", "web", "--store", store, "-o", "yaml"], in: folder.url)
    #expect(notes.status == 0 && notes.stdout.hasPrefix("notes: "), "\(notes.stdout)\(notes.stderr)")
    let release = try FlowrelProcess.run(["get", "all", "web", "--store", store, "-o", "json"], in: folder.url)
    let document = try JSONSerialization.jsonObject(with: Data(release.stdout.utf8)) as? [String: Any]
    #expect(document?["name"] as? String == "web" && document?["version"] as? Int == 1, "\(release.stdout)")
    #expect((document?["config"] as? [String: Any])?["gateway"] != nil)
    #expect((document?["manifest"] as? String)?.contains("kind: Deployment") == true)
    let allElsewhere = try FlowrelProcess.run(["get", "manifest", "web", "--store", store, "-a"], in: folder.url)
    #expect(allElsewhere.status == 1 && allElsewhere.stderr.hasPrefix("Error: --all is for get values only"), "\(allElsewhere.stderr)")
    let hooks = try FlowrelProcess.run(["get", "hooks", "web", "--store", store], in: folder.url)
    // The flow chart has no hooks: nothing to show.
    #expect(hooks.status == 0 && hooks.stdout.isEmpty, "\(hooks.stdout)\(hooks.stderr)")
  }
}
