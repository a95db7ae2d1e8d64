internal import CGit2

/// A failed git operation: the libgit2 call (or FlowrelGit operation) that failed, its error code,
/// and a message a user can act on.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The libgit2 error code (negative, as in `git2/errors.h`); see `reason` for its meaning.
  public let code: Int32
  /// The libgit2 function that failed, or the FlowrelGit operation that refused the input.
  public let function: String
  /// What went wrong, in words, naming the path, revision or reference involved.
  public let message: String

  /// What kind of failure `code` stands for, so callers can react without knowing libgit2.
  public enum Reason: String, Sendable, Equatable {
    /// A repository, object, path, revision, reference or remote does not exist.
    case notFound = "not found"
    /// Something to be created exists already.
    case alreadyExists = "already exists"
    /// A short id or name matches more than one object.
    case ambiguous
    /// A name, path, refspec or other input is not valid.
    case invalid
    /// HEAD names a branch that has no commit yet.
    case unbornBranch = "unborn branch"
    /// The operation needs a working tree and the repository is bare.
    case bareRepository = "bare repository"
    /// A lock file is held by another process.
    case locked
    /// A reference did not hold the expected value: someone else moved it.
    case modified
    /// A push was refused (not a fast-forward, or rejected by the remote).
    case rejected
    /// Authentication with a remote failed.
    case authentication
    /// Any other failure.
    case other
  }

  /// What kind of failure this is.
  public var reason: Reason {
    switch code {
    case GIT_ENOTFOUND.rawValue: .notFound
    case GIT_EEXISTS.rawValue: .alreadyExists
    case GIT_EAMBIGUOUS.rawValue: .ambiguous
    case GIT_EINVALIDSPEC.rawValue, GIT_EINVALID.rawValue: .invalid
    case GIT_EUNBORNBRANCH.rawValue: .unbornBranch
    case GIT_EBAREREPO.rawValue: .bareRepository
    case GIT_ELOCKED.rawValue: .locked
    case GIT_EMODIFIED.rawValue: .modified
    case GIT_ENONFASTFORWARD.rawValue: .rejected
    case GIT_EAUTH.rawValue, GIT_ECERTIFICATE.rawValue: .authentication
    default: .other
    }
  }

  public var description: String { "\(message) (\(function): \(reason.rawValue))" }

  init(code: Int32, function: String, message: String) {
    self.code = code
    self.function = function
    self.message = message
  }

  init(_ code: git_error_code, function: String, message: String) {
    self.init(code: code.rawValue, function: function, message: message)
  }

  /// Throws the error libgit2 recorded for `function` when `code` says it failed; `context`
  /// (what we were doing, with the names involved) goes in front of libgit2's own message.
  static func check(_ code: Int32, _ function: String, _ context: @autoclosure () -> String? = nil)
    throws(GitError)
  {
    guard code < 0 else { return }
    let last = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } }
    let detail = last ?? "unknown libgit2 error"
    let message = context().map { "\($0): \(detail)" } ?? detail
    throw GitError(code: code, function: function, message: message)
  }
}

/// libgit2's version, and its global state: set up once per process (Swift runs a static
/// initializer exactly once, even when several threads reach it together) and never shut down,
/// since handles may outlive any point where shutting down would be safe.
public enum Libgit2 {
  private static let initResult: Int32 = git_libgit2_init()

  /// The version of the libgit2 flowrel runs with (`1.5.1`), for `flowrel version`.
  public static var version: String {
    var major: Int32 = 0, minor: Int32 = 0, revision: Int32 = 0
    _ = git_libgit2_version(&major, &minor, &revision)
    return "\(major).\(minor).\(revision)"
  }

  /// Makes sure libgit2 is initialized; every entry point that creates a handle calls it.
  static func start() throws(GitError) {
    try GitError.check(initResult, "git_libgit2_init", "cannot initialize libgit2")
  }
}
