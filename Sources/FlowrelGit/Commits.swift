internal import CGit2

/// A commit, copied out of the repository.
package struct Commit: Sendable, Equatable {
  /// The commit's id.
  package let id: ObjectID
  /// The id of its root tree.
  package let tree: ObjectID
  /// Its parents' ids, first parent first.
  package let parents: [ObjectID]
  /// The full message.
  package let message: String
  /// Who wrote the change, and when.
  package let author: Signature
  /// Who recorded the commit, and when.
  package let committer: Signature

  /// The message's first line.
  package var summary: String { String(message.prefix { $0 != "\n" }) }
}

extension Repository {
  /// Records a commit of `tree` with `parents` (first parent first) and returns its id. No
  /// reference moves: publish the commit with `updateReference(_:to:expecting:message:)`.
  package func createCommit(
    tree: ObjectID, parents: [ObjectID], message: String, author: Signature, committer: Signature
  ) throws(GitError) -> ObjectID {
    let treeObject = try lookupTree(tree)
    defer { git_tree_free(treeObject) }
    var parentObjects: [OpaquePointer?] = []
    defer { for parent in parentObjects { git_commit_free(parent) } }
    for parent in parents {
      var oid = parent.oid
      var commit: OpaquePointer?
      try GitError.check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup", "no parent commit \(parent.hex)")
      parentObjects.append(commit)
    }
    var oid = git_oid()
    try author.withGitSignature { (authorSig) throws(GitError) in
      try committer.withGitSignature { (committerSig) throws(GitError) in
        let code = parentObjects.withUnsafeMutableBufferPointer { buffer in
          git_commit_create(&oid, pointer, nil, authorSig, committerSig, nil, message, treeObject, buffer.count,
                            buffer.baseAddress)
        }
        try GitError.check(code, "git_commit_create", "cannot create a commit in \(gitDirectory)")
      }
    }
    return ObjectID(oid)
  }

  /// The commit `id`.
  package func commit(_ id: ObjectID) throws(GitError) -> Commit {
    var oid = id.oid
    var commit: OpaquePointer?
    try GitError.check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup", "no commit \(id.hex) in \(gitDirectory)")
    defer { git_commit_free(commit) }
    return Commit(
      id: id, tree: ObjectID(git_commit_tree_id(commit).pointee),
      parents: (0..<git_commit_parentcount(commit)).compactMap { git_commit_parent_id(commit, $0).map { ObjectID($0.pointee) } },
      message: git_commit_message(commit).map { String(cString: $0) } ?? "",
      author: Signature(git_commit_author(commit)), committer: Signature(git_commit_committer(commit)))
  }

  /// The commits reachable from `start`, newest first as `git log` orders them (by committer
  /// time, a commit after its children when clocks agree; a linear history is the chain from
  /// `start` back), limited to those that changed `path` (a folder or file; nil for every
  /// commit) and to `limit` entries. A commit changed the path when the path's tree or blob id
  /// differs from its id in every parent (for a root commit: when the path exists), so no diff
  /// is ever computed.
  package func log(from start: ObjectID, touching path: String? = nil, limit: Int? = nil) throws(GitError) -> [Commit] {
    try log(from: start, touching: path, limit: limit, examining: nil).commits
  }

  /// `log(from:touching:limit:)` that stops after looking at `examining` commits (all when
  /// nil); `complete` is false when it stopped there with history left, so a caller that asked
  /// for recent commits knows whether an older one may still match.
  package func log(from start: ObjectID, touching path: String?, limit: Int?, examining: Int?) throws(GitError)
    -> (commits: [Commit], complete: Bool)
  {
    if let path { _ = try Repository.pathComponents(path, allowRoot: true) }
    // Each commit's id for `path` is needed once as itself and once per child: remember it.
    var pathIDs: [ObjectID: ObjectID?] = [:]
    func pathID(_ commit: ObjectID, tree: ObjectID) throws(GitError) -> ObjectID? {
      if let known = pathIDs[commit] { return known }
      let id = try entryID(at: path ?? "", inTree: tree)
      pathIDs[commit] = id
      return id
    }
    // The walk is our own, as git's is: libgit2's revwalk reads the whole history before it
    // returns the first commit whenever it sorts, so a limit would not shorten it. The queue
    // holds the walk's front (one commit for a linear history); the newest leaves first, the
    // earliest queued among equal times.
    var queue = [try commit(start)]
    var queued: Set<ObjectID> = [start]
    var commits: [Commit] = []
    var examined = 0
    while let newest = queue.indices.max(by: { queue[$0].committer.time < queue[$1].committer.time }),
      limit.map({ commits.count < $0 }) ?? true
    {
      if let examining, examined >= examining { return (commits, false) }
      examined += 1
      let commit = queue.remove(at: newest)
      for parent in commit.parents where queued.insert(parent).inserted { queue.append(try self.commit(parent)) }
      guard path != nil else {
        commits.append(commit)
        continue
      }
      let own = try pathID(commit.id, tree: commit.tree)
      var changed = commit.parents.isEmpty ? own != nil : true
      // A commit id peels to its tree, so the parent's commit need not be read here.
      for parent in commit.parents where try pathID(parent, tree: parent) == own { changed = false }
      if changed { commits.append(commit) }
    }
    return (commits, true)
  }
}
