import FlowrelGit
import FlowrelManifest
import Foundation

/// The reads of one release that a command may make together: a store answers them itself
/// (opening its repository for each), or through `ReleaseStore.reader()`, opened once.
package protocol ReleaseReader {
  /// The release's revisions, oldest first; only the newest `max` when given. A `deployed` or
  /// `recorded` revision replaced by a later deployed, recorded or uninstalled one shows as
  /// `superseded`. Throws `releaseNotFound` when the release has no history.
  func history(release: String, namespace: String, max: Int?) throws(StoreError) -> [RevisionInfo]

  /// Revision `number` in full, or the current one when nil (`releaseNotFound` when the release
  /// is not installed). Secrets are decrypted when the store has the key; without it they stay
  /// encrypted strings. An uninstall revision has no values, manifests or notes.
  func revision(release: String, namespace: String, number: Int?) throws(StoreError) -> Revision

  /// The release's sync records, oldest first.
  func syncRecords(release: String, namespace: String) throws(StoreError) -> [SyncRecord]
}

/// Where release revisions are kept: the git store (`GitReleaseStore`) or the in-memory one
/// (`MemoryReleaseStore`, for tests; a dry run writes nothing). Both keep the same files and messages
/// and give the same answers.
package protocol ReleaseStore: ReleaseReader, Sendable {
  /// Runs `body` holding the store's write lock (an OS file lock for the git store), so an
  /// action can read the history, render, apply and record as one step: writers run one after
  /// another, and revision numbers stay unique and gapless. Waiting for the lock holds no
  /// thread. Reads inside `body` go through the store as usual. Do not nest: the lock is not
  /// reentrant.
  func withWriteLock<T>(_ body: (any RevisionWriter) async throws -> T) async throws -> T

  /// The store opened once for several reads (`history` and `status` read a release and its
  /// sync records), each answered as the store itself answers it.
  func reader() throws(StoreError) -> any ReleaseReader

  /// The installed revision with its objects read only when asked for (`InstalledRevision`):
  /// what an upgrade starts from. `releaseNotFound` when the release is not installed.
  func installedRevision(release: String, namespace: String) throws(StoreError) -> InstalledRevision

  /// The current revision of every installed release, in `namespace` or in all namespaces
  /// when nil, sorted by namespace and name.
  func releases(namespace: String?) throws(StoreError) -> [RevisionInfo]

  /// `flowrel init`: makes the store (and, for the git store, a repository around it when it
  /// is in none) and says what it made.
  func initialize() throws(StoreError) -> StoreInitialization

  /// `flowrel init --age`: writes a `.sops.yaml` at the top of the store's repository that
  /// encrypts the store's files to `recipients` (`age1...`); returns its path.
  func writeSOPSConfig(recipients: [String]) throws(StoreError) -> String

  /// `flowrel push`: sends the branch the store records on to its remote, replaying local
  /// revisions onto the remote's when it moved, with its notes (see `PushRequest`).
  func push(_ request: PushRequest) async throws -> PushReport

  /// `flowrel pull`: fast-forwards the store's branch (or `branch`) and its notes from
  /// `remote` (nil: the upstream, else `origin`).
  func pull(remote: String?, branch: String?) async throws -> PullReport

  /// `flowrel sync`: keeps `record` with the revision it applied, outside the branch's history.
  func recordSync(_ record: SyncRecord) throws(StoreError)

  /// The objects that differ from revision `from` to revision `to`, in install order of the
  /// newer revision (removed objects last), each with both texts of its stored file (`patch`
  /// diffs them): a changed secret shows as changed ciphertext, never as its value
  /// (`SecretReader.revealing` masks or shows it).
  func diff(release: String, namespace: String, from: Int, to: Int) throws(StoreError) -> [ObjectChange]

  /// The keys the store decrypts with, for diffs that mask or show Secrets.
  var secretReader: SecretReader { get }
}

/// What `ReleaseStore.initialize` made, and what was there already.
package struct StoreInitialization: Sendable, Equatable {
  /// The store folder.
  package var location: String
  /// A git repository was made around the store.
  package var createdRepository: Bool
  /// The store folder was made (it did not exist).
  package var createdFolder: Bool
  /// The `.sops.yaml` written (`flowrel init --age`), if any.
  package var sopsConfig: String?

  /// A report.
  package init(location: String, createdRepository: Bool, createdFolder: Bool) {
    self.location = location
    self.createdRepository = createdRepository
    self.createdFolder = createdFolder
  }
}

/// Records revisions; handed out only under the write lock (`ReleaseStore.withWriteLock`).
package protocol RevisionWriter {
  /// Records `revision` as the release's next revision and returns it (values, manifests in
  /// install order, and notes as given; number, time and digest as stored). Refuses secret
  /// material without a key.
  func record(_ revision: NewRevision) throws(StoreError) -> Revision

  /// Records the release's removal: its folder goes, its history stays, and the next install
  /// continues the revision numbers. Throws `releaseNotFound` when it is not installed.
  func recordUninstall(release: String, namespace: String, description: String) throws(StoreError) -> RevisionInfo
}

extension ReleaseStore {
  /// Records one revision under the write lock.
  package func record(_ revision: NewRevision) async throws -> Revision {
    try await withWriteLock { writer in try writer.record(revision) }
  }

  /// Records an uninstall under the write lock.
  package func recordUninstall(release: String, namespace: String, description: String) async throws -> RevisionInfo {
    try await withWriteLock { writer in try writer.recordUninstall(release: release, namespace: namespace, description: description) }
  }
}

// MARK: - The shared implementation

/// One revision in a store's history: its metadata, and its folder's files when asked for.
struct FolderRevision {
  /// The metadata, from the commit's message and time.
  let info: RevisionInfo
  /// The folder's files at that revision (empty for an uninstall).
  let files: () throws(StoreError) -> [String: [UInt8]]
}

/// A folder's files at the tip, named by git's blob id of their content, read only on demand:
/// a revision that changes three files of 753 reads three.
struct TipFolder {
  /// File path (relative to the folder) → the blob id of its content.
  let ids: [String: ObjectID]
  /// The bytes of one of the files.
  let read: (String) throws(StoreError) -> [UInt8]
}

/// What a store keeps: folders of files below the store root, changed one folder per commit.
/// Every `ReleaseStore` operation is built on this in `StoreCore`.
protocol FolderLog {
  /// The files of `folder` (`namespace/release`) at the tip; nil when it does not exist.
  func tipFiles(_ folder: String) throws(StoreError) -> [String: [UInt8]]?
  /// The files of `folder` at the tip, by id, read on demand; nil when it does not exist.
  func tipFolder(_ folder: String) throws(StoreError) -> TipFolder?
  /// The revisions of `folder`: the commits that changed it and carry flowrel's trailers,
  /// newest first, from at most `limit` commits that changed it.
  func revisions(of folder: String, limit: Int?) throws(StoreError) -> [FolderRevision]
  /// The newest revision of `folder` numbered `number` (nil when there is none).
  func revision(of folder: String, number: Int) throws(StoreError) -> FolderRevision?
  /// The metadata (`release.yaml`) of every release folder at the tip, by folder.
  func currentReleases() throws(StoreError) -> [String: RevisionInfo]
  /// One file of `folder` at the tip; nil when it does not exist.
  func tipFile(_ folder: String, _ file: String) throws(StoreError) -> [UInt8]?
  /// The `namespace/release` folders that hold a `release.yaml` at the tip.
  func releaseFolders() throws(StoreError) -> [String]
  /// Commits `files` as the whole content of `folder` (no files: the folder is removed).
  func commit(folder: String, files: [String: [UInt8]], message: String, time: Date) throws(StoreError)
}

extension FolderLog {
  func tipFolder(_ folder: String) throws(StoreError) -> TipFolder? {
    guard let files = try tipFiles(folder) else { return nil }
    var ids: [String: ObjectID] = [:]
    for (path, bytes) in files { ids[path] = try Self.blobID(bytes) }
    return TipFolder(ids: ids) { path in files[path] ?? [] }
  }

  func currentReleases() throws(StoreError) -> [String: RevisionInfo] { try scannedReleases() }

  func revision(of folder: String, number: Int) throws(StoreError) -> FolderRevision? {
    try walkingRevision(of: folder, number: number)
  }

  /// `revision(of:number:)` from `revisions(of:limit:)`: one revision per commit, newest first,
  /// so revision `number` is `latest - number` commits back and only that much history is
  /// read. A history that merged other branches may hold other commits too; then the whole
  /// history finds it.
  func walkingRevision(of folder: String, number: Int) throws(StoreError) -> FolderRevision? {
    let latest = try revisions(of: folder, limit: 1).first?.info.revision
    for limit in latest.map({ [$0 - number + 1, nil] }) ?? [nil] where (limit ?? 1) >= 1 {
      for revision in try revisions(of: folder, limit: limit) {
        if revision.info.revision == number { return revision }
        if revision.info.revision < number { break }
      }
    }
    return nil
  }

  /// `currentReleases` by reading every release folder's `release.yaml` at the tip.
  func scannedReleases() throws(StoreError) -> [String: RevisionInfo] {
    var out: [String: RevisionInfo] = [:]
    for folder in try releaseFolders() {
      guard let bytes = try tipFile(folder, ReleaseFolder.releaseFile) else { continue }
      out[folder] = try ReleaseFolder.decodeInfo([ReleaseFolder.releaseFile: bytes], folder: folder)
    }
    return out
  }

  /// Git's blob id of `bytes`.
  static func blobID(_ bytes: [UInt8]) throws(StoreError) -> ObjectID {
    do { return try Repository.blobID(of: bytes) } catch { throw .git(error) }
  }
}

/// The release operations over a `FolderLog`, identical for every store.
struct StoreCore<Log: FolderLog> {
  let log: Log
  let secrets: SecretContext
  let flowrelVersion: String
  let clock: @Sendable () -> Date

  func history(release: String, namespace: String, max: Int?) throws(StoreError) -> [RevisionInfo] {
    let folder = try ReleaseFolder.folder(release: release, namespace: namespace)
    // Newest first, by number: the log walks by commit time, and commits made in the same second
    // on two branches joined by a merge may come in either order.
    var infos = try log.revisions(of: folder, limit: max).map(\.info).sorted { $0.revision > $1.revision }
    guard !infos.isEmpty else { throw .releaseNotFound(name: release, namespace: namespace) }
    // A revision is superseded once a later one replaced it.
    var replaced = false
    for index in infos.indices {
      let status = infos[index].status
      if replaced, status == .deployed || status == .recorded { infos[index].status = .superseded }
      if status == .deployed || status == .recorded || status == .uninstalled { replaced = true }
    }
    return infos.reversed()
  }

  func revision(release: String, namespace: String, number: Int?) throws(StoreError) -> Revision {
    let folder = try ReleaseFolder.folder(release: release, namespace: namespace)
    guard let number else {
      guard let files = try log.tipFiles(folder) else { throw .releaseNotFound(name: release, namespace: namespace) }
      return try ReleaseFolder.decode(files, folder: folder, keyring: secrets.keyring, legacyKey: secrets.legacyKey)
    }
    let found = try find(folder, release: release, namespace: namespace, number: number)
    if found.info.action == .uninstall { return Revision(info: found.info, values: .emptyMap, manifests: [], notes: nil) }
    return try ReleaseFolder.decode(found.files(), folder: folder, keyring: secrets.keyring, legacyKey: secrets.legacyKey)
  }

  func installedRevision(release: String, namespace: String) throws(StoreError) -> InstalledRevision {
    let folder = try ReleaseFolder.folder(release: release, namespace: namespace)
    guard let tip = try log.tipFolder(folder) else { throw .releaseNotFound(name: release, namespace: namespace) }
    let head = try ReleaseFolder.decodeHead(folder: folder, files: tip.ids.keys, keyring: secrets.keyring, legacyKey: secrets.legacyKey) {
      file throws(StoreError) in tip.ids[file] == nil ? nil : try tip.read(file)
    }
    return InstalledRevision(
      head: head, objectIDs: tip.ids.filter { $0.key.hasPrefix(ReleaseFolder.manifestsFolder) }, folder: folder,
      keyring: secrets.keyring, legacyKey: secrets.legacyKey, read: tip.read)
  }

  func releases(namespace: String?) throws(StoreError) -> [RevisionInfo] {
    var out: [RevisionInfo] = []
    for (folder, info) in try log.currentReleases() {
      if let namespace, !folder.hasPrefix(namespace + "/") { continue }
      out.append(info)
    }
    return out.sorted { ($0.namespace, $0.release) < ($1.namespace, $1.release) }
  }

  func diff(release: String, namespace: String, from: Int, to: Int) throws(StoreError) -> [ObjectChange] {
    let folder = try ReleaseFolder.folder(release: release, namespace: namespace)
    let old = try find(folder, release: release, namespace: namespace, number: from).files()
    let new = try find(folder, release: release, namespace: namespace, number: to).files()
    return try Self.changes(from: old, to: new, folder: folder)
  }

  /// The objects that differ between two sets of folder files, named by reading the files
  /// that differ (only those: a revision that changes one object of hundreds stays cheap).
  static func changes(from old: [String: [UInt8]], to new: [String: [UInt8]], folder: String) throws(StoreError)
    -> [ObjectChange]
  {
    try ObjectChange.between(old: old, new: new) { file throws(StoreError) in
      try ReleaseFolder.identity(new[file] ?? old[file] ?? [], file: "\(folder)/\(file)")
    }
  }

  private func find(_ folder: String, release: String, namespace: String, number: Int) throws(StoreError) -> FolderRevision {
    if let found = try log.revision(of: folder, number: number) { return found }
    if try log.revisions(of: folder, limit: nil).isEmpty { throw .releaseNotFound(name: release, namespace: namespace) }
    throw .revisionNotFound(name: release, namespace: namespace, revision: number)
  }

  // MARK: Writing (under the store's write lock)

  /// The number the release's next revision gets: one more than the last, uninstalls included.
  private func nextNumber(_ folder: String) throws(StoreError) -> Int {
    if let bytes = try log.tipFile(folder, ReleaseFolder.releaseFile) {
      return try ReleaseFolder.decodeInfo([ReleaseFolder.releaseFile: bytes], folder: folder).revision + 1
    }
    return (try log.revisions(of: folder, limit: 1).first?.info.revision ?? 0) + 1
  }

  func record(_ revision: NewRevision) throws(StoreError) -> Revision {
    let folder = try ReleaseFolder.folder(release: revision.release, namespace: revision.namespace)
    guard revision.action != .uninstall, ![.superseded, .uninstalled].contains(revision.status) else {
      throw .invalidRevision("an uninstall is recorded with recordUninstall, and superseded is derived, never stored")
    }
    let time = clock()
    let number = try nextNumber(folder)
    // The folder's files now are read only where needed: the secrets' files (kept when their
    // plaintext is unchanged) and the files that differ (for the commit message).
    let tip = try log.tipFolder(folder) ?? TipFolder(ids: [:]) { _ in [] }
    let previous = { (file: String) throws(StoreError) -> [UInt8]? in tip.ids[file] == nil ? nil : try tip.read(file) }
    let (files, objects, manifests, info, secretValuePaths) = try ReleaseFolder.encode(
      revision, number: number, time: time, flowrelVersion: flowrelVersion, folder: folder, secrets: secrets, previous: previous)
    // flowrel's earlier format kept secrets in the values, the notes and the Secrets' files.
    for file in tip.ids.keys.sorted()
    where file == ReleaseFolder.valuesFile || file == ReleaseFolder.notesFile || file.hasPrefix(ReleaseFolder.manifestsFolder + "secret-") {
      guard SecretKey.appearsEncrypted(in: try tip.read(file)) else { continue }
      secrets.notice("\(folder): secrets were stored in flowrel's old format; revision \(info.revision) stores them as SOPS files")
      break
    }
    var old: [String: [UInt8]] = [:]
    var new: [String: [UInt8]] = [:]
    for (file, bytes) in files where ReleaseFolder.holdsObject(file) {
      guard let id = tip.ids[file] else {
        new[file] = bytes
        continue
      }
      guard try id != Log.blobID(bytes) else { continue }
      new[file] = bytes
      old[file] = try tip.read(file)
    }
    for file in tip.ids.keys where files[file] == nil && ReleaseFolder.holdsObject(file) {
      old[file] = try tip.read(file)
    }
    // The new files' objects are known; only a removed file is read (the old revision's). The
    // message names the objects (patches are made only when a diff is read).
    let changes = try ObjectChange.between(old: old, new: new) { file throws(StoreError) in
      if let identity = objects[file] { return identity }
      return try ReleaseFolder.identity(old[file] ?? [], file: "\(folder)/\(file)")
    }
    try log.commit(folder: folder, files: files, message: ReleaseFolder.message(info, changes: changes), time: time)
    // What was stored reads back as what was given (the conformance tests check that), so the
    // stored files need not be parsed again.
    var stored = Revision(info: info, values: revision.values, manifests: manifests, notes: revision.notes)
    stored.secretValuePaths = secretValuePaths
    stored.crds = revision.crds.sortedForInstall()
    stored.hooks = ReleaseFolder.sortedHooks(revision.hooks)
    stored.draws = revision.draws
    return stored
  }

  func recordUninstall(release: String, namespace: String, description: String) throws(StoreError) -> RevisionInfo {
    let folder = try ReleaseFolder.folder(release: release, namespace: namespace)
    guard let current = try log.tipFiles(folder) else { throw .releaseNotFound(name: release, namespace: namespace) }
    let previous = try ReleaseFolder.decodeInfo(current, folder: folder)
    let time = clock()
    let info = RevisionInfo(
      release: release, namespace: namespace, revision: previous.revision + 1, action: .uninstall, status: .uninstalled,
      chart: previous.chart, description: description, time: Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down)),
      flowrelVersion: flowrelVersion, valuesDigest: "")
    let changes = try Self.changes(from: current, to: [:], folder: folder)
    try log.commit(folder: folder, files: [:], message: ReleaseFolder.message(info, changes: changes), time: time)
    return info
  }
}

/// The writer both stores hand out under their lock.
struct CoreWriter<Log: FolderLog>: RevisionWriter {
  let core: StoreCore<Log>

  func record(_ revision: NewRevision) throws(StoreError) -> Revision { try core.record(revision) }

  func recordUninstall(release: String, namespace: String, description: String) throws(StoreError) -> RevisionInfo {
    try core.recordUninstall(release: release, namespace: namespace, description: description)
  }
}
