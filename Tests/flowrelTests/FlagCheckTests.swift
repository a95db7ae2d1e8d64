import Foundation
import Testing

/// Flags are checked before anything runs, for every verb: a bad flag is a usage error (exit 1)
/// that reaches neither the store nor the cluster.
@Suite struct FlagCheckTests {
  @Test(arguments: [["sync", "web"], ["install", "web"], ["upgrade", "web"], ["rollback", "web"]])
  func aBadTimeoutIsAUsageErrorBeforeAnythingRuns(_ verb: [String]) throws {
    let folder = try TemporaryFolder()
    let store = folder.url.appendingPathComponent("releases").path
    let result = try FlowrelProcess.run(
      verb + ["--timeout", "5q", "--store", store, "--kubectl", "/nonexistent/kubectl"], in: folder.url)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.hasPrefix("Error: --timeout: time: unknown unit \"q\" in duration \"5q\""))
    #expect(!FileManager.default.fileExists(atPath: store), "the store was not touched")
  }

  @Test func aBadKubeVersionIsAUsageError() throws {
    let result = try FlowrelProcess.run(["template", "web", "--kube-version", "latest"])
    #expect(result.status == 1)
    #expect(result.stderr.hasPrefix("Error: --kube-version latest is not a version such as v1.32.0"))
  }
}

/// `--debug` shows the kubectl command lines a release command runs, on standard error.
@Suite struct DebugOutputTests {
  @Test func debugShowsEachKubectlCommandLine() throws {
    let folder = try TemporaryFolder()
    let plain = try FlowrelProcess.run(["install", "web", "--kubectl", "/bin/false"], in: folder.url)
    let debug = try FlowrelProcess.run(["install", "web", "--kubectl", "/bin/false", "--debug"], in: folder.url)
    #expect(plain.status == 2 && debug.status == 2)
    #expect(!plain.stderr.contains("running /bin/false"))
    #expect(debug.stderr.hasPrefix("running /bin/false get --raw /version"))
  }
}
