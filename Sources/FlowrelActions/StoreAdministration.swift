import FlowrelStore

/// `flowrel init [DIR]`: make the store (and a git repository around it when it is in none).
package struct InitStore: Sendable {
  let config: ActionConfiguration
  /// Age recipients (`age1...`) to write into a new `.sops.yaml` at the repository's top.
  package var ageRecipients: [String] = []

  /// An init of the configuration's store.
  package init(config: ActionConfiguration) { self.config = config }

  /// What was made.
  package func run() throws(ActionError) -> StoreInitialization {
    try ActionError.wrapping {
      var made = try config.releases.initialize()
      if !ageRecipients.isEmpty { made.sopsConfig = try config.releases.writeSOPSConfig(recipients: ageRecipients) }
      return made
    }
  }
}

/// `flowrel push [--remote NAME] [--branch NAME] [--renumber]`: send the store's branch and
/// its notes to a remote. When the remote moved, the local revisions are replayed onto it
/// (they must touch other releases, or `--renumber` records them again with the next numbers),
/// and the push is a compare-and-swap retried up to five times.
package struct Push: Sendable {
  let config: ActionConfiguration
  /// The remote (default: the branch's upstream, else `origin`).
  package var remote: String?
  /// The branch (default: the store's branch, else the checked-out one).
  package var branch: String?
  /// Record a local revision of a release that also moved on the remote again on top.
  package var renumber = false

  /// A push of the configuration's store.
  package init(config: ActionConfiguration) { self.config = config }

  /// Pushes and says what was done.
  package func run() async throws(ActionError) -> PushReport {
    var request = PushRequest()
    request.remote = remote
    request.branch = branch
    request.renumber = renumber
    return try await ActionError.wrapping { [request] in try await config.releases.push(request) }
  }
}
