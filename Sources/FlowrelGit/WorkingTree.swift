import Foundation
internal import CGit2

// The checked-out files of one folder, and their index entries, kept in step with commits made
// through the object database; the rest of the working tree and index is never touched.
extension Repository {
  /// The paths (relative to the repository root, sorted) under `folder` that differ from HEAD
  /// in the index or the working tree: staged, modified, deleted or untracked (not ignored)
  /// files. Empty when the folder is clean. Fails for a bare repository.
  package func uncommittedChanges(under folder: String) throws(GitError) -> [String] {
    var options = git_status_options()
    try GitError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "git_status_options_init")
    options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
    options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
      | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH.rawValue | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
    let list = try withStringArray(Repository.pathspec(folder)) { (array) throws(GitError) -> OpaquePointer? in
      options.pathspec = array
      var list: OpaquePointer?
      try GitError.check(git_status_list_new(&list, pointer, &options), "git_status_list_new",
                         "cannot read the status of '\(folder)' in \(gitDirectory)")
      return list
    }
    defer { git_status_list_free(list) }
    var paths: Set<String> = []
    for index in 0..<git_status_list_entrycount(list) {
      guard let entry = git_status_byindex(list, index)?.pointee,
        entry.status != GIT_STATUS_CURRENT, entry.status.rawValue & GIT_STATUS_IGNORED.rawValue == 0,
        let delta = (entry.head_to_index ?? entry.index_to_workdir)?.pointee,
        let path = delta.new_file.path ?? delta.old_file.path
      else { continue }
      paths.insert(String(cString: path))
    }
    return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
  }

  /// The path of `path` (absolute, or relative to the current directory; it need not exist
  /// yet) relative to the working tree's root, as tree and index paths are written: such as
  /// `releases/ns`, or empty for the root itself. Symbolic links are resolved on both sides, so
  /// a path through a link into the working tree is found. Fails for a path outside the working
  /// tree or inside `.git`, and for a bare repository.
  package func relativePath(of path: String) throws(GitError) -> String {
    guard let workdir = workingDirectory else {
      throw GitError(GIT_EBAREREPO, function: "relativePath", message: "\(gitDirectory) has no working tree")
    }
    let root = FileManager.default.resolvedComponents(URL(fileURLWithPath: workdir))
    let target = FileManager.default.resolvedComponents(URL(fileURLWithPath: path))
    guard target.starts(with: root), target.dropFirst(root.count).first != ".git" else {
      throw GitError(GIT_EINVALID, function: "relativePath",
                     message: "\(path) is not inside the working tree \(workdir)")
    }
    return target.dropFirst(root.count).joined(separator: "/")
  }

  /// Makes the checked-out `folder` (relative to the repository root) and its index entries
  /// match `folder` in `tree` (a tree or commit id): files written or replaced, files tracked
  /// under the folder but absent from the tree deleted (with directories left empty), index
  /// entries updated to match. Only files whose content differs are written (an unchanged
  /// file keeps its modification time), and the index is written only when an entry changed.
  /// Untracked files, and every path outside the folder (staged or not), are left alone.
  /// Callers check `uncommittedChanges(under:)` first, since edits in the folder are overwritten.
  /// When that check found the folder clean at the commit `previous`, only the files whose blob
  /// differs from `previous` are looked at: the others are on disk and staged as they should be.
  package func updateWorkingTree(folder: String, toMatch tree: ObjectID, from previous: ObjectID? = nil) throws(GitError) {
    _ = try Repository.pathComponents(folder, allowRoot: false)
    guard let workdir = workingDirectory else {
      throw GitError(GIT_EBAREREPO, function: "updateWorkingTree", message: "\(gitDirectory) has no working tree to update")
    }
    let prefix = folder + "/"
    var files = try blobs(under: folder, inTree: tree)
    let wanted = Set(files.map { prefix + $0.path })
    if let previous {
      let before = try fileIDs(under: folder, inTree: previous)
      files.removeAll { before[$0.path] == $0.id }
    }
    var index: OpaquePointer?
    try GitError.check(git_repository_index(&index, pointer), "git_repository_index", "cannot open the index of \(gitDirectory)")
    defer { git_index_free(index) }
    try GitError.check(git_index_read(index, 0), "git_index_read", "cannot read the index of \(gitDirectory)")
    // What is staged under the folder: stage-0 entries (copied: the index owns the originals),
    // paths in conflict, and tracked paths the tree no longer has.
    var staged: [String: git_index_entry] = [:]
    var conflicted: Set<String> = []
    var gone: [String] = []
    for position in 0..<git_index_entrycount(index) {
      guard let entry = git_index_get_byindex(index, position)?.pointee, let cPath = entry.path else { continue }
      let path = String(cString: cPath)
      guard path.hasPrefix(prefix) else { continue }
      if !wanted.contains(path) {
        if gone.last != path { gone.append(path) }
      } else if Int32(entry.flags & UInt16(GIT_INDEX_ENTRY_STAGEMASK)) != 0 {
        conflicted.insert(path)
      } else {
        staged[path] = entry
      }
    }
    // Entries changed after the index file was last written may hide an edit made within the
    // same timestamp tick, so for those the stat data alone does not prove a file unchanged.
    let indexStamp = git_index_path(index).flatMap { FileStat(path: String(cString: $0)) }?.mtime
    var indexChanged = false
    let root = URL(fileURLWithPath: workdir, isDirectory: true)
    for path in gone {
      let file = root.appendingPathComponent(path)
      try fileOperation("delete", path) { try FileManager.default.removeItemIfPresent(at: file) }
      try GitError.check(git_index_remove_bypath(index, path), "git_index_remove_bypath", "cannot unstage '\(path)'")
      indexChanged = true
      try fileOperation("delete empty folders above", path) {
        try FileManager.default.removeEmptyFolders(from: file.deletingLastPathComponent(), upTo: root)
      }
    }
    for (relative, id) in files {
      let path = prefix + relative
      let entry = conflicted.contains(path) ? nil : staged[path]
      if try checkOut(path, id, in: workdir, staged: entry, indexStamp: indexStamp) { continue }
      if conflicted.contains(path) {
        try GitError.check(git_index_conflict_remove(index, path), "git_index_conflict_remove", "cannot resolve '\(path)'")
      }
      guard let onDisk = FileStat(path: workdir + path) else {
        throw GitError(GIT_ERROR, function: "updateWorkingTree", message: "cannot read '\(path)' after writing it in \(workdir)")
      }
      var newEntry = onDisk.indexEntry(id: id)
      let code = path.withCString { cPath in
        newEntry.path = cPath
        return git_index_add(index, &newEntry)
      }
      try GitError.check(code, "git_index_add", "cannot stage '\(path)'")
      indexChanged = true
    }
    if indexChanged {
      try GitError.check(git_index_write(index), "git_index_write", "cannot write the index of \(gitDirectory)")
    }
  }

  /// Makes the file at `path` (under `workdir`) hold the blob `id`, writing it only when its
  /// content or mode differs. True when `entry` (its stage-0 index entry, nil when there is none
  /// or the path is in conflict) still describes the file, so the index needs no change.
  private func checkOut(_ path: String, _ id: ObjectID, in workdir: String, staged entry: git_index_entry?,
                        indexStamp: git_index_time?) throws(GitError) -> Bool {
    // The working directory ends in `/`; plain concatenation is much cheaper than URLs here.
    let file = workdir + path
    let onDisk = FileStat(path: file)
    var entryCurrent = false
    if let entry, let onDisk, ObjectID(entry.id) == id, onDisk.matches(entry) {
      // Staged as wanted with the stat data git recorded: unchanged, unless racily so.
      if let indexStamp, onDisk.mtime < indexStamp { return true }
      entryCurrent = true
    }
    let current = onDisk?.mode == GIT_FILEMODE_BLOB.rawValue ? try fileBlobID(file) : nil
    if current == id { return entryCurrent }
    let content = try blob(id)
    try fileOperation("write", path) { try WorkingFile.replace(file, with: content) }
    return false
  }

  /// The blob id of the file at `path` as it is on disk, or nil when it cannot be read.
  private func fileBlobID(_ path: String) throws(GitError) -> ObjectID? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    var oid = git_oid()
    let code = data.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
    try GitError.check(code, "git_odb_hash", "cannot hash '\(path)'")
    return ObjectID(oid)
  }

  private func fileOperation(_ verb: String, _ path: String, _ body: () throws -> Void) throws(GitError) {
    do { try body() } catch {
      throw GitError(GIT_ERROR, function: "updateWorkingTree", message: "cannot \(verb) '\(path)' in \(workingDirectory ?? gitDirectory): \(error.localizedDescription)")
    }
  }
}

/// A working-tree file's stat data, in the form the index keeps it.
private struct FileStat {
  let ctime: git_index_time
  let mtime: git_index_time
  let dev: UInt32
  let ino: UInt32
  let mode: UInt32
  let uid: UInt32
  let gid: UInt32
  let size: UInt32

  /// The stat data of the regular file at `path` (not following a symbolic link), or nil when
  /// there is none.
  init?(path: String) {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
    #if canImport(Darwin)
    let (changed, modified) = (info.st_ctimespec, info.st_mtimespec)
    #else
    let (changed, modified) = (info.st_ctim, info.st_mtim)
    #endif
    ctime = git_index_time(seconds: Int32(truncatingIfNeeded: changed.tv_sec),
                           nanoseconds: UInt32(truncatingIfNeeded: changed.tv_nsec))
    mtime = git_index_time(seconds: Int32(truncatingIfNeeded: modified.tv_sec),
                           nanoseconds: UInt32(truncatingIfNeeded: modified.tv_nsec))
    // The index keeps 32 bits of each field; git compares the truncated values.
    dev = UInt32(truncatingIfNeeded: info.st_dev)
    ino = UInt32(truncatingIfNeeded: info.st_ino)
    // Git records a regular file as 100644 or, with any execute bit, 100755.
    mode = UInt32(info.st_mode) & 0o111 != 0 ? GIT_FILEMODE_BLOB_EXECUTABLE.rawValue : GIT_FILEMODE_BLOB.rawValue
    uid = UInt32(info.st_uid)
    gid = UInt32(info.st_gid)
    size = UInt32(truncatingIfNeeded: info.st_size)
  }

  /// True when the index entry's stat data is this file's, as git's own check compares it.
  func matches(_ entry: git_index_entry) -> Bool {
    entry.mode == mode && entry.file_size == size && entry.ino == ino && entry.uid == uid && entry.gid == gid
      && entry.mtime == mtime && entry.ctime == ctime
  }

  /// An index entry (without a path) for this file holding the blob `id`. The file was just
  /// compared with or written from the blob, so libgit2 need not re-read it when it writes the
  /// index (the up-to-date flag lives in memory only).
  func indexEntry(id: ObjectID) -> git_index_entry {
    var entry = git_index_entry()
    entry.ctime = ctime
    entry.mtime = mtime
    entry.dev = dev
    entry.ino = ino
    entry.mode = GIT_FILEMODE_BLOB.rawValue
    entry.uid = uid
    entry.gid = gid
    entry.file_size = size
    entry.id = id.oid
    entry.flags_extended = UInt16(GIT_INDEX_ENTRY_UPTODATE.rawValue)
    return entry
  }
}

extension git_index_time {
  fileprivate static func == (lhs: git_index_time, rhs: git_index_time) -> Bool {
    lhs.seconds == rhs.seconds && lhs.nanoseconds == rhs.nanoseconds
  }

  fileprivate static func < (lhs: git_index_time, rhs: git_index_time) -> Bool {
    (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
  }
}

/// Writing one checked-out file the way git does: a new file (so a symbolic link or execute bit
/// left at the path goes away), no fsync.
private enum WorkingFile {
  static func replace(_ path: String, with content: [UInt8]) throws {
    let url = URL(fileURLWithPath: path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    var info = stat()
    if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR, unlink(path) != 0 { throw posixError("unlink") }
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw posixError("open") }
    defer { close(fd) }
    try content.withUnsafeBytes { buffer in
      var rest = buffer
      while let start = rest.baseAddress, !rest.isEmpty {
        let count = write(fd, start, rest.count)
        if count < 0 {
          if errno == EINTR { continue }
          throw posixError("write")
        }
        rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(count))
      }
    }
  }

  private static func posixError(_ call: String) -> Error {
    NSError(domain: NSPOSIXErrorDomain, code: Int(errno),
            userInfo: [NSLocalizedDescriptionKey: "\(call): \(String(cString: strerror(errno)))"])
  }
}

extension FileManager {
  /// The components of `url` with symbolic links resolved in the part that exists.
  fileprivate func resolvedComponents(_ url: URL) -> [String] {
    var existing = url.standardizedFileURL
    var missing: [String] = []
    while !fileExists(atPath: existing.path), existing.pathComponents.count > 1 {
      missing.insert(existing.lastPathComponent, at: 0)
      existing = existing.deletingLastPathComponent()
    }
    return existing.resolvingSymlinksInPath().pathComponents + missing
  }

  fileprivate func removeItemIfPresent(at url: URL) throws {
    guard fileExists(atPath: url.path) else { return }
    try removeItem(at: url)
  }

  /// Removes `folder` and its parents while they are empty, stopping below `root`.
  fileprivate func removeEmptyFolders(from folder: URL, upTo root: URL) throws {
    var current = folder.standardizedFileURL
    let stop = root.standardizedFileURL.path
    // Only strict descendants of the working tree's root: the root itself always stays.
    while current.path.hasPrefix(stop + "/") {
      guard fileExists(atPath: current.path), try contentsOfDirectory(atPath: current.path).isEmpty else { return }
      try removeItem(at: current)
      current = current.deletingLastPathComponent()
    }
  }
}
