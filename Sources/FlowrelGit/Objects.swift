internal import CGit2

// Blobs and trees: written straight into the object database (never through the index),
// read back at any revision.
extension Repository {
  /// Stores `bytes` as a blob (unless the repository has it already) and returns its id.
  package func writeBlob(_ bytes: [UInt8]) throws(GitError) -> ObjectID {
    ObjectID(try storeObject(bytes, GIT_OBJECT_BLOB, known: []))
  }

  /// Stores `bytes` as an object of `type` unless it is in `known` (objects the caller has
  /// seen in the repository) or in the object database. The id is hashed first and the object
  /// database asked directly, because libgit2 1.5's `git_blob_create_from_buffer` creates and
  /// deletes a temporary file for every blob, even one the repository already holds.
  private func storeObject(_ bytes: [UInt8], _ type: git_object_t, known: Set<ObjectID>) throws(GitError) -> git_oid {
    var oid = git_oid()
    let hashed = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, type) }
    try GitError.check(hashed, "git_odb_hash", "cannot hash an object")
    if known.contains(ObjectID(oid)) { return oid }
    let odb = try objectDatabase()
    guard git_odb_exists(odb, &oid) == 0 else { return oid }
    let written = bytes.withUnsafeBytes { git_odb_write(&oid, odb, $0.baseAddress, $0.count, type) }
    try GitError.check(written, "git_odb_write", "cannot store an object in \(gitDirectory)")
    return oid
  }

  /// The bytes of the blob `id`.
  package func blob(_ id: ObjectID) throws(GitError) -> [UInt8] {
    var oid = id.oid
    var blob: OpaquePointer?
    try GitError.check(git_blob_lookup(&blob, pointer, &oid), "git_blob_lookup", "no blob \(id.hex)")
    defer { git_blob_free(blob) }
    let size = Int(git_blob_rawsize(blob))
    guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
    return Array(UnsafeRawBufferPointer(start: content, count: size))
  }

  /// The commit that `revision` names: a branch or other reference name, `HEAD`, a full or
  /// abbreviated commit id, or any expression `git rev-parse` accepts (`main~2`).
  package func commitID(of revision: String) throws(GitError) -> ObjectID {
    try peel(revision, to: GIT_OBJECT_COMMIT, "commit")
  }

  /// The root tree of the commit `revision` names (or the tree itself, when it names a tree).
  package func treeID(of revision: String) throws(GitError) -> ObjectID {
    try peel(revision, to: GIT_OBJECT_TREE, "tree")
  }

  private func peel(_ revision: String, to type: git_object_t, _ what: String) throws(GitError) -> ObjectID {
    var object: OpaquePointer?
    try GitError.check(git_revparse_single(&object, pointer, revision), "git_revparse_single",
                       "revision '\(revision)' not found in \(gitDirectory)")
    defer { git_object_free(object) }
    var peeled: OpaquePointer?
    try GitError.check(git_object_peel(&peeled, object, type), "git_object_peel",
                       "revision '\(revision)' does not name a \(what)")
    defer { git_object_free(peeled) }
    return ObjectID(git_object_id(peeled).pointee)
  }

  /// The tree `id` names, peeling a commit id to its tree; the caller frees it.
  func lookupTree(_ id: ObjectID) throws(GitError) -> OpaquePointer {
    var oid = id.oid
    var object: OpaquePointer?
    try GitError.check(git_object_lookup(&object, pointer, &oid, GIT_OBJECT_ANY), "git_object_lookup",
                       "no object \(id.hex) in \(gitDirectory)")
    defer { git_object_free(object) }
    var tree: OpaquePointer?
    try GitError.check(git_object_peel(&tree, object, GIT_OBJECT_TREE), "git_object_peel",
                       "object \(id.hex) is not a tree or commit")
    guard let tree else { throw GitError(GIT_ERROR, function: "git_object_peel", message: "no tree for \(id.hex)") }
    return tree
  }

  /// Runs `body` with every object it writes kept in memory, then stores them all as one
  /// pack file (and its index) instead of one loose file each: a first record of hundreds of
  /// files then creates two files in the object database, not hundreds. Use a handle of its
  /// own for this (`Repository.open`), dropped afterwards: the in-memory store stays in front of
  /// this handle's object database, so anything it wrote later would never reach the disk.
  package func writingOnePack<T>(_ body: () throws(GitError) -> T) throws(GitError) -> T {
    var backend: OpaquePointer?
    try GitError.check(git_mempack_new(&backend), "git_mempack_new")
    let odb = try objectDatabase()
    // The object database owns the backend from here on, and frees it with itself.
    try GitError.check(git_odb_add_backend(odb, backend, 1000), "git_odb_add_backend")
    defer { git_mempack_reset(backend) }
    let result = try body()
    var pack = git_buf()
    defer { git_buf_dispose(&pack) }
    try GitError.check(git_mempack_dump(&pack, pointer, backend), "git_mempack_dump", "cannot gather new objects into a pack")
    var options = git_indexer_options()
    try GitError.check(git_indexer_options_init(&options, UInt32(GIT_INDEXER_OPTIONS_VERSION)), "git_indexer_options_init")
    var indexer: OpaquePointer?
    try GitError.check(git_indexer_new(&indexer, gitDirectory + "objects/pack", 0, odb, &options), "git_indexer_new",
                       "cannot write a pack in \(gitDirectory)")
    defer { git_indexer_free(indexer) }
    var progress = git_indexer_progress()
    try GitError.check(git_indexer_append(indexer, pack.ptr, pack.size, &progress), "git_indexer_append",
                       "cannot write a pack in \(gitDirectory)")
    try GitError.check(git_indexer_commit(indexer, &progress), "git_indexer_commit", "cannot write a pack in \(gitDirectory)")
    return result
  }

  // MARK: Writing trees

  /// A new root tree that is `base` (a tree or commit id; nil for an empty tree) with the
  /// folder at `folder` (such as `releases/ns/web`; empty for the root) holding exactly
  /// `files` (paths relative to the folder, such as `manifests/a.yaml`, mapped to contents).
  /// Nested trees are created or replaced as needed; an empty `files` removes the folder (and
  /// parents it leaves empty); everything outside the folder is unchanged.
  package func writeTree(replacingFolder folder: String, in base: ObjectID?, with files: [String: [UInt8]])
    throws(GitError) -> ObjectID
  {
    let parts = try Repository.pathComponents(folder, allowRoot: true)
    let content = TreeContent()
    for (path, bytes) in files {
      try content.insert(bytes, at: Repository.pathComponents(path, allowRoot: false)[...], path: path)
    }
    var baseTree: ObjectID? = nil
    // The folder's objects in the base: a new revision mostly repeats them, and these need no
    // look-up in the object database.
    var known: Set<ObjectID> = []
    if let base {
      let tree = try lookupTree(base)
      defer { git_tree_free(tree) }
      baseTree = ObjectID(git_tree_id(tree).pointee)
      if !content.entries.isEmpty, let folderID = try entryID(at: folder, inTree: base) {
        known.insert(folderID)
        // A file where the folder goes has nothing below it to reuse.
        try walk(under: folder, inTree: base, fileIsEmpty: true) { _, id, _ in known.insert(id) }
      }
    }
    let folderTree = content.entries.isEmpty ? nil : ObjectID(try writeFolder(content, known: known))
    if let root = try splice(folderTree, at: parts[...], into: baseTree, isRoot: true) { return root }
    return ObjectID(try writeFolder(TreeContent(), known: []))
  }

  /// Writes `content` as a tree (and its subtrees and blobs). The tree is encoded here rather
  /// than through a libgit2 tree builder, which reads back every entry's object to check it
  /// exists: each entry here was just stored or found.
  private func writeFolder(_ content: TreeContent, known: Set<ObjectID>) throws(GitError) -> git_oid {
    var entries: [(key: [UInt8], name: String, isFolder: Bool, oid: git_oid)] = []
    entries.reserveCapacity(content.entries.count)
    for (name, entry) in content.entries {
      switch entry {
      case .file(let bytes):
        entries.append((Array(name.utf8), name, false, try storeObject(bytes, GIT_OBJECT_BLOB, known: known)))
      case .folder(let children):
        // Git orders a folder as if its name ended in `/`.
        entries.append((Array(name.utf8) + [UInt8(ascii: "/")], name, true, try writeFolder(children, known: known)))
      }
    }
    entries.sort { $0.key.lexicographicallyPrecedes($1.key) }
    var bytes: [UInt8] = []
    for entry in entries {
      bytes += (entry.isFolder ? "40000 " : "100644 ").utf8
      bytes += entry.name.utf8
      bytes.append(0)
      withUnsafeBytes(of: entry.oid.id) { bytes += $0 }
    }
    return try storeObject(bytes, GIT_OBJECT_TREE, known: known)
  }

  /// The tree `base` with the entry at `path` set to the tree `content` (removed when nil);
  /// nil when the result is an empty tree below the root, which git does not keep.
  private func splice(_ content: ObjectID?, at path: ArraySlice<String>, into base: ObjectID?, isRoot: Bool)
    throws(GitError) -> ObjectID?
  {
    guard let name = path.first else { return content }
    var baseTree: OpaquePointer? = nil
    if let base { baseTree = try lookupTree(base) }
    defer { git_tree_free(baseTree) }
    var builder: OpaquePointer?
    try GitError.check(git_treebuilder_new(&builder, pointer, baseTree), "git_treebuilder_new")
    defer { git_treebuilder_free(builder) }
    // The builder owns the entry and may free it when it changes: copy out what is needed now.
    let existing = git_treebuilder_get(builder, name)
    let hadEntry = existing != nil
    var child: ObjectID? = nil
    if let existing, git_tree_entry_type(existing) == GIT_OBJECT_TREE {
      child = ObjectID(git_tree_entry_id(existing).pointee)
    }
    if var newChild = try splice(content, at: path.dropFirst(), into: child, isRoot: false)?.oid {
      try GitError.check(git_treebuilder_insert(nil, builder, name, &newChild, GIT_FILEMODE_TREE),
                         "git_treebuilder_insert", "cannot add '\(name)' to a tree")
    } else if hadEntry {
      try GitError.check(git_treebuilder_remove(builder, name), "git_treebuilder_remove", "cannot remove '\(name)' from a tree")
    }
    if !isRoot && git_treebuilder_entrycount(builder) == 0 { return nil }
    return try write(builder)
  }

  private func write(_ builder: OpaquePointer?) throws(GitError) -> ObjectID {
    var oid = git_oid()
    try GitError.check(git_treebuilder_write(&oid, builder), "git_treebuilder_write", "cannot store a tree in \(gitDirectory)")
    return ObjectID(oid)
  }

  /// The parts of a repository path, refusing what git cannot store or what would escape the
  /// folder: empty parts, `.`, `..` and `.git`.
  static func pathComponents(_ path: String, allowRoot: Bool) throws(GitError) -> [String] {
    if path.isEmpty && allowRoot { return [] }
    // Split and checked as bytes: the Character-based forms cost more than the rest of
    // writing a large tree.
    let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    for part in parts where part.isEmpty || part == "." || part == ".." || part.utf8.contains(0)
      || (part.utf8.count == 4 && part.lowercased() == ".git")
    {
      throw GitError(GIT_EINVALID, function: "pathComponents", message: "invalid path '\(path)' (bad part '\(part)')")
    }
    return parts
  }

  // MARK: Reading trees

  /// The id of the blob or tree at `path` (relative to the root) in the tree `tree` (or a
  /// commit's tree), or nil when there is nothing there. An empty path is the root tree.
  package func entryID(at path: String, inTree tree: ObjectID) throws(GitError) -> ObjectID? {
    try entry(at: path, inTree: tree)?.id
  }

  /// The id of the entry at `path` in `tree` and whether it is a folder, or nil when there is
  /// nothing there; an empty path is the root tree.
  private func entry(at path: String, inTree tree: ObjectID) throws(GitError) -> (id: ObjectID, isFolder: Bool)? {
    let root = try lookupTree(tree)
    defer { git_tree_free(root) }
    if try Repository.pathComponents(path, allowRoot: true).isEmpty { return (ObjectID(git_tree_id(root).pointee), true) }
    var entry: OpaquePointer?
    let code = git_tree_entry_bypath(&entry, root, path)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try GitError.check(code, "git_tree_entry_bypath", "cannot read '\(path)' in tree \(tree.hex)")
    defer { git_tree_entry_free(entry) }
    return (ObjectID(git_tree_entry_id(entry).pointee), git_tree_entry_type(entry) == GIT_OBJECT_TREE)
  }

  /// The bytes of the file at `path` (relative to the root) in `tree` (or a commit's tree).
  package func readFile(_ path: String, inTree tree: ObjectID) throws(GitError) -> [UInt8] {
    let root = try lookupTree(tree)
    defer { git_tree_free(root) }
    _ = try Repository.pathComponents(path, allowRoot: false)
    var entry: OpaquePointer?
    try GitError.check(git_tree_entry_bypath(&entry, root, path), "git_tree_entry_bypath",
                       "no file '\(path)' in tree \(tree.short)")
    defer { git_tree_entry_free(entry) }
    guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else {
      throw GitError(GIT_EDIRECTORY, function: "readFile", message: "'\(path)' is a folder, not a file, in tree \(tree.short)")
    }
    return try blob(ObjectID(git_tree_entry_id(entry).pointee))
  }

  /// The id of the tree at `path` (relative to the root; empty for the root) in `tree` (or a
  /// commit's tree), or nil when there is nothing there or a file.
  package func folderID(at path: String, inTree tree: ObjectID) throws(GitError) -> ObjectID? {
    guard let entry = try entry(at: path, inTree: tree), entry.isFolder else { return nil }
    return entry.id
  }

  /// The blob ids of all files under `folder` in `tree` (or a commit's tree), by path relative
  /// to the folder, without reading any file: what changed is told by ids alone.
  package func fileIDs(under folder: String, inTree tree: ObjectID) throws(GitError) -> [String: ObjectID] {
    var out: [String: ObjectID] = [:]
    for (path, id) in try blobs(under: folder, inTree: tree) { out[path] = id }
    return out
  }

  /// The id git gives a blob holding `bytes` (`git hash-object`), computed without a repository.
  package static func blobID(of bytes: [UInt8]) throws(GitError) -> ObjectID {
    try Libgit2.start()
    var oid = git_oid()
    let code = bytes.withUnsafeBytes { git_odb_hash(&oid, $0.baseAddress, $0.count, GIT_OBJECT_BLOB) }
    try GitError.check(code, "git_odb_hash", "cannot hash a blob")
    return ObjectID(oid)
  }

  /// The entries of the tree `id` (or a commit's tree), in git's order: each name, id and
  /// whether it is a folder. Reading one level is all a store needs to tell which release
  /// folders a commit changed, without listing every file below them.
  package func treeEntries(_ id: ObjectID) throws(GitError) -> [TreeEntry] {
    let tree = try lookupTree(id)
    defer { git_tree_free(tree) }
    var out: [TreeEntry] = []
    out.reserveCapacity(git_tree_entrycount(tree))
    for index in 0..<git_tree_entrycount(tree) {
      guard let entry = git_tree_entry_byindex(tree, index) else { continue }
      out.append(TreeEntry(
        name: String(cString: git_tree_entry_name(entry)), id: ObjectID(git_tree_entry_id(entry).pointee),
        isFolder: git_tree_entry_type(entry) == GIT_OBJECT_TREE))
    }
    return out
  }

  /// The paths of all files under `folder` (recursively, relative to it, in git's byte order)
  /// in `tree` (or a commit's tree); empty when the folder does not exist.
  package func files(under folder: String, inTree tree: ObjectID) throws(GitError) -> [String] {
    try blobs(under: folder, inTree: tree).map(\.path)
  }

  /// The files under `folder` in `tree` (or a commit's tree), by path relative to the folder:
  /// the inverse of `writeTree(replacingFolder:in:with:)`. Empty when the folder does not exist.
  package func readFolder(_ folder: String, inTree tree: ObjectID) throws(GitError) -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [:]
    for (path, id) in try blobs(under: folder, inTree: tree) { files[path] = try blob(id) }
    return files
  }

  func blobs(under folder: String, inTree tree: ObjectID) throws(GitError) -> [(path: String, id: ObjectID)] {
    var found: [(path: String, id: ObjectID)] = []
    try walk(under: folder, inTree: tree) { path, id, isFolder in
      if !isFolder { found.append((path, id)) }
    }
    return found
  }

  /// Calls `visit` with the path (relative to `folder`), id and kind (folder or not) of every
  /// file and folder below `folder` in `tree` (or a commit's tree), in git's order, a folder
  /// before its content. Nothing when the folder does not exist; when it is a file, nothing if
  /// `fileIsEmpty`, else an error.
  private func walk(
    under folder: String, inTree tree: ObjectID, fileIsEmpty: Bool = false, _ visit: (String, ObjectID, Bool) -> Void
  ) throws(GitError) {
    let root = try lookupTree(tree)
    defer { git_tree_free(root) }
    if try Repository.pathComponents(folder, allowRoot: true).isEmpty {
      try walk(root, prefix: "", visit)
      return
    }
    var entry: OpaquePointer?
    let code = git_tree_entry_bypath(&entry, root, folder)
    if code == GIT_ENOTFOUND.rawValue { return }
    try GitError.check(code, "git_tree_entry_bypath", "cannot read '\(folder)' in tree \(tree.short)")
    defer { git_tree_entry_free(entry) }
    guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else {
      if fileIsEmpty { return }
      throw GitError(GIT_EINVALID, function: "files", message: "'\(folder)' is a file, not a folder, in tree \(tree.short)")
    }
    let subtree = try lookupTree(ObjectID(git_tree_entry_id(entry).pointee))
    defer { git_tree_free(subtree) }
    try walk(subtree, prefix: "", visit)
  }

  private func walk(_ tree: OpaquePointer, prefix: String, _ visit: (String, ObjectID, Bool) -> Void) throws(GitError) {
    for index in 0..<git_tree_entrycount(tree) {
      guard let entry = git_tree_entry_byindex(tree, index) else { continue }
      let path = prefix + String(cString: git_tree_entry_name(entry))
      let id = ObjectID(git_tree_entry_id(entry).pointee)
      switch git_tree_entry_type(entry) {
      case GIT_OBJECT_BLOB: visit(path, id, false)
      case GIT_OBJECT_TREE:
        visit(path, id, true)
        let subtree = try lookupTree(id)
        defer { git_tree_free(subtree) }
        try walk(subtree, prefix: path + "/", visit)
      default: continue  // submodule links name commits of other repositories
      }
    }
  }
}

/// One entry of a tree, as `Repository.treeEntries` gives it.
package struct TreeEntry: Sendable, Equatable {
  /// The entry's name (one path component).
  package let name: String
  /// The blob or tree it names.
  package let id: ObjectID
  /// Whether it is a tree (a folder); otherwise a file (or a submodule link).
  package let isFolder: Bool
}

/// What `writeTree` puts in a folder: files and nested folders. A class, so that filling a
/// nested folder changes it in place instead of copying every level for each file.
private final class TreeContent {
  /// One entry of a folder.
  enum Entry {
    case file([UInt8])
    case folder(TreeContent)
  }

  private(set) var entries: [String: Entry] = [:]

  func insert(_ bytes: [UInt8], at parts: ArraySlice<String>, path: String) throws(GitError) {
    guard let name = parts.first else { return }
    let rest = parts.dropFirst()
    if rest.isEmpty {
      guard entries[name] == nil else { throw TreeContent.conflict(path) }
      entries[name] = .file(bytes)
      return
    }
    switch entries[name] {
    case .file: throw TreeContent.conflict(path)
    case .folder(let child): try child.insert(bytes, at: rest, path: path)
    case nil:
      let child = TreeContent()
      entries[name] = .folder(child)
      try child.insert(bytes, at: rest, path: path)
    }
  }

  static func conflict(_ path: String) -> GitError {
    GitError(GIT_EINVALID, function: "writeTree", message: "'\(path)' is both a file and a folder in the files to write")
  }
}
