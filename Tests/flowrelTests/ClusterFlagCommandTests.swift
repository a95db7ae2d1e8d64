import FlowrelValue
import Foundation
import KubeTestSupport
import Testing

/// `--dry-run[=client|server]`, `--force`, `--cleanup-on-fail`, `uninstall --wait` and
/// `--post-renderer` as typed on the command line, against the API test server.
@Suite(.serialized) struct ClusterFlagCommandTests {
  /// A store folder and the API test server, with flowrel pointed at both.
  final class Fixture {
    let server: KubeTestServer
    let folder: TemporaryFolder

    init() throws {
      server = try KubeTestServer()
      folder = try TemporaryFolder()
    }

    deinit { server.stop() }

    func flowrel(_ arguments: [String]) throws -> FlowrelProcess.Result {
      try FlowrelProcess.run(
        arguments + ["--kubeconfig", server.kubeconfig, "--kube-context", "test", "--store", folder.path("releases")],
        in: folder.url,
        environment: [
          "HOME": server.directory.path, "KUBECACHEDIR": server.directory.appendingPathComponent("cache").path,
          "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
          "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
        ])
    }

    /// Writes (PATCH, PUT, POST, DELETE) the server has seen.
    func writes() async throws -> [(method: String, path: String)] {
      try await server.requests().filter { $0.method != "GET" }
    }
  }

  @Test func dryRunServerAsksTheServerAndDryRunClientDoesNot() async throws {
    let fx = try Fixture()
    let client = try fx.flowrel(["install", "web", "-n", "default", "--dry-run=client"])
    #expect(client.status == 0, "\(client.stderr)")
    #expect(client.stdout.contains("kind: Deployment"))
    #expect(try await fx.writes().isEmpty, "a client dry run never reaches the server")

    let server = try fx.flowrel(["install", "web", "-n", "default", "--dry-run=server"])
    #expect(server.status == 0, "\(server.stderr)")
    #expect(server.stdout.contains("kind: Deployment"))
    #expect(try await fx.writes().contains { $0.method == "PATCH" && $0.path.contains("/deployments/") })
    #expect(try await fx.server.storedObjects().allSatisfy { $0["kind"] == "Namespace" }, "the server stored nothing")
    #expect(try fx.flowrel(["list", "-A", "-q"]).stdout.isEmpty, "nothing recorded")

    let none = try fx.flowrel(["install", "web", "-n", "default", "--dry-run=none"])
    #expect(none.status == 0, "\(none.stderr)")
    #expect(try fx.flowrel(["list", "-n", "default", "-q"]).stdout == "web\n", "--dry-run=none is no dry run")
  }

  @Test func dryRunServerSpellingsAndWhereTheyAreRefused() throws {
    let fx = try Fixture()
    let bogus = try fx.flowrel(["install", "web", "-n", "default", "--dry-run=maybe"])
    #expect(bogus.status == 1)
    #expect(bogus.stderr.hasPrefix("Error: --dry-run takes client, server or none (as in Helm), not \"maybe\""), "\(bogus.stderr)")
    let uninstall = try fx.flowrel(["uninstall", "web", "-n", "default", "--dry-run=server"])
    #expect(uninstall.status == 1)
    #expect(uninstall.stderr.contains("uninstall has no --dry-run=server"), "\(uninstall.stderr)")
    let timeout = try fx.flowrel(["uninstall", "web", "--wait", "--timeout", "5q"])
    #expect(timeout.status == 1)
    #expect(timeout.stderr.contains("--timeout"), "\(timeout.stderr)")
  }

  @Test func forceSaysWhatItDidWithEachObject() async throws {
    let fx = try Fixture()
    let installed = try fx.flowrel(["install", "web", "-n", "search", "--create-namespace"])
    #expect(installed.status == 0, "\(installed.stderr)")
    let objects = try await fx.server.storedObjects().filter { $0["metadata"]?["namespace"] == "search" }.count
    let forced = try fx.flowrel(["upgrade", "web", "-n", "search", "--force"])
    #expect(forced.status == 0, "\(forced.stderr)")
    let lines = forced.stderr.split(separator: "\n").filter { $0.hasPrefix("replaced ") }
    #expect(lines.count == objects, "\(forced.stderr)")
    #expect(lines.contains("replaced deployment.apps/gateway"), "\(forced.stderr)")
    #expect(try await fx.writes().contains { $0.method == "PUT" && $0.path.hasSuffix("/deployments/gateway") })
    let alias = try fx.flowrel(["upgrade", "web", "-n", "search", "--force-replace"])
    #expect(alias.status == 0, "\(alias.stderr)")
  }

  @Test func cleanupOnFailAndUninstallWaitAreAccepted() throws {
    let fx = try Fixture()
    let installed = try fx.flowrel(["install", "web", "-n", "search", "--create-namespace", "--cleanup-on-fail"])
    #expect(installed.status == 0, "\(installed.stderr)")
    let removed = try fx.flowrel(["uninstall", "web", "-n", "search", "--wait", "--timeout", "30s"])
    #expect(removed.status == 0, "\(removed.stderr)")
  }

  @Test func templatePipesTheObjectsThroughThePostRenderer() throws {
    let folder = try TemporaryFolder(["add-annotation": """
      #!/bin/sh
      sed -e "s|^metadata:\\$|metadata:\\n  annotations:\\n    $1: \\"$2\\"|"

      """])
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path("add-annotation"))
    let result = try FlowrelProcess.run([
      "template", "web", "--post-renderer", folder.path("add-annotation"),
      "--post-renderer-args", "example.com/by", "--post-renderer-args", "kustomize",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let documents = result.stdout.components(separatedBy: "---\n").filter { !$0.isEmpty }
    #expect(!documents.isEmpty)
    #expect(documents.allSatisfy { $0.contains("    example.com/by: kustomize\n") }, "\(result.stdout)")
    let failing = try FlowrelProcess.run(["template", "web", "--post-renderer", "/bin/false"])
    #expect(failing.status == 1)
    #expect(failing.stdout.isEmpty)
    #expect(failing.stderr == "Error: the post-renderer /bin/false failed (exit 1)\n")
  }
}
