import FlowrelManifest
import Testing

@testable import FlowrelKube

/// kubectl's conflict messages as the real API server words them (the test server words them
/// the same way for one manager; several managers in one message come only from real clusters).
@Suite struct ConflictParsingTests {
  let web = ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "search", name: "web")
  let settings = ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: "search", name: "settings")

  func manifest(_ identity: ObjectIdentity) throws -> Manifest {
    try Manifest(content: [
      "apiVersion": .string(identity.apiVersion), "kind": .string(identity.kind),
      "metadata": ["name": .string(identity.name), "namespace": .string(identity.namespace ?? "")],
    ])
  }

  @Test func pairsEachConflictWithTheObjectKubectlDidNotApply() throws {
    let stderr = """
      Apply failed with 3 conflicts: conflicts with "kubectl-edit" using apps/v1:
      - .spec.replicas
      - .spec.template.spec.containers[name="executor"].image
      conflict with "helm" using apps/v1: .metadata.labels.app
      Please review the fields above--they currently have other managers. Here
      are the ways you can resolve this warning:
      * If you intend to manage all of these fields, please re-run the apply
      See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts
      Apply failed with 1 conflict: conflict with "other" using v1: .data.color
      Please review the fields above--they currently have other managers.
      """
    let output = CommandOutput(exitCode: 1, stdout: "namespace/search\n", stderr: stderr, timedOut: false)
    let search = ObjectIdentity(apiVersion: "v1", kind: "Namespace", namespace: nil, name: "search")
    let conflicts = Kubectl.conflicts(output, manifests: [try manifest(search), try manifest(web), try manifest(settings)])
    #expect(
      conflicts == [
        FieldConflict(
          object: web, manager: "kubectl-edit",
          fields: [".spec.replicas", ".spec.template.spec.containers[name=\"executor\"].image"]),
        FieldConflict(object: web, manager: "helm", fields: [".metadata.labels.app"]),
        FieldConflict(object: settings, manager: "other", fields: [".data.color"]),
      ])
  }

  @Test func anotherErrorBesideTheConflictsIsNotAConflict() throws {
    let stderr = """
      error: Apply failed with 1 conflict: conflict with "other" using v1: .data.color
      Error from server (NotFound): namespaces "x" not found
      """
    let output = CommandOutput(exitCode: 1, stdout: "", stderr: stderr, timedOut: false)
    #expect(Kubectl.conflicts(output, manifests: [try manifest(web), try manifest(settings)]) == nil)
  }

  @Test func moreConflictsThanUnappliedObjectsIsNotAttributed() throws {
    let stderr = "error: Apply failed with 1 conflict: conflict with \"other\" using v1: .data.color\n"
    let output = CommandOutput(
      exitCode: 1, stdout: "deployment.apps/web\nconfigmap/settings\n", stderr: stderr, timedOut: false)
    #expect(Kubectl.conflicts(output, manifests: [try manifest(web), try manifest(settings)]) == nil)
  }
}
