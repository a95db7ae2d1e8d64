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

/// `flowrel push [--remote NAME] [--branch NAME]`: send the store's branch to a remote, so the
/// revisions recorded on it can be reviewed in a pull request.
package struct Push: Sendable {
  let config: ActionConfiguration
  /// The remote.
  package var remote = "origin"
  /// The branch (default: the store's branch, else the checked-out one).
  package var branch: String?

  /// A push of the configuration's store.
  package init(config: ActionConfiguration) { self.config = config }

  /// Pushes and returns the branch pushed.
  package func run() throws(ActionError) -> String {
    try ActionError.wrapping { try config.releases.push(remote: remote, branch: branch) }
  }
}
