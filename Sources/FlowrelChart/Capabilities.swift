import FlowrelSemVer
import GoTemplate

/// What templates may ask about the cluster (`.Capabilities`): its Kubernetes version and
/// the API versions it serves. `flowrel template` has no cluster, so these are defaults that
/// `--kube-version` and `--api-versions` change, as with `helm template`.
package struct Capabilities: Sendable {
  /// The Kubernetes version, such as `v1.32.0`.
  package var kubeVersion: SemanticVersion
  /// Group versions (`apps/v1`) and group-version-kinds (`apps/v1/Deployment`) served.
  package var apiVersions: Set<String>

  /// The Kubernetes version assumed when none is given: the one flowrel is tested against.
  package static let defaultKubeVersion = SemanticVersion(major: 1, minor: 32, patch: 0)

  /// The API versions of a stock cluster of `defaultKubeVersion`, with the kinds flowrel's
  /// charts use, so `.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"` works.
  package static let defaultAPIVersions: Set<String> = {
    let kinds: [String: [String]] = [
      "v1": ["ConfigMap", "Endpoints", "Event", "LimitRange", "Namespace", "Node", "PersistentVolume",
        "PersistentVolumeClaim", "Pod", "PodTemplate", "ReplicationController", "ResourceQuota", "Secret",
        "Service", "ServiceAccount"],
      "apps/v1": ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"],
      "batch/v1": ["CronJob", "Job"],
      "autoscaling/v1": ["HorizontalPodAutoscaler"],
      "autoscaling/v2": ["HorizontalPodAutoscaler"],
      "policy/v1": ["PodDisruptionBudget"],
      "networking.k8s.io/v1": ["Ingress", "IngressClass", "NetworkPolicy"],
      "rbac.authorization.k8s.io/v1": ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
      "storage.k8s.io/v1": ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"],
      "scheduling.k8s.io/v1": ["PriorityClass"],
      "coordination.k8s.io/v1": ["Lease"],
      "discovery.k8s.io/v1": ["EndpointSlice"],
      "apiextensions.k8s.io/v1": ["CustomResourceDefinition"],
      "admissionregistration.k8s.io/v1": ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"],
      "certificates.k8s.io/v1": ["CertificateSigningRequest"],
      "events.k8s.io/v1": ["Event"],
      "node.k8s.io/v1": ["RuntimeClass"],
      "apiregistration.k8s.io/v1": ["APIService"],
      "flowcontrol.apiserver.k8s.io/v1": ["FlowSchema", "PriorityLevelConfiguration"],
    ]
    var versions: Set<String> = []
    for (groupVersion, names) in kinds {
      versions.insert(groupVersion)
      for name in names { versions.insert("\(groupVersion)/\(name)") }
    }
    return versions
  }()

  /// Capabilities for a cluster of this version serving these API versions (added to the defaults).
  package init(kubeVersion: SemanticVersion = Capabilities.defaultKubeVersion, extraAPIVersions: [String] = []) {
    self.kubeVersion = kubeVersion
    self.apiVersions = Capabilities.defaultAPIVersions.union(extraAPIVersions)
  }

  /// The `.Capabilities` object templates see.
  package var templateValue: TemplateValue {
    .object(CapabilitiesObject(capabilities: self))
  }
}

/// `.Capabilities`: `KubeVersion`, `APIVersions`, `HelmVersion`.
struct CapabilitiesObject: TemplateObject {
  let capabilities: Capabilities
  var goTypeName: String { "*chartutil.Capabilities" }

  func member(named name: String) -> TemplateMember? {
    switch name {
    case "KubeVersion": .field(.object(KubeVersionObject(version: capabilities.kubeVersion)))
    case "APIVersions": .field(.object(APIVersionsObject(versions: capabilities.apiVersions)))
    case "HelmVersion":
      // Charts test `.Capabilities.HelmVersion.Version` against Helm 3 constraints.
      .field(["Version": "v3.16.0", "GitCommit": "", "GitTreeState": "", "GoVersion": "go1.22"])
    default: nil
    }
  }
}

/// `.Capabilities.KubeVersion`: `.Version`, `.Major`, `.Minor`, `.GitVersion`; prints as `v1.32.0`.
struct KubeVersionObject: TemplateObject {
  let version: SemanticVersion
  var goTypeName: String { "*chartutil.KubeVersion" }
  var text: String { "v\(version)" }
  var formatted: String { text }

  func member(named name: String) -> TemplateMember? {
    switch name {
    case "Version", "GitVersion": .field(.string(text))
    case "Major": .field(.string(String(version.major)))
    case "Minor": .field(.string(String(version.minor)))
    case "String": .method(TemplateFunction(goTypeName: "func() string") { _, _ in .string(text) })
    default: nil
    }
  }
}

/// `.Capabilities.APIVersions`: `.Has "apps/v1"` or `.Has "apps/v1/Deployment"`; prints as the sorted list.
struct APIVersionsObject: TemplateObject {
  let versions: Set<String>
  var goTypeName: String { "chartutil.VersionSet" }
  var goKindName: String { "slice" }
  var formatted: String { "[" + sorted.joined(separator: " ") + "]" }
  /// A Go slice of strings: `range`, `len` and `index` see the versions, sorted.
  var underlyingList: TemplateList? { TemplateList(sorted.map { .string($0) }, elementTypeName: "string") }
  private var sorted: [String] { versions.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

  func member(named name: String) -> TemplateMember? {
    guard name == "Has" else { return nil }
    return .method(TemplateFunction(goTypeName: "func(string) bool") { arguments, _ in
      try arguments.expectCount(1)
      return .bool(versions.contains(try arguments.string(at: 0)))
    })
  }
}
