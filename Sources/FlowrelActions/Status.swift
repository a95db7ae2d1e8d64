import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue

/// `flowrel status RELEASE [--revision N] [--show-resources]`: the installed revision (or
/// revision N) and, from the cluster, how ready each workload is (and whether each object exists).
package struct Status: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// The revision to show; `nil` for the installed one.
  package var revision: Int?
  /// Also report every object of the revision and whether it exists in the cluster (Helm's
  /// `--show-resources`).
  package var showResources = false

  /// One workload's readiness.
  package struct Workload: Sendable, Equatable {
    /// Which object.
    package var identity: ObjectIdentity
    /// Pods (or completions) ready.
    package var ready: Int
    /// Pods (or completions) wanted.
    package var wanted: Int
    /// Whether the object exists in the cluster at all.
    package var exists: Bool
  }

  /// One object of the revision and whether the cluster has it.
  package struct Resource: Sendable, Equatable {
    /// Which object.
    package var identity: ObjectIdentity
    /// Whether the object exists in the cluster.
    package var exists: Bool
  }

  /// The report.
  package struct Report: Sendable {
    /// The installed revision's metadata.
    package var info: RevisionInfo
    /// The notes of that revision.
    package var notes: String?
    /// Every workload of the revision, in install order.
    package var workloads: [Workload]
    /// With `showResources`, every object of the revision in install order; else `nil`.
    package var resources: [Resource]?
    /// The last `flowrel sync` of the revision, if one was noted.
    package var synced: SyncRecord? = nil
  }

  /// A status query with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// The kinds whose readiness is reported.
  static let workloadKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "Job"]

  /// Reads the store, then the cluster.
  package func run() async throws(ActionError) -> Report {
    try ReleaseName.validate(release)
    let namespace = config.namespace
    // The revision and its sync records from one opening of the store.
    let store = try ActionError.wrapping { try config.releases.reader() }
    let current: Revision
    if let revision {
      current = try ActionError.wrapping { try store.revision(release: release, namespace: namespace, number: revision) }
    } else {
      guard let installed = try ActionError.wrapping({ try store.installed(release, namespace: namespace) }) else {
        throw ActionError.notInstalled(name: release, namespace: namespace)
      }
      current = installed
    }
    let workloads = current.manifests.filter { Self.workloadKinds.contains($0.identity.kind) }
    let kube = config.kube
    let identities = (showResources ? current.manifests : workloads).map(\.identity)
    let live = try await ActionError.wrapping { try await kube.currentObjects(identities) }
    let records = try ActionError.wrapping { try store.syncRecords(release: release, namespace: namespace) }
    return Report(
      info: current.info.synced(records), notes: current.notes,
      workloads: workloads.map { manifest in Self.readiness(manifest, live: live[manifest.identity]) },
      resources: showResources ? identities.map { Resource(identity: $0, exists: live[$0] != nil) } : nil,
      synced: current.info.lastSync(in: records))
  }

  /// Ready and wanted counts from an object's status, as `kubectl get` shows them.
  static func readiness(_ manifest: Manifest, live: Value?) -> Workload {
    let identity = manifest.identity
    guard let live else { return Workload(identity: identity, ready: 0, wanted: 0, exists: false) }
    func number(_ path: String...) -> Int {
      Int(live.value(at: ValuePath(path.map { .key($0) }))?.intValue ?? 0)
    }
    switch identity.kind {
    case "DaemonSet":
      return Workload(identity: identity, ready: number("status", "numberReady"), wanted: number("status", "desiredNumberScheduled"), exists: true)
    case "Job":
      let completions = live.value(at: ValuePath([.key("spec"), .key("completions")]))?.intValue ?? 1
      return Workload(identity: identity, ready: number("status", "succeeded"), wanted: Int(completions), exists: true)
    default:
      let replicas = live.value(at: ValuePath([.key("spec"), .key("replicas")]))?.intValue ?? 1
      return Workload(identity: identity, ready: number("status", "readyReplicas"), wanted: Int(replicas), exists: true)
    }
  }
}
