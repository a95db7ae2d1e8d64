import FlowrelManifest
import FlowrelValue
import Testing

@Suite struct ManifestTests {
  @Test func identityComesFromTheContent() throws {
    let manifest = try Manifest(content: [
      "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "search"],
    ])
    #expect(manifest.identity == ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "search", name: "web"))
    #expect(manifest.identity.group == "apps")
    #expect(manifest.identity.version == "v1")
    #expect(manifest.identity.kubectlName == "deployment.apps/web")
    #expect(manifest.identity.description == "Deployment search/web")
  }

  @Test func coreGroupIsEmptyAndNamespaceIsOptional() throws {
    let manifest = try Manifest(content: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "search"]])
    #expect(manifest.identity.group == "")
    #expect(manifest.identity.version == "v1")
    #expect(manifest.identity.namespace == nil)
    #expect(manifest.identity.kubectlName == "namespace/search")
    #expect(manifest.identity.description == "Namespace search")
  }

  @Test func identityIgnoresTheVersion() {
    let old = ObjectIdentity(apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", namespace: "a", name: "x")
    let new = ObjectIdentity(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "a", name: "x")
    let otherGroup = ObjectIdentity(apiVersion: "example.com/v2", kind: "HorizontalPodAutoscaler", namespace: "a", name: "x")
    #expect(old == new)
    #expect(Set([old, new]).count == 1)
    #expect(old != otherGroup)
  }

  static let invalidContents: [(Value, ManifestError)] = [
    (.list([]), .notAnObject(found: "list")),
    (["kind": "ConfigMap", "metadata": ["name": "x"]], .missingField("apiVersion", kind: nil)),
    (["apiVersion": "v1", "metadata": ["name": "x"]], .missingField("kind", kind: nil)),
    (["apiVersion": "v1", "kind": "ConfigMap"], .missingField("metadata", kind: "ConfigMap")),
    (["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": ""]], .missingField("metadata.name", kind: "ConfigMap")),
    (["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": 3]], .wrongType("metadata.name", kind: "ConfigMap", found: "int")),
    (["apiVersion": 1, "kind": "ConfigMap", "metadata": ["name": "x"]], .wrongType("apiVersion", kind: nil, found: "int")),
    (
      ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "namespace": ["a"]]],
      .wrongType("metadata.namespace", kind: "ConfigMap", found: "list")
    ),
  ]

  @Test(arguments: invalidContents)
  func rejectsContentThatIsNotAnObject(content: Value, error: ManifestError) {
    #expect(throws: error) { try Manifest(content: content) }
  }

  @Test func errorMessagesSayWhatIsWrong() {
    #expect(
      ManifestError.missingField("metadata.name", kind: "ConfigMap").description
        == "ConfigMap object has no metadata.name; every Kubernetes object needs one")
    #expect(
      ManifestError.wrongType("metadata.name", kind: "ConfigMap", found: "int").description
        == "ConfigMap object: metadata.name must be a string (found int)")
    #expect(
      ManifestError.notAnObject(found: "string").description
        == "a Kubernetes object must be a map with apiVersion, kind and metadata (found string)")
  }

  @Test func jsonTextIsGoStyleSortedJSON() throws {
    let manifest = try Manifest(content: [
      "kind": "ConfigMap", "apiVersion": "v1", "metadata": ["name": "x"], "data": ["b": "<2>", "a": "1"],
    ])
    #expect(
      try manifest.jsonText()
        == #"{"apiVersion":"v1","data":{"a":"1","b":"\u003c2\u003e"},"kind":"ConfigMap","metadata":{"name":"x"}}"#)
    let broken = try Manifest(content: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "n": .double(.nan)])
    #expect(throws: ManifestError.self) { try broken.jsonText() }
  }

  @Test func namespacedKinds() {
    #expect(ObjectIdentity.isNamespaced(kind: "Deployment"))
    #expect(ObjectIdentity.isNamespaced(kind: "ConfigMap"))
    #expect(ObjectIdentity.isNamespaced(kind: "SomeCustomResource"))
    #expect(!ObjectIdentity.isNamespaced(kind: "Namespace"))
    #expect(!ObjectIdentity.isNamespaced(kind: "ClusterRole"))
    #expect(!ObjectIdentity.isNamespaced(kind: "PersistentVolume"))
    #expect(!ObjectIdentity(apiVersion: "networking.k8s.io/v1", kind: "IngressClass", namespace: nil, name: "n").isNamespaced)
  }
}

@Suite struct KindOrderTests {
  func id(_ kind: String, _ name: String, namespace: String? = "a") -> ObjectIdentity {
    ObjectIdentity(apiVersion: "v1", kind: kind, namespace: namespace, name: name)
  }

  @Test func installOrderFollowsHelm() {
    let shuffled = [
      id("Ingress", "web"), id("Job", "migrate"), id("Deployment", "web"), id("Service", "web"),
      id("ConfigMap", "settings"), id("Secret", "token"), id("Namespace", "a", namespace: nil),
      id("ServiceAccount", "runner"), id("HorizontalPodAutoscaler", "web"), id("CronJob", "nightly"),
      id("StatefulSet", "db"), id("PodDisruptionBudget", "web"), id("NetworkPolicy", "deny"),
    ]
    #expect(
      shuffled.sortedForInstall().map(\.kind) == [
        "Namespace", "NetworkPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "Service",
        "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "Ingress",
      ])
  }

  @Test func unknownKindsComeLastByKindThenName() {
    let items = [id("Widget", "b"), id("Gadget", "z"), id("Widget", "a"), id("ConfigMap", "c"), id("ConfigMap", "b")]
    #expect(
      items.sortedForInstall() == [
        id("ConfigMap", "b"), id("ConfigMap", "c"), id("Gadget", "z"), id("Widget", "a"), id("Widget", "b"),
      ])
  }

  @Test func sameKindSortsByNamespaceThenName() {
    let items = [id("Service", "b", namespace: "y"), id("Service", "a", namespace: "y"), id("Service", "z", namespace: "x")]
    #expect(items.sortedForInstall().map(\.name) == ["z", "a", "b"])
  }

  @Test func uninstallIsInstallReversed() throws {
    let manifests = try [("Deployment", "web"), ("Namespace", "a"), ("ConfigMap", "c"), ("Widget", "w")].map {
      try Manifest(content: ["apiVersion": "v1", "kind": .string($0.0), "metadata": ["name": .string($0.1)]])
    }
    #expect(manifests.sortedForUninstall().map(\.identity.kind) == ["Widget", "Deployment", "ConfigMap", "Namespace"])
    #expect(manifests.sortedForUninstall() == manifests.sortedForInstall().reversed())
    #expect(manifests.map(\.identity).sortedForUninstall() == manifests.sortedForUninstall().map(\.identity))
  }

  @Test func theOrderIsHelms() {
    #expect(KindOrder.install.first == "PriorityClass")
    #expect(KindOrder.install.last == "APIService")
    #expect(KindOrder.install.count == Set(KindOrder.install).count)
  }
}

/// File names too long for a file system are shortened, the same way every time.
@Suite struct LongFileNameTests {
  func identity(_ name: String) -> ObjectIdentity {
    ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: nil, name: name)
  }

  @Test func longNamesAreShortenedDeterministicallyAndStayDistinct() {
    let long = String(repeating: "a", count: 253)
    let other = String(repeating: "a", count: 252) + "b"
    let file = identity(long).fileName(releaseNamespace: "default")
    #expect(file.utf8.count <= 205)
    #expect(file.hasPrefix("configmap-aaaa"))
    #expect(file.hasSuffix(".yaml"))
    #expect(file == identity(long).fileName(releaseNamespace: "default"))
    #expect(file != identity(other).fileName(releaseNamespace: "default"))
    #expect(identity("web").fileName(releaseNamespace: "default") == "configmap-web.yaml", "short names are unchanged")
  }
}

/// Distinct objects a file name does not tell apart are found before anything is written.
@Suite struct SharedFileNameTests {
  @Test func kindsDifferingInCaseAndBuiltInGroupsShareAFile() throws {
    let upper = ObjectIdentity(apiVersion: "v1", kind: "Foo", namespace: nil, name: "a")
    let lower = ObjectIdentity(apiVersion: "v1", kind: "foo", namespace: nil, name: "a")
    let shared = try #require([upper, lower].sharingAFile(releaseNamespace: "ns"))
    #expect(shared.first == upper && shared.second == lower && shared.file == "foo-a.yaml")

    let networking = ObjectIdentity(apiVersion: "networking.k8s.io/v1", kind: "Ingress", namespace: nil, name: "web")
    let extensions = ObjectIdentity(apiVersion: "extensions/v1beta1", kind: "Ingress", namespace: nil, name: "web")
    #expect([networking, extensions].sharingAFile(releaseNamespace: "ns")?.file == "ingress-web.yaml")
  }

  @Test func distinctFilesAndTheSameObjectTwiceShareNone() {
    let map = ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: nil, name: "a")
    let other = ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: "other", name: "a")
    let crd = ObjectIdentity(apiVersion: "example.com/v1", kind: "ConfigMap", namespace: nil, name: "a")
    #expect([map, other, crd, map].sharingAFile(releaseNamespace: "ns") == nil)
  }
}
