import FlowrelValue
import Testing

@testable import FlowrelChart

/// Kubernetes' name rule of each kind (the kinds' `ValidateObjectMeta` name functions in
/// kubernetes/kubernetes), and flowrel's standard labels, as the objects of a render show them.
@Suite struct ObjectNamesTests {
  /// The objects of one template holding `yaml`.
  func objects(_ yaml: String) throws -> [RenderedManifest] {
    let chart = try makeChart(["templates/a.yaml": yaml])
    return try render(chart).manifests(release: ReleaseInfo(name: "rel", namespace: "ns", revision: 3, isInstall: false, isUpgrade: true))
  }

  /// The one object `kind` named `name` of `apiVersion`.
  func object(_ apiVersion: String, _ kind: String, _ name: String) -> String {
    "apiVersion: \(apiVersion)\nkind: \(kind)\nmetadata:\n  name: \(quoted(name))\n"
  }

  /// The message of the render's refusal, or nil when the object was accepted.
  func refusal(_ apiVersion: String, _ kind: String, _ name: String) -> String? {
    do {
      _ = try objects(object(apiVersion, kind, name))
      return nil
    } catch {
      return "\(error)"
    }
  }

  @Test(arguments: [
    // RBAC kinds take any path segment: metrics-server's aggregated ClusterRole.
    ("rbac.authorization.k8s.io/v1", "ClusterRole", "system:foo-aggregated-reader"),
    ("rbac.authorization.k8s.io/v1", "Role", "Reader_Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "a.b:c@d"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "system:Bind ing"),
    // A Namespace is an RFC 1123 label: a digit may come first.
    ("v1", "Namespace", "1ns"),
    ("v1", "Service", "web-1"),
    // Most kinds are subdomains: dots are fine, and a part may start with a digit.
    ("apps/v1", "Deployment", "db.primary"),
    ("v1", "ConfigMap", "1.2-3"),
    ("v1", "ConfigMap", String(repeating: "a", count: 253)),
    ("batch/v1", "CronJob", String(repeating: "c", count: 52)),
    ("apps/v1", "StatefulSet", String(repeating: "s", count: 63)),
  ])
  func namesTheirKindAcceptsAreAccepted(apiVersion: String, kind: String, name: String) {
    #expect(refusal(apiVersion, kind, name) == nil)
  }

  @Test(arguments: [
    ("rbac.authorization.k8s.io/v1", "Role", "a/b", "is not a valid path segment", "it contains '/'"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "100%", "is not a valid path segment", "it contains '%'"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding", "..", "is not a valid path segment", "it is '..'"),
    ("v1", "Service", "1web", "is not a valid DNS-1035 label", "it starts with '1', not a letter"),
    ("v1", "Service", "web.one", "is not a valid DNS-1035 label", "a character that is not allowed, '.'"),
    ("v1", "Namespace", "team.a", "is not a valid DNS-1123 label", "a character that is not allowed, '.'"),
    ("v1", "Namespace", String(repeating: "n", count: 64), "is not a valid DNS-1123 label", "it has 64 characters, more than 63"),
    // StatefulSet pods take its name as their host name: a label since Kubernetes 1.28.
    ("apps/v1", "StatefulSet", "db.primary", "is not a valid DNS-1123 label", "'.'"),
    // The CronJob controller adds an 11-character suffix to name its Jobs.
    ("batch/v1", "CronJob", String(repeating: "c", count: 53), "is not a valid DNS-1123 subdomain", "it has 53 characters, more than 52"),
    ("v1", "ConfigMap", "Settings", "is not a valid DNS-1123 subdomain", "an uppercase letter, 'S'"),
    ("v1", "ConfigMap", "a..b", "is not a valid DNS-1123 subdomain", "an empty part between dots"),
    ("v1", "Secret", "tls.-x", "is not a valid DNS-1123 subdomain", "its part \"-x\" starts with '-'"),
    ("v1", "ConfigMap", String(repeating: "a", count: 254), "is not a valid DNS-1123 subdomain", "it has 254 characters, more than 253"),
    // A custom resource of an RBAC kind's name is a subdomain, as every custom resource.
    ("example.com/v1", "Role", "a:b", "is not a valid DNS-1123 subdomain", "':'"),
  ])
  func namesTheirKindRefusesAreRefusedNamingTheRuleAndWhy(apiVersion: String, kind: String, name: String, rule: String, why: String) {
    let message = refusal(apiVersion, kind, name) ?? "accepted"
    #expect(message.contains("\(kind) name \"\(name)\" \(rule), Kubernetes' rule for \(kind) names"), "\(message)")
    #expect(message.contains(why), "\(message)")
    #expect(message.contains("demo/templates/a.yaml:1"), "names the template: \(message)")
  }

  @Test func labelsTheChartSetAreKeptAndOursFillTheOtherKeys() throws {
    let manifests = try objects(
      """
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: a
        labels:
          app.kubernetes.io/instance: traefik-traefik
          app: traefik
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: b
        labels:
          app.kubernetes.io/managed-by: Helm
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: c
      """)
    // Compared as dictionaries: the order of the keys is not what is tested.
    let labels = Dictionary(uniqueKeysWithValues: manifests.map { manifest in
      (manifest.manifest.identity.name, Dictionary(uniqueKeysWithValues: Array(manifest.manifest.content["metadata"]?["labels"]?.mapValue ?? [:]).map { ($0.key, $0.value) }))
    })
    #expect(labels["a"] == ["app.kubernetes.io/instance": "traefik-traefik", "app": "traefik", "app.kubernetes.io/managed-by": "flowrel"])
    #expect(labels["b"] == ["app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/instance": "rel"])
    #expect(labels["c"] == ["app.kubernetes.io/managed-by": "flowrel", "app.kubernetes.io/instance": "rel"])
  }
}

/// `text` as a double-quoted YAML scalar (names here hold only printable ASCII).
private func quoted(_ text: String) -> String {
  "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
