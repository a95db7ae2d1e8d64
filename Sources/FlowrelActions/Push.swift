import FlowrelGit
import FlowrelStore

/// `flowrel push [--remote NAME] [--branch NAME]`: send the store's branch to a remote, so the
/// revisions recorded on it can be reviewed in a pull request.
public struct Push: Sendable {
  /// The store folder; its repository is the one pushed.
  public var storePath: String
  /// The remote (default `origin`).
  public var remote = "origin"
  /// The branch (default: the checked-out one).
  public var branch: String?

  /// A push of the repository holding `storePath`.
  public init(storePath: String) { self.storePath = storePath }

  /// Pushes and returns the branch pushed. A rejected push (the remote has commits the
  /// branch lacks) is a store error with git's reason.
  public func run() throws(ActionError) -> String {
    do {
      let repository = try Repository.discover(from: storePath)
      let checkedOut = try repository.head().branch
      guard let name = branch ?? checkedOut else {
        throw ActionError.store(.detachedHead(repository: repository.workingDirectory ?? repository.gitDirectory))
      }
      guard try repository.remoteURL(remote) != nil else {
        throw ActionError.store(.unreadable(path: storePath, reason: "the repository has no remote named \(remote) (git remote add \(remote) URL)"))
      }
      try repository.push(branch: name, to: remote)
      return name
    } catch let error as ActionError {
      throw error
    } catch let error as GitError {
      throw ActionError.store(.git(error))
    } catch {
      throw ActionError.store(.unreadable(path: storePath, reason: "\(error)"))
    }
  }
}
