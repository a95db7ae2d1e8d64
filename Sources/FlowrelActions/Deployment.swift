import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelStore

/// What a verb that renders or records a revision produced.
public struct DeployResult: Sendable {
  /// The revision recorded; `nil` for `--dry-run`.
  public var revision: Revision?
  /// The objects of the new revision, in install order.
  public var manifests: [Manifest]
  /// The rendered notes.
  public var notes: String?
  /// The objects of the revision that was installed before (none for a first install).
  public var replaced: [Manifest]
  /// How the new objects differ from the installed revision's, by identity.
  public var plan: ChangePlan
}

/// Which objects a new revision adds, changes, keeps and removes, against the installed one.
public struct ChangePlan: Sendable, Equatable {
  /// Objects only in the new revision.
  public var added: [ObjectIdentity]
  /// Objects in both with different content.
  public var changed: [ObjectIdentity]
  /// Objects in both with the same content.
  public var unchanged: [ObjectIdentity]
  /// Objects only in the installed revision: pruned after a successful apply.
  public var removed: [ObjectIdentity]

  /// The plan from `old` to `new`.
  public init(from old: [Manifest], to new: [Manifest]) {
    let before = Dictionary(old.map { ($0.identity, $0) }, uniquingKeysWith: { first, _ in first })
    let after = Set(new.map(\.identity))
    added = new.filter { before[$0.identity] == nil }.map(\.identity)
    changed = new.filter { manifest in before[manifest.identity].map { $0.content != manifest.content } ?? false }.map(\.identity)
    unchanged = new.filter { before[$0.identity]?.content == $0.content }.map(\.identity)
    removed = old.filter { !after.contains($0.identity) }.map(\.identity).sortedForUninstall()
  }

  /// `2 changed, 1 added, 1 removed`.
  public var summary: String { Self.summary(changed: changed.count, added: added.count, removed: removed.count) }

  /// The one summary line of every diff flowrel prints.
  static func summary(changed: Int, added: Int, removed: Int) -> String {
    "\(changed) changed, \(added) added, \(removed) removed"
  }
}

extension [ObjectChange] {
  /// `2 changed, 1 added, 1 removed`, for stored or planned changes.
  public var summary: String {
    let count = { (kind: ObjectChange.Kind) in self.filter { $0.kind == kind }.count }
    return ChangePlan.summary(changed: count(.changed), added: count(.added), removed: count(.removed))
  }
}

/// The cluster half of install, upgrade and rollback: apply, prune, wait, and on failure
/// record the failure and (with `--atomic`) restore the previous revision.
struct Deployer {
  let config: ActionConfiguration
  let options: DeployOptions

  /// Fails with a clear message (exit code 2) when kubectl does not run or the cluster does not
  /// answer; run before anything is read or written, so a failure records nothing.
  func checkCluster() throws(ActionError) {
    guard !options.dryRun, !options.noApply else { return }
    let kube = config.kube
    try ActionError.wrapping { _ = try waitFor { try await kube.checkCluster() } }
  }

  /// Applies `new` in install order, deletes what `old` had and `new` has not (in uninstall
  /// order), then waits when asked.
  func apply(namespace: String, new: [Manifest], old: [Manifest]) throws(KubeError) {
    let kube = config.kube
    let progress = config.progress
    let options = self.options
    do {
      if options.createNamespace { _ = try waitFor { try await kube.ensureNamespace(namespace) } }
      try waitFor { try await kube.apply(new.sortedForInstall(), forceConflicts: options.forceConflicts) }
      let removed = ChangePlan(from: old, to: new).removed
      if !removed.isEmpty { try waitFor { try await kube.delete(removed) } }
      if options.wait || options.atomic {
        try waitFor {
          try await kube.waitUntilReady(new.sortedForInstall().map(\.identity), timeout: options.timeout) { step in
            progress("\(step.isReady ? "ready" : "waiting"): \(step.object.kubectlName) \(step.message)")
          }
        }
      }
    } catch let error as KubeError {
      throw error
    } catch {
      throw KubeError.commandFailed(command: "kubectl", exitCode: -1, stderr: "\(error)")
    }
  }

  /// Records `revision` as `recorded` (no apply) or applies it over `previous` and records
  /// `deployed`; a failed apply is recorded as `failed` and, with `--atomic`, the previous
  /// revision is applied again and recorded as a rollback.
  func deployAndRecord(_ revision: NewRevision, previous: Revision?, writer: any RevisionWriter) throws -> Revision {
    var revision = revision
    if options.noApply {
      revision.status = .recorded
      return try writer.record(revision)
    }
    do {
      try apply(namespace: revision.namespace, new: revision.manifests, old: previous?.manifests ?? [])
    } catch {
      revision.status = .failed
      revision.description = "\(revision.description) failed: \(error)"
      let failed = try writer.record(revision)
      var restored: Int?
      if options.atomic {
        if let previous, let chart = previous.info.chart {
          // The restore must not wait on itself failing again forever: no atomic inside.
          var restoreOptions = options
          restoreOptions.atomic = false
          try Deployer(config: config, options: restoreOptions).apply(
            namespace: revision.namespace, new: previous.manifests, old: revision.manifests)
          restored = try writer.record(NewRevision(
            release: revision.release, namespace: revision.namespace, action: .rollback, status: .deployed, chart: chart,
            values: previous.values, manifests: previous.manifests, notes: previous.notes,
            description: "Rollback to \(previous.info.revision) after revision \(failed.info.revision) failed")).info.revision
        } else {
          // A first install has nothing to go back to: remove what it created.
          let kube = config.kube
          let created = revision.manifests.sortedForUninstall().map(\.identity)
          try waitFor { try await kube.delete(created) }
        }
      }
      throw ActionError.deployFailed(revision: failed.info.revision, restoredRevision: restored, cause: error)
    }
    revision.status = .deployed
    return try writer.record(revision)
  }
}

extension ReleaseStore {
  /// Runs `body` under the write lock, or, for a dry run that writes nothing, without it (so a
  /// read-only clone can be asked what an upgrade would do).
  func withWriteLock<T>(unlessDryRun dryRun: Bool, _ body: ((any RevisionWriter)?) throws -> T) throws -> T {
    dryRun ? try body(nil) : try withWriteLock { writer in try body(writer) }
  }

  /// The installed revision, or `nil` when the release is not installed.
  func installed(_ release: String, namespace: String) throws(StoreError) -> Revision? {
    do {
      return try revision(release: release, namespace: namespace, number: nil)
    } catch .releaseNotFound {
      return nil
    }
  }

  /// The number the next revision of the release gets (numbers continue after an uninstall).
  func nextRevisionNumber(_ release: String, namespace: String) throws(StoreError) -> Int {
    do {
      return (try history(release: release, namespace: namespace, max: 1).last?.revision ?? 0) + 1
    } catch .releaseNotFound {
      return 1
    }
  }
}
