import FlowrelManifest
import FlowrelValue

/// What flowrel needs from a cluster. `Kubectl` talks to a real one; actions take any
/// conforming type, so tests can hand them a recording double.
package protocol KubeClient: Sendable {
  /// Checks that the client works and the API server answers; returns the server's version
  /// (`v1.32.4`).
  func checkCluster() async throws(KubeError) -> String

  /// The kube context this client talks to, as a sync record names it (`--kube-context`, else
  /// the kubeconfig's current context); nil when no kubeconfig names one.
  var contextName: String? { get }

  /// Server-side applies `manifests` (in the given order) as flowrel's field manager;
  /// `forceConflicts` takes over fields other managers own.
  func apply(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError)

  /// Sends `manifests` to the API server as a server-side apply with `dryRun=All`: the server
  /// validates them (schemas, immutable fields, admission) and changes nothing.
  func validate(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError)

  /// Replaces one object with `manifest` (Helm 3's `--force`): an update of the whole object,
  /// a create when it does not exist, and a delete and create when the server refuses the
  /// change because a field is immutable.
  func replace(_ manifest: Manifest) async throws(KubeError) -> Replacement

  /// Makes flowrel's server-side apply the only owner of the fields of `manifests` after they
  /// were replaced: a replace or create is an update, whose fields would conflict with the
  /// next apply. Ownership is reset (`managedFields: [{}]`) and the same objects applied.
  func takeOwnership(_ manifests: [Manifest]) async throws(KubeError)

  /// Asks for the deletion of exactly these objects, one after another in the given order
  /// (callers pass uninstall order), without waiting for them to be gone (finalizers may hold
  /// them: `waitUntilDeleted`); objects that are already gone are skipped.
  func delete(_ objects: [ObjectIdentity]) async throws(KubeError)

  /// Waits until none of `objects` exists any more, within `timeout` (above zero).
  func waitUntilDeleted(_ objects: [ObjectIdentity], timeout: GoDuration) async throws(KubeError)

  /// Creates the namespace unless it exists; returns whether it was created.
  func ensureNamespace(_ name: String) async throws(KubeError) -> Bool

  /// Waits until the Deployments, StatefulSets and DaemonSets among `objects` have rolled out
  /// and the Jobs have completed, and the CustomResourceDefinitions are established (other kinds
  /// are ignored), all within `timeout` (above zero),
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

  /// Helm's `lookup`: the object `name` of `kind` in `apiVersion` as the API server returns it,
  /// in `namespace` for a namespaced kind (ignored for a cluster-wide one; a namespaced object
  /// asked for by name without a namespace is not found); with an empty `name`, the list the
  /// server returns (`items`, in every namespace when `namespace` is empty), its items given
  /// the list's `apiVersion` and kind where they carry none. An empty map when the object (or
  /// the kind, in an API version the server serves) is not there; an API version the server
  /// does not serve, or any other failure, is an error.
  func lookup(apiVersion: String, kind: String, namespace: String, name: String) async throws(KubeError) -> Value
}

/// How `replace` brought an object to the manifest's content.
package enum Replacement: Sendable, Hashable {
  /// The object was updated as a whole.
  case replaced
  /// The object did not exist and was created.
  case created
  /// The server refused the update (the reason: an immutable field), so the object was
  /// deleted and created again.
  case recreated(reason: String)
}
