import FlowrelKube
import FlowrelManifest
import FlowrelValue
import Synchronization

/// A `KubeClient` without a cluster, as Helm's `pkg/kube/fake`: it records every call with its
/// arguments in order, answers from configured results, and fails the calls it is told to fail.
/// Safe to share between tasks; every read and change goes through one mutex.
package final class FakeKubeClient: KubeClient, Sendable {
  /// The kinds of call, one per `KubeClient` method.
  package enum CallKind: Sendable, Hashable, CaseIterable {
    case checkCluster, apply, validate, replace, takeOwnership, delete, waitUntilDeleted, ensureNamespace, waitUntilReady,
      currentObjects, drift
    case lookup
  }

  /// One call and its arguments (manifests by their identities).
  package enum Call: Sendable, Hashable {
    case checkCluster
    case apply([ObjectIdentity], forceConflicts: Bool)
    case validate([ObjectIdentity], forceConflicts: Bool)
    case replace(ObjectIdentity)
    case takeOwnership([ObjectIdentity])
    case delete([ObjectIdentity])
    case waitUntilDeleted([ObjectIdentity], timeout: GoDuration)
    case ensureNamespace(String)
    case waitUntilReady([ObjectIdentity], timeout: GoDuration)
    case currentObjects([ObjectIdentity])
    case drift([ObjectIdentity], forceConflicts: Bool)
    case lookup(apiVersion: String, kind: String, namespace: String, name: String)

    /// Which method was called.
    package var kind: CallKind {
      switch self {
      case .checkCluster: .checkCluster
      case .apply: .apply
      case .validate: .validate
      case .replace: .replace
      case .takeOwnership: .takeOwnership
      case .delete: .delete
      case .waitUntilDeleted: .waitUntilDeleted
      case .ensureNamespace: .ensureNamespace
      case .waitUntilReady: .waitUntilReady
      case .currentObjects: .currentObjects
      case .drift: .drift
      case .lookup: .lookup
      }
    }
  }

  /// An injected error: thrown by every call of its kind, or only by the call with that
  /// 1-based number among the calls of its kind.
  private struct Failure {
    var error: KubeError
    var onCall: Int?
  }

  private struct State {
    var calls: [Call] = []
    var failures: [CallKind: Failure] = [:]
    var serverVersion: String
    var liveObjects: [ObjectIdentity: Value]
    var drift: String?
    var namespaces: Set<String>
    var progress: [WorkloadProgress]
    var replacements: [ObjectIdentity: Replacement] = [:]
  }

  private let state: Mutex<State>

  package let contextName: String?

  /// A fake answering `checkCluster` with `serverVersion`, `currentObjects` from `liveObjects`,
  /// `drift` with `drift`, `ensureNamespace` with whether the name was not yet in `namespaces`
  /// (and adding it), and reporting `progress` from `waitUntilReady`.
  package init(
    serverVersion: String = "v1.32.4", liveObjects: [ObjectIdentity: Value] = [:], drift: String? = nil,
    namespaces: Set<String> = [], progress: [WorkloadProgress] = [], contextName: String? = nil
  ) {
    self.contextName = contextName
    state = Mutex(
      State(
        serverVersion: serverVersion, liveObjects: liveObjects, drift: drift, namespaces: namespaces,
        progress: progress))
  }

  /// Every call so far, in the order they were made (failed calls too).
  package var calls: [Call] { state.withLock { $0.calls } }

  /// What `currentObjects` answers from: the objects "in the cluster".
  package var liveObjects: [ObjectIdentity: Value] {
    get { state.withLock { $0.liveObjects } }
    set { state.withLock { $0.liveObjects = newValue } }
  }

  /// What `drift` answers: a diff, or `nil` for a cluster in sync.
  package var drift: String? {
    get { state.withLock { $0.drift } }
    set { state.withLock { $0.drift = newValue } }
  }

  /// What `replace` answers for an object (`.replaced` for any other).
  package var replacements: [ObjectIdentity: Replacement] {
    get { state.withLock { $0.replacements } }
    set { state.withLock { $0.replacements = newValue } }
  }

  /// What `checkCluster` answers.
  package var serverVersion: String {
    get { state.withLock { $0.serverVersion } }
    set { state.withLock { $0.serverVersion = newValue } }
  }

  /// Makes calls of `kind` throw `error`: every one, or only the `onCall`-th (1-based) of that
  /// kind. One error per kind; a later call of this method replaces it.
  package func fail(_ kind: CallKind, with error: KubeError, onCall number: Int? = nil) {
    state.withLock { $0.failures[kind] = Failure(error: error, onCall: number) }
  }

  /// Stops injecting an error into calls of `kind`.
  package func succeed(_ kind: CallKind) {
    state.withLock { $0.failures[kind] = nil }
  }

  /// Records `call`, then hands back the state to answer from, or throws the injected error.
  private func record<Answer: Sendable>(_ call: Call, answer: (inout State) -> Answer) throws(KubeError) -> Answer {
    let outcome: Result<Answer, KubeError> = state.withLock { state in
      state.calls.append(call)
      if let failure = state.failures[call.kind] {
        let number = state.calls.count(where: { $0.kind == call.kind })
        if failure.onCall == nil || failure.onCall == number { return .failure(failure.error) }
      }
      return .success(answer(&state))
    }
    return try outcome.get()
  }

  package func checkCluster() async throws(KubeError) -> String {
    try record(.checkCluster) { $0.serverVersion }
  }

  package func apply(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) {
    try record(.apply(manifests.map(\.identity), forceConflicts: forceConflicts)) { _ in () }
  }

  package func validate(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) {
    try record(.validate(manifests.map(\.identity), forceConflicts: forceConflicts)) { _ in () }
  }

  package func replace(_ manifest: Manifest) async throws(KubeError) -> Replacement {
    try record(.replace(manifest.identity)) { $0.replacements[manifest.identity] ?? .replaced }
  }

  package func takeOwnership(_ manifests: [Manifest]) async throws(KubeError) {
    try record(.takeOwnership(manifests.map(\.identity))) { _ in () }
  }

  package func delete(_ objects: [ObjectIdentity]) async throws(KubeError) {
    try record(.delete(objects)) { _ in () }
  }

  package func waitUntilDeleted(_ objects: [ObjectIdentity], timeout: GoDuration) async throws(KubeError) {
    try record(.waitUntilDeleted(objects, timeout: timeout)) { _ in () }
  }

  package func ensureNamespace(_ name: String) async throws(KubeError) -> Bool {
    try record(.ensureNamespace(name)) { $0.namespaces.insert(name).inserted }
  }

  package func waitUntilReady(
    _ objects: [ObjectIdentity], timeout: GoDuration, progress: @escaping @Sendable (WorkloadProgress) -> Void
  ) async throws(KubeError) {
    let reports = try record(.waitUntilReady(objects, timeout: timeout)) { $0.progress }
    reports.forEach(progress)
  }

  package func currentObjects(_ objects: [ObjectIdentity]) async throws(KubeError) -> [ObjectIdentity: Value] {
    try record(.currentObjects(objects)) { state in state.liveObjects.filter { objects.contains($0.key) } }
  }

  package func drift(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) -> String? {
    try record(.drift(manifests.map(\.identity), forceConflicts: forceConflicts)) { $0.drift }
  }

  /// Answers from `liveObjects` as an API server would: the object of that API group, kind,
  /// namespace (none for a cluster-wide kind) and name; with no name, a `KINDList` of them,
  /// in every namespace when `namespace` is empty; an empty map for nothing found.
  package func lookup(apiVersion: String, kind: String, namespace: String, name: String) async throws(KubeError) -> Value {
    try record(.lookup(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)) { state in
      let group = ObjectIdentity(apiVersion: apiVersion, kind: kind, namespace: nil, name: "").group
      let namespaced = ObjectIdentity.isNamespaced(kind: kind)
      let matching = state.liveObjects.filter { identity, _ in
        identity.group == group && identity.kind == kind
          && (!namespaced || namespace.isEmpty || identity.namespace == namespace)
      }
      if !name.isEmpty {
        // A namespaced object asked for without a namespace is not found, as on a real server.
        if namespaced && namespace.isEmpty { return .emptyMap }
        return matching.first { $0.key.name == name }?.value ?? .emptyMap
      }
      let items = matching.sorted { ($0.key.namespace ?? "", $0.key.name) < ($1.key.namespace ?? "", $1.key.name) }.map(\.value)
      return [
        "apiVersion": .string(apiVersion), "kind": .string(kind + "List"), "metadata": ["resourceVersion": "1"],
        "items": .list(items),
      ]
    }
  }
}
