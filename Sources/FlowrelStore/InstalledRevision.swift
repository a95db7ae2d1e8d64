import FlowrelAge
import FlowrelGit
import FlowrelManifest
import FlowrelValue

/// The installed revision as the next one is made from it (`ReleaseStore.installedRevision`):
/// metadata, values, notes, CRDs, hooks and draws read at once, its objects only when asked for. An upgrade that
/// records hundreds of objects and changes a few compares the new objects with the stored
/// files by their git blob ids, and reads and parses only the files that differ.
package struct InstalledRevision {
  /// The revision without its objects (`manifests` is empty).
  private let head: Revision
  /// Each object's file in the release folder (`manifests/...`) → the blob id of its bytes.
  private let objectIDs: [String: ObjectID]
  /// The bytes of one object file.
  private let read: (String) throws(StoreError) -> [UInt8]
  private let folder: String
  private let keyring: AgeKeyring
  private let legacyKey: SecretKey?

  init(
    head: Revision, objectIDs: [String: ObjectID], folder: String, keyring: AgeKeyring, legacyKey: SecretKey?,
    read: @escaping (String) throws(StoreError) -> [UInt8]
  ) {
    self.head = head
    self.objectIDs = objectIDs
    self.read = read
    self.folder = folder
    self.keyring = keyring
    self.legacyKey = legacyKey
  }

  /// Its metadata.
  package var info: RevisionInfo { head.info }
  /// Its values, secrets decrypted as `ReleaseStore.revision` decrypts them.
  package var values: Value { head.values }
  /// Its notes.
  package var notes: String? { head.notes }
  /// The values stored encrypted.
  package var secretValuePaths: [ValuePath] { head.secretValuePaths }
  /// Its CRDs (`crds/`), in install order: an upgrade or rollback carries them over unchanged.
  package var crds: [Manifest] { head.crds }
  /// Its hooks (`hooks/`), in install order of their objects.
  package var hooks: [Hook] { head.hooks }
  /// The values its templates drew (`draws.sops.yaml`), decrypted when an identity is at hand.
  package var draws: Value? { head.draws }

  /// The revision in full, every object read and parsed: what `ReleaseStore.revision` gives.
  package func revision() throws(StoreError) -> Revision {
    var files: [(key: String, value: [UInt8])] = []
    for file in objectIDs.keys.sorted() { files.append((file, try read(file))) }
    var full = head
    full.manifests = try ReleaseFolder.manifests(files, folder: folder, keyring: keyring, legacyKey: legacyKey)
    return full
  }

  /// `ChangePlan(from: revision().manifests, to: new)`, reading only the stored files that
  /// differ from the new objects' canonical YAML: a file with the same bytes holds the same
  /// object (the store writes each object as its canonical YAML, which reads back as it was
  /// written), every other file is parsed and compared by content as the plan compares them.
  package func plan(to new: [Manifest]) throws(StoreError) -> ChangePlan {
    // A stored file with a new object's bytes stands for that object unread: the new manifest
    // serves as the old one. The other files are parsed; ChangePlan compares them all.
    var old: [Manifest] = []
    var matchedFiles: Set<String> = []
    for manifest in new {
      let file = ReleaseFolder.fileName(manifest.identity, releaseNamespace: info.namespace)
      guard let id = objectIDs[file], try blobID(Array(manifest.canonicalYAML.utf8)) == id else { continue }
      old.append(manifest)
      matchedFiles.insert(file)
    }
    for file in objectIDs.keys.sorted() where !matchedFiles.contains(file) {
      old.append(try ReleaseFolder.manifest(try read(file), file: "\(folder)/\(file)", keyring: keyring, legacyKey: legacyKey))
    }
    return ChangePlan(from: old, to: new)
  }

  private func blobID(_ bytes: [UInt8]) throws(StoreError) -> ObjectID {
    do { return try Repository.blobID(of: bytes) } catch { throw .git(error) }
  }
}
