/// Which Kubernetes object a manifest is: API group and kind, namespace and name.
///
/// Two identities are equal when group, kind, namespace and name are equal: the version in
/// `apiVersion` is left out, because `apps/v1beta2` and `apps/v1` address the same object.
package struct ObjectIdentity: Sendable, Hashable, CustomStringConvertible {
  /// `apiVersion` as written (`v1`, `apps/v1`).
  package let apiVersion: String
  /// The kind (`Deployment`).
  package let kind: String
  /// The namespace, or `nil` for a cluster-scoped object (or one that takes the default namespace).
  package let namespace: String?
  /// `metadata.name`.
  package let name: String
  /// The API group: the part of `apiVersion` before `/`, empty for the core group (`v1`).
  /// Kept, not computed: identities are compared and hashed by it for every object of a release.
  package let group: String

  /// An identity from its parts.
  package init(apiVersion: String, kind: String, namespace: String?, name: String) {
    self.apiVersion = apiVersion
    self.kind = kind
    self.namespace = namespace
    self.name = name
    let utf8 = apiVersion.utf8
    group = utf8.firstIndex(of: UInt8(ascii: "/")).map { String(apiVersion[..<$0]) } ?? ""
  }

  /// The version: the part of `apiVersion` after `/`, or all of it for the core group.
  package var version: String {
    guard let slash = apiVersion.firstIndex(of: "/") else { return apiVersion }
    return String(apiVersion[apiVersion.index(after: slash)...])
  }

  /// Whether objects of this kind live in a namespace (see `ObjectIdentity.isNamespaced(kind:)`).
  package var isNamespaced: Bool { Self.isNamespaced(kind: kind) }

  /// How kubectl names the object: `deployment.apps/web`, `configmap/settings`.
  package var kubectlName: String {
    let type = group.isEmpty ? kind.lowercased() : "\(kind.lowercased()).\(group)"
    return "\(type)/\(name)"
  }

  /// `Deployment search/web` (namespaced) or `Namespace search` (cluster-scoped), for messages.
  package var description: String {
    if let namespace { return "\(kind) \(namespace)/\(name)" }
    return "\(kind) \(name)"
  }

  package static func == (a: ObjectIdentity, b: ObjectIdentity) -> Bool {
    a.group == b.group && a.kind == b.kind && a.namespace == b.namespace && a.name == b.name
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(group)
    hasher.combine(kind)
    hasher.combine(namespace)
    hasher.combine(name)
  }

  /// Built-in kinds that are cluster-scoped. Anything else, including every custom resource
  /// we do not know, is treated as namespaced: a wrong guess there shows up as a clear kubectl
  /// error instead of an object silently landing in another namespace.
  static let clusterScopedKinds: Set<String> = [
    "Namespace", "Node", "PersistentVolume", "StorageClass", "CSIDriver", "CSINode",
    "VolumeAttachment", "CustomResourceDefinition", "APIService", "ClusterRole", "ClusterRoleList",
    "ClusterRoleBinding", "ClusterRoleBindingList", "PriorityClass", "IngressClass", "RuntimeClass",
    "PodSecurityPolicy", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "CertificateSigningRequest",
    "FlowSchema", "PriorityLevelConfiguration", "ComponentStatus", "IPAddress", "ServiceCIDR",
  ]

  /// Whether objects of `kind` live in a namespace: false for the common cluster-scoped
  /// built-in kinds, true for everything else.
  package static func isNamespaced(kind: String) -> Bool { !clusterScopedKinds.contains(kind) }
}
