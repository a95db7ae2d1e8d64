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
