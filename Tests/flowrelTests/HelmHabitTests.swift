import FlowrelValue
import Foundation
import Testing

/// Command lines Helm users type: each works as in Helm, or fails saying why.
@Suite struct HelmHabitTests {
  @Test func versionAfterAVerbIsTheChartsVersion() throws {
    let wrong = try FlowrelProcess.run(["template", "web", "--version", "1.2.3"])
    #expect(wrong.status == 1)
    #expect(wrong.stdout.isEmpty, "nothing rendered, and never flowrel's own version")
    #expect(wrong.stderr == "Error: flowrel:flow/Chart.yaml: version: the chart is version 0.1.0, which does not meet --version 1.2.3\n")
    let met = try FlowrelProcess.run(["template", "web", "--version", ">=0.1 <1"])
    #expect(met.status == 0)
    #expect(met.stdout.contains("kind: Deployment"))
    let constraint = try FlowrelProcess.run(["show", "chart", "--version", "^0.1"])
    #expect(constraint.status == 0 && constraint.stdout.contains("name: flow"))
    let bad = try FlowrelProcess.run(["install", "web", "--version", "one"])
    #expect(bad.status == 1 && bad.stderr.hasPrefix("Error: --version one is not a version or version constraint"))
  }

  @Test func flowrelsOwnVersion() throws {
    let top = try FlowrelProcess.run(["--version"])
    #expect(top.status == 0 && top.stdout == "0.1.0\n")
    let short = try FlowrelProcess.run(["version", "--short"])
    #expect(short.stdout == "v0.1.0\n")
    let json = try FlowrelProcess.run(["version", "-o", "json"])
    #expect(json.stdout.hasPrefix(#"{"flowrel":"0.1.0","libgit2":""#))
    #expect(json.stdout.contains(#""libyaml":""#))
  }

  @Test(arguments: [
    (["template", "./mychart"], 1, "Error: ./mychart: no such chart"),
    (["template", "missing.tgz"], 1, "Error: missing.tgz: no such chart"),
    (["template", "Bad_Name"], 1, "Error: release name \"Bad_Name\" is invalid"),
    (["template", String(repeating: "a", count: 54)], 1, "Error: release name \"" + String(repeating: "a", count: 54) + "\" must have 1 to 53 characters"),
  ])
  func templateArgumentsThatCannotBeRendered(_ arguments: [String], _ status: Int32, _ message: String) throws {
    let result = try FlowrelProcess.run(arguments)
    #expect(result.status == status)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
  }

  @Test func oneArgumentNamingAChartRendersItAsReleaseName() throws {
    let builtIn = try FlowrelProcess.run(["template", "flow"])
    #expect(builtIn.status == 0)
    #expect(builtIn.stdout.contains("app.kubernetes.io/instance: release-name"))
    let folder = try TemporaryFolder()
    #expect(try FlowrelProcess.run(["create", "mychart"], in: folder.url).status == 0)
    let local = try FlowrelProcess.run(["template", "./mychart"], in: folder.url)
    #expect(local.status == 0)
    #expect(local.stdout.contains("app.kubernetes.io/instance: release-name"))
    let named = try FlowrelProcess.run(["template", "search-flow"])
    #expect(named.stdout.contains("app.kubernetes.io/instance: search-flow"), "any other name is the release of the flow chart")
  }

  @Test func generateNameMakesUpTheRelease() throws {
    let result = try FlowrelProcess.run(["template", "-g", "flow"])
    #expect(result.status == 0)
    #expect(result.stdout.range(of: #"app.kubernetes.io/instance: flow-[0-9]{10}"#, options: .regularExpression) != nil)
  }

  @Test func uninstallNoApplySaysNothingWasDeleted() throws {
    let folder = try TemporaryFolder()
    let store = folder.url.appendingPathComponent("releases").path
    #expect(try FlowrelProcess.run(["install", "web", "--no-apply", "--store", store], in: folder.url).status == 0)
    let result = try FlowrelProcess.run(["uninstall", "web", "--no-apply", "--store", store], in: folder.url)
    #expect(result.status == 0)
    #expect(!result.stdout.contains("deleted "))
    #expect(result.stdout.hasPrefix("recorded the removal of "))
  }
}

/// Where the store is when no `--store` is given: `releases/` at the top of the git work tree.
@Suite struct DefaultStoreTests {
  let identity = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
                  "GIT_COMMITTER_EMAIL": "t@example.org", "FLOWREL_STORE": ""]

  @Test func aSubdirectoryOfTheRepositoryFindsTheStoreAtItsTop() throws {
    let folder = try TemporaryFolder()
    let git = Process()
    git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    git.arguments = ["init", "-q", "-b", "main", folder.url.path]
    try git.run()
    git.waitUntilExit()
    let sub = folder.url.appendingPathComponent("deploy/prod")
    try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
    let install = try FlowrelProcess.run(["install", "web", "--no-apply"], in: sub, environment: identity)
    #expect(install.status == 0, "\(install.stderr)")
    let store = folder.url.appendingPathComponent("releases").resolvingSymlinksInPath().path
    #expect(install.stderr.contains("recorded default/web in the store "), "\(install.stderr)")
    #expect(install.stderr.contains("releases on branch main"))
    #expect(FileManager.default.fileExists(atPath: store + "/default/web/release.yaml"))
    let list = try FlowrelProcess.run(["list", "-A", "-o", "json"], in: folder.url.appendingPathComponent("deploy"), environment: identity)
    #expect(list.stdout.contains(#""name": "web""#), "\(list.stdout)")
  }

  @Test func outsideAnyRepositoryOneIsMadeHereAndSaidSo() throws {
    let folder = try TemporaryFolder()
    let install = try FlowrelProcess.run(["install", "web", "--no-apply"], in: folder.url, environment: identity)
    #expect(install.status == 0, "\(install.stderr)")
    #expect(install.stderr.hasPrefix("created a git repository in "), "\(install.stderr)")
    #expect(FileManager.default.fileExists(atPath: folder.path(".git")))
    #expect(FileManager.default.fileExists(atPath: folder.path("releases/default/web/release.yaml")))
  }

  @Test func anEmptyStoreFlagIsAnError() throws {
    let folder = try TemporaryFolder()
    let result = try FlowrelProcess.run(["install", "web", "--no-apply", "--store", ""], in: folder.url, environment: identity)
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("Error: --store needs a folder"))
    #expect(!FileManager.default.fileExists(atPath: folder.path(".git")))
  }

  @Test func initSaysWhatItMadeAndWhatWasThere() throws {
    let folder = try TemporaryFolder()
    let first = try FlowrelProcess.run(["init"], in: folder.url, environment: identity)
    #expect(first.stderr.hasPrefix("Created a git repository and the store "))
    let again = try FlowrelProcess.run(["init"], in: folder.url, environment: identity)
    #expect(again.stderr.contains("already exists in its repository; nothing was created"), "\(again.stderr)")
  }
}

/// The namespace: `-n`, else `FLOWREL_NAMESPACE`, else the kubeconfig context's, else `default`.
@Suite struct NamespaceTests {
  @Test func theNamespaceIsChosenAsHelmAndKubectlChooseIt() throws {
    let folder = try TemporaryFolder([
      "kubeconfig": "current-context: dev\ncontexts:\n- name: dev\n  context: {namespace: team-a}\n- name: prod\n  context: {namespace: team-b}\n",
    ])
    let kubeconfig = folder.path("kubeconfig")
    func namespace(_ arguments: [String], _ environment: [String: String] = [:]) throws -> String? {
      let result = try FlowrelProcess.run(["template", "web"] + arguments, environment: ["FLOWREL_NAMESPACE": ""].merging(environment) { $1 })
      return result.stdout.split(separator: "\n").first { $0.hasPrefix("  namespace: ") }.map { String($0.dropFirst(13)) }
    }
    #expect(try namespace(["--kubeconfig", kubeconfig]) == "team-a")
    #expect(try namespace(["--kube-context", "prod"], ["KUBECONFIG": kubeconfig]) == "team-b")
    #expect(try namespace(["--kubeconfig", kubeconfig], ["FLOWREL_NAMESPACE": "from-env"]) == "from-env")
    #expect(try namespace(["--kubeconfig", kubeconfig, "-n", "from-flag"], ["FLOWREL_NAMESPACE": "from-env"]) == "from-flag")
    #expect(try namespace([], ["KUBECONFIG": "", "HOME": folder.url.path]) == "default")
  }
}

/// Without a git identity, commits get flowrel's own, and the user is told once.
@Suite struct GitIdentityTests {
  @Test func aMissingIdentityIsSaidOnce() throws {
    let folder = try TemporaryFolder()
    let environment = ["HOME": folder.url.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "", "GIT_AUTHOR_EMAIL": "",
                       "GIT_COMMITTER_NAME": "", "GIT_COMMITTER_EMAIL": "", "EMAIL": "", "FLOWREL_STORE": ""]
    let result = try FlowrelProcess.run(["install", "web", "--no-apply"], in: folder.url, environment: environment)
    #expect(result.status == 0, "\(result.stderr)")
    let notes = result.stderr.split(separator: "\n").filter { $0.hasPrefix("no git identity is set") }
    #expect(notes.count == 1, "\(result.stderr)")
    let named = try FlowrelProcess.run(
      ["upgrade", "web", "--no-apply"], in: folder.url,
      environment: environment.merging(["GIT_AUTHOR_NAME": "Ann", "GIT_AUTHOR_EMAIL": "ann@example.org"]) { $1 })
    #expect(named.status == 0)
    #expect(!named.stderr.contains("no git identity"))
  }
}

/// Helm's spellings: aliases, `rollback 0`, flags accepted with a note, flags refused with a reason.
@Suite struct HelmSpellingTests {
  let environment = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
                     "GIT_COMMITTER_EMAIL": "t@example.org", "FLOWREL_STORE": "", "FLOWREL_NAMESPACE": ""]

  @Test func commandLinesHelmUsersType() throws {
    let folder = try TemporaryFolder()
    func run(_ arguments: [String]) throws -> FlowrelProcess.Result {
      try FlowrelProcess.run(arguments, in: folder.url, environment: environment)
    }
    #expect(try run(["install", "web", "--no-apply"]).status == 0)
    #expect(try run(["install", "api", "--no-apply"]).status == 0)
    let upgraded = try run(["upgrade", "web", "--no-apply", "--history-max", "10", "--wait-for-jobs", "--reset-then-reuse-values"])
    #expect(upgraded.status == 0, "\(upgraded.stderr)")
    #expect(upgraded.stderr.contains("note: --history-max is accepted and ignored"))
    #expect(try run(["ls"]).stdout.contains("web"))
    let history = try run(["hist", "web", "-o", "json"])
    #expect(history.stdout.contains(#""revision": 2"#), "\(history.stdout)")
    let rollback = try run(["rollback", "web", "0", "--no-apply", "--rollback-on-failure"])
    #expect(rollback.status == 0, "\(rollback.stderr)")
    #expect(rollback.stdout.contains("REVISION: 3"))
    #expect(rollback.stdout.contains("DESCRIPTION: Rollback to 1"))
    let force = try run(["upgrade", "web", "--force", "--no-apply"])
    #expect(force.status == 0, "--force is accepted (ClusterFlagCommandTests shows what it does): \(force.stderr)")
    let removed = try run(["un", "web", "api", "--no-apply"])
    #expect(removed.status == 0, "\(removed.stderr)")
    #expect(removed.stdout.contains("release \"web\" uninstalled") && removed.stdout.contains("release \"api\" uninstalled"))
  }
}

/// `flowrel list` with Helm's filters and paging.
@Suite struct ListFlagTests {
  @Test func filtersPagingAndShortOutput() throws {
    let folder = try TemporaryFolder()
    let environment = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
                       "GIT_COMMITTER_EMAIL": "t@example.org", "FLOWREL_STORE": "", "FLOWREL_NAMESPACE": ""]
    func run(_ arguments: [String]) throws -> FlowrelProcess.Result {
      try FlowrelProcess.run(arguments, in: folder.url, environment: environment)
    }
    for name in ["alpha", "beta", "gamma", "search-a"] { #expect(try run(["install", name, "--no-apply"]).status == 0) }
    #expect(try run(["ls", "-q"]).stdout == "alpha\nbeta\ngamma\nsearch-a\n")
    #expect(try run(["ls", "-q", "-r"]).stdout == "search-a\ngamma\nbeta\nalpha\n")
    #expect(try run(["ls", "-q", "--filter", "^(a|s).*a$"]).stdout == "alpha\nsearch-a\n")
    #expect(try run(["ls", "-q", "--offset", "1", "-m", "2"]).stdout == "beta\ngamma\n")
    #expect(try run(["ls", "-q", "--deployed"]).stdout.isEmpty, "they were only recorded")
    #expect(try run(["ls", "-q", "--recorded"]).stdout.split(separator: "\n").count == 4)
    #expect(try run(["ls", "--pending"]).stdout == "NAME\tNAMESPACE\tREVISION\tUPDATED\tSTATUS\tCHART\tAPP VERSION\n")
    #expect(try run(["ls", "--no-headers", "-m", "1"]).stdout.hasPrefix("alpha"))
    let bad = try run(["ls", "--filter", "(a"])
    #expect(bad.status == 1 && bad.stderr.contains("--filter: error parsing regexp: missing closing )"), "\(bad.stderr)")
    let uninstalled = try run(["ls", "--uninstalled"])
    #expect(uninstalled.status == 1 && uninstalled.stderr.contains("flowrel history NAME"))
  }
}

/// `-o json|yaml` on install, upgrade and rollback: the release as Helm prints it.
@Suite struct ReleaseOutputFormatTests {
  @Test func installPrintsTheReleaseAsJSONAndAChartInYAML() throws {
    let folder = try TemporaryFolder()
    let environment = ["GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
                       "GIT_COMMITTER_EMAIL": "t@example.org", "FLOWREL_STORE": "", "FLOWREL_NAMESPACE": ""]
    let json = try FlowrelProcess.run(["install", "web", "--no-apply", "-o", "json"], in: folder.url, environment: environment)
    #expect(json.status == 0, "\(json.stderr)")
    let release = try Value(jsonText: json.stdout)
    #expect(release["name"] == "web" && release["namespace"] == "default" && release["version"] == 1)
    #expect(release["info"]?["status"] == "recorded")
    #expect(release["chart"]?["metadata"]?["name"] == "flow")
    #expect(release["manifest"]?.stringValue?.contains("kind: Deployment") == true)
    let yaml = try FlowrelProcess.run(["upgrade", "web", "--dry-run", "-o", "yaml"], in: folder.url, environment: environment)
    #expect(yaml.stdout.hasPrefix("name: web\ninfo:\n  status: dry-run\n"), "\(yaml.stdout.prefix(80))")
  }
}
