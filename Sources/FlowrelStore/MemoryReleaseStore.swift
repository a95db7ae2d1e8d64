import FlowrelAge
import Foundation
import Synchronization

/// A store that keeps its commits in memory, for tests: the same files,
/// messages and answers as the git store, gone when the process ends.
package final class MemoryReleaseStore: ReleaseStore, Sendable {
  private let storage: Storage
  private let secrets: SecretSettings
  private let flowrelVersion: String
  private let clock: @Sendable () -> Date

  /// An empty store; `secrets` says whom secrets are encrypted to (`recipients` or
  /// `sopsConfig`) and what decrypts them, `clock` gives revision times.
  package convenience init(
    secrets: SecretSettings = SecretSettings(), flowrelVersion: String, clock: @escaping @Sendable () -> Date = Date.init
  ) {
    self.init(storage: Storage(), secrets: secrets, flowrelVersion: flowrelVersion, clock: clock)
  }

  private init(storage: Storage, secrets: SecretSettings, flowrelVersion: String, clock: @escaping @Sendable () -> Date) {
    self.storage = storage
    self.secrets = secrets
    self.flowrelVersion = flowrelVersion
    self.clock = clock
  }

  /// The same store (same commits, same lock) used with other secret settings: as the git
  /// store at the same path opened with other recipients or identities.
  package func withSecrets(_ secrets: SecretSettings) -> MemoryReleaseStore {
    MemoryReleaseStore(storage: storage, secrets: secrets, flowrelVersion: flowrelVersion, clock: clock)
  }

  private var core: StoreCore<MemoryLog> {
    let secrets = secrets
    let recipients = { (file: String) throws(StoreError) -> [AgeRecipient] in
      if let given = secrets.recipients { return given }
      return try secrets.sopsConfig?.recipients(forPath: file) ?? []
    }
    let context = SecretContext(
      recipients: recipients, keyring: secrets.keyring, legacyKey: secrets.legacyKey, engine: secrets.engine ?? .flux,
      notice: secrets.notice)
    return StoreCore(log: MemoryLog(storage: storage), secrets: context, flowrelVersion: flowrelVersion, clock: clock)
  }

  /// An in-memory store has no repository to hold a `.sops.yaml`.
  package func writeSOPSConfig(recipients: [String]) throws(StoreError) -> String {
    throw .unwritable(path: "(memory)", reason: "an in-memory store has no repository for a .sops.yaml")
  }

  package func withWriteLock<T>(_ body: (any RevisionWriter) async throws -> T) async throws -> T {
    await WriterExclusion.waitUntil { storage.writerActive.withLock { active in active ? false : { active = true; return true }() } }
    defer { storage.writerActive.withLock { $0 = false } }
    return try await body(CoreWriter(core: core))
  }

  /// Nothing to make: the store exists as soon as it is made.
  package func initialize() throws(StoreError) -> StoreInitialization {
    StoreInitialization(location: "(memory)", createdRepository: false, createdFolder: false)
  }

  /// An in-memory store has no remote.
  package func push(_ request: PushRequest) async throws -> PushReport {
    throw StoreError.unwritable(path: "(memory)", reason: "an in-memory store has no remote to push to")
  }

  /// An in-memory store has no remote.
  package func pull(remote: String?, branch: String?) async throws -> PullReport {
    throw StoreError.unreadable(path: "(memory)", reason: "an in-memory store has no remote to pull from")
  }

  package func recordSync(_ record: SyncRecord) throws(StoreError) {
    _ = try core.revision(release: record.release, namespace: record.namespace, number: record.revision)
    storage.syncRecords.withLock { $0.append(record) }
  }

  package func syncRecords(release: String, namespace: String) throws(StoreError) -> [SyncRecord] {
    storage.syncRecords.withLock { records in records.filter { $0.release == release && $0.namespace == namespace } }
  }

  package func history(release: String, namespace: String, max: Int?) throws(StoreError) -> [RevisionInfo] {
    try core.history(release: release, namespace: namespace, max: max)
  }

  /// Nothing to open: the store reads for itself.
  package func reader() throws(StoreError) -> any ReleaseReader { self }

  package func revision(release: String, namespace: String, number: Int?) throws(StoreError) -> Revision {
    try core.revision(release: release, namespace: namespace, number: number)
  }

  package func installedRevision(release: String, namespace: String) throws(StoreError) -> InstalledRevision {
    try core.installedRevision(release: release, namespace: namespace)
  }

  package func releases(namespace: String?) throws(StoreError) -> [RevisionInfo] { try core.releases(namespace: namespace) }

  package var secretReader: SecretReader { SecretReader(keyring: secrets.keyring, legacyKey: secrets.legacyKey) }

  package func diff(release: String, namespace: String, from: Int, to: Int) throws(StoreError) -> [ObjectChange] {
    try core.diff(release: release, namespace: namespace, from: from, to: to)
  }

  /// The commits, shared by every view of one store. `writerActive` serialises writers as the
  /// git store's file lock does.
  final class Storage: Sendable {
    let writerActive = Mutex(false)
    /// What `recordSync` kept, oldest first.
    let syncRecords = Mutex<[SyncRecord]>([])
    private let commits = Mutex<[MemoryLog.Commit]>([])

    func withCommits<T>(_ body: (inout [MemoryLog.Commit]) -> T) -> T {
      commits.withLock { body(&$0) }
    }
  }
}

/// The in-memory store's commits: each holds every folder's files after it, sharing storage
/// with its parent through copy-on-write dictionaries.
struct MemoryLog: FolderLog {
  struct Commit {
    let folder: String
    let message: String
    let time: Date
    let tree: [String: [String: [UInt8]]]
  }

  let storage: MemoryReleaseStore.Storage

  private var tip: [String: [String: [UInt8]]] { storage.withCommits { $0.last?.tree ?? [:] } }

  func tipFiles(_ folder: String) throws(StoreError) -> [String: [UInt8]]? { tip[folder] }

  func tipFile(_ folder: String, _ file: String) throws(StoreError) -> [UInt8]? { tip[folder]?[file] }

  func revisions(of folder: String, limit: Int?) throws(StoreError) -> [FolderRevision] {
    let matching = storage.withCommits { commits in commits.reversed().filter { $0.folder == folder } }
    return matching.prefix(limit ?? Int.max).compactMap { commit in
      ReleaseFolder.info(fromMessage: commit.message, time: commit.time).map { info in
        FolderRevision(info: info, files: { () throws(StoreError) in commit.tree[folder] ?? [:] })
      }
    }
  }

  func releaseFolders() throws(StoreError) -> [String] { tip.keys.sorted() }

  func commit(folder: String, files: [String: [UInt8]], message: String, time: Date) throws(StoreError) {
    storage.withCommits { commits in
      var tree = commits.last?.tree ?? [:]
      tree[folder] = files.isEmpty ? nil : files
      let seconds = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
      commits.append(Commit(folder: folder, message: message, time: seconds, tree: tree))
    }
  }
}
