import Foundation
internal import CGit2

extension Repository {
  /// Adds the remote `name` fetching from and pushing to `url` (a URL or a local path), with
  /// git's default fetch refspec.
  package func addRemote(_ name: String, url: String) throws(GitError) {
    var remote: OpaquePointer?
    try GitError.check(git_remote_create(&remote, pointer, name, url), "git_remote_create",
                       "cannot add remote '\(name)' (\(url))")
    git_remote_free(remote)
  }

  /// The URL of the remote `name`, or nil when there is no such remote.
  package func remoteURL(_ name: String) throws(GitError) -> String? {
    var remote: OpaquePointer?
    let code = git_remote_lookup(&remote, pointer, name)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try GitError.check(code, "git_remote_lookup", "cannot read remote '\(name)'")
    defer { git_remote_free(remote) }
    return git_remote_url(remote).map { String(cString: $0) }
  }

  /// The names of the configured remotes, sorted.
  package func remoteNames() throws(GitError) -> [String] {
    var names = git_strarray()
    try GitError.check(git_remote_list(&names, pointer), "git_remote_list", "cannot list the remotes of \(gitDirectory)")
    defer { git_strarray_dispose(&names) }
    return (0..<names.count).compactMap { names.strings[$0].map { String(cString: $0) } }.sorted()
  }

  /// Pushes `refspecs` (such as `refs/heads/main:refs/heads/main`; a leading `+` forces) to
  /// the remote `remote`. A non-fast-forward update, or one the remote refuses, throws a
  /// `.rejected` error naming the reference and the reason. `expecting` names, for remote
  /// references, the value each must hold when the push starts (nil: must not exist); a
  /// reference found elsewhere stops the push before anything is sent, with a `.modified` error.
  package func push(_ refspecs: [String], to remote: String, expecting: [String: ObjectID?] = [:]) throws(GitError) {
    var handle: OpaquePointer?
    try GitError.check(git_remote_lookup(&handle, pointer, remote), "git_remote_lookup", "no remote '\(remote)'")
    defer { git_remote_free(handle) }
    var options = git_push_options()
    try GitError.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
    let session = RemoteSession()
    session.expected = expecting
    session.install(on: &options.callbacks)
    let destinations = refspecs.map { String($0.split(separator: ":").last ?? Substring($0)) }.joined(separator: ", ")
    let code = try withExtendedLifetime(session) { () throws(GitError) in
      try withStringArray(refspecs) { (array) throws(GitError) in
        var array = array
        return git_remote_push(handle, &array, &options)
      }
    }
    if let moved = session.moved.first {
      throw GitError(
        GIT_EMODIFIED, function: "git_remote_push",
        message: "\(moved.reference) on '\(remote)' moved while pushing: expected "
          + "\(expecting[moved.reference]??.short ?? "no reference"), found \(moved.found?.short ?? "no reference")")
    }
    if code == GIT_ENONFASTFORWARD.rawValue {
      throw GitError(
        GIT_ENONFASTFORWARD, function: "git_remote_push",
        message: "push of \(destinations) to '\(remote)' rejected: not a fast-forward "
          + "(the remote has commits that yours does not contain; fetch and integrate them first)")
    }
    try GitError.check(code, "git_remote_push", "cannot push \(destinations) to '\(remote)'")
    if !session.rejected.isEmpty {
      let reasons = session.rejected.map { "\($0.reference) (\($0.reason))" }.joined(separator: ", ")
      throw GitError(GIT_ENONFASTFORWARD, function: "git_remote_push",
                     message: "push to '\(remote)' rejected by the remote: \(reasons)")
    }
  }

  /// Fetches `refspecs` (such as `+refs/heads/main:refs/remotes/origin/main`) from the remote
  /// `remote`, with the user's credentials. A source the remote does not have is skipped.
  package func fetch(_ refspecs: [String], from remote: String) throws(GitError) {
    var handle: OpaquePointer?
    try GitError.check(git_remote_lookup(&handle, pointer, remote), "git_remote_lookup", "no remote '\(remote)'")
    defer { git_remote_free(handle) }
    var options = git_fetch_options()
    try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "git_fetch_options_init")
    options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
    let session = RemoteSession()
    session.install(on: &options.callbacks)
    let code = try withExtendedLifetime(session) { () throws(GitError) in
      try withStringArray(refspecs) { (array) throws(GitError) in
        var array = array
        return git_remote_fetch(handle, &array, &options, "flowrel: fetch")
      }
    }
    try GitError.check(code, "git_remote_fetch", "cannot fetch from '\(remote)'")
  }

  /// The remote and the remote branch that the local `branch` tracks (`branch.<name>.remote`
  /// and `branch.<name>.merge`), or nil when it tracks none.
  package func upstream(of branch: String) throws(GitError) -> (remote: String, branch: String)? {
    let config = try config()
    guard let remote = try config.string("branch.\(branch).remote"), !remote.isEmpty, remote != "." else { return nil }
    let merge = try config.string("branch.\(branch).merge") ?? Repository.branchReference(branch)
    return (remote, Repository.branchName(merge))
  }

  /// Removes the reference `name`; nothing when it does not exist.
  package func deleteReference(_ name: String) throws(GitError) {
    var ref: OpaquePointer?
    let code = git_reference_lookup(&ref, pointer, name)
    if code == GIT_ENOTFOUND.rawValue { return }
    try GitError.check(code, "git_reference_lookup", "cannot read reference \(name)")
    defer { git_reference_free(ref) }
    try GitError.check(git_reference_delete(ref), "git_reference_delete", "cannot delete reference \(name)")
  }

  /// Sets each remote reference of `updates` to the local reference's commit, each only if the
  /// remote reference still holds the expected value (compare-and-swap), in order; throws a
  /// `.modified` error naming the first that had moved (the ones before it are set). A remote
  /// in a local folder is written through its own repository, under git's reference lock (the
  /// objects go through a push to a private reference first), since libgit2's local transport
  /// overwrites the reference without comparing; any other remote compares on the server
  /// (git's receive-pack updates a reference only from the value it advertised, which is
  /// checked against the expected value before anything is sent).
  package func pushCompareAndSwap(_ updates: [RemoteUpdate], to remote: String) throws(GitError) {
    guard let url = try remoteURL(remote) else {
      throw GitError(GIT_ENOTFOUND, function: "git_remote_lookup", message: "no remote '\(remote)'")
    }
    guard let folder = Repository.localPath(of: url) else {
      for update in updates {
        try push(["\(update.localReference):\(update.remoteReference)"], to: remote,
                 expecting: [update.remoteReference: update.expected])
      }
      return
    }
    // A relative path is relative to the repository, as git reads it.
    let base = workingDirectory ?? gitDirectory
    let target = try Repository.open(at: folder.hasPrefix("/") ? folder : (base as NSString).appendingPathComponent(folder))
    for update in updates {
      guard let commit = try referenceTarget(update.localReference) else {
        throw GitError(GIT_ENOTFOUND, function: "pushCompareAndSwap", message: "no local reference \(update.localReference)")
      }
      let incoming = "refs/flowrel/incoming/\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
      defer { try? target.deleteReference(incoming) }
      try push(["\(update.localReference):\(incoming)"], to: remote)
      do {
        try target.updateReference(update.remoteReference, to: commit, expecting: update.expected, message: "flowrel: push")
      } catch where error.reason == .modified {
        throw GitError(GIT_EMODIFIED, function: "pushCompareAndSwap", message: "\(update.remoteReference) on '\(remote)' moved "
          + "while pushing: \(error.message)")
      }
    }
  }

  /// The folder of a remote URL that names a repository on this machine (a path, or a
  /// `file://` URL), or nil for a network URL (`https://...`, `ssh://...`, `host:path`).
  static func localPath(of url: String) -> String? {
    if url.hasPrefix("file://") { return URLComponents(string: url)?.path }
    if url.hasPrefix("/") || url.hasPrefix("./") || url.hasPrefix("../") { return url }
    if url.contains("://") { return nil }
    // scp-like `host:path` has a colon before any slash; a relative path has none.
    if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") { return nil }
    return url
  }
}

/// One reference to set on a remote by `Repository.pushCompareAndSwap`.
package struct RemoteUpdate: Sendable, Equatable {
  /// The local reference whose commit is sent (`refs/heads/main`).
  package var localReference: String
  /// The remote reference to set (`refs/heads/main`).
  package var remoteReference: String
  /// The value the remote reference must hold (nil: it must not exist yet).
  package var expected: ObjectID?

  /// An update of `remoteReference` to what `localReference` holds, expecting `expected`.
  package init(localReference: String, remoteReference: String, expected: ObjectID?) {
    self.localReference = localReference
    self.remoteReference = remoteReference
    self.expected = expected
  }
}
