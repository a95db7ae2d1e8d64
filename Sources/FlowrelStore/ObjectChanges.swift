import Crypto
import FlowrelManifest
import FlowrelValue
import Foundation
import OrderedCollections

extension ObjectChange {
  /// The objects whose files differ between two sets of a release folder's files, each with a
  /// unified diff of its file, in install order of the newer set and removed objects last: the
  /// one object diff behind stored diffs, commit messages and planned diffs. `identity` names
  /// the object of a file that differs (from what the caller knows, or by reading the file).
  /// Without `patches`, each change's patch is empty (a commit message names objects only).
  static func between(
    old: [String: [UInt8]], new: [String: [UInt8]], patches: Bool = true, identity: (String) throws(StoreError) -> ObjectIdentity
  ) throws(StoreError) -> [ObjectChange] {
    var changes: [ObjectChange] = []
    let files = Set(old.keys).union(new.keys).filter { $0.hasPrefix(ReleaseFolder.manifestsFolder) }
    for file in files where old[file] != new[file] {
      let oldText = old[file].map { String(decoding: $0, as: UTF8.self) }
      let newText = new[file].map { String(decoding: $0, as: UTF8.self) }
      let kind: Kind = oldText == nil ? .added : newText == nil ? .removed : .changed
      changes.append(ObjectChange(identity: try identity(file), file: file, kind: kind,
                                  patch: patches ? UnifiedDiff.patch(file: file, old: oldText, new: newText) : ""))
    }
    return changes.sorted { a, b in
      if (a.kind == .removed) != (b.kind == .removed) { return b.kind == .removed }
      if a.identity == b.identity { return a.file < b.file }
      return KindOrder.installsBefore(a.identity, b.identity)
    }
  }

  /// What changes from `old` to `new` (revisions not both stored yet: `diff upgrade`,
  /// `diff rollback`), shown as the store shows stored changes. Secret values never appear:
  /// each is replaced by a keyed digest (the key is new for each call), so a diff shows that a
  /// secret changed and never what it is.
  package static func planned(from old: [Manifest], to new: [Manifest], releaseNamespace: String) -> [ObjectChange] {
    let masking = SecretProtection.Masking()
    var identities: [String: ObjectIdentity] = [:]
    func files(_ manifests: [Manifest]) -> [String: [UInt8]] {
      var out: [String: [UInt8]] = [:]
      for manifest in manifests {
        let file = ReleaseFolder.fileName(manifest.identity, releaseNamespace: releaseNamespace)
        identities[file] = manifest.identity
        out[file] = Array(masking.masked(manifest).canonicalYAML.utf8)
      }
      return out
    }
    let before = files(old), after = files(new)
    // Every file's identity is known, so nothing is read and nothing can fail.
    return (try? between(old: before, new: after) { file throws(StoreError) in
      guard let identity = identities[file] else { throw .damaged(file: file, problem: "no object") }
      return identity
    }) ?? []
  }
}
