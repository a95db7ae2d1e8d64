/// The order in which objects are installed, by kind: Helm 3's install order
/// (`pkg/releaseutil/kind_sorter.go`), so charts written for Helm deploy the same way.
/// Uninstalling goes the opposite way.
package enum KindOrder {
  /// Kinds in install order; kinds not listed come after all of these.
  package static let install: [String] = [
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
  package static func installsBefore(_ a: ObjectIdentity, _ b: ObjectIdentity) -> Bool {
    let rankA = rank(of: a.kind)
    let rankB = rank(of: b.kind)
    if rankA != rankB { return rankA < rankB }
    return sameRankInstallsBefore(a, b)
  }

  /// `items` in install order (`installsBefore` on their identities). Each kind's rank is
  /// looked up once per item and each item is moved once: a release of a large Flow has
  /// hundreds of objects, and sorting them in place cost more than reading them.
  package static func sortedForInstall<Item>(_ items: [Item], identity: (Item) -> ObjectIdentity) -> [Item] {
    let keys = items.map { item in
      let id = identity(item)
      return (rank: rank(of: id.kind), identity: id)
    }
    let order = keys.indices.sorted { i, j in
      keys[i].rank != keys[j].rank
        ? keys[i].rank < keys[j].rank : sameRankInstallsBefore(keys[i].identity, keys[j].identity)
    }
    return order.map { items[$0] }
  }

  private static func rank(of kind: String) -> Int { rank[kind] ?? install.count }

  private static func sameRankInstallsBefore(_ a: ObjectIdentity, _ b: ObjectIdentity) -> Bool {
    if a.kind != b.kind { return a.kind < b.kind }
    if a.namespace != b.namespace { return (a.namespace ?? "") < (b.namespace ?? "") }
    if a.name != b.name { return a.name < b.name }
    return a.apiVersion < b.apiVersion
  }
}

extension Array where Element == ObjectIdentity {
  /// The identities in install order (`KindOrder.installsBefore`).
  package func sortedForInstall() -> [ObjectIdentity] { KindOrder.sortedForInstall(self, identity: { $0 }) }

  /// The identities in uninstall order: install order reversed.
  package func sortedForUninstall() -> [ObjectIdentity] { sortedForInstall().reversed() }
}

extension Array where Element == Manifest {
  /// The manifests in install order (`KindOrder.installsBefore` on their identities).
  package func sortedForInstall() -> [Manifest] { KindOrder.sortedForInstall(self, identity: \.identity) }

  /// The manifests in uninstall order: install order reversed.
  package func sortedForUninstall() -> [Manifest] { sortedForInstall().reversed() }
}
