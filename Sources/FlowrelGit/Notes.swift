import Foundation
internal import CGit2

// Git notes (`git notes --ref ...`): text attached to a commit without changing it, kept in a
// history of its own under a reference such as `refs/notes/flowrel`. Notes are read and
// written against a notes commit given by the caller, so a caller can build several changes
// and publish them with one compare-and-swap of the reference.
extension Repository {
  /// Every note of the notes commit `notes` (nil: none), by the commit each annotates.
  package func notes(at notes: ObjectID?) throws(GitError) -> [ObjectID: String] {
    guard let notes else { return [:] }
    let commit = try commitPointer(notes)
    defer { git_commit_free(commit) }
    var iterator: OpaquePointer?
    try GitError.check(git_note_commit_iterator_new(&iterator, commit), "git_note_commit_iterator_new",
                       "cannot read the notes of \(notes.short)")
    defer { git_note_iterator_free(iterator) }
    var found: [ObjectID: String] = [:]
    while true {
      var blob = git_oid(), annotated = git_oid()
      let code = git_note_next(&blob, &annotated, iterator)
      if code == GIT_ITEROVER.rawValue { break }
      try GitError.check(code, "git_note_next", "cannot read the notes of \(notes.short)")
      found[ObjectID(annotated)] = String(decoding: try self.blob(ObjectID(blob)), as: UTF8.self)
    }
    return found
  }

  /// The note on `commit` in the notes commit `notes`, or nil when there is none.
  package func note(on commit: ObjectID, at notes: ObjectID?) throws(GitError) -> String? {
    guard let notes else { return nil }
    let notesCommit = try commitPointer(notes)
    defer { git_commit_free(notesCommit) }
    var note: OpaquePointer?
    var oid = commit.oid
    let code = git_note_commit_read(&note, pointer, notesCommit, &oid)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try GitError.check(code, "git_note_commit_read", "cannot read the note on \(commit.short)")
    defer { git_note_free(note) }
    return git_note_message(note).map { String(cString: $0) }
  }

  /// A new notes commit on top of `notes` (nil: the first) where `commit`'s note is `text`
  /// (nil: removed); returns `notes` itself when nothing changes.
  package func settingNote(_ text: String?, on commit: ObjectID, at notes: ObjectID?, author: Signature)
    throws(GitError) -> ObjectID?
  {
    let current = try note(on: commit, at: notes)
    guard current != text else { return notes }
    let parent = try notes.flatMap { (id) throws(GitError) in try commitPointer(id) }
    defer { git_commit_free(parent) }
    var out = git_oid()
    var annotated = commit.oid
    try author.withGitSignature { (signature) throws(GitError) in
      if let text {
        var blob = git_oid()
        try GitError.check(git_note_commit_create(&out, &blob, pointer, parent, signature, signature, &annotated, text, 1),
                           "git_note_commit_create", "cannot write the note on \(commit.short)")
      } else {
        try GitError.check(git_note_commit_remove(&out, pointer, parent, signature, signature, &annotated),
                           "git_note_commit_remove", "cannot remove the note on \(commit.short)")
      }
    }
    return ObjectID(out)
  }

  /// The notes of two notes commits together, as `git notes merge -s cat_sort_uniq` makes
  /// them: a note on one side only is kept, two notes on one commit become their lines sorted
  /// without repeats. Nil when both are nil; one side when it contains the other; else a merge
  /// commit with both as parents, so either side's history fast-forwards to it.
  package func mergingNotes(_ ours: ObjectID?, _ theirs: ObjectID?, author: Signature) throws(GitError) -> ObjectID? {
    guard let ours else { return theirs }
    guard let theirs, ours != theirs else { return ours }
    if try isAncestor(theirs, of: ours) { return ours }
    if try isAncestor(ours, of: theirs) { return theirs }
    var merged: ObjectID? = ours
    for (commit, text) in try notes(at: theirs).sorted(by: { $0.key < $1.key }) {
      let mine = try note(on: commit, at: ours)
      merged = try settingNote(Repository.unionOfLines(mine, text), on: commit, at: merged, author: author)
    }
    guard let merged else { return theirs }
    return try createCommit(tree: try commit(merged).tree, parents: [ours, theirs], message: "Notes merged by flowrel\n",
                            author: author, committer: author)
  }

  /// The lines of two notes, sorted and each once, ending in a newline.
  package static func unionOfLines(_ one: String?, _ two: String) -> String {
    let lines = Set(((one ?? "") + "\n" + two).split(separator: "\n").map(String.init))
    return lines.sorted().joined(separator: "\n") + "\n"
  }

  private func commitPointer(_ id: ObjectID) throws(GitError) -> OpaquePointer? {
    var oid = id.oid
    var commit: OpaquePointer?
    try GitError.check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup", "no commit \(id.hex) in \(gitDirectory)")
    return commit
  }
}
