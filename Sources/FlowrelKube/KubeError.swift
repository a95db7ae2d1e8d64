import FlowrelManifest
import FlowrelValue

/// Why talking to the cluster failed; every case reads as a message a user can act on.
package enum KubeError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No kubectl executable where flowrel looked (the path, or "kubectl" on PATH).
  case kubectlNotFound(String)
  /// The kubectl executable exists but could not be started.
  case kubectlNotStartable(path: String, reason: String)
  /// kubectl could not reach the API server; carries kubectl's message.
  case clusterUnreachable(String)
  /// The server refused an apply (other than a field-manager conflict); carries kubectl's stderr.
  case applyFailed(String)
  /// Other field managers own fields that flowrel's apply would change.
  case conflict([FieldConflict])
  /// The API server refused objects in a server-side dry run; carries kubectl's stderr.
  case validationFailed(String)
  /// Replacing an object (`--force`) failed; carries kubectl's stderr.
  case replaceFailed(ObjectIdentity, String)
  /// Deleting objects failed; carries kubectl's stderr.
  case deleteFailed(String)
  /// Deleted objects were still there when the timeout ran out.
  case deleteTimedOut(timeout: GoDuration, remaining: [ObjectIdentity])
  /// Workloads were not ready when the timeout ran out; carries their last progress.
  case waitTimedOut(timeout: GoDuration, notReady: [WorkloadProgress])
  /// A rollout failed before the timeout (for instance it exceeded its progress deadline).
  case rolloutFailed(ObjectIdentity, String)
  /// `kubectl diff` failed; carries its stderr.
  case diffFailed(String)
  /// Any other kubectl command failed.
  case commandFailed(command: String, exitCode: Int32, stderr: String)
  /// A kubectl command ran past its time limit and was stopped.
  case commandTimedOut(command: String, timeout: GoDuration)
  /// A kubectl command was stopped because the task running it was cancelled.
  case cancelled(command: String)
  /// kubectl printed something flowrel could not read.
  case unexpectedOutput(command: String, reason: String)
  /// A kubeconfig file flowrel reads for the context's namespace is unreadable or not YAML.
  case badKubeconfig(file: String, reason: String)
  /// A manifest could not be written for kubectl.
  case invalidManifest(ManifestError)
  /// A duration is not in Go's syntax.
  case invalidDuration(GoDurationError)
  /// A wait was asked for with a timeout of zero or less (kubectl would wait forever).
  case invalidTimeout(GoDuration)
  /// A `lookup` named an API version the cluster does not serve.
  case unservedAPIVersion(String)
  /// A `lookup` named an API version that is neither `VERSION` nor `GROUP/VERSION`.
  case invalidAPIVersion(String)

  package var description: String {
    switch self {
    case .kubectlNotFound(let place):
      "kubectl not found (looked for \(place)); install kubectl, or point --kubectl or FLOWREL_KUBECTL at it"
    case .kubectlNotStartable(let path, let reason):
      "cannot run kubectl at \(path): \(reason)"
    case .clusterUnreachable(let message):
      "cannot reach the Kubernetes cluster: \(message)\n"
        + "Check --kubeconfig and --kube-context, and that the API server is running."
    case .applyFailed(let stderr):
      "kubectl apply failed: \(stderr)"
    case .conflict(let conflicts):
      "server-side apply conflict: "
        + conflicts.map(\.description).joined(separator: "; ")
        + "\nAnother field manager owns these fields. Change the values to match, let that manager drop "
        + "them, or apply with --force-conflicts to take them over."
    case .validationFailed(let stderr):
      "the API server refused the objects (server-side dry run, nothing was changed): \(stderr)"
    case .replaceFailed(let object, let stderr):
      "replacing \(object) failed: \(stderr)"
    case .deleteFailed(let stderr):
      "kubectl delete failed: \(stderr)"
    case .deleteTimedOut(let timeout, let remaining):
      "timed out after \(timeout) waiting for the deletion of "
        + remaining.map(\.description).joined(separator: ", ")
        + "\nA finalizer may hold them: inspect them with kubectl get -o yaml, or raise --timeout."
    case .waitTimedOut(let timeout, let notReady):
      "timed out after \(timeout) waiting for "
        + notReady.map { "\($0.object) (\($0.message))" }.joined(separator: ", ")
        + "\nRaise --timeout, or inspect them with kubectl describe."
    case .rolloutFailed(let object, let message):
      "rollout of \(object) failed: \(message)"
    case .diffFailed(let stderr):
      "kubectl diff failed: \(stderr)"
    case .commandFailed(let command, let code, let stderr):
      "\(command) failed (exit \(code)): \(stderr)"
    case .commandTimedOut(let command, let timeout):
      "\(command) did not finish within \(timeout) and was stopped"
    case .cancelled(let command):
      "\(command) was stopped because flowrel was cancelled"
    case .unexpectedOutput(let command, let reason):
      "cannot read the output of \(command): \(reason)"
    case .badKubeconfig(let file, let reason):
      "\(file): \(reason) (the kubeconfig names the namespace to use; give -n to choose one)"
    case .invalidManifest(let error):
      error.description
    case .invalidDuration(let error):
      "\(error); write a number and a unit, e.g. 30s, 5m or 1h30m"
    case .invalidTimeout(let timeout):
      "a wait needs a timeout above zero, not \(timeout)"
    case .unservedAPIVersion(let apiVersion):
      "the cluster does not serve the API version \"\(apiVersion)\" (a custom resource's needs its CustomResourceDefinition installed first)"
    case .invalidAPIVersion(let apiVersion):
      "\"\(apiVersion)\" is not an API version: write VERSION (v1) or GROUP/VERSION (apps/v1)"
    }
  }
}

/// Fields of one object that another field manager owns with a different value.
package struct FieldConflict: Sendable, Hashable, CustomStringConvertible {
  /// The object flowrel tried to apply.
  package let object: ObjectIdentity
  /// The field manager that owns the fields (`kubectl-edit`, `helm`, ...).
  package let manager: String
  /// The contested fields, as the server names them (`.spec.replicas`).
  package let fields: [String]

  /// A conflict from its parts.
  package init(object: ObjectIdentity, manager: String, fields: [String]) {
    self.object = object
    self.manager = manager
    self.fields = fields
  }

  /// `Deployment search/web: .spec.replicas owned by "kubectl-edit"`.
  package var description: String {
    "\(object): \(fields.joined(separator: ", ")) owned by \"\(manager)\""
  }
}

/// How far one workload is on its way to ready, in kubectl's words.
package struct WorkloadProgress: Sendable, Hashable, CustomStringConvertible {
  /// The Deployment, StatefulSet, DaemonSet or Job.
  package let object: ObjectIdentity
  /// kubectl's status line (`Waiting for deployment "web" rollout to finish: 1 of 2 updated
  /// replicas are available...`).
  package let message: String
  /// Whether the workload is ready (a Job: complete).
  package let isReady: Bool

  /// Progress from its parts.
  package init(object: ObjectIdentity, message: String, isReady: Bool) {
    self.object = object
    self.message = message
    self.isReady = isReady
  }

  /// `Deployment search/web: <message>`.
  package var description: String { "\(object): \(message)" }
}
