import FlowrelAge
import FlowrelGit
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// What only the git store does: files, commits, the working tree, locks and bad places.
@Suite struct GitStoreTests {
  /// A repository at `scratch/repo` with one commit, and a store at `repo/releases`.
  func makeRepository(_ scratch: Scratch) throws -> (repo: String, store: GitReleaseStore) {
    let repo = scratch.path + "/repo"
    try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
    try git(["init", "-q", "-b", "main"], in: repo)
    try Data("# ops\n".utf8).write(to: URL(fileURLWithPath: repo + "/README.md"))
    try git(["add", "README.md"], in: repo)
    try git(["commit", "-q", "-m", "start"], in: repo)
    return (repo, store(repo + "/releases"))
  }

  func store(_ path: String, identity: AgeIdentity? = nil, branch: String? = nil, lockWait: Double = 10) -> GitReleaseStore {
    GitReleaseStore(path: path, branch: branch, secrets: secretSettings(identity), flowrelVersion: "test", environment: testEnvironment,
                    clock: { fixedTime }, gitLockWait: lockWait)
  }

  @Test func layoutNamesFilesByKindNameNamespaceAndGroup() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    var revision = Fixtures.revision(release: "web", namespace: "prod", password: "layout-Pa55")
    for content: Value in [
      ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "x", "namespace": "other"]],
      ["apiVersion": "cert-manager.io/v1", "kind": "Certificate", "metadata": ["name": "web", "namespace": "prod"]],
      ["apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": ["name": "system:Web_x"]],
    ] {
      revision.manifests.append(try Manifest(content: content))
    }
    _ = try await self.store(repo + "/releases", identity: AgeIdentity.generate()).record(revision)
    _ = store
    let files = try git(["ls-files", "releases"], in: repo).split(separator: "\n").map(String.init)
    let folder = "releases/prod/web/"
    #expect(files == [
      "kustomization.yaml", "manifests/certificate-web@cert-manager.io.yaml", "manifests/clusterrole-system%3A%57eb%5Fx.yaml",
      "manifests/configmap-flow-config.yaml", "manifests/configmap-x_other.yaml", "manifests/deployment-executor0.yaml",
      "manifests/deployment-executor1.yaml", "manifests/deployment-gateway.yaml", "manifests/secret-db.yaml",
      "manifests/service-gateway.yaml", "release.yaml", "values.yaml",
    ].map { folder + $0 })
    let kustomization = try String(contentsOfFile: repo + "/" + folder + "kustomization.yaml", encoding: .utf8)
    #expect(kustomization == """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
      - manifests/secret-db.yaml
      - manifests/configmap-x_other.yaml
      - manifests/configmap-flow-config.yaml
      - manifests/clusterrole-system%3A%57eb%5Fx.yaml
      - manifests/service-gateway.yaml
      - manifests/deployment-executor0.yaml
      - manifests/deployment-executor1.yaml
      - manifests/deployment-gateway.yaml
      - manifests/certificate-web@cert-manager.io.yaml

      """)
    let gateway = try String(contentsOfFile: repo + "/" + folder + "manifests/deployment-gateway.yaml", encoding: .utf8)
    #expect(gateway.hasPrefix("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gateway\n"))
    #expect(try git(["status", "--porcelain"], in: repo).isEmpty)
  }

  /// Fuzzing found that a ConfigMap named with Kubernetes' 253 characters recorded revision 1
  /// and then failed to write its file ("File name too long"), half-writing the folder.
  @Test func anObjectWithTheLongestNameIsStoredUnderAShortenedFileName() async throws {
    let scratch = try Scratch()
    let (_, store) = try makeRepository(scratch)
    let name = String(repeating: "a", count: 240) + "." + String(repeating: "b", count: 12)
    let map = try Manifest(content: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["k": "v"]])
    let revision = NewRevision(
      release: "web", namespace: "default", action: .install, status: .recorded, chart: ChartReference(name: "x", version: "1.0.0"),
      values: .emptyMap, manifests: [map], notes: nil, description: "Install complete")
    #expect(try await store.record(revision).info.revision == 1)
    let files = try FileManager.default.contentsOfDirectory(atPath: store.path + "/default/web/manifests")
    #expect(files.count == 1)
    #expect(files.allSatisfy { $0.utf8.count <= 255 })
    #expect(try store.revision(release: "web", namespace: "default", number: nil).manifests == [map])
  }

  /// Fuzzing (the `store` target) found that two objects whose kinds differ only in case
  /// (or whose groups are both built in) were written to one file: the revision was recorded
  /// with one of them lost. Such a revision is refused, and nothing is written.
  @Test func objectsThatWouldShareAFileAreRefusedBeforeAnythingIsWritten() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    let head = try git(["rev-parse", "HEAD"], in: repo)
    for kinds in [("Foo", "v1", "foo", "v1"), ("Ingress", "networking.k8s.io/v1", "Ingress", "extensions/v1beta1")] {
      let first = try Manifest(content: ["apiVersion": .string(kinds.1), "kind": .string(kinds.0), "metadata": ["name": "a"]])
      let second = try Manifest(content: ["apiVersion": .string(kinds.3), "kind": .string(kinds.2), "metadata": ["name": "a"]])
      let revision = NewRevision(
        release: "web", namespace: "default", action: .install, status: .recorded, chart: ChartReference(name: "x", version: "1.0.0"),
        values: .emptyMap, manifests: [first, second], notes: nil, description: "Install complete")
      await #expect {
        _ = try await store.record(revision)
      } throws: { error in
        "\(error)".contains("would both be written to \(kinds.0.lowercased())-a.yaml")
      }
    }
    #expect(try git(["rev-parse", "HEAD"], in: repo) == head)
    #expect(!FileManager.default.fileExists(atPath: store.path + "/default/web"))
  }

  @Test func rerenderingUnchangedInputsChangesOnlyReleaseYAML() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    _ = try await store.record(Fixtures.revision(release: "web"))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade))
    #expect(try git(["diff", "--name-only", "HEAD~1", "HEAD"], in: repo) == "releases/default/web/release.yaml\n")
    #expect(try git(["log", "-1", "--format=%s"], in: repo) == "web: upgrade to revision 3\n")
  }

  @Test func commitMessageCarriesChangesTrailersAndAuthor() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    _ = try await store.record(Fixtures.revision(release: "web", executors: 1))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, status: .recorded, replicas: 2, executors: 2))
    let message = try git(["log", "-1", "--format=%B"], in: repo)
    #expect(message.hasPrefix("""
      web: upgrade to revision 2

      Chart flow 1.2.0 (app 3.20.0).
      Upgrade complete
      Added: Deployment default/executor1
      Changed: ConfigMap default/flow-config, Deployment default/executor0

      """))
    let trailers = try git(["interpret-trailers", "--parse"], in: repo, input: Data(message.utf8))
    #expect(trailers.hasPrefix("""
      Flowrel-Release: web
      Flowrel-Namespace: default
      Flowrel-Revision: 2
      Flowrel-Action: upgrade
      Flowrel-Status: recorded

      """))
    #expect(try git(["log", "-1", "--format=%an <%ae> %at"], in: repo) == "Test <test@example.com> 1763900000\n")
    let uninstall = try await store.recordUninstall(release: "web", namespace: "default", description: "Uninstall complete")
    #expect(uninstall.revision == 3)
    #expect(try git(["log", "-1", "--format=%s"], in: repo) == "web: uninstall as revision 3\n")
    #expect(!FileManager.default.fileExists(atPath: repo + "/releases/default/web"))
    #expect(try git(["status", "--porcelain"], in: repo).isEmpty)
  }

  @Test func workingTreeFollowsAndOtherWorkIsLeftAlone() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    try Data("staged\n".utf8).write(to: URL(fileURLWithPath: repo + "/staged.txt"))
    try git(["add", "staged.txt"], in: repo)
    try Data("# edited\n".utf8).write(to: URL(fileURLWithPath: repo + "/README.md"))
    _ = try await store.record(Fixtures.revision(release: "web"))
    _ = try await store.record(Fixtures.revision(release: "web", action: .upgrade, executors: 1))
    #expect(try git(["status", "--porcelain"], in: repo) == " M README.md\nA  staged.txt\n")
    #expect(!FileManager.default.fileExists(atPath: repo + "/releases/default/web/manifests/deployment-executor1.yaml"))
    #expect(try git(["show", "HEAD:staged.txt"], in: repo, allowFailure: true).isEmpty)
  }

  /// Helm stores a release's values as JSON, so an upgrade that reuses them reads a `--set`
  /// integer back as a float64; flowrel's values.yaml does the same for templates.
  @Test func aSetIntegerIsStoredAsAnIntegerAndReadBackAsAValuesFileNumber() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    var revision = Fixtures.revision(release: "web")
    revision.values = ["replicas": .int64(5)]
    _ = try await store.record(revision)
    #expect(try String(contentsOfFile: repo + "/releases/default/web/values.yaml", encoding: .utf8) == "replicas: 5\n")
    let stored = try store.revision(release: "web", namespace: "default", number: nil).values["replicas"]
    guard case .int(5)? = stored else { Issue.record("read back as \(String(describing: stored)), not a values-file integer"); return }
  }

  @Test func otherBranchIsCreatedFromHEADAndLeavesTheWorkingTree() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    _ = try await store.record(Fixtures.revision(release: "web"))
    let branchStore = self.store(repo + "/releases", branch: "flowrel/web")
    _ = try await branchStore.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 5))
    #expect(try git(["rev-parse", "flowrel/web~1"], in: repo) == (try git(["rev-parse", "main"], in: repo)))
    #expect(try branchStore.revision(release: "web", namespace: "default", number: nil).values["replicas"] == 5)
    #expect(try store.revision(release: "web", namespace: "default", number: nil).values["replicas"] == 1)
    #expect(try git(["status", "--porcelain"], in: repo).isEmpty)
  }

  @Test func initCreatesARepositoryOnMainOnlyWhenThereIsNone() async throws {
    let scratch = try Scratch()
    let path = scratch.path + "/fresh/releases"
    #expect(try self.store(path).initialize() == StoreInitialization(location: path, createdRepository: true, createdFolder: true))
    #expect(try git(["symbolic-ref", "HEAD"], in: path) == "refs/heads/main\n")
    #expect(try git(["rev-parse", "--show-toplevel"], in: path).hasSuffix("/fresh/releases\n"))
    let (repo, _) = try makeRepository(scratch)
    #expect(try self.store(repo + "/releases").initialize() == StoreInitialization(
      location: repo + "/releases", createdRepository: false, createdFolder: true))
    #expect(FileManager.default.fileExists(atPath: repo + "/releases"))
    // A store in no repository gets one on its first write.
    let lone = self.store(scratch.path + "/lone")
    #expect(try lone.releases(namespace: nil).isEmpty)
    _ = try await lone.record(Fixtures.revision(release: "web"))
    #expect(try git(["log", "--format=%s"], in: scratch.path + "/lone") == "web: install as revision 1\n")
  }

  // MARK: Bad places: a clear message and nothing written

  @Test func aFileAsStorePathIsRefused() async throws {
    let scratch = try Scratch()
    let file = try scratch.write("store", Array("x".utf8))
    await #expect(throws: StoreError.notAFolder(path: file)) { try await store(file).record(Fixtures.revision(release: "web")) }
    #expect(throws: StoreError.notAFolder(path: file)) { try store(file).releases(namespace: nil) }
  }

  @Test func detachedHeadIsRefused() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    try git(["checkout", "-q", "--detach"], in: repo)
    let before = try git(["rev-parse", "HEAD"], in: repo)
    await #expect(throws: StoreError.detachedHead(repository: repo + "/")) { try await store.record(Fixtures.revision(release: "web")) }
    #expect(try git(["rev-parse", "HEAD"], in: repo) == before)
    #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: repo).isEmpty)
  }

  @Test func uncommittedEditsInTheReleaseFolderAreRefused() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    _ = try await store.record(Fixtures.revision(release: "web"))
    let values = repo + "/releases/default/web/values.yaml"
    try Data("replicas: 9\n".utf8).write(to: URL(fileURLWithPath: values))
    try Data("x".utf8).write(to: URL(fileURLWithPath: repo + "/releases/default/web/extra.txt"))
    let before = try git(["rev-parse", "HEAD"], in: repo)
    await #expect(throws: StoreError.uncommittedChanges(
      folder: "releases/default/web", paths: ["releases/default/web/extra.txt", "releases/default/web/values.yaml"])) {
      try await store.record(Fixtures.revision(release: "web", action: .upgrade))
    }
    #expect(try git(["rev-parse", "HEAD"], in: repo) == before)
    #expect(try String(contentsOfFile: values, encoding: .utf8) == "replicas: 9\n")
    // Another release's folder is not affected by those edits.
    #expect(try await store.record(Fixtures.revision(release: "api")).info.revision == 1)
  }

  @Test func unreadableAndUnwritableStoresAreRefused() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    _ = try await store.record(Fixtures.revision(release: "web"))
    let before = try git(["rev-parse", "HEAD"], in: repo)
    // The writer runs as `nobody` (see `runWriterUnprivileged`): its own repository, read-only.
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
    if getuid() == 0 { _ = try run("/usr/bin/env", ["chown", "-R", "65534:65534", repo]) }
    _ = try run("/usr/bin/env", ["chmod", "-R", "a-w", repo])
    defer { _ = try? run("/usr/bin/env", ["chmod", "-R", "u+w", repo]) }
    let readOnly = try runWriterUnprivileged([repo + "/releases", "web", "1"])
    #expect(readOnly.status == 3)
    #expect(readOnly.errorText.hasPrefix("error: cannot write to the store \(repo)/.git/: Permission denied"))
    try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: repo + "/releases")
    defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo + "/releases") }
    let unreadable = try runWriterUnprivileged([repo + "/releases", "web", "1"])
    #expect(unreadable.status == 3)
    #expect(unreadable.errorText == "error: cannot read the store \(repo)/releases: Permission denied\n")
    #expect(try git(["-c", "safe.directory=*", "rev-parse", "HEAD"], in: repo) == before)
  }

  @Test func aRepositoryThatCannotBeOpenedIsNotReplaced() async throws {
    let scratch = try Scratch()
    let (repo, _) = try makeRepository(scratch)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
    // Owned by root, opened by nobody: libgit2 will not open it ("dubious ownership").
    try #require(getuid() == 0, "making a repository owned by another user needs root")
    _ = try run("/usr/bin/env", ["chmod", "-R", "a+w", repo])
    let result = try runWriterUnprivileged([repo + "/releases", "web", "1"])
    #expect(result.status == 3)
    #expect(result.errorText.contains("cannot read the store \(repo)/releases: the git repository at \(repo) cannot be opened"))
    #expect(!FileManager.default.fileExists(atPath: repo + "/releases/.git"))
  }

  // MARK: Locks left behind

  @Test func libgit2LocksOfADeadWriterAreCleared() async throws {
    let scratch = try Scratch()
    let (repo, store) = try makeRepository(scratch)
    _ = try await store.record(Fixtures.revision(release: "web"))
    // As a writer killed between writing files and the index would leave things: its note in
    // the lock file, a branch lock, an index lock, and a half-written folder.
    let start = Date().timeIntervalSince1970 - 2
    try Data("99999 \(start) releases/default/web\n".utf8).write(to: URL(fileURLWithPath: repo + "/.git/flowrel.flock"))
    for lock in ["/.git/refs/heads/main.lock", "/.git/index.lock"] {
      try Data("x".utf8).write(to: URL(fileURLWithPath: repo + lock))
    }
    try Data("half".utf8).write(to: URL(fileURLWithPath: repo + "/releases/default/web/manifests/deployment-new.yaml"))
    try Data("half".utf8).write(to: URL(fileURLWithPath: repo + "/releases/default/web/values.yaml"))
    let next = try await store.record(Fixtures.revision(release: "web", action: .upgrade, replicas: 2))
    #expect(next.info.revision == 2)
    #expect(!FileManager.default.fileExists(atPath: repo + "/.git/refs/heads/main.lock"))
    #expect(!FileManager.default.fileExists(atPath: repo + "/.git/index.lock"))
    #expect(try git(["status", "--porcelain", "--untracked-files=all"], in: repo).isEmpty)
    #expect(try String(contentsOfFile: repo + "/.git/flowrel.flock", encoding: .utf8).isEmpty)
  }

  @Test func aLockOfARunningGitIsWaitedForThenNamed() async throws {
    let scratch = try Scratch()
    let (repo, _) = try makeRepository(scratch)
    let lock = repo + "/.git/index.lock"
    try Data("x".utf8).write(to: URL(fileURLWithPath: lock))
    let impatient = store(repo + "/releases", lockWait: 0.3)
    await #expect(throws: StoreError.gitLocked(path: lock)) { try await impatient.record(Fixtures.revision(release: "web")) }
    #expect(FileManager.default.fileExists(atPath: lock))
    #expect(try git(["log", "--format=%s"], in: repo) == "start\n")
    // Released by its owner while flowrel waits: flowrel goes on.
    let remover = Thread { usleep(200_000); try? FileManager.default.removeItem(atPath: lock) }
    remover.start()
    #expect(try await store(repo + "/releases").record(Fixtures.revision(release: "web")).info.revision == 1)
  }

  // MARK: Secret keys of the old format

  @Test func badKeyFilesGetClearMessages() async throws {
    let scratch = try Scratch()
    let short = try scratch.write("short", Array("abc\n".utf8))
    #expect(throws: StoreError.badSecretKey(path: scratch.path + "/missing", problem: "no such file")) {
      try SecretKey(contentsOfFile: scratch.path + "/missing")
    }
    #expect(throws: StoreError.badSecretKey(path: scratch.path, problem: "is a folder, not a key file")) {
      try SecretKey(contentsOfFile: scratch.path)
    }
    do {
      _ = try SecretKey(contentsOfFile: short)
      Issue.record("a 4-byte key file was accepted")
    } catch {
      #expect(error.description == "secret key file \(short): holds 4 bytes, which are not a 32-byte key (32 raw bytes, 64 hex digits, or base64 of 32 bytes)")
    }
  }
}

/// Runs the stress writer as an unprivileged user (`nobody` through `setpriv` when the tests run
/// as root, who may read and write anything), so permission checks have an effect.
func runWriterUnprivileged(_ arguments: [String]) throws -> ProcessResult {
  let writer = try writerExecutable()
  if getuid() == 0 {
    return try run(
      "/usr/bin/setpriv",
      ["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/env", "HOME=/tmp", try reachableCopy(of: writer)] + arguments)
  }
  return try run(writer, arguments)
}

/// A copy of the executable that `nobody` can reach: the build folder may sit inside a folder
/// only root may enter (a clone in `mktemp -d`, as CI makes it).
private let copyLock = NSLock()

private func reachableCopy(of executable: String) throws -> String {
  copyLock.lock()
  defer { copyLock.unlock() }
  let manager = FileManager.default
  let folder = manager.temporaryDirectory.appendingPathComponent("flowrel-writer-\(getpid())")
  let copy = folder.appendingPathComponent("StoreStressWriter")
  if !manager.fileExists(atPath: copy.path) {
    try manager.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    try? manager.removeItem(at: copy)
    try manager.copyItem(atPath: executable, toPath: copy.path)
    try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
  }
  return copy.path
}
