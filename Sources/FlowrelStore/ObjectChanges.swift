import FlowrelManifest
import FlowrelValue
import Foundation

extension ObjectChange {
  /// The objects whose files differ between two sets of a release folder's files, each with
  /// both texts of its file, in install order of the newer set and removed objects last: the
  /// one object diff behind stored diffs, commit messages and planned diffs. `identity` names
  /// the object of a file that differs (from what the caller knows, or by reading the file).
  static func between(
    old: [String: [UInt8]], new: [String: [UInt8]], identity: (String) throws(StoreError) -> ObjectIdentity
  ) throws(StoreError) -> [ObjectChange] {
    var changes: [ObjectChange] = []
    let files = Set(old.keys).union(new.keys).filter(ReleaseFolder.holdsObject)
    for file in files where old[file] != new[file] {
      let oldText = old[file].map { String(decoding: $0, as: UTF8.self) }
      let newText = new[file].map { String(decoding: $0, as: UTF8.self) }
      let kind: Kind = oldText == nil ? .added : newText == nil ? .removed : .changed
      changes.append(ObjectChange(identity: try identity(file), file: file, kind: kind, old: oldText, new: newText))
    }
    return changes.sorted { a, b in
      if (a.kind == .removed) != (b.kind == .removed) { return b.kind == .removed }
      if a.identity == b.identity { return a.file < b.file }
      return KindOrder.installsBefore(a.identity, b.identity)
    }
  }

  /// The unified diff of the object's file with `context` lines around each change (negative:
  /// the whole file).
  package func patch(context: Int = UnifiedDiff.defaultContext) -> String {
    UnifiedDiff.patch(file: file, old: old, new: new, context: context)
  }

  /// The unified diff with three lines of context.
  package var patch: String { patch() }

  /// What changes from `old` to `new` (revisions not both stored yet: `diff upgrade`,
  /// `diff rollback`), shown as the store shows stored changes, each Secret's entries as
  /// `masking` shows them.
  package static func planned(
    from old: [Manifest], to new: [Manifest], releaseNamespace: String, masking: SecretProtection.Masking
  ) -> [ObjectChange] {
    var identities: [String: ObjectIdentity] = [:]
    func byFile(_ manifests: [Manifest]) -> [String: Manifest] {
      var out: [String: Manifest] = [:]
      for manifest in manifests {
        let file = ReleaseFolder.fileName(manifest.identity, releaseNamespace: releaseNamespace)
        identities[file] = manifest.identity
        out[file] = manifest
      }
      return out
    }
    let before = byFile(old), after = byFile(new)
    // Masking compares an entry's two sides, so each object is masked as a pair.
    var oldFiles: [String: [UInt8]] = [:], newFiles: [String: [UInt8]] = [:]
    for file in Set(before.keys).union(after.keys) {
      let (a, b) = masking.masked(old: before[file], new: after[file])
      oldFiles[file] = a.map { Array($0.canonicalYAML.utf8) }
      newFiles[file] = b.map { Array($0.canonicalYAML.utf8) }
    }
    // Every file's identity is known, so nothing is read and nothing can fail.
    return (try? between(old: oldFiles, new: newFiles) { file throws(StoreError) in
      guard let identity = identities[file] else { throw .damaged(file: file, problem: "no object") }
      return identity
    }) ?? []
  }
}
