import FlowrelStore
import GoRegex

/// `flowrel history RELEASE`: the release's revisions, oldest first.
package struct History: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// Only the newest `max` revisions.
  package var max: Int?

  /// A history query with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// The revisions.
  package func run() throws(ActionError) -> [RevisionInfo] {
    try ReleaseName.validate(release)
    if let max, max < 1 { throw .usage("--max must be 1 or more.") }
    return try ActionError.wrapping {
      let store = try config.releases.reader()
      let revisions = try store.history(release: release, namespace: config.namespace, max: max)
      let records = try store.syncRecords(release: release, namespace: config.namespace)
      return revisions.map { $0.synced(records) }
    }
  }
}

/// `flowrel get values|manifest|notes|all RELEASE [--revision N] [--all]`.
package struct GetRelease: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// The revision to read; `nil` for the installed one.
  package var revision: Int?
  /// Also compute the values templates saw: the chart's defaults under the given values
  /// (Helm's `get values --all`).
  package var computeValues = false

  /// What `run` read.
  package struct Result: Sendable {
    /// The revision in full.
    package var revision: Revision
    /// With `computeValues`, the chart's defaults coalesced under the revision's values.
    package var computedValues: Value?
  }

  /// A query with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// The revision (values still encrypted, with no identity to decrypt them, as `<secret>`),
  /// and its computed values when asked.
  package func run() throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    let read = try ActionError.wrapping { try config.releases.revision(release: release, namespace: config.namespace, number: revision) }
      .maskingStillEncrypted()
    guard computeValues else { return Result(revision: read) }
    return Result(revision: read, computedValues: try Self.computed(read))
  }

  /// The revision's values over its chart's defaults. Only the chart's name and version are
  /// recorded, so the defaults come from the built-in chart of that name, which must still
  /// be that version.
  static func computed(_ revision: Revision) throws(ActionError) -> Value {
    let recorded = revision.info.chart
    guard let recorded, let chart = try ActionError.wrapping({ try Chart.builtin(recorded.name) }) else {
      throw .usage(
        "--all: \(revision.info.release) was rendered from chart \(recorded?.name ?? "(unknown)"), which is not built into flowrel, "
          + "and the store records only its name and version, so its defaults are unknown; get values without --all shows the values given")
    }
    guard chart.metadata.version.original == recorded.version else {
      throw .usage(
        "--all: revision \(revision.info.revision) of \(revision.info.release) was rendered from \(recorded.name) \(recorded.version), "
          + "and flowrel's built-in \(recorded.name) is \(chart.metadata.version) now, whose defaults may differ; "
          + "get values without --all shows the values given")
    }
    return try ActionError.wrapping { try MergedValues(defaults: chart.defaultValues, user: revision.values).values }
  }
}

/// `flowrel list [-n NS | -A]`: the installed releases, filtered and paged as Helm's `list`.
package struct ListReleases: Sendable {
  let config: ActionConfiguration
  /// Every namespace instead of the configuration's.
  package var allNamespaces = false
  /// The statuses to show; empty is Helm's default, deployed and failed (and flowrel's recorded).
  package var statuses: Set<ReleaseStatus> = []
  /// Only releases whose name matches this Go regular expression (Helm's `--filter`).
  package var filter: String?
  /// Sorted by last update instead of by name.
  package var byDate = false
  /// The order reversed.
  package var reverse = false
  /// Skip this many releases.
  package var offset = 0
  /// At most this many releases (0: all).
  package var max = 0

  /// A query with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// The releases: filtered, sorted, then paged.
  package func run() throws(ActionError) -> [RevisionInfo] {
    guard offset >= 0, max >= 0 else { throw .usage("--offset and --max take 0 or more") }
    let pattern: GoRegex?
    do { pattern = try filter.map { try GoRegex($0) } } catch { throw .usage("--filter: \(error)") }
    var releases = try ActionError.wrapping { try config.releases.releases(namespace: allNamespaces ? nil : config.namespace) }
    let shown = statuses.isEmpty ? [.deployed, .failed, .recorded] : statuses
    releases = releases.filter { shown.contains($0.status) && (pattern?.matches($0.release) ?? true) }
    if byDate { releases.sort { ($0.time, $0.namespace, $0.release) < ($1.time, $1.namespace, $1.release) } }
    if reverse { releases.reverse() }
    let page = releases.dropFirst(offset)
    return Array(max > 0 ? page.prefix(max) : page)
  }
}

/// `flowrel diff revision RELEASE [REV1 [REV2]]`: what changed between two revisions, object by object.
package struct DiffRevisions: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// The older revision; by default the one before `to`.
  package var from: Int?
  /// The newer revision; by default the latest.
  package var to: Int?
  /// How Secret entries show (`--show-secrets`: decrypted).
  package var secrets = SecretDisplay.masked

  /// What `run` found.
  package struct Result: Sendable {
    /// The revisions compared.
    package var from: Int, to: Int
    /// The changes, in install order, removed objects last.
    package var changes: [ObjectChange]
  }

  /// A query with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// The changes from `from` to `to`.
  package func run() throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    let masking = try SecretDisplay.masking(secrets, config: config)
    return try ActionError.wrapping {
      let namespace = config.namespace
      let to = try to ?? (config.releases.history(release: release, namespace: namespace, max: 1).last?.revision ?? 1)
      let from = from ?? Swift.max(1, to - 1)
      let stored = try config.releases.diff(release: release, namespace: namespace, from: from, to: to)
      return Result(from: from, to: to, changes: try config.releases.secretReader.revealing(stored, masking: masking))
    }
  }
}
