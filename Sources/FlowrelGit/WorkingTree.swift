import Foundation
internal import CGit2

// The checked-out files of one folder, and their index entries, kept in step with commits made
// through the object database; the rest of the working tree and index is never touched.
extension Repository {
  /// The paths (relative to the repository root, sorted) under `folder` that differ from HEAD
  /// in the index or the working tree: staged, modified, deleted or untracked (not ignored)
  /// files. Empty when the folder is clean. Fails for a bare repository.
  public func uncommittedChanges(under folder: String) throws(GitError) -> [String] {
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
  public func relativePath(of path: String) throws(GitError) -> String {
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
  /// entries updated to match. Untracked files, and every path outside the folder (staged or
  /// not), are left alone. Callers check `uncommittedChanges(under:)` first, since edits in
  /// the folder are overwritten.
  public func updateWorkingTree(folder: String, toMatch tree: ObjectID) throws(GitError) {
    _ = try Repository.pathComponents(folder, allowRoot: false)
    guard let workdir = workingDirectory else {
      throw GitError(GIT_EBAREREPO, function: "updateWorkingTree", message: "\(gitDirectory) has no working tree to update")
    }
    let files = try readFolder(folder, inTree: tree)
    var index: OpaquePointer?
    try GitError.check(git_repository_index(&index, pointer), "git_repository_index", "cannot open the index of \(gitDirectory)")
    defer { git_index_free(index) }
    try GitError.check(git_index_read(index, 0), "git_index_read", "cannot read the index of \(gitDirectory)")
    let prefix = folder + "/"
    var tracked: [String] = []
    for position in 0..<git_index_entrycount(index) {
      guard let path = git_index_get_byindex(index, position)?.pointee.path.map({ String(cString: $0) }),
        path.hasPrefix(prefix), files[String(path.dropFirst(prefix.count))] == nil
      else { continue }
      tracked.append(path)
    }
    let root = URL(fileURLWithPath: workdir, isDirectory: true)
    for path in tracked {
      let file = root.appendingPathComponent(path)
      try fileOperation("delete", path) { try FileManager.default.removeItemIfPresent(at: file) }
      try GitError.check(git_index_remove_bypath(index, path), "git_index_remove_bypath", "cannot unstage '\(path)'")
      try fileOperation("delete empty folders above", path) {
        try FileManager.default.removeEmptyFolders(from: file.deletingLastPathComponent(), upTo: root)
      }
    }
    for (relative, bytes) in files.sorted(by: { $0.key < $1.key }) {
      let path = prefix + relative
      let file = root.appendingPathComponent(path)
      try fileOperation("write", path) {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
      }
      try GitError.check(git_index_add_bypath(index, path), "git_index_add_bypath", "cannot stage '\(path)'")
    }
    try GitError.check(git_index_write(index), "git_index_write", "cannot write the index of \(gitDirectory)")
  }

  private func fileOperation(_ verb: String, _ path: String, _ body: () throws -> Void) throws(GitError) {
    do { try body() } catch {
      throw GitError(GIT_ERROR, function: "updateWorkingTree", message: "cannot \(verb) '\(path)' in \(workingDirectory ?? gitDirectory): \(error.localizedDescription)")
    }
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
