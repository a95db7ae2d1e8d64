/// Which objects a new set of manifests adds, changes, keeps and removes against an old one,
/// by identity: the one change plan behind prune, dry runs and every diff's summary.
public struct ChangePlan: Sendable, Equatable {
  /// Objects only in the new set, in its order.
  public var added: [ObjectIdentity]
  /// Objects in both with different content.
  public var changed: [ObjectIdentity]
  /// Objects in both with the same content.
  public var unchanged: [ObjectIdentity]
  /// Objects only in the old set, in uninstall order: pruned after a successful apply.
  public var removed: [ObjectIdentity]

  /// The plan from `old` to `new`.
  public init(from old: [Manifest], to new: [Manifest]) {
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
  public var summary: String { Self.summary(changed: changed.count, added: added.count, removed: removed.count) }

  /// The one summary line of every diff flowrel prints.
  public static func summary(changed: Int, added: Int, removed: Int) -> String {
    "\(changed) changed, \(added) added, \(removed) removed"
  }
}
