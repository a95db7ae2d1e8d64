import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue

/// `flowrel status RELEASE`: the installed revision and, from the cluster, how ready each
/// workload is.
public struct Status: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  public var release = ""

  /// One workload's readiness.
  public struct Workload: Sendable, Equatable {
    /// Which object.
    public var identity: ObjectIdentity
    /// Pods (or completions) ready.
    public var ready: Int
    /// Pods (or completions) wanted.
    public var wanted: Int
    /// Whether the object exists in the cluster at all.
    public var exists: Bool
  }

  /// The report.
  public struct Report: Sendable {
    /// The installed revision's metadata.
    public var info: RevisionInfo
    /// The notes of that revision.
    public var notes: String?
    /// Every workload of the revision, in install order.
    public var workloads: [Workload]
  }

  /// A status query with `config`.
  public init(config: ActionConfiguration) { self.config = config }

  /// The kinds whose readiness is reported.
  static let workloadKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "Job"]

  /// Reads the store, then the cluster.
  public func run() async throws(ActionError) -> Report {
    try ReleaseName.validate(release)
    let namespace = config.namespace
    guard let current = try ActionError.wrapping({ try config.releases.installed(release, namespace: namespace) }) else {
      throw ActionError.notInstalled(name: release, namespace: namespace)
    }
    let workloads = current.manifests.filter { Self.workloadKinds.contains($0.identity.kind) }
    let kube = config.kube
    let identities = workloads.map(\.identity)
    let live = try await ActionError.wrapping { try await kube.currentObjects(identities) }
    return Report(info: current.info, notes: current.notes, workloads: workloads.map { manifest in
      Self.readiness(manifest, live: live[manifest.identity])
    })
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
