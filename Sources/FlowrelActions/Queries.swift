import FlowrelStore

/// `flowrel history RELEASE`: the release's revisions, oldest first.
public struct History: Sendable {
  let releases: any ReleaseStore
  /// Only the newest `max` revisions.
  public var max: Int?

  /// A history query on `releases`.
  public init(releases: any ReleaseStore) { self.releases = releases }

  /// The revisions of `release` in `namespace`.
  public func run(_ release: String, namespace: String) throws(ActionError) -> [RevisionInfo] {
    try ActionError.wrapping { try releases.history(release: release, namespace: namespace, max: max) }
  }
}

/// `flowrel get values|manifest|notes|all RELEASE [--revision N]`.
public struct GetRelease: Sendable {
  let releases: any ReleaseStore
  /// The revision to read; `nil` for the installed one.
  public var revision: Int?

  /// A query on `releases`.
  public init(releases: any ReleaseStore) { self.releases = releases }

  /// The revision in full.
  public func run(_ release: String, namespace: String) throws(ActionError) -> Revision {
    try ActionError.wrapping { try releases.revision(release: release, namespace: namespace, number: revision) }
  }
}

/// `flowrel list [-n NS | -A]`: the installed releases.
public struct ListReleases: Sendable {
  let releases: any ReleaseStore

  /// A query on `releases`.
  public init(releases: any ReleaseStore) { self.releases = releases }

  /// The installed releases of `namespace`, or of every namespace for `nil`.
  public func run(namespace: String?) throws(ActionError) -> [RevisionInfo] {
    try ActionError.wrapping { try releases.releases(namespace: namespace) }
  }
}

/// `flowrel diff revision RELEASE [REV1 [REV2]]`: what changed between two revisions, object by object.
public struct DiffRevisions: Sendable {
  let releases: any ReleaseStore

  /// A query on `releases`.
  public init(releases: any ReleaseStore) { self.releases = releases }

  /// The changes from `from` to `to`; by default between the last two revisions.
  public func run(_ release: String, namespace: String, from: Int?, to: Int?) throws(ActionError) -> (from: Int, to: Int, changes: [ObjectChange]) {
    try ActionError.wrapping {
      let history = try releases.history(release: release, namespace: namespace, max: nil)
      let to = to ?? (history.last?.revision ?? 1)
      let from = from ?? Swift.max(1, to - 1)
      return (from, to, try releases.diff(release: release, namespace: namespace, from: from, to: to))
    }
  }
}
