import Crypto
import FlowrelGit
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the git store would otherwise read by walking its history, kept in one file under
/// `.git/flowrel/` so that `history`, old revisions, diffs and `list` cost the same at 10,000
/// revisions as at 10: for each release folder its revisions (commit and metadata, newest
/// first), and for each installed release its `release.yaml` blob and metadata.
///
/// Never the truth: the file names the branch tip it describes, and is used only when that tip
/// is the branch's tip or one of its first-parent ancestors; then only the commits made since
/// are read (whoever made them: flowrel, plain git, another process) and the file is written
/// again. A history with merges has no cache (the store reads it the slow way, as it must: the
/// walk by commit time is not a chain). A missing, stale, foreign or damaged file (its SHA-256
/// is checked) is rebuilt from the commits, so it costs time, never a wrong answer; a file
/// that cannot be written (a read-only clone) is simply not kept.
///
/// Read lazily: a command reads the file and checks its SHA-256 whole, but decodes a folder's
/// revisions only when it asks for them, and one revision by its number without decoding the
/// others (`get --revision 1` of 10,000 revisions decodes one). Folders a write did not touch
/// are written back as the bytes they were read as.
struct HistoryCache {
  /// One revision of a release folder: its commit and the metadata of its message.
  struct Entry: Equatable {
    var commit: ObjectID
    var info: RevisionInfo
  }

  /// A folder's revisions, newest first: decoded, or still the bytes they were read as.
  private enum History {
    case decoded([Entry])
    /// `count` entries one after another, each as `Writer.entry` writes it.
    case stored(ArraySlice<UInt8>, count: Int)
  }

  /// A part of the file that does not decode although its checksum held: the cache is not used.
  struct Damaged: Error {}

  /// An installed release: its `release.yaml` blob, and the metadata read from it once.
  struct Current: Equatable {
    var blob: ObjectID
    var info: RevisionInfo?
  }

  /// The commit this describes.
  var tip: ObjectID
  /// Release folder (`namespace/release`) → its revisions, newest first.
  private var histories: [String: History] = [:]
  /// Release folders with a `release.yaml` at the tip.
  var current: [String: Current] = [:]

  init(tip: ObjectID) { self.tip = tip }

  /// The revisions of `folder`, newest first (none when it never changed); only the newest
  /// `limit` when given.
  func entries(of folder: String, limit: Int? = nil) throws(Damaged) -> [Entry] {
    switch histories[folder] {
    case nil: return []
    case .decoded(let entries)?: return Array(entries.prefix(limit ?? entries.count))
    case .stored(let bytes, let count)?:
      var reader = Reader(bytes: bytes)
      var entries: [Entry] = []
      let wanted = min(count, limit ?? count)
      entries.reserveCapacity(wanted)
      for _ in 0..<wanted { entries.append(try reader.entry()) }
      return entries
    }
  }

  /// The newest revision of `folder` numbered `number`, looked for from the newest down and
  /// given up at the first with a lower number; only that one is decoded.
  func entry(of folder: String, number: Int) throws(Damaged) -> Entry? {
    switch histories[folder] {
    case nil: return nil
    case .decoded(let entries)?:
      for entry in entries {
        if entry.info.revision == number { return entry }
        if entry.info.revision < number { return nil }
      }
      return nil
    case .stored(let bytes, let count)?:
      var reader = Reader(bytes: bytes)
      for _ in 0..<count {
        let (revision, body) = try reader.framedEntry()
        if revision == number {
          var inner = Reader(bytes: body)
          return try inner.entryBody()
        }
        if revision < number { return nil }
      }
      return nil
    }
  }

  /// Puts `newer` (newest first) in front of the revisions of `folder`.
  private mutating func prepend(_ newer: [Entry], to folder: String) throws(Damaged) {
    histories[folder] = .decoded(newer + (try entries(of: folder)))
  }

  // MARK: Keeping it in step with the branch

  /// The cache for `tip`: `cached` brought up to date with the commits after it, or built from
  /// the whole history when it is nil or not an ancestor. Nil when the history from `tip`
  /// back to what is known holds a merge. `storeFolder` is relative to the repository root.
  static func updated(_ cached: HistoryCache?, to tip: ObjectID, repo: Repository, storeFolder: String) throws(GitError)
    -> HistoryCache?
  {
    do { return try updating(cached, to: tip, repo: repo, storeFolder: storeFolder) } catch let error as GitError {
      throw error
    } catch {
      // A part of the file that does not decode although its checksum held: built again from
      // the commits (which decodes nothing stored; no cache at all should that fail too).
      do { return try updating(nil, to: tip, repo: repo, storeFolder: storeFolder) } catch let error as GitError {
        throw error
      } catch {
        return nil
      }
    }
  }

  private static func updating(_ cached: HistoryCache?, to tip: ObjectID, repo: Repository, storeFolder: String) throws
    -> HistoryCache?
  {
    if let cached, cached.tip == tip { return cached }
    // The commits not seen yet, newest first, each with the id of the store folder's tree.
    var fresh: [(commit: Commit, store: ObjectID?)] = []
    var next: ObjectID? = tip
    var base: HistoryCache? = nil
    while let id = next {
      if let cached, cached.tip == id {
        base = cached
        break
      }
      let commit = try repo.commit(id)
      guard commit.parents.count <= 1 else { return nil }
      fresh.append((commit, try folderTree(storeFolder, in: commit.tree, repo: repo)))
      next = commit.parents.first
    }
    var cache = base ?? HistoryCache(tip: tip)
    cache.tip = tip
    let baseStore = try base.map { (base) throws(GitError) in try folderTree(storeFolder, in: base.tip, repo: repo) } ?? nil
    // Oldest first, so each folder's new revisions can be put in front in order.
    var touched: Set<String> = []
    var added: [String: [Entry]] = [:]
    var levels = TreeLevels(repo: repo)
    for index in fresh.indices.reversed() {
      let (commit, store) = fresh[index]
      let parentStore = index + 1 < fresh.count ? fresh[index + 1].store : baseStore
      guard store != parentStore else { continue }
      for folder in try levels.changedFolders(from: parentStore, to: store) {
        touched.insert(folder)
        guard let info = ReleaseFolder.info(fromMessage: commit.message, time: commit.author.time) else { continue }
        added[folder, default: []].append(Entry(commit: commit.id, info: info))
      }
    }
    for (folder, entries) in added { try cache.prepend(entries.reversed(), to: folder) }
    // A cache built from nothing knows every folder that ever changed; one brought up to date,
    // those that changed since.
    let tipStore = fresh.first.map(\.store) ?? baseStore
    for folder in touched {
      let blob = try tipStore.flatMap { (tree) throws(GitError) in try releaseFileBlob(folder, in: tree, repo: repo) }
      guard let blob else {
        cache.current.removeValue(forKey: folder)
        continue
      }
      if cache.current[folder]?.blob != blob { cache.current[folder] = Current(blob: blob, info: nil) }
    }
    return cache
  }

  /// The id of the tree at `folder` (empty: the root) in `tree`, or nil when there is none.
  private static func folderTree(_ folder: String, in tree: ObjectID, repo: Repository) throws(GitError) -> ObjectID? {
    try repo.folderID(at: folder, inTree: tree)
  }

  /// The blob of `namespace/release/release.yaml` below the store tree `store`, or nil.
  private static func releaseFileBlob(_ folder: String, in store: ObjectID, repo: Repository) throws(GitError) -> ObjectID? {
    let parts = folder.split(separator: "/").map(String.init)
    var tree = store
    for part in parts {
      guard let entry = try repo.treeEntries(tree).first(where: { $0.name == part }), entry.isFolder else { return nil }
      tree = entry.id
    }
    guard let entry = try repo.treeEntries(tree).first(where: { $0.name == ReleaseFolder.releaseFile }), !entry.isFolder else {
      return nil
    }
    return entry.id
  }

  /// Reads trees two levels below the store folder (namespaces, then releases), remembering
  /// the last few, since consecutive commits mostly share them.
  private struct TreeLevels {
    let repo: Repository
    var remembered: [ObjectID: [String: ObjectID]] = [:]

    init(repo: Repository) { self.repo = repo }

    /// The folders of `tree` by name (files left out: a release is a folder).
    mutating func folders(_ tree: ObjectID?) throws(GitError) -> [String: ObjectID] {
      guard let tree else { return [:] }
      if let known = remembered[tree] { return known }
      var out: [String: ObjectID] = [:]
      for entry in try repo.treeEntries(tree) where entry.isFolder { out[entry.name] = entry.id }
      if remembered.count > 64 { remembered.removeAll(keepingCapacity: true) }
      remembered[tree] = out
      return out
    }

    /// The `namespace/release` folders whose trees differ between two store trees.
    mutating func changedFolders(from old: ObjectID?, to new: ObjectID?) throws(GitError) -> [String] {
      let oldNamespaces = try folders(old)
      let newNamespaces = try folders(new)
      var out: [String] = []
      for namespace in Set(oldNamespaces.keys).union(newNamespaces.keys) where oldNamespaces[namespace] != newNamespaces[namespace] {
        let oldReleases = try folders(oldNamespaces[namespace])
        let newReleases = try folders(newNamespaces[namespace])
        for release in Set(oldReleases.keys).union(newReleases.keys) where oldReleases[release] != newReleases[release] {
          out.append("\(namespace)/\(release)")
        }
      }
      return out
    }
  }

  // MARK: The file

  /// The cache file of the store at `storeFolder` on `reference` in `gitDirectory`.
  static func file(gitDirectory: String, reference: String, storeFolder: String) -> String {
    let digest = SHA256.hash(data: Data(key(reference: reference, storeFolder: storeFolder).utf8))
    let name = "history-" + digest.prefix(8).map { String(format: "%02x", $0) }.joined()
    return (gitDirectory as NSString).appendingPathComponent("flowrel/\(name)")
  }

  private static func key(reference: String, storeFolder: String) -> String { "\(reference)\n\(storeFolder)" }

  private static let magic = Array("flowrel history cache\n".utf8)
  private static let formatVersion: UInt64 = 2

  /// The cache in `file` for this branch and store folder, or nil when there is none or it is
  /// not whole (any damage shows as a wrong checksum or an impossible field).
  static func load(file: String, reference: String, storeFolder: String) -> HistoryCache? {
    guard let data = FileManager.default.contents(atPath: file), data.count > magic.count + 32 else { return nil }
    let bytes = [UInt8](data)
    let body = bytes[..<(bytes.count - 32)]
    guard Array(SHA256.hash(data: body)) == Array(bytes[(bytes.count - 32)...]) else { return nil }
    var reader = Reader(bytes: body)
    return try? reader.cache(magic: magic, version: formatVersion, key: key(reference: reference, storeFolder: storeFolder))
  }

  /// The bytes of a folder's revisions as the file holds them: kept as read when untouched.
  private static func encoded(_ history: History) -> (bytes: ArraySlice<UInt8>, count: Int) {
    switch history {
    case .stored(let bytes, let count): return (bytes, count)
    case .decoded(let entries):
      var writer = Writer()
      for entry in entries { writer.entry(entry) }
      return (writer.bytes[...], entries.count)
    }
  }

  /// Writes the cache to `file` (a new file renamed into place, so a reader sees the old or the
  /// new one whole); a failure is ignored, since the cache is only ever a shortcut.
  func save(file: String, reference: String, storeFolder: String) {
    var writer = Writer()
    writer.bytes += Self.magic
    writer.number(Self.formatVersion)
    writer.string(Self.key(reference: reference, storeFolder: storeFolder))
    writer.id(tip)
    writer.number(UInt64(histories.count))
    for (folder, history) in histories.sorted(by: { $0.key < $1.key }) {
      let (bytes, count) = Self.encoded(history)
      writer.string(folder)
      writer.number(UInt64(count))
      writer.number(UInt64(bytes.count))
      writer.bytes += bytes
    }
    writer.number(UInt64(current.count))
    for (folder, release) in current.sorted(by: { $0.key < $1.key }) {
      writer.string(folder)
      writer.id(release.blob)
      if let info = release.info {
        writer.bytes.append(1)
        writer.info(info)
      } else {
        writer.bytes.append(0)
      }
    }
    writer.bytes += SHA256.hash(data: writer.bytes)
    let folder = (file as NSString).deletingLastPathComponent
    let scratch = "\(file).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
    do {
      if !FileManager.default.fileExists(atPath: folder) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      }
      try Data(writer.bytes).write(to: URL(fileURLWithPath: scratch))
      if rename(scratch, file) != 0 { try? FileManager.default.removeItem(atPath: scratch) }
    } catch {
      try? FileManager.default.removeItem(atPath: scratch)
    }
  }

  /// The file's encoding: counts and lengths as LEB128 numbers, strings as length and UTF-8,
  /// ids as their 40 hex digits, times as the bits of the seconds since 1970. Each folder's
  /// revisions are one section with its byte length in front, each revision framed by its
  /// number and byte length, so a reader can step over what it does not need.
  private struct Writer {
    var bytes: [UInt8] = []

    mutating func entry(_ entry: Entry) {
      var body = Writer()
      body.id(entry.commit)
      body.info(entry.info)
      number(UInt64(bitPattern: Int64(entry.info.revision)))
      number(UInt64(body.bytes.count))
      bytes += body.bytes
    }

    mutating func number(_ value: UInt64) {
      var rest = value
      while rest >= 0x80 {
        bytes.append(UInt8(rest & 0x7f) | 0x80)
        rest >>= 7
      }
      bytes.append(UInt8(rest))
    }

    mutating func string(_ text: String) {
      number(UInt64(text.utf8.count))
      bytes += text.utf8
    }

    mutating func id(_ id: ObjectID) { bytes += id.hex.utf8 }

    mutating func optional(_ text: String?) {
      if let text {
        bytes.append(1)
        string(text)
      } else {
        bytes.append(0)
      }
    }

    mutating func info(_ info: RevisionInfo) {
      string(info.release)
      string(info.namespace)
      number(UInt64(bitPattern: Int64(info.revision)))
      string(info.action.rawValue)
      string(info.status.rawValue)
      if let chart = info.chart {
        bytes.append(1)
        string(chart.name)
        string(chart.version)
        optional(chart.appVersion)
      } else {
        bytes.append(0)
      }
      string(info.description)
      number(info.time.timeIntervalSince1970.bitPattern)
      string(info.flowrelVersion)
      string(info.valuesDigest)
    }
  }

  /// Reads what `Writer` wrote; any field out of place is an error (the cache is not used).
  private struct Reader {
    let bytes: ArraySlice<UInt8>
    var position: Int

    init(bytes: ArraySlice<UInt8>) {
      self.bytes = bytes
      position = bytes.startIndex
    }

    mutating func byte() throws(Damaged) -> UInt8 {
      guard position < bytes.endIndex else { throw Damaged() }
      defer { position += 1 }
      return bytes[position]
    }

    mutating func number() throws(Damaged) -> UInt64 {
      var value: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        let next = try byte()
        guard shift < 64 else { throw Damaged() }
        value |= UInt64(next & 0x7f) << shift
        if next & 0x80 == 0 { return value }
        shift += 7
      }
    }

    mutating func count() throws(Damaged) -> Int {
      let value = try number()
      // No count can exceed the bytes left: each counted thing takes at least one byte.
      guard value <= UInt64(bytes.endIndex - position) else { throw Damaged() }
      return Int(value)
    }

    mutating func raw(_ length: Int) throws(Damaged) -> ArraySlice<UInt8> {
      guard length <= bytes.endIndex - position else { throw Damaged() }
      defer { position += length }
      return bytes[position..<(position + length)]
    }

    mutating func string() throws(Damaged) -> String {
      let length = try count()
      return String(decoding: try raw(length), as: UTF8.self)
    }

    mutating func id() throws(Damaged) -> ObjectID {
      guard let id = ObjectID(hex: String(decoding: try raw(40), as: UTF8.self)) else { throw Damaged() }
      return id
    }

    mutating func flag() throws(Damaged) -> Bool {
      switch try byte() {
      case 0: return false
      case 1: return true
      default: throw Damaged()
      }
    }

    mutating func info() throws(Damaged) -> RevisionInfo {
      let release = try string()
      let namespace = try string()
      let revision = Int(Int64(bitPattern: try number()))
      guard let action = ReleaseAction(rawValue: try string()), let status = ReleaseStatus(rawValue: try string()) else {
        throw Damaged()
      }
      var chart: ChartReference? = nil
      if try flag() {
        let name = try string()
        let version = try string()
        chart = ChartReference(name: name, version: version, appVersion: try flag() ? try string() : nil)
      }
      let description = try string()
      let time = Date(timeIntervalSince1970: Double(bitPattern: try number()))
      return RevisionInfo(
        release: release, namespace: namespace, revision: revision, action: action, status: status, chart: chart,
        description: description, time: time, flowrelVersion: try string(), valuesDigest: try string())
    }

    /// One revision's number and the bytes of the rest, as `Writer.entry` frames them.
    mutating func framedEntry() throws(Damaged) -> (revision: Int, body: ArraySlice<UInt8>) {
      let revision = Int(Int64(bitPattern: try number()))
      return (revision, try raw(try count()))
    }

    /// One revision's commit and metadata, the framed bytes after its number.
    mutating func entryBody() throws(Damaged) -> Entry {
      let entry = Entry(commit: try id(), info: try info())
      guard position == bytes.endIndex else { throw Damaged() }
      return entry
    }

    mutating func entry() throws(Damaged) -> Entry {
      let (revision, body) = try framedEntry()
      var inner = Reader(bytes: body)
      let entry = try inner.entryBody()
      guard entry.info.revision == revision else { throw Damaged() }
      return entry
    }

    mutating func cache(magic: [UInt8], version: UInt64, key: String) throws(Damaged) -> HistoryCache {
      guard Array(try raw(magic.count)) == magic, try number() == version, try string() == key else { throw Damaged() }
      var cache = HistoryCache(tip: try id())
      for _ in 0..<(try count()) {
        let folder = try string()
        let entryCount = try count()
        let section = try raw(try count())
        // The framing is checked now (cheap: numbers and lengths), the entries when read.
        var framing = Reader(bytes: section)
        for _ in 0..<entryCount { _ = try framing.framedEntry() }
        guard framing.position == section.endIndex else { throw Damaged() }
        cache.histories[folder] = .stored(section, count: entryCount)
      }
      for _ in 0..<(try count()) {
        let folder = try string()
        let blob = try id()
        cache.current[folder] = Current(blob: blob, info: try flag() ? try info() : nil)
      }
      guard position == bytes.endIndex else { throw Damaged() }
      return cache
    }
  }
}
