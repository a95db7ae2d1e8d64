/// Which objects a new set of manifests adds, changes, keeps and removes against an old one,
/// by identity: the one change plan behind prune, dry runs and every diff's summary.
package struct ChangePlan: Sendable, Equatable {
  /// Objects only in the new set, in its order.
  package var added: [ObjectIdentity]
  /// Objects in both with different content.
  package var changed: [ObjectIdentity]
  /// Objects in both with the same content.
  package var unchanged: [ObjectIdentity]
  /// Objects only in the old set, in uninstall order: pruned after a successful apply.
  package var removed: [ObjectIdentity]

  /// The plan from `old` to `new`.
  package init(from old: [Manifest], to new: [Manifest]) {
    let before = Dictionary(old.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
    let after = Set(new.map(\.identity))
    var added: [ObjectIdentity] = [], changed: [ObjectIdentity] = [], unchanged: [ObjectIdentity] = []
    for manifest in new {
      switch before[manifest.identity] {
      case nil: added.append(manifest.identity)
      case let previous? where previous.content != manifest.content: changed.append(manifest.identity)
      default: unchanged.append(manifest.identity)
      }
    }
    self.added = added
    self.changed = changed
    self.unchanged = unchanged
    removed = old.filter { !after.contains($0.identity) }.map(\.identity).sortedForUninstall()
  }

  /// `2 changed, 1 added, 1 removed`.
  package var summary: String { Self.summary(changed: changed.count, added: added.count, removed: removed.count) }

  /// The one summary line of every diff flowrel prints.
  package static func summary(changed: Int, added: Int, removed: Int) -> String {
    "\(changed) changed, \(added) added, \(removed) removed"
  }
}
