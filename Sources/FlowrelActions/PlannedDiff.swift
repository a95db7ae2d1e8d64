import FlowrelStore

/// What an upgrade or a rollback would change, object by object, before anything is written:
/// `flowrel diff upgrade` and `flowrel diff rollback` (helm-diff's verbs).
package struct PlannedDiff: Sendable {
  /// The changes, in install order, removed objects last; secret values masked.
  package var changes: [ObjectChange]

  /// The changes of a dry-run result against the revision it would replace.
  init(_ result: DeployResult) {
    changes = ObjectChange.planned(from: result.replaced, to: result.manifests, releaseNamespace: result.namespace)
  }
}

/// A verb that can be asked what it would change: upgrade and rollback.
protocol PlannableVerb {
  /// How it touches the cluster; planning replaces them with a dry run.
  var options: DeployOptions { get set }
  /// Runs the verb.
  func run() async throws(ActionError) -> DeployResult
}

extension PlannedDiff {
  /// What `verb` would change: it runs as a dry run (its own options are ignored), so nothing
  /// is recorded or applied.
  static func planning(_ verb: some PlannableVerb) async throws(ActionError) -> PlannedDiff {
    var dryRun = verb
    dryRun.options = DeployOptions()
    dryRun.options.dryRun = true
    return PlannedDiff(try await dryRun.run())
  }
}
