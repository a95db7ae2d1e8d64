import Crypto
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import OrderedCollections

/// What an upgrade or a rollback would change, object by object, before anything is written:
/// `flowrel diff upgrade` and `flowrel diff rollback` (helm-diff's verbs).
public struct PlannedDiff: Sendable {
  /// The changes, in install order, removed objects last.
  public var changes: [ObjectChange]

  /// The changes of a dry-run result against the revision it would replace.
  init(_ result: DeployResult) {
    changes = PlannedChanges().changes(from: result.replaced, to: result.manifests, releaseNamespace: result.namespace)
  }
}

/// Object-by-object changes between two sets of manifests that are not both stored yet
/// (`diff upgrade`, `diff rollback`), shown the way the store shows stored ones.
///
/// Secret values never appear: each value of a Secret's `data` and `stringData` is replaced by
/// a keyed digest (the key is random for each run), so a diff shows that a secret changed
/// and never what it is, and equal secrets still compare equal.
struct PlannedChanges {
  private let key = SymmetricKey(size: .bits256)

  /// The changes from `old` to `new`, in install order of `new` and removed objects last.
  func changes(from old: [Manifest], to new: [Manifest], releaseNamespace: String) -> [ObjectChange] {
    let before = Dictionary(old.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
    let plan = ChangePlan(from: old, to: new)
    func file(_ identity: ObjectIdentity) -> String { "manifests/" + identity.fileName(releaseNamespace: releaseNamespace) }
    func text(_ manifest: Manifest?) -> String? { manifest.map { masked($0).canonicalYAML } }
    var changes: [ObjectChange] = []
    for manifest in new.sortedForInstall() {
      let previous = before[manifest.identity]
      let patch = UnifiedDiff.patch(file: file(manifest.identity), old: text(previous), new: text(manifest))
      guard !patch.isEmpty else { continue }
      changes.append(ObjectChange(manifest.identity, file: file(manifest.identity),
        kind: previous == nil ? .added : .changed, patch: patch))
    }
    for identity in plan.removed {
      let patch = UnifiedDiff.patch(file: file(identity), old: text(before[identity]), new: nil)
      changes.append(ObjectChange(identity, file: file(identity), kind: .removed, patch: patch))
    }
    return changes
  }

  /// The manifest with every Secret value replaced by `(secret, digest ...)`.
  private func masked(_ manifest: Manifest) -> Manifest {
    guard manifest.identity.kind == "Secret", case .map(var content) = manifest.content else { return manifest }
    for field in ["data", "stringData"] {
      guard case .map(let entries)? = content[field] else { continue }
      content[field] = .map(OrderedDictionary(uniqueKeysWithValues: entries.map { key, value in
        let text = value.stringValue ?? "\(value)"
        let digest = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: self.key)
        return (key, .string("(secret, digest " + digest.prefix(8).map { String(format: "%02x", $0) }.joined() + ")"))
      }))
    }
    return (try? Manifest(content: .map(content))) ?? manifest
  }
}
