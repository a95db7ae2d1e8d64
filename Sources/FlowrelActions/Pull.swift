import FlowrelStore

/// `flowrel pull [--remote NAME] [--branch NAME]`: fast-forward the store's branch and its
/// notes from the remote, for CD jobs that read the store afterwards.
package struct Pull: Sendable {
  let config: ActionConfiguration
  /// The remote (default: the branch's upstream, else `origin`).
  package var remote: String?
  /// The branch (default: the store's branch, else the checked-out one).
  package var branch: String?

  /// A pull into the configuration's store.
  package init(config: ActionConfiguration) { self.config = config }

  /// Pulls and says what changed.
  package func run() async throws(ActionError) -> PullReport {
    try await ActionError.wrapping { try await config.releases.pull(remote: remote, branch: branch) }
  }
}
