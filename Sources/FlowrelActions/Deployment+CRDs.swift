import FlowrelChart
import FlowrelKube
import FlowrelManifest

/// A chart's `crds/` on the cluster, as Helm's install treats them: created before anything
/// else when they do not exist, waited on until established, and otherwise left alone (never
/// updated, pruned or deleted; upgrade and rollback carry the installed revision's CRDs over).
extension Deployer {
  /// How long the CRDs may take to be established (Helm's fixed 60 seconds).
  static let crdTimeout = GoDuration.seconds(60)

  /// Creates those of `crds` that do not exist yet (one that exists is kept as it is, said on
  /// stderr) and waits until they are established, so that objects of their kinds can follow.
  func installCRDs(_ crds: [Manifest]) async throws(KubeError) {
    guard !crds.isEmpty else { return }
    let kube = config.kube
    let existing = try await kube.currentObjects(crds.map(\.identity))
    for crd in crds where existing[crd.identity] != nil {
      config.progress("CRD \(crd.identity.name) is already present. Skipping.")
    }
    let missing = crds.filter { existing[$0.identity] == nil }
    guard !missing.isEmpty else { return }
    try await kube.apply(missing, forceConflicts: false)
    try await kube.waitUntilReady(missing.map(\.identity), timeout: Self.crdTimeout) { [config] step in
      config.progress("\(step.isReady ? "ready" : "waiting"): \(step.object.kubectlName) \(step.message)")
    }
  }

  /// Helm's warning for a dry run of an install whose chart has CRDs: they are not created, so
  /// objects of their kinds may fail the server's checks.
  func warnAboutUninstalledCRDs(_ revision: NewRevision) {
    guard options.dryRun, revision.action == .install, !revision.crds.isEmpty else { return }
    config.progress("WARNING: This chart or one of its subcharts contains CRDs. Rendering may fail or contain inaccuracies.")
  }
}

extension PendingRevision {
  /// The revision with the CRDs an upgrade or rollback keeps: those of the installed revision
  /// (the chart's `crds/` are not read again, as in Helm).
  func keepingCRDs(of installed: InstalledRevision?) -> PendingRevision {
    var kept = self
    kept.revision.crds = installed?.crds ?? []
    return kept
  }
}
