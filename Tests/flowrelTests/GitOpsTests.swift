import FlowrelValue
import FlowrelYAML
import Foundation
import KubeTestSupport
import Testing

/// The GitOps path through the binary and the git CLI: render on a branch, review the diff,
/// merge on the remote, sync from a fresh clone.
final class GitOpsFixture {
  let folder: TemporaryFolder
  /// git with a fixed identity and no user or system configuration.
  let gitEnvironment: [String: String]

  init() throws {
    folder = try TemporaryFolder()
    gitEnvironment = [
      "HOME": folder.url.path, "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
      "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    ]
  }

  /// A chart whose one template is a Secret holding `.Values.password`; its path.
  func secretChart() throws -> String {
    let chart = folder.path("secret-chart")
    try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
    try Data("apiVersion: v2\nname: secret-chart\nversion: 1.0.0\n".utf8).write(to: URL(fileURLWithPath: chart + "/Chart.yaml"))
    try Data("""
      apiVersion: v1
      kind: Secret
      metadata: {name: db}
      stringData:
        password: {{ .Values.password | quote }}
      """.utf8).write(to: URL(fileURLWithPath: chart + "/templates/secret.yaml"))
    return chart
  }

  @discardableResult
  func git(_ arguments: [String], in directory: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }.merging(gitEnvironment) { _, new in new }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    #expect(process.terminationStatus == 0, "git \(arguments): \(text)")
    return text
  }

  func flowrel(_ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> FlowrelProcess.Result {
    try FlowrelProcess.run(arguments, in: URL(fileURLWithPath: directory), environment: gitEnvironment.merging(environment) { _, new in new })
  }

  /// A bare remote and a clone of it with one commit on main.
  func repositories() throws -> (remote: String, work: String) {
    let remote = folder.path("remote.git"), work = folder.path("work")
    try git(["init", "--bare", "--initial-branch=main", remote], in: folder.url.path)
    try git(["clone", remote, work], in: folder.url.path)
    try Data("# flows\n".utf8).write(to: URL(fileURLWithPath: work + "/README.md"))
    try git(["add", "README.md"], in: work)
    try git(["commit", "-m", "Start"], in: work)
    try git(["push", "origin", "main"], in: work)
    return (remote, work)
  }
}

@Suite(.serialized) struct GitOpsTests {
  static let values = FlowrelProcess.repository.appendingPathComponent("releases/search-flow/values.yaml").path

  @Test func upgradeOnABranchIsPushedMergedAndSynced() async throws {
    let fx = try GitOpsFixture()
    let (remote, work) = try fx.repositories()
    let install = try fx.flowrel(["install", "search-flow", "-f", Self.values, "-n", "search", "--no-apply"], in: work)
    #expect(install.status == 0, "\(install.stderr)")
    #expect(try fx.git(["status", "--porcelain"], in: work).isEmpty, "the working tree follows the commit")
    try fx.git(["push", "origin", "main"], in: work)

    let branch = "flowrel/search-flow-replicas"
    let upgrade = try fx.flowrel(
      ["upgrade", "search-flow", "--reuse-values", "--set", "executors[0].replicas=3", "-n", "search", "--no-apply", "--branch", branch],
      in: work)
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    #expect(try fx.git(["log", "--format=%s", "main"], in: work) == "search-flow: install as revision 1\nStart\n", "main is untouched")
    let push = try fx.flowrel(["push", "--branch", branch], in: work)
    #expect(push.status == 0, "\(push.stderr)")

    // The CD job's clone, made before the merge: `sync --pull` brings it up to date.
    let cd = fx.folder.path("cd")
    try fx.git(["clone", remote, cd], in: fx.folder.url.path)

    // Review and merge on the remote, as a pull request would.
    let reviewer = fx.folder.path("reviewer")
    try fx.git(["clone", remote, reviewer], in: fx.folder.url.path)
    try fx.git(["merge", "--no-ff", "-m", "Merge \(branch)", "origin/\(branch)"], in: reviewer)
    try fx.git(["push", "origin", "main"], in: reviewer)

    // The CD job syncs its clone to the test cluster.
    let server = try KubeTestServer()
    defer { server.stop() }
    let kubeEnvironment = ["HOME": server.directory.path, "KUBECACHEDIR": server.directory.appendingPathComponent("cache").path]
    let sync = try fx.flowrel(
      ["sync", "search-flow", "-n", "search", "--pull", "--create-namespace", "--kubeconfig", server.kubeconfig, "--kube-context", "test"],
      in: cd, environment: kubeEnvironment)
    #expect(sync.status == 0, "\(sync.stderr)")
    #expect(sync.stdout.contains("synced search-flow to revision 2"))
    let deployments = try await server.storedObjects().filter { $0["kind"] == "Deployment" && $0["metadata"]?["namespace"] == "search" }
    #expect(deployments.count == 5)
    #expect(deployments.first { $0["metadata"]?["name"] == "test-searcher-0" }?["spec"]?["replicas"] == 3)
    #expect(try fx.git(["status", "--porcelain"], in: cd).isEmpty, "sync writes nothing")
    // The sync is a git note on the revision's commit, which history shows and push sends.
    let history = try fx.flowrel(["history", "search-flow", "-n", "search"], in: cd)
    #expect(history.stdout.contains("deployed") && history.stdout.contains("(synced to test at "), "\(history.stdout)")
    let noted = try fx.flowrel(["push"], in: cd)
    #expect(noted.status == 0, "\(noted.stderr)")
    #expect(try fx.git(["notes", "--ref", "flowrel", "show", "origin/\(branch)"], in: cd)
      .contains("release=search-flow revision=2 context=test result=deployed"))
    #expect(try fx.git(["notes", "--ref", "flowrel", "list"], in: remote).split(separator: "\n").count == 1)

    let drift = try fx.flowrel(
      ["diff", "live", "search-flow", "-n", "search", "--detailed-exitcode", "--kubeconfig", server.kubeconfig, "--kube-context", "test"],
      in: cd, environment: kubeEnvironment)
    #expect(drift.status == 0, "the cluster matches the store: \(drift.stdout)\(drift.stderr)")
  }

  /// Two revisions recorded in the same second on branches that a merge joins: the log may give
  /// their commits in either order; history still lists them by number, the newest current.
  @Test func sameSecondRevisionsJoinedByAMergeReadInRevisionOrder() throws {
    let fx = try GitOpsFixture()
    let (_, work) = try fx.repositories()
    let sameSecond = ["GIT_AUTHOR_DATE": "1767225600 +0000", "GIT_COMMITTER_DATE": "1767225600 +0000"]
    let install = try fx.flowrel(["install", "search-flow", "-f", Self.values, "-n", "search", "--no-apply"], in: work, environment: sameSecond)
    #expect(install.status == 0, "\(install.stderr)")
    let upgrade = try fx.flowrel(
      ["upgrade", "search-flow", "--reuse-values", "--set", "executors[0].replicas=3", "-n", "search", "--no-apply", "--branch", "replicas"],
      in: work, environment: sameSecond)
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    try fx.git(["merge", "--no-ff", "-m", "Merge replicas", "replicas"], in: work)
    let history = try fx.flowrel(["history", "search-flow", "-n", "search"], in: work)
    let rows = history.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) } }
    #expect(rows.map { $0.first ?? "" } == ["1", "2"], "\(history.stdout)")
    #expect(rows.map { $0.count > 2 ? $0[2] : "" } == ["superseded", "recorded"], "\(history.stdout)")
  }

  @Test func kustomizeBuildsExactlyTheStoredManifests() throws {
    let fx = try GitOpsFixture()
    let (_, work) = try fx.repositories()
    #expect(try fx.flowrel(["install", "search-flow", "-f", Self.values, "-n", "search", "--no-apply"], in: work).status == 0)
    let folder = work + "/releases/search/search-flow"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["kubectl", "kustomize", folder]
    process.environment = ["HOME": fx.folder.url.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let built = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    // kustomize sorts keys; compare the objects, not the bytes.
    func sorted(_ value: Value) throws -> String { try value.jsonText() }
    let fromKustomize = try YAML.parseDocuments(built).map { try sorted($0.value) }.sorted()
    let manifests = try FileManager.default.contentsOfDirectory(atPath: folder + "/manifests")
    let stored = try manifests.map { try sorted(YAML.parse(String(contentsOfFile: folder + "/manifests/" + $0, encoding: .utf8))) }.sorted()
    #expect(fromKustomize.count == 15)
    #expect(fromKustomize == stored)
  }

  @Test func diffUpgradeExitCodesAndMarkdown() throws {
    let fx = try GitOpsFixture()
    let (_, work) = try fx.repositories()
    #expect(try fx.flowrel(["install", "search-flow", "-f", Self.values, "-n", "search", "--no-apply"], in: work).status == 0)
    let same = try fx.flowrel(["diff", "upgrade", "search-flow", "-n", "search", "--detailed-exitcode"], in: work)
    #expect(same.status == 0, "no change: \(same.stdout)\(same.stderr)")
    #expect(same.stderr.contains("0 changed, 0 added, 0 removed"))
    let changed = try fx.flowrel(
      ["diff", "upgrade", "search-flow", "-n", "search", "--reuse-values", "--set", "executors[0].replicas=3", "--detailed-exitcode",
       "-o", "markdown"], in: work)
    #expect(changed.status == 2)
    #expect(changed.stdout.hasPrefix("**flowrel diff**: 3 changed, 0 added, 0 removed\n"))
    #expect(changed.stdout.contains("<details><summary>changed: deployment.apps/test-searcher-0 (search)</summary>"))
    #expect(changed.stdout.contains("-  replicas: 2\n+  replicas: 3\n"))
    // Only the lines that depend on the replicas change: the Deployment's replicas and the --replicas argument.
    let changedLines = changed.stdout.split(separator: "\n").filter { ($0.hasPrefix("-") || $0.hasPrefix("+")) && !$0.hasPrefix("---") && !$0.hasPrefix("+++") }
    #expect(changedLines.count == 3 * 4, "\(changedLines)")
    let failing = try fx.flowrel(["diff", "upgrade", "nope", "-n", "search", "--detailed-exitcode"], in: work)
    #expect(failing.status == 1)
    #expect(try fx.git(["status", "--porcelain"], in: work).isEmpty, "a diff writes nothing")
  }

  @Test func markdownDiffMatchesItsGoldenFile() throws {
    let fx = try GitOpsFixture()
    let (_, work) = try fx.repositories()
    #expect(try fx.flowrel(["install", "search-flow", "-f", Self.values, "-n", "search", "--no-apply"], in: work).status == 0)
    let diff = try fx.flowrel(
      ["diff", "upgrade", "search-flow", "-n", "search", "--reuse-values", "--set", "executors[0].replicas=3,executors[0].uses_after=docker://jinahub/othermerger:2.0",
       "-o", "markdown"], in: work)
    #expect(diff.status == 0)
    let golden = FlowrelProcess.repository.appendingPathComponent("Tests/flowrelTests/Golden/diff-upgrade.md")
    if ProcessInfo.processInfo.environment["FLOWREL_REGENERATE"] == "1" {
      try FileManager.default.createDirectory(at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(diff.stdout.utf8).write(to: golden)
    }
    #expect(diff.stdout == (try String(contentsOf: golden, encoding: .utf8)))
  }

  @Test func reRenderingUnchangedInputsGivesAnEmptyDiff() throws {
    let fx = try GitOpsFixture()
    let (_, work) = try fx.repositories()
    #expect(try fx.flowrel(["install", "search-flow", "-f", Self.values, "-n", "search", "--no-apply"], in: work).status == 0)
    #expect(try fx.flowrel(["upgrade", "search-flow", "-n", "search", "--no-apply"], in: work).status == 0)
    let diff = try fx.flowrel(["diff", "revision", "search-flow", "-n", "search"], in: work)
    #expect(diff.stdout.isEmpty)
    #expect(diff.stderr.contains("revision 1 -> 2: 0 changed, 0 added, 0 removed"))
    // Only the revision's metadata changed in git: no manifest file was touched.
    #expect(try fx.git(["diff", "--name-only", "HEAD~1", "HEAD"], in: work) == "releases/search/search-flow/release.yaml\n")
  }

  @Test func pushReplaysOntoARemoteThatMovedElsewhere() throws {
    let fx = try GitOpsFixture()
    let (remote, work) = try fx.repositories()
    let other = fx.folder.path("other")
    try fx.git(["clone", remote, other], in: fx.folder.url.path)
    try Data("x\n".utf8).write(to: URL(fileURLWithPath: other + "/x"))
    try fx.git(["add", "x"], in: other)
    try fx.git(["commit", "-m", "Elsewhere"], in: other)
    try fx.git(["push", "origin", "main"], in: other)
    #expect(try fx.flowrel(["install", "search-flow", "-f", Self.values, "-n", "search", "--no-apply"], in: work).status == 0)
    let push = try fx.flowrel(["push"], in: work)
    #expect(push.status == 0, "\(push.stderr)")
    #expect(push.stderr.contains("pushed main to origin/main (1 commits replayed onto the remote's)"), "\(push.stderr)")
    #expect(try fx.git(["log", "--format=%s", "main"], in: remote) == "search-flow: install as revision 1\nElsewhere\nStart\n")
    #expect(try fx.git(["status", "--porcelain"], in: work).isEmpty, "the remote's file is checked out too")
  }
}

@Suite struct PlannedDiffSecretTests {
  @Test func secretsShowAsChangedNeverTheirValuesAndRollbackIsPlanned() throws {
    let fx = try GitOpsFixture()
    let (_, work) = try fx.repositories()
    let chart = try fx.secretChart()
    // The identity goes to sops's default key file (HOME is the fixture's folder).
    let config = fx.folder.path(".config")
    try FileManager.default.createDirectory(atPath: config + "/sops/age", withIntermediateDirectories: true)
    let environment = ["XDG_CONFIG_HOME": config]
    let keygen = try fx.flowrel(["secrets", "keygen", "-o", config + "/sops/age/keys.txt"], in: work, environment: environment)
    #expect(keygen.status == 0, "\(keygen.stderr)")
    let secretFlags = ["--age", keygen.stdout.trimmingCharacters(in: .whitespacesAndNewlines)]
    let install = try fx.flowrel(
      ["install", "db", chart, "--set", "password=hunter2-first", "--no-apply"] + secretFlags, in: work, environment: environment)
    #expect(install.status == 0, "\(install.stderr)")
    let diff = try fx.flowrel(
      ["diff", "upgrade", "db", chart, "--set", "password=hunter2-second", "--detailed-exitcode"] + secretFlags, in: work,
      environment: environment)
    #expect(diff.status == 2)
    #expect(diff.stdout.contains("<secret "))
    #expect(!diff.stdout.contains("hunter2"), "no secret value in the diff: \(diff.stdout)")

    #expect(try fx.flowrel(
      ["upgrade", "db", chart, "--set", "password=hunter2-second", "--no-apply"] + secretFlags, in: work, environment: environment
    ).status == 0)
    let rollback = try fx.flowrel(["diff", "rollback", "db", "--detailed-exitcode"] + secretFlags, in: work, environment: environment)
    #expect(rollback.status == 2)
    #expect(rollback.stderr.contains("1 changed, 0 added, 0 removed"))
    #expect(!rollback.stdout.contains("hunter2"))
    let none = try fx.flowrel(["diff", "rollback", "db", "2", "--detailed-exitcode"] + secretFlags, in: work, environment: environment)
    #expect(none.status == 0, "rolling back to the installed revision changes nothing")
  }
}
