import Foundation
import Testing

/// Two CI jobs on two machines: clones of one bare repository, each recording revisions and
/// pushing in a loop with separate `flowrel` processes, at the same time.
@Suite struct ConcurrentPushTests {
  static let namespace = "ns"
  static let rounds = 4

  @Test func twoClonesPushingAtOnceLeaveOneLinearGaplessHistory() async throws {
    let fx = try GitOpsFixture()
    let (remote, first) = try fx.repositories()
    let chart = try Self.configMapChart(in: fx.folder.path("chart"))
    // The release both record is there before the second clone is made.
    try Self.expectSuccess(fx.flowrel(["install", "shared", chart, "--set", "setting=seed", "--no-apply", "-n", Self.namespace], in: first))
    try Self.expectSuccess(fx.flowrel(["push"], in: first))
    let second = fx.folder.path("second")
    try fx.git(["clone", "-q", remote, second], in: fx.folder.url.path)

    let environment = fx.gitEnvironment
    async let one = Self.writer("a", in: first, chart: chart, environment: environment)
    async let two = Self.writer("b", in: second, chart: chart, environment: environment)
    let failures = await one + two
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")

    #expect(try fx.git(["rev-list", "--merges", "main"], in: remote).isEmpty, "no merge commits")
    #expect(try fx.git(["fsck", "--strict", "--no-progress", "--no-dangling"], in: remote).isEmpty, "git fsck is clean")
    let rounds = (1...Self.rounds).map(String.init)
    for (release, settings) in [
      ("own-a", rounds.map { "a-\($0)" }), ("own-b", rounds.map { "b-\($0)" }),
      ("shared", ["seed"] + rounds.flatMap { ["a-\($0)", "b-\($0)"] }),
    ] {
      let revisions = try Self.revisions(of: release, in: remote, fx: fx)
      #expect(revisions.map(\.number) == Array(1...settings.count), "\(release): gapless, in order, each once")
      #expect(revisions.map(\.setting).sorted() == settings.sorted(), "\(release): every recorded value exactly once")
    }
  }

  /// Records `rounds` revisions of its own release and of the shared one, pushing after each;
  /// returns what failed.
  static func writer(_ name: String, in clone: String, chart: String, environment: [String: String]) async -> [String] {
    await withCheckedContinuation { continuation in
      // Processes are waited for on a thread of its own, not on the test's cooperative pool.
      Thread.detachNewThread {
        var failures: [String] = []
        func step(_ arguments: [String]) {
          do {
            let result = try FlowrelProcess.run(arguments, in: URL(fileURLWithPath: clone), environment: environment)
            if result.status != 0 { failures.append("\(name): flowrel \(arguments.joined(separator: " ")): \(result.stderr)") }
          } catch {
            failures.append("\(name): flowrel \(arguments.joined(separator: " ")): \(error)")
          }
        }
        for round in 1...rounds {
          let own = round == 1 ? "install" : "upgrade"
          step([own, "own-\(name)", chart, "--set", "setting=\(name)-\(round)", "--no-apply", "-n", namespace])
          step(["push"])
          step(["upgrade", "shared", chart, "--set", "setting=\(name)-\(round)", "--no-apply", "-n", namespace])
          step(["push", "--renumber"])
        }
        continuation.resume(returning: failures)
      }
    }
  }

  /// The release's revisions on the remote's main, oldest first: the number in each commit's
  /// subject and the setting its values hold.
  static func revisions(of release: String, in remote: String, fx: GitOpsFixture) throws -> [(number: Int, setting: String)] {
    let folder = "releases/\(namespace)/\(release)"
    let log = try fx.git(["log", "--reverse", "--format=%H %s", "main", "--", folder], in: remote)
    return try log.split(separator: "\n").map { line in
      let words = line.split(separator: " ")
      let number = try #require(words.last.flatMap { Int($0) }, "no revision number in '\(line)'")
      let values = try fx.git(["show", "\(words[0]):\(folder)/values.yaml"], in: remote)
      let setting = try #require(values.firstMatch(of: /setting: (\S+)/)?.1, "no setting in \(values)")
      return (number, String(setting))
    }
  }

  /// A chart of one ConfigMap holding `.Values.setting`; its path.
  static func configMapChart(in chart: String) throws -> String {
    try FileManager.default.createDirectory(atPath: chart + "/templates", withIntermediateDirectories: true)
    try Data("apiVersion: v2\nname: settings\nversion: 1.0.0\n".utf8).write(to: URL(fileURLWithPath: chart + "/Chart.yaml"))
    try Data("""
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: settings}
      data:
        setting: {{ .Values.setting | quote }}
      """.utf8).write(to: URL(fileURLWithPath: chart + "/templates/configmap.yaml"))
    return chart
  }

  static func expectSuccess(_ result: FlowrelProcess.Result) {
    #expect(result.status == 0, "\(result.stderr)")
  }
}
