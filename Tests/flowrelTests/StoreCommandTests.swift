import Foundation
import Testing

/// The GitOps path through the binary: every verb with --no-apply records into a store and
/// touches no cluster, and the read commands show what was recorded.
@Suite struct StoreCommandTests {
  @Test func recordHistoryGetListAndDiffWithoutACluster() throws {
    let folder = try TemporaryFolder()
    let store = folder.path("store")
    let values = FlowrelProcess.repository.appendingPathComponent("releases/search-flow/values.yaml").path
    func flowrel(_ arguments: [String]) throws -> FlowrelProcess.Result {
      try FlowrelProcess.run(arguments + ["--store", store, "-n", "search"], in: folder.url)
    }
    #expect(try FlowrelProcess.run(["init", store], in: folder.url).status == 0)
    let install = try flowrel(["install", "search-flow", "-f", values, "--no-apply"])
    #expect(install.status == 0, "\(install.stderr)")
    #expect(install.stdout.contains("STATUS: recorded\nREVISION: 1\n"))
    #expect(install.stdout.contains("NOTES:\nThe Flow search-flow runs in namespace search:"))
    let upgrade = try flowrel(["upgrade", "search-flow", "--reuse-values", "--set", "executors[0].replicas=3", "--no-apply"])
    #expect(upgrade.status == 0, "\(upgrade.stderr)")
    #expect(upgrade.stdout.contains("REVISION: 2\n"))

    let history = try flowrel(["history", "search-flow", "-o", "json"])
    #expect(history.status == 0)
    #expect(history.stdout.contains("\"revision\": 1"))
    #expect(history.stdout.contains("\"status\": \"superseded\""))
    #expect(history.stdout.contains("\"chart\": \"flow-0.1.0\""))
    let table = try flowrel(["history", "search-flow", "--max", "1"])
    #expect(table.stdout.split(separator: "\n").count == 2, "header and one revision: \(table.stdout)")

    let list = try FlowrelProcess.run(["list", "-A", "--store", store], in: folder.url)
    #expect(list.stdout.contains("search-flow"))
    #expect(try flowrel(["get", "values", "search-flow", "--revision", "1"]).stdout.contains("replicas: 2"))
    #expect(try flowrel(["get", "values", "search-flow"]).stdout.contains("replicas: 3"))
    #expect(try flowrel(["get", "manifest", "search-flow"]).stdout.contains("kind: Deployment"))

    let diff = try flowrel(["diff", "revision", "search-flow"])
    #expect(diff.status == 0)
    #expect(diff.stdout.contains("-  replicas: 2\n+  replicas: 3"))
    #expect(diff.stderr.contains("revision 1 -> 2: 3 changed, 0 added, 0 removed"))

    let rollback = try flowrel(["rollback", "search-flow", "--no-apply"])
    #expect(rollback.stdout.contains("REVISION: 3\n"))
    #expect(try flowrel(["get", "values", "search-flow"]).stdout.contains("replicas: 2"))
    let uninstall = try flowrel(["uninstall", "search-flow", "--no-apply"])
    #expect(uninstall.status == 0, "\(uninstall.stderr)")
    #expect(try flowrel(["history", "search-flow"]).stdout.contains("uninstalled"))
  }

  @Test func storeAndClusterErrorsHaveTheirExitCodes() throws {
    let folder = try TemporaryFolder(["not-a-folder": "x"])
    let badStore = try FlowrelProcess.run(["history", "x", "--store", folder.path("not-a-folder")], in: folder.url)
    #expect(badStore.status == 3)
    #expect(badStore.stderr.contains("is a file, not a folder"))
    let missing = try FlowrelProcess.run(["history", "nope", "--store", folder.path("s")], in: folder.url)
    #expect(missing.status == 3)
    let noKubectl = try FlowrelProcess.run(
      ["install", "x", "--store", folder.path("s"), "--kubectl", "/nonexistent/kubectl"], in: folder.url)
    #expect(noKubectl.status == 2)
    #expect(noKubectl.stderr.contains("/nonexistent/kubectl"))
    let badTimeout = try FlowrelProcess.run(["install", "x", "--timeout", "5 minutes"], in: folder.url)
    #expect(badTimeout.status == 1)
  }
}
