import FlowrelStore

/// `flowrel history RELEASE`: the release's revisions, oldest first.
public struct History: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release = ""
  /// Only the newest `max` revisions.
  public var max: Int?

  /// A history query with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// The revisions.
  public func run() throws(ActionError) -> [RevisionInfo] {
    try ReleaseName.validate(release)
    if let max, max < 1 { throw .usage("--max must be 1 or more.") }
    return try ActionError.wrapping { try config.releases.history(release: release, namespace: config.namespace, max: max) }
  }
}

/// `flowrel get values|manifest|notes|all RELEASE [--revision N]`.
public struct GetRelease: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release = ""
  /// The revision to read; `nil` for the installed one.
  public var revision: Int?

  /// A query with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// The revision in full.
  public func run() throws(ActionError) -> Revision {
    try ReleaseName.validate(release)
    return try ActionError.wrapping { try config.releases.revision(release: release, namespace: config.namespace, number: revision) }
  }
}

/// `flowrel list [-n NS | -A]`: the installed releases.
public struct ListReleases: Sendable {
  let config: ActionConfiguration
  /// Every namespace instead of the configuration's.
  public var allNamespaces = false

  /// A query with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// The installed releases, sorted by namespace and name.
  public func run() throws(ActionError) -> [RevisionInfo] {
    try ActionError.wrapping { try config.releases.releases(namespace: allNamespaces ? nil : config.namespace) }
  }
}

/// `flowrel diff revision RELEASE [REV1 [REV2]]`: what changed between two revisions, object by object.
public struct DiffRevisions: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release = ""
  /// The older revision; by default the one before `to`.
  public var from: Int?
  /// The newer revision; by default the latest.
  public var to: Int?

  /// What `run` found.
  public struct Result: Sendable {
    /// The revisions compared.
    public var from: Int, to: Int
    /// The changes, in install order, removed objects last.
    public var changes: [ObjectChange]
  }

  /// A query with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// The changes from `from` to `to`.
  public func run() throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    return try ActionError.wrapping {
      let namespace = config.namespace
      let to = try to ?? (config.releases.history(release: release, namespace: namespace, max: 1).last?.revision ?? 1)
      let from = from ?? Swift.max(1, to - 1)
      return Result(from: from, to: to, changes: try config.releases.diff(release: release, namespace: namespace, from: from, to: to))
    }
  }
}
