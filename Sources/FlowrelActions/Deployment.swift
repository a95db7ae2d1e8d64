import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelStore
import Logging

/// How a verb that changes the release touches the cluster.
package struct DeployOptions: Sendable {
  /// Render and compare with the current revision; record nothing, apply nothing.
  package var dryRun = false
  /// With `dryRun` (`--dry-run=server`): also send the objects to the API server as a dry run
  /// (`dryRun=All`), so its validation errors show; nothing changes.
  package var dryRunOnServer = false
  /// When the apply fails, delete the objects this attempt created (not those that existed).
  package var cleanupOnFail = false
  /// Replace objects as a whole instead of applying them (Helm 3's `--force`); an object whose
  /// change touches an immutable field is deleted and created again.
  package var force = false
  /// Record the revision without touching the cluster (GitOps: a CD system applies it).
  package var noApply = false
  /// Wait until workloads are ready and Jobs complete.
  package var wait = false
  /// How long to wait (Helm's default: 5 minutes).
  package var timeout = GoDuration.seconds(300)
  /// On failure, restore the previous revision (implies `wait`).
  package var atomic = false
  /// Create the release namespace when it does not exist.
  package var createNamespace = false
  /// Take over fields other field managers own.
  package var forceConflicts = false
  /// The revision's description in history; a default one otherwise.
  package var description: String?
  /// Run none of the chart's hooks (`--no-hooks`); they are still recorded.
  package var noHooks = false

  /// Options; by default apply and record, without waiting.
  package init() {}

  /// Checks the options before anything runs.
  package func validate() throws(ActionError) {
    if dryRun && noApply { throw .usage("--dry-run and --no-apply exclude each other") }
    if dryRunOnServer && !dryRun { throw .usage("a server-side dry run is a dry run: set dryRun too") }
  }
}

/// What a verb that renders or records a revision produced.
package struct DeployResult: Sendable {
  /// The revision recorded; `nil` for `--dry-run`.
  package var revision: Revision?
  /// The release's name and namespace.
  package var release: String, namespace: String
  /// The objects of the new revision, in install order.
  package var manifests: [Manifest]
  /// The rendered notes.
  package var notes: String?
  /// The objects of the revision that was installed before (none for a first install); nil
  /// for a `--no-apply` record, which compares the stored files instead of reading them all.
  package var replaced: [Manifest]?
  /// How the new objects differ from the installed revision's, by identity.
  package var plan: ChangePlan
  /// The new revision's hooks, none with `--no-hooks` (a dry run shows them after the objects).
  package var hooks: [Hook] = []
}

/// The cluster half of install, upgrade, rollback and sync: apply, prune, wait, and on failure
/// record the failure and (with `--atomic`) restore the previous revision.
struct Deployer {
  let config: ActionConfiguration
  let options: DeployOptions

  /// Whether this run talks to the cluster: an apply or a server-side dry run, not a client
  /// dry run or `--no-apply`.
  var touchesCluster: Bool { (!options.dryRun || options.dryRunOnServer) && !options.noApply }

  /// What templates' `lookup` reads: the cluster when this run talks to it, else nothing (as
  /// Helm: a client dry run finds nothing).
  var clusterLookup: (any ClusterLookup)? { touchesCluster ? KubeLookup(kube: config.kube) : nil }

  /// Fails with a clear message (exit code 2) when kubectl does not run or the cluster does not
  /// answer; run before the store is written, so a failure records nothing.
  func checkCluster() async throws(ActionError) {
    guard touchesCluster else { return }
    let kube = config.kube
    _ = try await ActionError.wrapping { try await kube.checkCluster() }
  }

  /// Applies `new` (in install order, as the render and the store give objects), deletes what
  /// `old` had and `new` has not (in uninstall order), then waits when asked.
  func apply(namespace: String, new: [Manifest], old: [Manifest]) async throws(KubeError) {
    let kube = config.kube
    if options.createNamespace { _ = try await kube.ensureNamespace(namespace) }
    if options.force {
      for manifest in new {
        let name = manifest.identity.kubectlName
        switch try await kube.replace(manifest) {
        case .replaced: config.progress("replaced \(name)")
        case .created: config.progress("created \(name)")
        case .recreated(let reason): config.progress("deleted and created \(name) again: \(reason)")
        }
      }
      // So that the next upgrade applies without conflicting with these replacements.
      try await kube.takeOwnership(new)
    } else {
      try await kube.apply(new, forceConflicts: options.forceConflicts)
    }
    // `helm.sh/resource-policy: keep` objects stay when a revision drops them.
    let kept = Set(old.filter(Hook.isKept).map(\.identity))
    let removed = ChangePlan(from: old, to: new).removed.filter { !kept.contains($0) }
    if !removed.isEmpty { try await kube.delete(removed) }
    if options.wait || options.atomic {
      try await kube.waitUntilReady(new.map(\.identity), timeout: options.timeout) { [config] step in
        config.progress("\(step.isReady ? "ready" : "waiting"): \(step.object.kubectlName) \(step.message)")
      }
    }
  }

  /// Applies `new` over `old`; when that fails, deletes with `--cleanup-on-fail` the objects
  /// the attempt created, and with `--atomic` applies `old` again (without waiting on itself
  /// failing again), before the failure is passed on.
  func applyRestoringOnFailure(namespace: String, new: [Manifest], old: [Manifest]) async throws(KubeError) {
    // `--atomic` on a first install deletes everything it applied, which covers the cleanup.
    let cleansUp = options.cleanupOnFail && !(options.atomic && old.isEmpty)
    // What exists before this attempt is not the attempt's to delete.
    let existing = cleansUp ? Set(try await config.kube.currentObjects(new.map(\.identity)).keys) : []
    do {
      try await apply(namespace: namespace, new: new, old: old)
    } catch {
      if cleansUp { await deleteCreated(new.filter { !existing.contains($0.identity) }) }
      guard options.atomic else { throw error }
      var restore = options
      restore.atomic = false
      if old.isEmpty {
        // A first install has nothing to go back to: remove what it created.
        try await config.kube.delete(new.reversed().map(\.identity))
      } else {
        try await Deployer(config: config, options: restore).apply(namespace: namespace, new: old, old: new)
      }
      throw error
    }
  }

  /// `--cleanup-on-fail`: deletes `created` (in uninstall order). A failure to delete is said
  /// on stderr; the apply's own failure is what the command reports.
  private func deleteCreated(_ created: [Manifest]) async {
    guard !created.isEmpty else { return }
    let objects = created.reversed().map(\.identity)
    config.progress("cleanup on fail: deleting what this attempt created: \(objects.map(\.kubectlName).joined(separator: ", "))")
    do {
      try await config.kube.delete(objects)
    } catch {
      config.progress("cleanup on fail: could not delete them: \(error)")
    }
  }

  /// Sends the objects to the API server as a dry run (`--dry-run=server`): its validation
  /// errors fail the command; nothing changes. With `--create-namespace` and a namespace that
  /// does not exist yet, the server cannot check the objects in it (it would answer that the
  /// namespace is missing): those are left out, said on stderr.
  func validateOnServer(_ manifests: [Manifest], namespace: String) async throws(ActionError) {
    try ActionError.wrapping { try SecretProtection.requireDecrypted(manifests) }
    let kube = config.kube
    var checked = manifests
    if options.createNamespace {
      let object = ObjectIdentity(apiVersion: "v1", kind: "Namespace", namespace: nil, name: namespace)
      let exists = try await ActionError.wrapping { try await kube.currentObjects([object])[object] != nil }
      if !exists {
        checked = manifests.filter { $0.identity.namespace != namespace }
        let skipped = manifests.count - checked.count
        config.progress(
          "namespace \(namespace) does not exist yet (--create-namespace creates it): the server cannot check the \(skipped) object(s) in it")
      }
    }
    try await ActionError.wrapping { try await kube.validate(checked, forceConflicts: options.forceConflicts) }
  }

  /// Refuses to apply objects whose Secrets are still encrypted (a revision read without an
  /// identity), the new ones and, with `--atomic`, the previous ones it would restore.
  func requireDecrypted(new: [Manifest], old: [Manifest]) throws(ActionError) {
    try ActionError.wrapping {
      try SecretProtection.requireDecrypted(new)
      if options.atomic { try SecretProtection.requireDecrypted(old) }
    }
  }

  /// Records `revision` as `recorded` (no apply) or applies it over `previous` and records
  /// `deployed`; a failed apply is recorded as `failed` and, with `--atomic`, the previous
  /// revision is applied again and recorded as a rollback.
  func deployAndRecord(_ revision: NewRevision, previous: Revision?, writer: any RevisionWriter) async throws -> Revision {
    var revision = revision
    if options.noApply {
      revision.status = .recorded
      return try writer.record(revision)
    }
    try requireDecrypted(new: revision.manifests, old: previous?.manifests ?? [])
    let hooks = options.noHooks ? [] : revision.hooks
    if !hooks.isEmpty { try requireDecrypted(new: hooks.map(\.manifest), old: []) }
    let runner = HookRunner(config: config, timeout: options.timeout, forceConflicts: options.forceConflicts)
    let events = revision.action.hookEvents
    func recordFailure(_ error: any Error) throws -> Revision {
      revision.status = .failed
      revision.description = "\(revision.description) failed: \(error)"
      return try writer.record(revision)
    }
    // As in Helm, an install creates the chart's CRDs before anything else, its pre hooks included.
    do {
      if revision.action == .install { try await installCRDs(revision.crds) }
    } catch {
      throw ActionError.deployFailed(revision: try recordFailure(error).info.revision, restoredRevision: nil, cause: error)
    }
    // The pre hooks go into the release namespace before anything else does.
    if options.createNamespace, !hooks.isEmpty { _ = try await config.kube.ensureNamespace(revision.namespace) }
    do throws(HookFailure) {
      if let events { try await runner.run(events.pre, hooks: hooks) }
    } catch {
      // Nothing of the revision was applied: record the failure, restore nothing.
      throw ActionError.hookFailed(error, revision: try recordFailure(error).info.revision, restoredRevision: nil)
    }
    do {
      try await applyRestoringOnFailure(namespace: revision.namespace, new: revision.manifests, old: previous?.manifests ?? [])
    } catch {
      let failed = try recordFailure(error)
      let restored = options.atomic ? try recordRestore(of: previous, after: failed.info.revision, writer: writer) : nil
      throw ActionError.deployFailed(revision: failed.info.revision, restoredRevision: restored, cause: error)
    }
    do throws(HookFailure) {
      if let events { try await runner.run(events.post, hooks: hooks) }
    } catch {
      let failed = try recordFailure(error)
      var restored: Int?
      if options.atomic, let previous {
        // The objects were applied: they go back to the previous revision's.
        var restore = options
        restore.atomic = false
        try await Deployer(config: config, options: restore).apply(
          namespace: revision.namespace, new: previous.manifests, old: revision.manifests)
        restored = try recordRestore(of: previous, after: failed.info.revision, writer: writer)
      }
      throw ActionError.hookFailed(error, revision: failed.info.revision, restoredRevision: restored)
    }
    revision.status = .deployed
    return try writer.record(revision)
  }

  /// `--atomic`: records the previous revision, applied again, as a rollback after revision
  /// `failed`; its number, or nil when there is nothing to go back to.
  private func recordRestore(of previous: Revision?, after failed: Int, writer: any RevisionWriter) throws -> Int? {
    guard let previous, let chart = previous.info.chart else { return nil }
    var rollback = NewRevision(
      release: previous.info.release, namespace: previous.info.namespace, action: .rollback, status: .deployed, chart: chart,
      values: previous.values, manifests: previous.manifests, notes: previous.notes,
      description: "Rollback to \(previous.info.revision) after revision \(failed) failed",
      secretValuePaths: previous.secretValuePaths)
    rollback.hooks = previous.hooks
    rollback.crds = previous.crds
    rollback.draws = previous.draws
    return try writer.record(rollback).info.revision
  }
}

/// A revision to record, shared by install, upgrade and rollback.
struct PendingRevision {
  var revision: NewRevision
  /// Objects the render left out (unknown hook events), told on stderr.
  var skipped: [String] = []

  /// Renders `chart` for `request` into a revision, through `postRenderer` when there is one.
  static func render(
    chart: Chart, request: RenderRequest, postRenderer: PostRenderer?, action: ReleaseAction, description: String, log: Logger
  ) async throws -> PendingRevision {
    // A render that reads the cluster runs off Swift concurrency's threads (see `KubeLookup`).
    let output = request.lookup == nil ? try chart.render(request) : try await KubeLookup.render { try chart.render(request) }
    log.warn(about: output.values)
    var rendered = try output.rendered.manifests(release: request.release)
    if let postRenderer { rendered = try await postRenderer.run(rendered, chart: output.rendered, release: request.release) }
    let split = try RenderedRelease(rendered)
    let manifests = split.objects.map(\.manifest)
    let metadata = chart.metadata
    var pending = PendingRevision(revision: NewRevision(
      release: request.release.name, namespace: request.release.namespace, action: action, status: .deployed,
      // The version as Chart.yaml writes it (`v0.0.0` stays so), as Helm records it.
      chart: ChartReference(name: metadata.name, version: metadata.version.original,
        appVersion: metadata.appVersion.isEmpty ? nil : metadata.appVersion),
      values: output.values.user, manifests: manifests, notes: output.rendered.notes, description: description,
      secretValuePaths: output.secretPaths))
    pending.revision.crds = try output.crds.objects(namespace: request.release.namespace)
    pending.revision.hooks = split.hooks.map(\.hook)
    pending.revision.draws = output.draws
    pending.skipped = split.skipped
    return pending
  }

  /// Applies and records the revision (or, for a dry run, only reports what it would do).
  func deploy(previous installed: InstalledRevision?, deployer: Deployer, writer: (any RevisionWriter)?) async throws
    -> DeployResult
  {
    let manifests = revision.manifests
    // Only applying (or restoring, or showing a dry run) needs every old object; a record
    // without an apply plans from the stored files that differ.
    let recordsOnly = deployer.options.noApply && !deployer.options.dryRun && writer != nil
    let previous = recordsOnly ? nil : try installed?.revision()
    let plan = try previous.map { ChangePlan(from: $0.manifests, to: manifests) }
      ?? installed?.plan(to: manifests) ?? ChangePlan(from: [], to: manifests)
    var recorded: Revision?
    for line in skipped { deployer.config.progress(line) }
    if deployer.options.dryRun {
      deployer.warnAboutUninstalledCRDs(revision)
      if deployer.options.dryRunOnServer { try await deployer.validateOnServer(manifests, namespace: revision.namespace) }
    } else if let writer {
      recorded = try await deployer.deployAndRecord(revision, previous: previous, writer: writer)
    }
    let replaced = recordsOnly ? nil : previous?.manifests ?? []
    return DeployResult(
      revision: recorded, release: revision.release, namespace: revision.namespace, manifests: manifests,
      notes: revision.notes, replaced: replaced, plan: plan,
      hooks: deployer.options.noHooks ? [] : revision.hooks)
  }
}

extension ReleaseStore {
  /// Runs `body` under the write lock, or, for a dry run that writes nothing, without it (so a
  /// read-only clone can be asked what an upgrade would do).
  func withWriteLock<T>(unlessDryRun dryRun: Bool, _ body: ((any RevisionWriter)?) async throws -> T) async throws -> T {
    dryRun ? try await body(nil) : try await withWriteLock { writer in try await body(writer) }
  }

  /// The installed revision with its objects read on demand, or `nil` when the release is
  /// not installed.
  func installedRevision(_ release: String, namespace: String) throws(StoreError) -> InstalledRevision? {
    do {
      return try installedRevision(release: release, namespace: namespace)
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

extension ReleaseReader {
  /// The installed revision, or `nil` when the release is not installed.
  func installed(_ release: String, namespace: String) throws(StoreError) -> Revision? {
    do {
      return try revision(release: release, namespace: namespace, number: nil)
    } catch .releaseNotFound {
      return nil
    }
  }
}
