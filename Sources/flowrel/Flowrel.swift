import ArgumentParser

/// The root command: `flowrel <verb> ...`.
@main
struct Flowrel: AsyncParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "flowrel",
    abstract: "Render Jina Flow charts into Kubernetes manifests and manage their releases.",
    discussion: """
      flowrel renders versioned Flow charts with values into Kubernetes manifests, records \
      every release revision as a git commit, and applies manifests through kubectl.
      """,
    version: version
  )
}
