import FlowrelGit

/// A store operation that failed, with a message a user can act on. The CLI exits with 3 for
/// every case except the key and settings cases, which are user errors (exit 1): see `isUserError`.
package enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The store path exists and is not a folder.
  case notAFolder(path: String)
  /// The store path (or the repository around it) cannot be read.
  case unreadable(path: String, reason: String)
  /// The store path (or the repository around it) cannot be written.
  case unwritable(path: String, reason: String)
  /// The repository's HEAD is detached, so there is no branch to record on.
  case detachedHead(repository: String)
  /// The release's folder has edits that are not committed; nothing was written.
  case uncommittedChanges(folder: String, paths: [String])
  /// No release of that name exists in that namespace (now or in history).
  case releaseNotFound(name: String, namespace: String)
  /// The release exists, but has no revision with that number.
  case revisionNotFound(name: String, namespace: String, revision: Int)
  /// A release or namespace name that cannot be a folder name.
  case invalidName(String, reason: String)
  /// A revision that cannot be recorded as given (such as a `superseded` status).
  case invalidRevision(String)
  /// Two manifests of one revision name the same object.
  case duplicateObject(String)
  /// A release carries secret material and no age recipient was given to encrypt it to.
  case recipientsRequired(release: String, secrets: [String])
  /// The old-format secret key file is missing, unreadable or does not hold a 32-byte key.
  case badSecretKey(path: String, problem: String)
  /// An age recipient or identity (flag, environment, key file, key command) cannot be used.
  case badAgeKey(source: String, problem: String)
  /// The repository's `.sops.yaml` cannot be read, or gives no recipients for a file.
  case badSOPSConfig(file: String, problem: String)
  /// The store's `.flowrel.yaml` cannot be read.
  case badStoreSettings(file: String, problem: String)
  /// A stored encrypted file or value cannot be decrypted: no matching identity, or tampered.
  case cannotDecrypt(file: String, problem: String)
  /// A revision to record holds a value read back still encrypted (no identity was given).
  case stillEncrypted(location: String)
  /// A lock file of git (such as `index.lock`) is held by another process.
  case gitLocked(path: String)
  /// A stored file cannot be read back (edited by hand, or damaged).
  case damaged(file: String, problem: String)
  /// A git operation failed.
  case git(GitError)
  /// `push`: the same release has new revisions locally and on the remote.
  case movedOnBothSides(release: String, namespace: String, local: Int, localCommit: String, remote: Int, remoteCommit: String)
  /// `push`/`pull`: the local and remote branches cannot be joined without a merge commit.
  case cannotIntegrate(branch: String, remote: String, reason: String)

  /// True for errors in the user's input (exit code 1) rather than in the store (exit code 3).
  package var isUserError: Bool {
    switch self {
    case .recipientsRequired, .badSecretKey, .badAgeKey, .badSOPSConfig, .badStoreSettings, .stillEncrypted, .invalidName,
      .invalidRevision, .duplicateObject:
      true
    default: false
    }
  }

  package var description: String {
    switch self {
    case .notAFolder(let path):
      "store \(path) is a file, not a folder: point --store (or FLOWREL_STORE) at a folder"
    case .unreadable(let path, let reason):
      "cannot read the store \(path): \(reason)"
    case .unwritable(let path, let reason):
      "cannot write to the store \(path): \(reason); nothing was written"
    case .detachedHead(let repository):
      "the repository \(repository) is on a detached HEAD: check out a branch (git switch NAME) or pass --branch; nothing was written"
    case .uncommittedChanges(let folder, let paths):
      "the release folder \(folder) has uncommitted changes (\(paths.joined(separator: ", "))): commit or discard them first; nothing was written"
    case .releaseNotFound(let name, let namespace):
      "release \(name) not found in namespace \(namespace)"
    case .revisionNotFound(let name, let namespace, let revision):
      "release \(name) in namespace \(namespace) has no revision \(revision)"
    case .invalidName(let name, let reason):
      "'\(name)' cannot name a release or namespace: \(reason)"
    case .invalidRevision(let reason):
      "cannot record this revision: \(reason)"
    case .duplicateObject(let object):
      "\(object) appears twice in the rendered manifests"
    case .recipientsRequired(let release, let secrets):
      "release \(release) carries secret values (\(secrets.joined(separator: ", "))), which are stored only SOPS-encrypted: "
        + "give an age recipient with --age age1..., FLOWREL_AGE_RECIPIENTS, or a .sops.yaml at the top of the repository "
        + "(flowrel init --age age1...); nothing was written"
    case .badSecretKey(let path, let problem):
      "secret key file \(path): \(problem)"
    case .badAgeKey(let source, let problem):
      "\(source): \(problem)"
    case .badSOPSConfig(let file, let problem):
      "\(file): \(problem)"
    case .badStoreSettings(let file, let problem):
      "\(file): \(problem)"
    case .cannotDecrypt(let file, let problem):
      "cannot decrypt \(file): \(problem)"
    case .stillEncrypted(let location):
      "\(location) is still encrypted: the revision it comes from was read without a matching age identity "
        + "(set SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or SOPS_AGE_KEY_CMD; --secret-key-file for flowrel's old format); nothing was written"
    case .gitLocked(let path):
      "\(path) is held by another git process: wait for it to finish (or remove the file if no git command is running); nothing was written"
    case .damaged(let file, let problem):
      "\(file): \(problem)"
    case .git(let error):
      error.description
    case .movedOnBothSides(let release, let namespace, let local, let localCommit, let remote, let remoteCommit):
      "release \(release) in namespace \(namespace) moved on both sides: your revision \(local) (commit \(localCommit)) "
        + "and the remote's revision \(remote) (commit \(remoteCommit)); run flowrel push --renumber to record yours "
        + "again on top as revision \(remote + 1), or drop yours; nothing was pushed"
    case .cannotIntegrate(let branch, let remote, let reason):
      "cannot bring \(branch) and \(remote) together: \(reason); nothing was changed"
    }
  }
}
