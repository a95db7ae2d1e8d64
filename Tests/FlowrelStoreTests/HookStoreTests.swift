import FlowrelAge
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import FlowrelYAML
import Foundation
import StoreFixtures
import Testing

/// Hooks in the store: their own folder, their annotations and source kept, apart from the
/// release's objects, listed in the kustomization for Argo CD only.
@Suite struct HookStoreTests {
  func repository(_ scratch: Scratch, gitops: String?) throws -> String {
    let repo = scratch.path + "/ops"
    try FileManager.default.createDirectory(atPath: repo + "/releases", withIntermediateDirectories: true)
    try git(["init", "-q", "-b", "main"], in: repo)
    if let gitops { try Data("gitops: \(gitops)\n".utf8).write(to: URL(fileURLWithPath: repo + "/releases/.flowrel.yaml")) }
    return repo
  }

  func store(_ repo: String, identity: AgeIdentity? = nil) -> GitReleaseStore {
    GitReleaseStore(path: repo + "/releases", secrets: secretSettings(identity), flowrelVersion: "test", environment: testEnvironment,
                    clock: { fixedTime })
  }

  func hook(_ kind: String, _ name: String, events: String, policy: String? = nil, data: Value? = nil) throws -> Hook {
    var annotations: Value = ["helm.sh/hook": .string(events), "helm.sh/hook-weight": "2"]
    if let policy { annotations = ["helm.sh/hook": .string(events), "helm.sh/hook-weight": "2", "helm.sh/hook-delete-policy": .string(policy)] }
    var content: Value = [
      "apiVersion": kind == "Job" ? "batch/v1" : "v1", "kind": .string(kind),
      "metadata": ["name": .string(name), "namespace": "default", "annotations": annotations],
    ]
    if let data { content = ["apiVersion": "v1", "kind": .string(kind), "metadata": content["metadata"] ?? nil, "data": data] }
    let manifest = try Manifest(content: content)
    guard case .hook(let hook) = try Hook.role(of: manifest, template: "web/templates/\(name).yaml") else { throw StoreTestFailure() }
    return hook
  }

  struct StoreTestFailure: Error {}

  func revisionWithHooks() throws -> NewRevision {
    var revision = Fixtures.revision(release: "web")
    revision.hooks = [
      try hook("Job", "migrate", events: "pre-upgrade,pre-install", policy: "hook-succeeded"),
      try hook("Pod", "smoke", events: "test"),
    ]
    return revision
  }

  func file(_ repo: String, _ path: String) throws -> String {
    try String(contentsOfFile: repo + "/releases/default/web/" + path, encoding: .utf8)
  }

  @Test func hooksAreStoredInTheirOwnFolderWithTheirSourceAndAnnotations() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch, gitops: nil)
    let given = try revisionWithHooks()
    let recorded = try await store(repo).record(given)
    let migrate = try file(repo, "hooks/job-migrate.yaml")
    #expect(migrate.hasPrefix("# Source: web/templates/migrate.yaml\napiVersion: batch/v1\nkind: Job\n"), "\(migrate)")
    #expect(migrate.contains("helm.sh/hook: pre-upgrade,pre-install\n"))
    #expect(migrate.contains("helm.sh/hook-delete-policy: hook-succeeded\n"))
    #expect(migrate.contains("helm.sh/hook-weight: \"2\"\n"))
    #expect(FileManager.default.fileExists(atPath: repo + "/releases/default/web/hooks/pod-smoke.yaml"))
    let manifests = try FileManager.default.contentsOfDirectory(atPath: repo + "/releases/default/web/manifests")
    #expect(!manifests.contains { $0.contains("migrate") || $0.contains("smoke") }, "hooks are not the release's objects")

    // Read back from the files: the same hooks (events, weight, policies, source), in install order.
    let read = try store(repo).revision(release: "web", namespace: "default", number: nil)
    #expect(read.hooks == recorded.hooks)
    #expect(read.hooks.map(\.manifest.identity.name) == ["smoke", "migrate"])
    #expect(read.hooks.last?.events == [.preUpgrade, .preInstall])
    #expect(read.hooks.last?.weight == 2)
    #expect(read.manifests == recorded.manifests)
  }

  @Test func fluxLeavesHooksOutOfTheKustomizationAndArgoCDListsThem() async throws {
    for (gitops, listed) in [(nil as String?, false), ("flux", false), ("argocd", true)] {
      let scratch = try Scratch()
      let repo = try repository(scratch, gitops: gitops)
      _ = try await store(repo).record(try revisionWithHooks())
      let resources = try YAML.parse(try file(repo, "kustomization.yaml"))["resources"]?.listValue?.compactMap(\.stringValue) ?? []
      #expect(resources.contains("manifests/deployment-gateway.yaml"), "\(gitops ?? "default")")
      #expect(resources.contains("hooks/job-migrate.yaml") == listed, "\(gitops ?? "default"): \(resources)")
      #expect(resources.contains("hooks/pod-smoke.yaml") == listed, "\(gitops ?? "default"): \(resources)")
    }
  }

  @Test func aHookSecretIsEncryptedLikeAnySecret() async throws {
    let scratch = try Scratch()
    let repo = try repository(scratch, gitops: nil)
    let identity = AgeIdentity.generate()
    var revision = Fixtures.revision(release: "web")
    revision.hooks = [try hook("Secret", "bootstrap", events: "pre-install", data: ["token": .string(Data("hook-Pa55".utf8).base64EncodedString())])]
    _ = try await store(repo, identity: identity).record(revision)
    let stored = try file(repo, "hooks/secret-bootstrap.yaml")
    #expect(stored.contains("ENC[AES256_GCM,data:"))
    #expect(!stored.contains(Data("hook-Pa55".utf8).base64EncodedString()))
    let read = try store(repo, identity: identity).revision(release: "web", namespace: "default", number: nil)
    #expect(read.hooks.first?.manifest.content["data"]?["token"] == .string(Data("hook-Pa55".utf8).base64EncodedString()))
    #expect(read.hooks.first?.events == [.preInstall])
  }
}
