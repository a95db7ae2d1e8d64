import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "test",
      abstract: "Run a release's test hooks (helm.sh/hook: test) and report each.",
      discussion: """
        Applies the installed revision's test hooks in Helm's order (weight, kind, name), waits \
        for each (a Job to complete, a Pod to succeed) and prints one TEST SUITE block per test. \
        The first failing test stops the suite; flowrel then exits with code 2.
        """)

    @Argument(help: "Name of the release.", completion: Completions.releases) var release: String
    @OptionGroup var target: ReleaseOptions
    @Option(help: ArgumentHelp("How long each test may take, in Go's duration syntax (30s, 5m, 1h).", valueName: "duration"))
    var timeout = "5m0s"

    func validate() throws {
      do { _ = try GoDuration(parsing: timeout) } catch { throw ValidationError("--timeout: \(error)") }
    }

    func run() async throws {
      var action = TestRelease(config: try target.configuration())
      action.release = release
      action.timeout = try GoDuration(parsing: timeout)
      let result = try await action.run()
      Console.write(Output.tested(result))
      if let failure = result.failure { throw ActionError.hookFailed(failure, revision: nil, restoredRevision: nil) }
    }
  }
}
