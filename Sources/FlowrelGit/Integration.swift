import Foundation
internal import CGit2

// What integrating another line of history needs: ancestry, the commits of one side, trees
// built by replaying a commit's changes onto another tree, and checking out chosen paths.
extension Repository {
  /// True when `ancestor` is `commit` or one of its ancestors.
  package func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws(GitError) -> Bool {
    if ancestor == commit { return true }
    var descendant = commit.oid, older = ancestor.oid
    let code = git_graph_descendant_of(pointer, &descendant, &older)
    try GitError.check(code, "git_graph_descendant_of", "cannot compare \(commit.short) with \(ancestor.short)")
    return code == 1
  }

  /// The best common ancestor of two commits, or nil when their histories share none.
  package func mergeBase(_ one: ObjectID, _ two: ObjectID) throws(GitError) -> ObjectID? {
    var out = git_oid(), first = one.oid, second = two.oid
    let code = git_merge_base(&out, pointer, &first, &second)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try GitError.check(code, "git_merge_base", "cannot find what \(one.short) and \(two.short) share")
    return ObjectID(out)
  }

  /// The commits from `base` (excluded; nil for the whole history) to `tip`, oldest first,
  /// following first parents. Fails on a merge commit, which cannot be replayed as one change.
  package func commits(after base: ObjectID?, upTo tip: ObjectID) throws(GitError) -> [Commit] {
    var chain: [Commit] = []
    var next: ObjectID? = tip
    while let id = next, id != base {
      let commit = try commit(id)
      guard commit.parents.count <= 1 else {
        throw GitError(GIT_EINVALID, function: "commits(after:upTo:)",
                       message: "commit \(id.short) ('\(commit.summary)') is a merge; only a linear history can be replayed")
      }
      chain.append(commit)
      next = commit.parents.first
    }
    return chain.reversed()
  }

  /// The tree `onto` (a tree or commit id; nil for an empty tree) with the changes of `paths`
  /// made as in `tree`: each path set to its entry (file, mode) in `tree`, or removed where
  /// `tree` has none. Paths are files, relative to the root.
  package func tree(_ onto: ObjectID?, taking paths: [String], from tree: ObjectID) throws(GitError) -> ObjectID {
    let source = try lookupTree(tree)
    defer { git_tree_free(source) }
    var updates: [git_tree_update] = []
    var names: [UnsafeMutablePointer<CChar>] = []
    defer { for name in names { free(name) } }
    for path in paths {
      guard let name = strdup(path) else {
        throw GitError(GIT_ERROR, function: "tree(_:taking:from:)", message: "out of memory for '\(path)'")
      }
      names.append(name)
      var entry: OpaquePointer?
      let code = git_tree_entry_bypath(&entry, source, path)
      if code == GIT_ENOTFOUND.rawValue {
        updates.append(git_tree_update(action: GIT_TREE_UPDATE_REMOVE, id: git_oid(), filemode: GIT_FILEMODE_UNREADABLE,
                                       path: name))
        continue
      }
      try GitError.check(code, "git_tree_entry_bypath", "cannot read '\(path)' in tree \(tree.short)")
      defer { git_tree_entry_free(entry) }
      updates.append(git_tree_update(action: GIT_TREE_UPDATE_UPSERT, id: git_tree_entry_id(entry).pointee,
                                     filemode: git_tree_entry_filemode(entry), path: name))
    }
    let baseline = try onto.map { (id) throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(baseline) }
    var out = git_oid()
    try GitError.check(git_tree_create_updated(&out, pointer, baseline, updates.count, updates), "git_tree_create_updated",
                       "cannot replay \(paths.count) changed files onto \(onto?.short ?? "an empty tree")")
    return ObjectID(out)
  }

  /// Makes the checked-out `paths` (files relative to the root) and their index entries match
  /// `target` (a commit), where they match `baseline` (the commit the branch was at) now:
  /// everything is checked first, and a path with edits, or an untracked file in the way,
  /// fails the whole update before a file is written. Every other path is left alone.
  package func checkOut(_ paths: [String], from baseline: ObjectID?, to target: ObjectID) throws(GitError) {
    guard !paths.isEmpty else { return }
    var options = git_checkout_options()
    try GitError.check(git_checkout_options_init(&options, UInt32(GIT_CHECKOUT_OPTIONS_VERSION)), "git_checkout_options_init")
    options.checkout_strategy = GIT_CHECKOUT_SAFE.rawValue | GIT_CHECKOUT_DISABLE_PATHSPEC_MATCH.rawValue
    let baselineTree = try baseline.map { (id) throws(GitError) in try lookupTree(id) }
    defer { git_tree_free(baselineTree) }
    options.baseline = baselineTree
    var object: OpaquePointer?
    var oid = target.oid
    try GitError.check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_COMMIT), "git_object_lookup", "no commit \(target.hex)")
    defer { git_object_free(object) }
    let code = try withStringArray(paths) { (array) throws(GitError) -> Int32 in
      options.paths = array
      return git_checkout_tree(pointer, object, &options)
    }
    if code == GIT_ECONFLICT.rawValue {
      throw GitError(GIT_EUNCOMMITTED, function: "git_checkout_tree",
                     message: "the working tree has changes that the update would overwrite; commit or stash them: "
                       + (git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } } ?? ""))
    }
    try GitError.check(code, "git_checkout_tree", "cannot check out \(paths.count) files of \(target.short)")
  }
}
