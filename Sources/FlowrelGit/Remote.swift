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

  /// Pushes the local branch `branch` to the branch of the same name on the remote `remote`.
  package func push(branch: String, to remote: String) throws(GitError) {
    let reference = Repository.branchReference(branch)
    try push([reference + ":" + reference], to: remote)
  }

  /// Pushes `refspecs` (such as `refs/heads/main:refs/heads/main`; a leading `+` forces) to
  /// the remote `remote`. A non-fast-forward update, or one the remote refuses, throws a
  /// `.rejected` error naming the reference and the reason.
  package func push(_ refspecs: [String], to remote: String) throws(GitError) {
    var handle: OpaquePointer?
    try GitError.check(git_remote_lookup(&handle, pointer, remote), "git_remote_lookup", "no remote '\(remote)'")
    defer { git_remote_free(handle) }
    var options = git_push_options()
    try GitError.check(git_push_options_init(&options, UInt32(GIT_PUSH_OPTIONS_VERSION)), "git_push_options_init")
    let report = PushReport()
    // The remote answers per reference; libgit2 only reports those answers through this callback.
    options.callbacks.push_update_reference = { reference, status, payload in
      guard let status, let payload else { return 0 }
      let report = Unmanaged<PushReport>.fromOpaque(payload).takeUnretainedValue()
      report.rejected.append((reference.map { String(cString: $0) } ?? "?", String(cString: status)))
      return 0
    }
    options.callbacks.payload = Unmanaged.passUnretained(report).toOpaque()
    let destinations = refspecs.map { String($0.split(separator: ":").last ?? Substring($0)) }.joined(separator: ", ")
    let code = try withExtendedLifetime(report) { () throws(GitError) in
      try withStringArray(refspecs) { (array) throws(GitError) in
        var array = array
        return git_remote_push(handle, &array, &options)
      }
    }
    if code == GIT_ENONFASTFORWARD.rawValue {
      throw GitError(
        GIT_ENONFASTFORWARD, function: "git_remote_push",
        message: "push of \(destinations) to '\(remote)' rejected: not a fast-forward "
          + "(the remote has commits that yours does not contain; fetch and integrate them first)")
    }
    try GitError.check(code, "git_remote_push", "cannot push \(destinations) to '\(remote)'")
    if !report.rejected.isEmpty {
      let reasons = report.rejected.map { "\($0.reference) (\($0.reason))" }.joined(separator: ", ")
      throw GitError(GIT_ENONFASTFORWARD, function: "git_remote_push",
                     message: "push to '\(remote)' rejected by the remote: \(reasons)")
    }
  }
}

/// What the remote refused during one push, filled in by the libgit2 callback.
private final class PushReport {
  var rejected: [(reference: String, reason: String)] = []
}
