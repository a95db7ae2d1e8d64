import Foundation
internal import CGit2

/// One file that differs between two trees.
package struct FileChange: Sendable, Equatable {
  /// How the file changed.
  package enum Kind: String, Sendable {
    /// The file exists only in the new tree.
    case added
    /// The file exists in both trees with different content or mode.
    case modified
    /// The file exists only in the old tree.
    case deleted
  }

  /// The file's path, relative to the repository root.
  package let path: String
  /// How it changed.
  package let kind: Kind

  /// A change of `path`.
  package init(path: String, kind: Kind) {
    self.path = path
    self.kind = kind
  }
}

extension Repository {
  /// The files that differ from `old` to `new` (tree or commit ids; nil for an empty tree),
  /// limited to those under `path` (a folder or file) when given, in path order.
  package func changes(from old: ObjectID?, to new: ObjectID?, under path: String? = nil) throws(GitError) -> [FileChange] {
    try withDiff(from: old, to: new, under: path) { diff throws(GitError) in
      (0..<git_diff_num_deltas(diff)).compactMap { index in
        guard let delta = git_diff_get_delta(diff, index)?.pointee else { return nil }
        let kind: FileChange.Kind
        switch delta.status {
        case GIT_DELTA_ADDED: kind = .added
        case GIT_DELTA_DELETED: kind = .deleted
        default: kind = .modified
        }
        let file = kind == .deleted ? delta.old_file : delta.new_file
        return FileChange(path: file.path.map { String(cString: $0) } ?? "", kind: kind)
      }
    }
  }

  /// The unified patch (`git diff` format: `diff --git a/... b/...` headers, three lines of
  /// context, paths relative to the repository root) from `old` to `new` (tree or commit ids;
  /// nil for an empty tree), limited to files under `path` when given.
  package func patch(from old: ObjectID?, to new: ObjectID?, under path: String? = nil) throws(GitError) -> String {
    try withDiff(from: old, to: new, under: path) { diff throws(GitError) in
      var buf = git_buf()
      defer { git_buf_dispose(&buf) }
      try GitError.check(git_diff_to_buf(&buf, diff, GIT_DIFF_FORMAT_PATCH), "git_diff_to_buf", "cannot format a patch")
      guard let bytes = buf.ptr else { return "" }
      return String(decoding: UnsafeRawBufferPointer(start: bytes, count: buf.size), as: UTF8.self)
    }
  }

  private func withDiff<T>(
    from old: ObjectID?, to new: ObjectID?, under path: String?, _ body: (OpaquePointer?) throws(GitError) -> T
  ) throws(GitError) -> T {
    let oldTree = try old.map { (id) throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(oldTree) }
    let newTree = try new.map { (id) throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(newTree) }
    var options = git_diff_options()
    try GitError.check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "git_diff_options_init")
    let pathspec = try Repository.pathspec(path)
    // Literal paths: a folder name with `*` or `[` must not act as a glob.
    options.flags = GIT_DIFF_DISABLE_PATHSPEC_MATCH.rawValue
    return try withStringArray(pathspec) { (array) throws(GitError) in
      options.pathspec = array
      var diff: OpaquePointer?
      try GitError.check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, &options), "git_diff_tree_to_tree",
                         "cannot compare \(old?.short ?? "the empty tree") with \(new?.short ?? "the empty tree")")
      defer { git_diff_free(diff) }
      return try body(diff)
    }
  }

  /// The pathspec that limits an operation to `path`: nothing for the whole repository.
  static func pathspec(_ path: String?) throws(GitError) -> [String] {
    guard let path, try !pathComponents(path, allowRoot: true).isEmpty else { return [] }
    return [path]
  }
}

/// Calls `body` with `strings` as a libgit2 string array, valid only during the call.
func withStringArray<T>(_ strings: [String], _ body: (git_strarray) throws(GitError) -> T) throws(GitError) -> T {
  var copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
  defer { for copy in copies { free(copy) } }
  let count = copies.count
  return try copies.withUnsafeMutableBufferPointer { (buffer) throws(GitError) in
    try body(git_strarray(strings: buffer.baseAddress, count: count))
  }
}
