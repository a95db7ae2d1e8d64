import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "pull", abstract: "Fast-forward the store's branch and its notes from a remote (for CD jobs).")

    @Option(help: "The remote (default: the branch's upstream, else origin).") var remote: String?
    @Option(help: "The branch (default: the checked-out one).") var branch: String?
    @Option(help: ArgumentHelp("The store folder (default: $FLOWREL_STORE, else ./releases).", valueName: "dir")) var store: String?

    func run() async throws {
      var settings = Settings()
      settings.store = store
      var action = Pull(config: try ActionConfiguration(settings: settings, log: Console.logger(debug: false)))
      action.remote = remote
      action.branch = branch
      Console.error(Output.pulled(try await action.run()))
    }
  }
}
