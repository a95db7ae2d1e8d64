import FlowrelActions
import FlowrelAge
import Foundation
import KubeTestSupport
import Testing

/// `--dry-run=server`, `--cleanup-on-fail`, `--force`, `uninstall --wait` and `--post-renderer`
/// against the recording kube client.
@Suite struct ClusterFlagTests {
  @Test func serverDryRunAsksTheServerAndRecordsNothing() async throws {
    let fx = ActionFixture()
    let result = try await fx.install { $0.options.dryRun = true; $0.options.dryRunOnServer = true }
    #expect(result.revision == nil)
    #expect(fx.callKinds == [.checkCluster, .validate])
    guard case .validate(let sent, forceConflicts: false)? = fx.kube.calls.last else { Issue.record("no validate"); return }
    #expect(sent == result.manifests.map(\.identity))
    #expect(throws: StoreError.releaseNotFound(name: "web", namespace: "search")) { try fx.history() }
  }

  @Test func serverDryRunReportsTheServersRefusal() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    fx.kube.fail(.validate, with: .validationFailed("The Deployment \"encoder\" is invalid: spec.selector: field is immutable"))
    let error = await actionError { _ = try await fx.upgrade { $0.options.dryRun = true; $0.options.dryRunOnServer = true } }
    guard case .kube(.validationFailed(let message))? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("field is immutable"))
    #expect(error?.exitCode == 2)
    #expect(try fx.history() == ["1 install deployed"], "nothing recorded")
    #expect(fx.callKinds.filter { $0 == .apply }.count == 1, "only the install applied")
  }

  @Test func serverDryRunInANamespaceToBeCreatedLeavesOutTheObjectsInIt() async throws {
    let fx = ActionFixture()
    let result = try await fx.install {
      $0.options.dryRun = true
      $0.options.dryRunOnServer = true
      $0.options.createNamespace = true
    }
    #expect(result.manifests.allSatisfy { $0.identity.namespace == "search" })
    let namespace = ObjectIdentity(apiVersion: "v1", kind: "Namespace", namespace: nil, name: "search")
    #expect(fx.kube.calls == [.checkCluster, .currentObjects([namespace]), .validate([], forceConflicts: false)])
    #expect(fx.kube.calls.allSatisfy { $0.kind != .ensureNamespace }, "a dry run creates no namespace")
  }

  @Test func serverDryRunWithoutDryRunIsAUsageError() async throws {
    let fx = ActionFixture()
    let error = await actionError { _ = try await fx.install { $0.options.dryRunOnServer = true } }
    guard case .usage? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(fx.kube.calls.isEmpty)
  }

  @Test func cleanupOnFailDeletesOnlyWhatTheFailedAttemptCreated() async throws {
    let fx = ActionFixture()
    let installed = try await fx.install()
    // The installed objects are in the cluster; the ranker's are new in the upgrade.
    fx.kube.liveObjects = Dictionary(uniqueKeysWithValues: installed.manifests.map { ($0.identity, $0.content) })
    fx.kube.fail(.apply, with: .applyFailed("admission webhook denied"), onCall: 2)
    let error = await actionError {
      _ = try await fx.upgrade(ActionFixture.flow(ranker: true)) { $0.options.cleanupOnFail = true }
    }
    guard case .deployFailed(revision: 2, restoredRevision: nil, cause: .applyFailed)? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    guard case .apply(let applied, _)? = fx.kube.calls.last(where: { $0.kind == .apply }),
      case .delete(let deleted)? = fx.kube.calls.last
    else { Issue.record("\(fx.kube.calls)"); return }
    let before = Set(installed.manifests.map(\.identity))
    #expect(!deleted.isEmpty)
    #expect(deleted == applied.filter { !before.contains($0) }.reversed(), "the new objects, in uninstall order")
    #expect(deleted.allSatisfy { $0.name.hasPrefix("ranker") })
    #expect(try fx.history() == ["1 install deployed", "2 upgrade failed"])
  }

  @Test func withoutCleanupOnFailAFailedApplyDeletesNothing() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    fx.kube.fail(.apply, with: .applyFailed("admission webhook denied"), onCall: 2)
    _ = await actionError { _ = try await fx.upgrade(ActionFixture.flow(ranker: true)) }
    #expect(!fx.callKinds.contains(.delete))
    #expect(!fx.callKinds.contains(.currentObjects))
  }

  @Test func forceReplacesEveryObjectInInstallOrderInsteadOfApplying() async throws {
    let fx = ActionFixture()
    let installed = try await fx.install()
    let result = try await fx.upgrade { $0.options.force = true }
    let replaced = fx.kube.calls.compactMap { call -> ObjectIdentity? in
      if case .replace(let object) = call { return object }
      return nil
    }
    #expect(replaced == result.manifests.map(\.identity).sortedForInstall())
    #expect(fx.kube.calls.filter { $0.kind == .apply }.count == 1, "only the install applied")
    guard let owned = fx.kube.calls.firstIndex(of: .takeOwnership(replaced)) else { Issue.record("\(fx.kube.calls)"); return }
    #expect(fx.kube.calls[..<owned].filter { $0.kind == .replace }.count == replaced.count, "after every replacement")
    #expect(result.revision?.info.status == .deployed)
    #expect(installed.manifests.count == result.manifests.count)
  }

  @Test func aFailedReplaceIsRecordedAsAFailedRevision() async throws {
    let fx = ActionFixture()
    let installed = try await fx.install()
    let object = installed.manifests[0].identity
    fx.kube.fail(.replace, with: .replaceFailed(object, "admission webhook denied"))
    let error = await actionError { _ = try await fx.upgrade { $0.options.force = true } }
    guard case .deployFailed(revision: 2, restoredRevision: nil, cause: .replaceFailed(object, _))? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(try fx.history() == ["1 install deployed", "2 upgrade failed"])
  }

  @Test func uninstallWaitWaitsForTheDeletedObjects() async throws {
    let fx = ActionFixture()
    let installed = try await fx.install()
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    uninstall.wait = true
    uninstall.timeout = .seconds(7)
    _ = try await uninstall.run()
    let objects = installed.manifests.map(\.identity).reversed() as [ObjectIdentity]
    #expect(Array(fx.kube.calls.suffix(2)) == [.delete(objects), .waitUntilDeleted(objects, timeout: .seconds(7))])
  }

  @Test func uninstallWithoutWaitDoesNotWait() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    _ = try await uninstall.run()
    #expect(!fx.callKinds.contains(.waitUntilDeleted))
  }

  @Test func uninstallWaitTimingOutRecordsTheRemovalAndFails() async throws {
    let fx = ActionFixture()
    let installed = try await fx.install()
    let stuck = installed.manifests[0].identity
    fx.kube.fail(.waitUntilDeleted, with: .deleteTimedOut(timeout: .seconds(1), remaining: [stuck]))
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    uninstall.wait = true
    uninstall.timeout = .seconds(1)
    let error = await actionError { _ = try await uninstall.run() }
    guard case .uninstallIncomplete(revision: 2, cause: .deleteTimedOut(_, [stuck]))? = error else {
      Issue.record("\(String(describing: error))"); return
    }
    #expect(error?.exitCode == 2)
    #expect(error?.description.contains("recorded as revision 2") == true)
    #expect(try fx.history().last == "2 uninstall uninstalled")
  }

  @Test func uninstallWaitNeedsATimeoutAboveZero() async throws {
    let fx = ActionFixture()
    _ = try await fx.install()
    var uninstall = Uninstall(config: fx.config)
    uninstall.release = "web"
    uninstall.wait = true
    uninstall.timeout = .seconds(0)
    let error = await actionError { _ = try await uninstall.run() }
    guard case .usage? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(try fx.history() == ["1 install deployed"])
  }
}

/// A post-renderer script in a temporary folder.
final class PostRendererScript {
  let folder: URL
  let path: String

  /// `body` is the shell script after `#!/bin/sh`.
  init(_ body: String) throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-post-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    path = folder.appendingPathComponent("post-render").path
    try Data(("#!/bin/sh\n" + body + "\n").utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
  }

  deinit { try? FileManager.default.removeItem(at: folder) }

  var renderer: PostRenderer { PostRenderer(executable: path) }
}

@Suite struct PostRendererTests {
  /// Sets every `replicas: 1` to 7, and adds an annotation given as the script's arguments.
  static let scaling = #"sed -e 's/^  replicas: 1$/  replicas: 7/' -e "s|^metadata:\$|metadata:\n  annotations:\n    $1: \"$2\"|""#

  @Test func whatThePostRendererPrintsIsAppliedAndRecorded() async throws {
    let fx = ActionFixture()
    let script = try PostRendererScript(Self.scaling)
    let result = try await fx.install { action in
      action.postRenderer = PostRenderer(executable: script.path, arguments: ["example.com/post", "rendered"])
    }
    let deployments = result.manifests.filter { $0.identity.kind == "Deployment" }
    #expect(!deployments.isEmpty)
    #expect(deployments.allSatisfy { $0.content["spec"]?["replicas"] == 7 })
    #expect(result.manifests.allSatisfy { $0.content["metadata"]?["annotations"]?["example.com/post"] == "rendered" })
    #expect(
      result.manifests.allSatisfy { $0.content["metadata"]?["labels"]?["app.kubernetes.io/instance"] == "web" },
      "flowrel's labels are completed on what the post-renderer printed")
    guard case .apply(let applied, _)? = fx.kube.calls.last else { Issue.record("no apply"); return }
    #expect(applied == result.manifests.map(\.identity))
    let stored = try fx.store.revision(release: "web", namespace: "search", number: 1)
    #expect(stored.manifests.filter { $0.identity.kind == "Deployment" }.allSatisfy { $0.content["spec"]?["replicas"] == 7 })
  }

  @Test func templateShowsThePostRenderedObjects() async throws {
    let script = try PostRendererScript(Self.scaling)
    var template = Template(config: ActionFixture().config)
    template.release = "web"
    template.values = try ActionFixture.values(ActionFixture.flow())
    template.postRenderer = PostRenderer(executable: script.path, arguments: ["a.b/c", "d"])
    let result = try await template.run()
    #expect(result.manifests.contains { $0.manifest.content["spec"]?["replicas"] == 7 })
    #expect(result.manifests.allSatisfy { $0.manifest.content["metadata"]?["annotations"]?["a.b/c"] == "d" })
  }

  @Test func aSecretThePostRendererAddsIsStoredEncrypted() async throws {
    let owner = AgeIdentity.generate()
    let store = MemoryReleaseStore(
      secrets: SecretSettings(recipients: [owner.recipient], keyring: AgeKeyring(identities: [owner])), flowrelVersion: "test")
    let script = try PostRendererScript(
      "cat; printf -- '---\\napiVersion: v1\\nkind: Secret\\nmetadata:\\n  name: added\\nstringData:\\n  token: from-post-renderer\\n'")
    var install = Install(config: ActionConfiguration(releases: store, kube: FakeKubeClient(), namespace: "search"))
    install.release = "web"
    install.values = try ActionFixture.values(ActionFixture.flow())
    install.postRenderer = script.renderer
    let result = try await install.run()
    #expect(result.manifests.contains { $0.identity.kind == "Secret" && $0.identity.name == "added" })
    let token: (Revision) -> String? = { revision in
      revision.manifests.first { $0.identity.name == "added" }?.content["stringData"]?["token"]?.stringValue
    }
    let blind = store.withSecrets(SecretSettings(keyring: AgeKeyring(identities: [])))
    #expect(token(try blind.revision(release: "web", namespace: "search", number: 1))?.hasPrefix("ENC[") == true)
    #expect(token(try store.revision(release: "web", namespace: "search", number: 1)) == "from-post-renderer")
  }

  @Test func templateRefusesAPostRendererWithRawOutput() async throws {
    var template = Template(config: ActionFixture().config)
    template.raw = true
    template.postRenderer = PostRenderer(executable: "/bin/cat")
    let error = await actionError { _ = try await template.run() }
    guard case .usage(let message)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("--raw"))
  }

  @Test func aFailingPostRendererAppliesAndRecordsNothing() async throws {
    let fx = ActionFixture()
    let script = try PostRendererScript("cat > /dev/null; echo 'kustomize: no such overlay' >&2; exit 3")
    let error = await actionError { _ = try await fx.install { $0.postRenderer = script.renderer } }
    guard case .postRenderFailed(let message)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("failed (exit 3): kustomize: no such overlay"))
    #expect(error?.exitCode == 1)
    #expect(fx.callKinds == [.checkCluster])
    #expect(throws: StoreError.releaseNotFound(name: "web", namespace: "search")) { try fx.history() }
  }

  @Test func aPostRendererPrintingGarbageAppliesAndRecordsNothing() async throws {
    let fx = ActionFixture()
    let script = try PostRendererScript("cat > /dev/null; echo 'key: [unclosed'")
    let error = await actionError { _ = try await fx.install { $0.postRenderer = script.renderer } }
    guard case .postRenderFailed(let message)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("printed something that is not a stream of Kubernetes objects"), "\(message)")
    #expect(fx.callKinds == [.checkCluster])
  }

  @Test func aPostRendererPrintingNonObjectsIsRefused() async throws {
    let fx = ActionFixture()
    let script = try PostRendererScript("cat > /dev/null; echo 'just: a map'")
    let error = await actionError { _ = try await fx.install { $0.postRenderer = script.renderer } }
    guard case .postRenderFailed(let message)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("not a stream of Kubernetes objects"), "\(message)")
  }

  @Test func aPostRendererPrintingNothingIsRefused() async throws {
    let fx = ActionFixture()
    let script = try PostRendererScript("cat > /dev/null")
    let error = await actionError { _ = try await fx.install { $0.postRenderer = script.renderer } }
    guard case .postRenderFailed(let message)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("printed no objects"), "\(message)")
    #expect(fx.callKinds == [.checkCluster])
  }

  @Test func aMissingPostRendererFailsBeforeAnythingRuns() async throws {
    let fx = ActionFixture()
    let error = await actionError {
      _ = try await fx.install { $0.postRenderer = PostRenderer(executable: "/nonexistent/kustomize-wrapper") }
    }
    guard case .postRenderFailed(let message)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(message.contains("/nonexistent/kustomize-wrapper is not an executable file"))
    #expect(fx.kube.calls.isEmpty)
    let onPath = await actionError {
      _ = try await fx.install { $0.postRenderer = PostRenderer(executable: "no-such-post-renderer-\(UUID().uuidString)") }
    }
    guard case .postRenderFailed(let pathMessage)? = onPath else { Issue.record("\(String(describing: onPath))"); return }
    #expect(pathMessage.contains("no executable of that name on PATH"))
  }
}
