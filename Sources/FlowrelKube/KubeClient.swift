import FlowrelManifest
import FlowrelValue

/// What flowrel needs from a cluster. `Kubectl` talks to a real one; actions take any
/// conforming type, so tests can hand them a recording double.
package protocol KubeClient: Sendable {
  /// Checks that the client works and the API server answers; returns the server's version
  /// (`v1.32.4`).
  func checkCluster() async throws(KubeError) -> String

  /// Server-side applies `manifests` (in the given order) as flowrel's field manager;
  /// `forceConflicts` takes over fields other managers own.
  func apply(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError)

  /// Deletes exactly these objects, one after another in the given order (callers pass
  /// uninstall order); objects that are already gone are skipped.
  func delete(_ objects: [ObjectIdentity]) async throws(KubeError)

  /// Creates the namespace unless it exists; returns whether it was created.
  func ensureNamespace(_ name: String) async throws(KubeError) -> Bool

  /// Waits until the Deployments, StatefulSets and DaemonSets among `objects` have rolled out
  /// and the Jobs have completed (other kinds are ignored), all within `timeout` (above zero),
  /// and reports each workload's progress as it changes. `progress` may be called from several
  /// threads.
  func waitUntilReady(
    _ objects: [ObjectIdentity], timeout: GoDuration, progress: @escaping @Sendable (WorkloadProgress) -> Void
  ) async throws(KubeError)

  /// The live content of those `objects` that exist (missing ones have no entry).
  func currentObjects(_ objects: [ObjectIdentity]) async throws(KubeError) -> [ObjectIdentity: Value]

  /// What applying `manifests` would change in the cluster: a unified diff, or `nil` when the
  /// cluster already matches.
  func drift(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) -> String?
}
