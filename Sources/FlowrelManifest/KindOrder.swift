/// The order in which objects are installed, by kind: Helm 3's install order
/// (`pkg/releaseutil/kind_sorter.go`), so charts written for Helm deploy the same way.
/// Uninstalling goes the opposite way.
public enum KindOrder {
  /// Kinds in install order; kinds not listed come after all of these.
  public static let install: [String] = [
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
    "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole",
    "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList",
    "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController",
    "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob",
    "IngressClass", "Ingress", "APIService",
  ]

  private static let rank: [String: Int] = Dictionary(
    uniqueKeysWithValues: install.enumerated().map { ($0.element, $0.offset) })

  /// Whether `a` is installed before `b`: by the kind's place in `install` (unknown kinds last,
  /// among themselves alphabetically), then by namespace, then by name. A total order, so the
  /// result never depends on the input's order.
  public static func installsBefore(_ a: ObjectIdentity, _ b: ObjectIdentity) -> Bool {
    let rankA = rank[a.kind] ?? install.count
    let rankB = rank[b.kind] ?? install.count
    if rankA != rankB { return rankA < rankB }
    if a.kind != b.kind { return a.kind < b.kind }
    if a.namespace != b.namespace { return (a.namespace ?? "") < (b.namespace ?? "") }
    if a.name != b.name { return a.name < b.name }
    return a.apiVersion < b.apiVersion
  }
}

extension Array where Element == ObjectIdentity {
  /// The identities in install order (`KindOrder.installsBefore`).
  public func sortedForInstall() -> [ObjectIdentity] { sorted(by: KindOrder.installsBefore) }

  /// The identities in uninstall order: install order reversed.
  public func sortedForUninstall() -> [ObjectIdentity] { sortedForInstall().reversed() }
}

extension Array where Element == Manifest {
  /// The manifests in install order (`KindOrder.installsBefore` on their identities).
  public func sortedForInstall() -> [Manifest] {
    sorted { KindOrder.installsBefore($0.identity, $1.identity) }
  }

  /// The manifests in uninstall order: install order reversed.
  public func sortedForUninstall() -> [Manifest] { sortedForInstall().reversed() }
}
