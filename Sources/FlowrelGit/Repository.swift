internal import CGit2

/// An open git repository (bare, or with a working tree). Not for concurrent use from several
/// threads at once: libgit2 handles are not.
package final class Repository {
  let pointer: OpaquePointer
  /// The object database, opened on first use and kept for the handle's life.
  private var odb: OpaquePointer?

  init(owning pointer: OpaquePointer) { self.pointer = pointer }
  deinit {
    git_odb_free(odb)
    git_repository_free(pointer)
  }

  /// The repository's object database (owned by this handle; callers do not free it).
  func objectDatabase() throws(GitError) -> OpaquePointer {
    if let odb { return odb }
    var opened: OpaquePointer?
    try GitError.check(git_repository_odb(&opened, pointer), "git_repository_odb",
                       "cannot open the object database of \(gitDirectory)")
    guard let opened else {
      throw GitError(GIT_ERROR, function: "git_repository_odb", message: "libgit2 returned no object database for \(gitDirectory)")
    }
    odb = opened
    return opened
  }

  /// Opens the repository at `path` exactly (a working tree, its `.git`, or a bare repository);
  /// parent directories are not searched.
  package static func open(at path: String) throws(GitError) -> Repository {
    try openExt(path, flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, "no git repository at \(path)")
  }

  /// Opens the repository that contains `path`, searching upward from it as `git` does.
  package static func discover(from path: String) throws(GitError) -> Repository {
    try openExt(path, flags: 0, "no git repository at \(path) or any parent directory")
  }

  private static func openExt(_ path: String, flags: UInt32, _ context: String) throws(GitError) -> Repository {
    try Libgit2.start()
    var repo: OpaquePointer?
    try GitError.check(git_repository_open_ext(&repo, path, flags, nil), "git_repository_open_ext", context)
    guard let repo else {
      throw GitError(GIT_ERROR, function: "git_repository_open_ext", message: "\(context): libgit2 returned no repository")
    }
    return Repository(owning: repo)
  }

  /// Creates a new repository at `path` (making missing directories), bare or with a working
  /// tree, whose unborn HEAD names `initialBranch`, or when nil `defaultInitialBranch(config:)`
  /// of the user's configuration. Fails when a repository exists there already.
  package static func create(at path: String, bare: Bool = false, initialBranch: String? = nil) throws(GitError)
    -> Repository
  {
    try Libgit2.start()
    let branch: String
    if let initialBranch { branch = initialBranch } else { branch = try defaultInitialBranch(config: GitConfig.user()) }
    try checkReferenceName(branchReference(branch))
    var options = git_repository_init_options()
    try GitError.check(
      git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION)),
      "git_repository_init_options_init")
    options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | GIT_REPOSITORY_INIT_NO_REINIT.rawValue
      | (bare ? GIT_REPOSITORY_INIT_BARE.rawValue : 0)
    var repo: OpaquePointer?
    // libgit2 1.5 falls back to `master` when neither `initial_head` nor `init.defaultBranch`
    // is set, so the branch is always passed explicitly.
    let code = branch.withCString { head in
      options.initial_head = head
      return git_repository_init_ext(&repo, path, &options)
    }
    try GitError.check(code, "git_repository_init_ext", "cannot create a git repository at \(path)")
    guard let repo else {
      throw GitError(GIT_ERROR, function: "git_repository_init_ext", message: "libgit2 returned no repository for \(path)")
    }
    return Repository(owning: repo)
  }

  /// The branch a new repository starts on: `init.defaultBranch` from `config`, else `main`.
  package static func defaultInitialBranch(config: GitConfig) throws(GitError) -> String {
    guard let configured = try config.string("init.defaultBranch"), !configured.isEmpty else { return "main" }
    return configured
  }

  /// True when the repository has no working tree.
  package var isBare: Bool { git_repository_is_bare(pointer) == 1 }

  /// The working tree's directory (ending in `/`), or nil for a bare repository.
  package var workingDirectory: String? { git_repository_workdir(pointer).map { String(cString: $0) } }

  /// The repository's git directory (`.../.git/`, or the bare repository itself), ending in `/`.
  package var gitDirectory: String { String(cString: git_repository_path(pointer)) }

  /// The repository's configuration: its own file over the user's.
  package func config() throws(GitError) -> GitConfig {
    var config: OpaquePointer?
    try GitError.check(git_repository_config_snapshot(&config, pointer), "git_repository_config_snapshot",
                       "cannot read the configuration of \(gitDirectory)")
    return try GitConfig.owner(config, "git_repository_config_snapshot")
  }

  /// Where HEAD points.
  package func head() throws(GitError) -> Head {
    var ref: OpaquePointer?
    let code = git_repository_head(&ref, pointer)
    if code == GIT_EUNBORNBRANCH.rawValue || code == GIT_ENOTFOUND.rawValue {
      return .unborn(try unbornBranch())
    }
    try GitError.check(code, "git_repository_head", "cannot read HEAD of \(gitDirectory)")
    defer { git_reference_free(ref) }
    guard let target = git_reference_target(ref) else {
      throw GitError(GIT_ERROR, function: "git_reference_target", message: "HEAD of \(gitDirectory) does not resolve to a commit")
    }
    let id = ObjectID(target.pointee)
    if git_repository_head_detached(pointer) == 1 { return .detached(id) }
    return .branch(Repository.branchName(String(cString: git_reference_name(ref))), id)
  }

  /// The branch an unborn HEAD names, read from the symbolic HEAD itself.
  private func unbornBranch() throws(GitError) -> String {
    var ref: OpaquePointer?
    try GitError.check(git_reference_lookup(&ref, pointer, "HEAD"), "git_reference_lookup", "cannot read HEAD of \(gitDirectory)")
    defer { git_reference_free(ref) }
    guard let target = git_reference_symbolic_target(ref) else {
      throw GitError(GIT_EUNBORNBRANCH, function: "git_reference_symbolic_target", message: "HEAD of \(gitDirectory) names no branch")
    }
    return Repository.branchName(String(cString: target))
  }

  /// The full reference name of a branch: `main` is `refs/heads/main`.
  package static func branchReference(_ branch: String) -> String { "refs/heads/" + branch }

  /// The branch named by a reference (`refs/heads/main` is `main`); other names are returned as they are.
  static func branchName(_ reference: String) -> String {
    reference.hasPrefix("refs/heads/") ? String(reference.dropFirst("refs/heads/".count)) : reference
  }

  static func checkReferenceName(_ name: String) throws(GitError) {
    var valid: Int32 = 0
    try GitError.check(git_reference_name_is_valid(&valid, name), "git_reference_name_is_valid")
    guard valid == 1 else {
      throw GitError(GIT_EINVALIDSPEC, function: "git_reference_name_is_valid", message: "'\(name)' is not a valid reference name")
    }
  }
}

/// Where HEAD points: a branch with commits, a branch without any yet, or a commit directly.
package enum Head: Sendable, Equatable {
  /// HEAD is on a branch (short name, such as `main`) whose tip is the commit.
  case branch(String, ObjectID)
  /// HEAD is on a branch (short name) that has no commit yet, as in a new repository.
  case unborn(String)
  /// HEAD points at a commit, not at a branch.
  case detached(ObjectID)

  /// The branch HEAD is on (born or not), or nil when detached.
  package var branch: String? {
    switch self {
    case .branch(let name, _), .unborn(let name): name
    case .detached: nil
    }
  }

  /// The commit HEAD resolves to, or nil when the branch is unborn.
  package var commit: ObjectID? {
    switch self {
    case .branch(_, let id), .detached(let id): id
    case .unborn: nil
    }
  }
}
