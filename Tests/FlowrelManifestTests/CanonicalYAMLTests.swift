import FlowrelManifest
import FlowrelValue
import Testing

@Suite struct CanonicalYAMLTests {
  @Test func identityKeysLeadAndTheRestKeepTheirOrder() throws {
    let manifest = try Manifest(content: [
      "spec": ["replicas": 2, "selector": ["matchLabels": ["app": "web"]]],
      "metadata": ["name": "web", "labels": ["z": "1", "a": "2"]],
      "kind": "Deployment",
      "status": [:],
      "apiVersion": "apps/v1",
    ])
    #expect(manifest.canonicalYAML == """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels:
          z: "1"
          a: "2"
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
      status: {}

      """)
  }

  @Test func sameContentGivesTheSameBytes() throws {
    let a = try Manifest(content: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x"], "data": ["k": "line1\nline2"]])
    let b = try Manifest(content: ["data": ["k": "line1\nline2"], "metadata": ["name": "x"], "kind": "ConfigMap", "apiVersion": "v1"])
    #expect(a.canonicalYAML == b.canonicalYAML)
    #expect(a.canonicalYAML == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: |-\n    line1\n    line2\n")
  }
}
