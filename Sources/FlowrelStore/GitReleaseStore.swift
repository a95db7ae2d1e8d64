import FlowrelAge
import FlowrelGit
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The release store in a git repository: the folder `path`, one commit per revision on one
/// branch (the checked-out one, or `branch`). See DESIGN.md, "Store layout".
///
/// Writing: under the write lock, the new tree is built in the object database (replacing only
/// the release's folder), committed, and the branch moved by compare-and-swap; then, when that
/// branch is checked out, the folder's files and index entries are updated. A process killed
/// at any point leaves the branch at the previous or the new revision, never in between.
///
/// Lock files of libgit2 (`refs/heads/main.lock`, `index.lock`, ...) found after taking the
/// write lock: when the previous writer died mid-write (its note is still in the lock file),
/// every lock file modified since it started (less one second, for the coarser file-system
/// clock) is its own and is removed, and the folder it was checking out is reset to HEAD. Any
/// other lock file belongs to a git command (ours are only ever taken under the write lock): it
/// is waited for up to `gitLockWait` seconds, then named in a `gitLocked` error and left alone.
package final class GitReleaseStore: ReleaseStore {
  /// The store folder.
  package var path: String { location.value.path }
  /// The branch revisions are recorded on; nil for the checked-out branch.
  package let branch: String?
  private let secrets: SecretSettings
  private let flowrelVersion: String
  let environment: [String: String]
  private let clock: @Sendable () -> Date
  private let gitLockWait: Double

  /// A store at `path` (made, with a repository around it when there is none, on the first
  /// write). `secrets` says whom secrets are encrypted to and what decrypts them;
  /// `environment` gives `GIT_AUTHOR_*`/`GIT_COMMITTER_*`; `clock` the revision times.
  package init(
    path: String, branch: String? = nil, secrets: SecretSettings = SecretSettings(), flowrelVersion: String,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    clock: @escaping @Sendable () -> Date = Date.init, gitLockWait: Double = 10,
    notice: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.location = Lazy { (path, nil) }
    self.notice = notice
    self.branch = branch
    self.secrets = secrets
    self.flowrelVersion = flowrelVersion
    self.environment = environment
    self.clock = clock
    self.gitLockWait = gitLockWait
  }

  /// The store folder, and where a repository is made when it is in none (the folder itself
  /// when `nil`); found on first use, so a command that never touches the store never looks.
  private let location: Lazy<(path: String, repositoryRoot: String?)>
  private var repositoryRoot: String? { location.value.repositoryRoot }
  /// One-line messages for the user: a repository made, where a revision was written.
  private let notice: @Sendable (String) -> Void
  /// Whether the missing git identity was mentioned already (once per command is enough).
  private let saidDefaultIdentity = Mutex(false)

  /// The store a command run in `directory` uses by default: `releases/` at the top of the git
  /// work tree that holds `directory` (git's discovery, so any subdirectory finds it), else
  /// `releases/` in `directory`, with the repository made in `directory` on the first write.
  package convenience init(
    defaultIn directory: String, branch: String? = nil, secrets: SecretSettings = SecretSettings(), flowrelVersion: String,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    notice: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.init(path: "", branch: branch, secrets: secrets, flowrelVersion: flowrelVersion, environment: environment, notice: notice)
    location.replace {
      let releases = (directory as NSString).appendingPathComponent("releases")
      // A repository that cannot be opened is reported when the store is opened.
      guard let repository = try? Self.discover(directory), let top = repository.workingDirectory else {
        return (releases, directory)
      }
      return ((top as NSString).appendingPathComponent("releases"), nil)
    }
  }

  /// The version of libgit2 the store is written with.
  package static var libraryVersion: String { Libgit2.version }

  /// `flowrel init`: makes the store folder and, when it is in no git repository, a repository
  /// there (initial branch from `init.defaultBranch`, else `main`).
  package func initialize() throws(StoreError) -> StoreInitialization {
    try Self.checkFolder(path)
    let folderExisted = FileManager.default.fileExists(atPath: path)
    if try Self.discover(path) != nil {
      do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
        throw .unwritable(path: path, reason: error.localizedDescription)
      }
      return StoreInitialization(location: path, createdRepository: false, createdFolder: !folderExisted)
    }
    _ = try Self.createRepository(at: repositoryRoot ?? path)
    if repositoryRoot != nil {
      do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
        throw .unwritable(path: path, reason: error.localizedDescription)
      }
    }
    return StoreInitialization(location: path, createdRepository: true, createdFolder: !folderExisted)
  }

  /// Runs `body`, which works on the repository: store errors pass, libgit2's become `.git`,
  /// anything else is the store being unreadable.
  func reading<T>(_ body: () throws -> T) throws(StoreError) -> T {
    do {
      return try body()
    } catch let error as StoreError {
      throw error
    } catch let error as GitError {
      throw .git(error)
    } catch {
      throw .unreadable(path: path, reason: "\(error)")
    }
  }

  /// A new repository with its working tree at `path`, made so that a process killed at any
  /// moment leaves either no repository or a whole one: it is made in a scratch folder beside
  /// `path` and its `.git` renamed into place. When another writer made one first, that is used.
  private static func createRepository(at path: String) throws(StoreError) -> Repository {
    let target = URL(fileURLWithPath: path).standardizedFileURL
    let scratch = target.deletingLastPathComponent()
      // Not named after the target: a target name near the file system's limit would not fit.
      .appendingPathComponent(".flowrel-init-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: scratch) }
    do {
      try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
      _ = try Repository.create(at: scratch.path)
    } catch let error as GitError {
      throw .git(error)
    } catch {
      throw .unwritable(path: path, reason: error.localizedDescription)
    }
    let moved = rename(scratch.appendingPathComponent(".git").path, target.appendingPathComponent(".git").path)
    if moved != 0 && errno != EEXIST && errno != ENOTEMPTY {
      throw .unwritable(path: path, reason: "cannot move a new repository into place: \(WriteLock.errnoText())")
    }
    do { return try Repository.open(at: target.path) } catch { throw .git(error) }
  }

  // MARK: ReleaseStore

  package func withWriteLock<T>(_ body: (any RevisionWriter) async throws -> T) async throws -> T {
    guard let lockOwner = try open(forWriting: true) else {
      throw StoreError.unwritable(path: path, reason: "no repository could be made")
    }
    // Refused before the body runs, so an action does not render for nothing.
    guard lockOwner.branchReference != nil else {
      throw StoreError.detachedHead(repository: lockOwner.repo.workingDirectory ?? lockOwner.repo.gitDirectory)
    }
    let lock = try await WriteLock.acquire(gitDirectory: lockOwner.repo.gitDirectory)
    try recover(lockOwner, lock: lock)
    lockOwner.lock = lock
    return try await body(CoreWriter(core: try core(lockOwner)))
  }

  package func history(release: String, namespace: String, max: Int?) throws(StoreError) -> [RevisionInfo] {
    try reader().history(release: release, namespace: namespace, max: max)
  }

  package func revision(release: String, namespace: String, number: Int?) throws(StoreError) -> Revision {
    try reader().revision(release: release, namespace: namespace, number: number)
  }

  package func syncRecords(release: String, namespace: String) throws(StoreError) -> [SyncRecord] {
    try reader().syncRecords(release: release, namespace: namespace)
  }

  package func reader() throws(StoreError) -> any ReleaseReader {
    guard let log = try open(forWriting: false) else { return Reader(core: nil) }
    return Reader(core: try core(log))
  }

  /// The store's repository opened once (`reader()`); nil when there is none yet.
  private struct Reader: ReleaseReader {
    let core: StoreCore<GitLog>?

    func history(release: String, namespace: String, max: Int?) throws(StoreError) -> [RevisionInfo] {
      guard let core else { throw .releaseNotFound(name: release, namespace: namespace) }
      return try core.history(release: release, namespace: namespace, max: max)
    }

    func revision(release: String, namespace: String, number: Int?) throws(StoreError) -> Revision {
      guard let core else { throw .releaseNotFound(name: release, namespace: namespace) }
      return try core.revision(release: release, namespace: namespace, number: number)
    }

    func syncRecords(release: String, namespace: String) throws(StoreError) -> [SyncRecord] {
      guard let repo = core?.log.repo else { return [] }
      return try GitReleaseStore.syncRecords(in: repo, release: release, namespace: namespace)
    }
  }

  package func installedRevision(release: String, namespace: String) throws(StoreError) -> InstalledRevision {
    guard let log = try open(forWriting: false) else { throw .releaseNotFound(name: release, namespace: namespace) }
    return try core(log).installedRevision(release: release, namespace: namespace)
  }

  package func releases(namespace: String?) throws(StoreError) -> [RevisionInfo] {
    guard let log = try open(forWriting: false) else { return [] }
    return try core(log).releases(namespace: namespace)
  }

  package var secretReader: SecretReader { SecretReader(keyring: secrets.keyring, legacyKey: secrets.legacyKey) }

  package func diff(release: String, namespace: String, from: Int, to: Int) throws(StoreError) -> [ObjectChange] {
    guard let log = try open(forWriting: false) else { throw .releaseNotFound(name: release, namespace: namespace) }
    return try core(log).diff(release: release, namespace: namespace, from: from, to: to)
  }

  private func core(_ log: GitLog) throws(StoreError) -> StoreCore<GitLog> {
    var engine = secrets.engine
    let settingsFile = (path as NSString).appendingPathComponent(GitOpsEngine.settingsFile)
    if engine == nil, let data = FileManager.default.contents(atPath: settingsFile) {
      engine = try GitOpsEngine.parse(String(decoding: data, as: UTF8.self), file: settingsFile)
    }
    let given = secrets.recipients
    let top = log.repo.workingDirectory ?? ""
    let storeFolder = log.storeFolder
    // `.sops.yaml` is read when a secret is written, as sops reads it: from the working tree.
    let recipients = { (file: String) throws(StoreError) -> [AgeRecipient] in
      if let given { return given }
      let configFile = (top as NSString).appendingPathComponent(SOPSConfig.fileName)
      guard let data = FileManager.default.contents(atPath: configFile) else { return [] }
      let config = try SOPSConfig(text: String(decoding: data, as: UTF8.self), file: configFile)
      return try config.recipients(forPath: storeFolder.isEmpty ? file : "\(storeFolder)/\(file)")
    }
    let context = SecretContext(
      recipients: recipients, keyring: secrets.keyring, legacyKey: secrets.legacyKey, engine: engine ?? .flux,
      notice: secrets.notice)
    return StoreCore(log: log, secrets: context, flowrelVersion: flowrelVersion, clock: clock)
  }

  /// Writes `.sops.yaml` at the top of the store's repository (made when there is none) with
  /// one creation rule for the store's files; an identical file is left as it is, another one
  /// is refused (edit it by hand).
  package func writeSOPSConfig(recipients: [String]) throws(StoreError) -> String {
    let parsed = try AgeRecipients.parse(recipients, source: "--age")
    guard !parsed.isEmpty else { throw .badAgeKey(source: "--age", problem: "no recipient given") }
    guard let log = try open(forWriting: true), let top = log.repo.workingDirectory else {
      throw .unwritable(path: path, reason: "the store has no repository with a working tree")
    }
    let file = (top as NSString).appendingPathComponent(SOPSConfig.fileName)
    let text = SOPSConfig.text(recipients: parsed, storeFolder: log.storeFolder)
    if let existing = FileManager.default.contents(atPath: file) {
      guard String(decoding: existing, as: UTF8.self) == text else {
        throw .badSOPSConfig(
          file: file, problem: "exists already and differs: add the recipients to its creation_rules by hand (nothing was written)")
      }
      return file
    }
    do { try Data(text.utf8).write(to: URL(fileURLWithPath: file), options: .withoutOverwriting) } catch {
      throw .unwritable(path: file, reason: error.localizedDescription)
    }
    return file
  }

  // MARK: Opening

  /// The store's repository, or nil when there is none yet and `forWriting` is false.
  private func open(forWriting: Bool) throws(StoreError) -> GitLog? {
    try Self.checkFolder(path)
    var repository = try Self.discover(path)
    if repository == nil {
      guard forWriting else { return nil }
      let root = repositoryRoot ?? path
      repository = try Self.createRepository(at: root)
      notice("created a git repository in \(root) for the store \(path) (it was in none)")
    }
    guard let repo = repository else { return nil }
    return try reading {
      guard !repo.isBare else {
        throw StoreError.unreadable(path: path, reason: "\(repo.gitDirectory) is a bare repository; use a clone with a working tree")
      }
      let folder = try repo.relativePath(of: path)
      let head = try repo.head()
      let target = branch ?? head.branch
      if forWriting {
        try Self.checkWritable(repo.gitDirectory)
        if FileManager.default.fileExists(atPath: path) { try Self.checkWritable(path) }
      }
      return GitLog(
        repo: repo, storeFolder: folder, branchReference: target.map(Repository.branchReference), base: head.commit,
        checkedOut: target != nil && target == head.branch, environment: environment,
        wrote: { [self] folder, defaultIdentity in
          self.noticeWrite(folder: folder, branch: target, defaultIdentity: defaultIdentity)
        })
    }
  }

  /// Says where a revision was written, and (once) that no git identity is set.
  private func noticeWrite(folder: String, branch: String?, defaultIdentity: Bool) {
    if defaultIdentity, !saidDefaultIdentity.withLock({ said in defer { said = true }; return said }) {
      notice("no git identity is set (user.name and user.email, or GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL): "
        + "commits are authored \(Signature.defaultName) <\(Signature.defaultEmail)>")
    }
    notice("recorded \(folder) in the store \(path) on branch \(branch ?? "(detached)")")
  }

  private static func checkFolder(_ path: String) throws(StoreError) {
    try StorePaths.checkFolder(path)
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return }
    guard isFolder.boolValue else { throw .notAFolder(path: path) }
    guard access(path, R_OK | X_OK) == 0 else { throw .unreadable(path: path, reason: WriteLock.errnoText()) }
  }

  private static func checkWritable(_ path: String) throws(StoreError) {
    guard access(path, W_OK | X_OK) == 0 else { throw .unwritable(path: path, reason: WriteLock.errnoText()) }
  }

  /// The repository around `path` (searching from its nearest existing folder), or nil.
  static func discover(_ path: String) throws(StoreError) -> Repository? {
    var url = URL(fileURLWithPath: path).standardizedFileURL
    while !FileManager.default.fileExists(atPath: url.path), url.pathComponents.count > 1 {
      url = url.deletingLastPathComponent()
    }
    do { return try Repository.discover(from: url.path) } catch {
      guard error.reason == .notFound else { throw .unreadable(path: path, reason: error.description) }
      // libgit2 also says "not found" for a repository it will not open (owned by another
      // user): never create a second repository inside one.
      var folder = url
      while folder.pathComponents.count > 1 {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path) {
          throw .unreadable(path: path, reason: "the git repository at \(folder.path) cannot be opened (\(error.message))")
        }
        folder = folder.deletingLastPathComponent()
      }
      return nil
    }
  }

  // MARK: Recovery

  /// Clears what a writer that died left behind (see the type's documentation).
  private func recover(_ log: GitLog, lock: WriteLock) throws(StoreError) {
    let pending = lock.pendingWrite()
    for file in Self.gitLockFiles(log.repo.gitDirectory) {
      if let pending, Self.modificationTime(file) >= pending.start - 1 {
        try? FileManager.default.removeItem(atPath: file)
        continue
      }
      let deadline = Date().addingTimeInterval(gitLockWait)
      while FileManager.default.fileExists(atPath: file) {
        guard Date() < deadline else { throw .gitLocked(path: file) }
        usleep(50_000)
      }
    }
    if let folder = pending?.folder { try log.resetWorkingFolder(folder) }
    lock.markDone()
  }

  /// Every `*.lock` file in the git directory (objects aside, which git writes through
  /// temporary files instead).
  private static func gitLockFiles(_ gitDirectory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: gitDirectory) else { return [] }
    var found: [String] = []
    while let next = walker.nextObject() as? String {
      if next == "objects" { walker.skipDescendants() }
      if next.hasSuffix(".lock") { found.append((gitDirectory as NSString).appendingPathComponent(next)) }
    }
    return found.sorted()
  }

  private static func modificationTime(_ file: String) -> Double {
    var info = stat()
    guard stat(file, &info) == 0 else { return 0 }
    return Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
  }
}

/// The git store's folders: trees at the branch tip, commits through the object database.
final class GitLog: FolderLog {
  let repo: Repository
  /// The store folder, relative to the repository root (empty for the root).
  let storeFolder: String
  /// The branch written to (`refs/heads/...`); nil on a detached HEAD without `--branch`.
  let branchReference: String?
  /// HEAD's commit: read from, and the base of a branch that does not exist yet.
  let base: ObjectID?
  /// Whether the branch is checked out, so the working tree follows each commit.
  let checkedOut: Bool
  let environment: [String: String]
  /// Told the release folder of each commit made, and whether it was authored with flowrel's
  /// default identity (none configured).
  let wrote: (String, Bool) -> Void
  /// The write lock, set while a writer holds it.
  var lock: WriteLock?

  init(repo: Repository, storeFolder: String, branchReference: String?, base: ObjectID?, checkedOut: Bool,
       environment: [String: String], wrote: @escaping (String, Bool) -> Void = { _, _ in }) {
    self.wrote = wrote
    self.repo = repo
    self.storeFolder = storeFolder
    self.branchReference = branchReference
    self.base = base
    self.checkedOut = checkedOut
    self.environment = environment
  }

  private func full(_ folder: String) -> String { storeFolder.isEmpty ? folder : "\(storeFolder)/\(folder)" }

  private func git<T>(_ body: () throws(GitError) -> T) throws(StoreError) -> T {
    do { return try body() } catch { throw .git(error) }
  }

  private func tip() throws(StoreError) -> ObjectID? {
    guard let branchReference else { return base }
    return try git { () throws(GitError) in try repo.referenceTarget(branchReference) } ?? base
  }

  func tipFiles(_ folder: String) throws(StoreError) -> [String: [UInt8]]? {
    guard let tip = try tip() else { return nil }
    let files = try git { () throws(GitError) in try repo.readFolder(full(folder), inTree: tip) }
    return files.isEmpty ? nil : files
  }

  func tipFile(_ folder: String, _ file: String) throws(StoreError) -> [UInt8]? {
    guard let tip = try tip() else { return nil }
    let path = "\(full(folder))/\(file)"
    return try git { () throws(GitError) in
      guard try repo.entryID(at: path, inTree: tip) != nil else { return nil }
      return try repo.readFile(path, inTree: tip)
    }
  }

  func tipFolder(_ folder: String) throws(StoreError) -> TipFolder? {
    guard let tip = try tip() else { return nil }
    let path = full(folder)
    let ids = try git { () throws(GitError) in try repo.fileIDs(under: path, inTree: tip) }
    guard !ids.isEmpty else { return nil }
    return TipFolder(ids: ids) { file throws(StoreError) in
      guard let id = ids[file] else { return [] }
      return try self.git { () throws(GitError) in try self.repo.blob(id) }
    }
  }

  /// Up to this many revisions of an installed release are looked for by walking back from the
  /// tip (through at most four times as many commits) before the history cache is read: the
  /// last revision or the last few, which a write and most reads ask for, are then found
  /// without it.
  private static let shortWalk = 16

  func revisions(of folder: String, limit: Int?) throws(StoreError) -> [FolderRevision] {
    guard let tip = try tip() else { return [] }
    let path = full(folder)
    // A release without a folder at the tip (uninstalled, or never installed) was last changed
    // anywhere back in history: the cache answers that at once.
    if let limit, limit <= Self.shortWalk, try git({ () throws(GitError) in try repo.entryID(at: path, inTree: tip) }) != nil {
      let walk = try git { () throws(GitError) in
        try repo.log(from: tip, touching: path, limit: limit, examining: 4 * Self.shortWalk)
      }
      if walk.complete { return revisions(walk.commits, path: path) }
    }
    let cached = try fromCache(tip: tip) { (cache) throws(HistoryCache.Damaged) in try cache.entries(of: folder, limit: limit) }
    guard let entries = cached else {
      // A history with merges: the walk by commit time, as git log orders it.
      return revisions(try git { () throws(GitError) in try repo.log(from: tip, touching: path, limit: limit) }, path: path)
    }
    return entries.map { revision($0, path: path) }
  }

  /// Revision `number` from the history cache, decoding no other; near the tip (where the
  /// newest revisions are found by walking back) and without a cache, as every log finds it.
  func revision(of folder: String, number: Int) throws(StoreError) -> FolderRevision? {
    guard let tip = try tip() else { return nil }
    if let latest = try revisions(of: folder, limit: 1).first?.info.revision, latest - number < Self.shortWalk {
      return try walkingRevision(of: folder, number: number)
    }
    let cached = try fromCache(tip: tip) { (cache) throws(HistoryCache.Damaged) in try cache.entry(of: folder, number: number) }
    guard let found = cached else { return try walkingRevision(of: folder, number: number) }
    return found.map { revision($0, path: full(folder)) }
  }

  private func revision(_ entry: HistoryCache.Entry, path: String) -> FolderRevision {
    FolderRevision(info: entry.info) { () throws(StoreError) in
      try self.git { () throws(GitError) in try self.repo.readFolder(path, inTree: entry.commit) }
    }
  }

  private func revisions(_ commits: [Commit], path: String) -> [FolderRevision] {
    commits.compactMap { commit in
      ReleaseFolder.info(fromMessage: commit.message, time: commit.author.time).map { info in
        FolderRevision(info: info) { () throws(StoreError) in
          try self.git { () throws(GitError) in try self.repo.readFolder(path, inTree: commit.tree) }
        }
      }
    }
  }

  func currentReleases() throws(StoreError) -> [String: RevisionInfo] {
    guard let tip = try tip() else { return [:] }
    guard var cache = try cache(tip: tip) else { return try scannedReleases() }
    var out: [String: RevisionInfo] = [:]
    var learned = false
    for (folder, current) in cache.current {
      if let info = current.info {
        out[folder] = info
        continue
      }
      let bytes = try git { () throws(GitError) in try repo.blob(current.blob) }
      let info = try ReleaseFolder.decodeInfo([ReleaseFolder.releaseFile: bytes], folder: folder)
      cache.current[folder]?.info = info
      out[folder] = info
      learned = true
    }
    if learned { remember(cache) }
    return out
  }

  // MARK: The history cache

  /// The cache as this command last read or made it.
  private var knownCache: HistoryCache?
  private var cacheFile: String {
    HistoryCache.file(gitDirectory: repo.gitDirectory, reference: branchReference ?? "HEAD", storeFolder: storeFolder)
  }

  /// The history cache for `tip` (see `HistoryCache`): read, brought up to date and written
  /// back when it moved; nil when the history holds merges.
  private func cache(tip: ObjectID) throws(StoreError) -> HistoryCache? {
    if let knownCache, knownCache.tip == tip { return knownCache }
    let loaded = knownCache ?? HistoryCache.load(file: cacheFile, reference: branchReference ?? "HEAD", storeFolder: storeFolder)
    let updated = try git { () throws(GitError) in
      try HistoryCache.updated(loaded, to: tip, repo: repo, storeFolder: storeFolder)
    }
    guard let updated else { return nil }
    if updated.tip != loaded?.tip { remember(updated) } else { knownCache = updated }
    return updated
  }

  /// `read` of the history cache for `tip`; nil when the history holds merges. A part of the
  /// file that does not decode although its checksum held is not trusted: the cache is built
  /// again from the branch (and written), and asked again.
  private func fromCache<T>(tip: ObjectID, _ read: (HistoryCache) throws(HistoryCache.Damaged) -> T) throws(StoreError) -> T? {
    guard let cache = try cache(tip: tip) else { return nil }
    do { return try read(cache) } catch {}
    let rebuilt = try git { () throws(GitError) in try HistoryCache.updated(nil, to: tip, repo: repo, storeFolder: storeFolder) }
    guard let rebuilt else { return nil }
    remember(rebuilt)
    // A cache built from the commits holds no undecoded part: nothing left to fail.
    return try? read(rebuilt)
  }

  private func remember(_ cache: HistoryCache) {
    knownCache = cache
    cache.save(file: cacheFile, reference: branchReference ?? "HEAD", storeFolder: storeFolder)
  }

  func releaseFolders() throws(StoreError) -> [String] {
    guard let tip = try tip() else { return [] }
    // Two levels of trees (namespaces, releases), never the files below them.
    return try git { () throws(GitError) in
      guard let store = try repo.folderID(at: storeFolder, inTree: tip) else { return [] }
      var out: [String] = []
      for namespace in try repo.treeEntries(store) where namespace.isFolder {
        for release in try repo.treeEntries(namespace.id) where release.isFolder {
          let holdsRelease = try repo.treeEntries(release.id).contains { $0.name == ReleaseFolder.releaseFile && !$0.isFolder }
          if holdsRelease { out.append("\(namespace.name)/\(release.name)") }
        }
      }
      return out
    }
  }

  /// From this many files, a new release folder is written as one pack.
  static let packedWrite = 64

  func commit(folder: String, files: [String: [UInt8]], message: String, time: Date) throws(StoreError) {
    try StorePaths.checkFiles(files.keys, in: full(folder), workingDirectory: checkedOut ? repo.workingDirectory : nil)
    guard let branchReference else { throw .detachedHead(repository: repo.workingDirectory ?? repo.gitDirectory) }
    let path = full(folder)
    // Read before the folder is checked, so the check is against the commit written over.
    let current = try git { () throws(GitError) in try repo.referenceTarget(branchReference) }
    if checkedOut {
      let dirty = try git { () throws(GitError) in try repo.uncommittedChanges(under: path) }
      guard dirty.isEmpty else { throw .uncommittedChanges(folder: path, paths: dirty) }
    }
    lock?.markWriting(folder: checkedOut ? path : nil)
    var defaultIdentity = false
    try git { () throws(GitError) in
      let parent = current ?? base
      let config = try? repo.config()
      let author = try Signature.resolve(.author, environment: environment, config: config, now: time)
      let committer = try Signature.resolve(.committer, environment: environment, config: config, now: time)
      defaultIdentity = author.name == Signature.defaultName && author.email == Signature.defaultEmail
      func write(_ writer: Repository) throws(GitError) -> ObjectID {
        let tree = try writer.writeTree(replacingFolder: path, in: parent, with: files)
        return try writer.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], message: message,
                                       author: author, committer: committer)
      }
      // A folder new to the branch with many files (a first install) goes into one pack
      // rather than a loose file per object: creating files is most of such a record.
      let isNew = try parent.map { (parent) throws(GitError) in try repo.entryID(at: path, inTree: parent) == nil } ?? true
      let commit: ObjectID
      if isNew && files.count >= Self.packedWrite {
        let writer = try Repository.open(at: repo.gitDirectory)
        commit = try writer.writingOnePack { () throws(GitError) in try write(writer) }
      } else {
        commit = try write(repo)
      }
      let subject = String(message.prefix { $0 != "\n" })
      try repo.updateReference(branchReference, to: commit, expecting: current, message: "flowrel: \(subject)")
      // The folder was found clean at `parent` (HEAD, the branch being checked out).
      if checkedOut { try repo.updateWorkingTree(folder: path, toMatch: commit, from: parent) }
    }
    lock?.markDone()
    wrote(folder, defaultIdentity)
  }

  /// Makes the checked-out `folder` match HEAD again after a writer died while
  /// updating it: its files and index entries, and the untracked files it had written.
  func resetWorkingFolder(_ folder: String) throws(StoreError) {
    guard let workdir = repo.workingDirectory else { return }
    try git { () throws(GitError) in
      // The dead writer updated the checked-out branch's folder: HEAD's, whatever this writer's branch is.
      let head = try repo.head()
      guard head.branch != nil else { return }
      let tip = head.commit
      let committed = try tip.map { (tip) throws(GitError) in Set(try repo.files(under: folder, inTree: tip)) } ?? []
      for path in try repo.uncommittedChanges(under: folder) where !committed.contains(String(path.dropFirst(folder.count + 1))) {
        try? FileManager.default.removeItem(atPath: workdir + path)
      }
      if let tip { try repo.updateWorkingTree(folder: folder, toMatch: tip) }
    }
  }
}

/// A value computed once, on first use, from a closure that may be replaced before then.
final class Lazy<Value: Sendable>: Sendable {
  private let state: Mutex<(make: @Sendable () -> Value, value: Value?)>

  init(_ make: @escaping @Sendable () -> Value) { state = Mutex((make, nil)) }

  /// Makes the value another way (only before it is first read).
  func replace(_ make: @escaping @Sendable () -> Value) { state.withLock { $0.make = make } }

  var value: Value {
    state.withLock { state in
      if let value = state.value { return value }
      let value = state.make()
      state.value = value
      return value
    }
  }
}
