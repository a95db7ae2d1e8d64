import FlowrelStore

/// What an upgrade or a rollback would change, object by object, before anything is written:
/// `flowrel diff upgrade` and `flowrel diff rollback` (helm-diff's verbs).
package struct PlannedDiff: Sendable {
  /// The changes, in install order, removed objects last; Secret entries masked unless shown.
  package var changes: [ObjectChange]

  /// The changes of a dry-run result against the revision it would replace.
  init(_ result: DeployResult, masking: SecretProtection.Masking) {
    changes = ObjectChange.planned(
      from: result.replaced ?? [], to: result.manifests, releaseNamespace: result.namespace, masking: masking)
  }
}

/// A verb that can be asked what it would change: upgrade and rollback.
protocol PlannableVerb {
  /// Where it reads and records.
  var config: ActionConfiguration { get }
  /// How it touches the cluster; planning replaces them with a dry run.
  var options: DeployOptions { get set }
  /// Runs the verb.
  func run() async throws(ActionError) -> DeployResult
}

extension PlannedDiff {
  /// What `verb` would change, its Secrets shown as `secrets` says: it runs as a dry run (its
  /// own options are ignored), so nothing is recorded or applied.
  static func planning(_ verb: some PlannableVerb, secrets: SecretDisplay) async throws(ActionError) -> PlannedDiff {
    let masking = try SecretDisplay.masking(secrets, config: verb.config)
    var dryRun = verb
    dryRun.options = DeployOptions()
    dryRun.options.dryRun = true
    return PlannedDiff(try await dryRun.run(), masking: masking)
  }
}

extension SecretDisplay {
  /// The masking for `display` with the store's keys; `--show-secrets` without an identity
  /// is refused (before anything is read).
  static func masking(_ display: SecretDisplay, config: ActionConfiguration) throws(ActionError) -> SecretProtection.Masking {
    guard let masking = try ActionError.wrapping({ try config.releases.secretReader.masking(display) }) else {
      throw .usage(
        "--show-secrets needs an age identity to decrypt the Secrets: set SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or SOPS_AGE_KEY_CMD, or keep the identity in sops's key file")
    }
    return masking
  }
}
