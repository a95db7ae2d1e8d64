import FlowrelAge
import FlowrelManifest
import FlowrelParallel

/// A release's CRDs (a chart's `crds/` files) in its folder: one object per file under
/// `crds/`, named as manifests are, listed first in `kustomization.yaml`. They are kept apart
/// from `manifests/` because flowrel installs them only on a first install and never upgrades,
/// prunes or deletes them, as Helm does.
extension ReleaseFolder {
  static let crdsFolder = "crds/"

  /// Whether a file of the folder holds one object (a manifest or a CRD): the files whose
  /// changes a commit message and a diff name.
  static func holdsObject(_ file: String) -> Bool { file.hasPrefix(manifestsFolder) || file.hasPrefix(crdsFolder) }

  /// The files of `crds` (path, bytes, object) in install order. A Secret with data is refused: it
  /// would be stored in clear, and a chart's secrets belong in `templates/`, where they are
  /// encrypted.
  static func encodeCRDs(_ crds: [Manifest], namespace: String) throws(StoreError)
    -> [(file: String, bytes: [UInt8], identity: ObjectIdentity)]
  {
    var seen: Set<String> = []
    var out: [(file: String, bytes: [UInt8], identity: ObjectIdentity)] = []
    for manifest in crds.sortedForInstall() {
      if SecretProtection.hasSecretData(manifest) {
        throw .invalidRevision("\(manifest.identity) is in the chart's crds/ folder, which is stored unencrypted; put Secrets in templates/")
      }
      let file = crdsFolder + manifest.identity.fileName(releaseNamespace: namespace)
      guard seen.insert(file).inserted else { throw .duplicateObject(manifest.identity.description) }
      out.append((file, Array(manifest.canonicalYAML.utf8), manifest.identity))
    }
    return out
  }

  /// The CRDs stored in the folder's `crds/` files, in install order.
  static func decodeCRDs(_ files: [String: [UInt8]], folder: String) throws(StoreError) -> [Manifest] {
    let crdFiles = files.filter { $0.key.hasPrefix(crdsFolder) }.sorted { $0.key < $1.key }
    let none = AgeKeyring(identities: [])
    return try crdFiles.map { (entry) throws(StoreError) -> Manifest in
      try manifest(entry.value, file: "\(folder)/\(entry.key)", keyring: none, legacyKey: nil)
    }.sortedForInstall()
  }
}
