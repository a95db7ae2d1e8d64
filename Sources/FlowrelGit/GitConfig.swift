internal import CGit2

/// A read-only view of git configuration: the user's (global, XDG and system files), one file,
/// or a repository's (its own file over the user's).
package final class GitConfig {
  let pointer: OpaquePointer

  init(owning pointer: OpaquePointer) { self.pointer = pointer }
  deinit { git_config_free(pointer) }

  /// The user's configuration, as `git config --global` and the system file give it.
  package static func user() throws(GitError) -> GitConfig {
    try Libgit2.start()
    var config: OpaquePointer?
    try GitError.check(git_config_open_default(&config), "git_config_open_default", "cannot read git configuration")
    return try owner(config, "git_config_open_default")
  }

  /// The configuration in one file (a missing file reads as empty).
  package static func file(_ path: String) throws(GitError) -> GitConfig {
    try Libgit2.start()
    var config: OpaquePointer?
    try GitError.check(git_config_open_ondisk(&config, path), "git_config_open_ondisk", "cannot read git configuration \(path)")
    return try owner(config, "git_config_open_ondisk")
  }

  /// The value of `key` (such as `user.name`), or nil when no level sets it.
  package func string(_ key: String) throws(GitError) -> String? {
    var buf = git_buf()
    defer { git_buf_dispose(&buf) }
    let code = git_config_get_string_buf(&buf, pointer, key)
    if code == GIT_ENOTFOUND.rawValue { return nil }
    try GitError.check(code, "git_config_get_string_buf", "cannot read git configuration key \(key)")
    return buf.ptr.map { String(cString: $0) }
  }

  static func owner(_ pointer: OpaquePointer?, _ function: String) throws(GitError) -> GitConfig {
    guard let pointer else { throw GitError(GIT_ERROR, function: function, message: "libgit2 returned no configuration") }
    return GitConfig(owning: pointer)
  }
}
