import FlowrelManifest
import FlowrelValue
import KubeTestSupport
import Testing

@testable import FlowrelKube

/// Helm's `lookup` on kubectl: the API server's answers through `kubectl get --raw`.
@Suite struct KubectlLookupTests {
  @Test func theKubectlClientAnswersAsTheAPIServerDoes() async throws {
    let server = try KubeTestServer()
    let kube = server.client()
    _ = try await kube.ensureNamespace("team")
    try await kube.apply(try lookupSources(namespace: "team"), forceConflicts: false)

    let source = try await kube.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "team", name: "source")
    #expect(source["data"]?["color"] == "blue")
    #expect(source["metadata"]?["namespace"] == "team")
    // Not found, and a namespaced object asked for without a namespace: an empty map.
    #expect(try await kube.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "team", name: "nope") == .emptyMap)
    #expect(try await kube.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "", name: "source") == .emptyMap)
    // A kind the API version does not serve finds nothing; an API version it does not serve fails.
    #expect(try await kube.lookup(apiVersion: "v1", kind: "Gadget", namespace: "team", name: "x") == .emptyMap)
    await #expect(throws: KubeError.unservedAPIVersion("example.com/v1")) {
      _ = try await kube.lookup(apiVersion: "example.com/v1", kind: "Gadget", namespace: "team", name: "x")
    }
    await #expect(throws: KubeError.invalidAPIVersion("a/b/c")) {
      _ = try await kube.lookup(apiVersion: "a/b/c", kind: "Gadget", namespace: "", name: "")
    }
    // A list is the API server's `KINDList`, in one namespace or all.
    let list = try await kube.lookup(apiVersion: "apps/v1", kind: "Deployment", namespace: "team", name: "")
    #expect(list["kind"] == "DeploymentList")
    #expect(list["items"]?.listValue?.map { $0["metadata"]?["name"] } == ["web"])
    #expect(list["items"]?.listValue?.first?["apiVersion"] == "apps/v1")
    let elsewhere = try await kube.lookup(apiVersion: "apps/v1", kind: "Deployment", namespace: "other", name: "")
    #expect(elsewhere["items"]?.listValue?.isEmpty == true)
    // A cluster-wide kind ignores the namespace.
    let namespace = try await kube.lookup(apiVersion: "v1", kind: "Namespace", namespace: "elsewhere", name: "team")
    #expect(namespace["metadata"]?["name"] == "team")
  }

  @Test func listItemsWithoutAKindGetTheListsAsClientGoDecodesThem() {
    let list: Value = [
      "apiVersion": "v1", "kind": "ConfigMapList", "metadata": ["resourceVersion": "7"],
      "items": [["metadata": ["name": "a"]], ["apiVersion": "v1", "kind": "Other", "metadata": ["name": "b"]]],
    ]
    let filled = Kubectl.listWithKindedItems(list)
    #expect(filled["items"]?.listValue?.map { $0["kind"] } == ["ConfigMap", "Other"])
    #expect(filled["items"]?.listValue?.map { $0["apiVersion"] } == ["v1", "v1"])
    #expect(filled["metadata"] == ["resourceVersion": "7"])
  }

  @Test func namesAndVersionsBecomeEscapedPaths() throws {
    #expect(try Kubectl.apiPath("v1") == "/api/v1")
    #expect(try Kubectl.apiPath("apps/v1") == "/apis/apps/v1")
    #expect(throws: KubeError.invalidAPIVersion("")) { try Kubectl.apiPath("") }
    #expect(throws: KubeError.invalidAPIVersion("apps/")) { try Kubectl.apiPath("apps/") }
    #expect(Kubectl.pathSegment("system:aggregate-to-view") == "system:aggregate-to-view")
    #expect(Kubectl.pathSegment("a/b c%?#é") == "a%2Fb%20c%25%3F%23%C3%A9")
  }
}
