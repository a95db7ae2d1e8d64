import FlowrelKube
import KubeTestSupport
import FlowrelManifest
import FlowrelValue
import Foundation
import Logging
import Synchronization
import Testing

/// The real kubectl, driven through `Kubectl`, against the project's API test server.
@Suite struct KubectlEndToEndTests {
  static func manifest(_ content: Value) throws -> Manifest { try Manifest(content: content) }

  static func namespace(_ name: String) throws -> Manifest {
    try manifest(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
  }

  static func configMap(_ name: String, in namespace: String, data: Value) throws -> Manifest {
    try manifest([
      "apiVersion": "v1", "kind": "ConfigMap",
      "metadata": ["name": .string(name), "namespace": .string(namespace)], "data": data,
    ])
  }

  static func service(_ name: String, in namespace: String) throws -> Manifest {
    try manifest([
      "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": .string(namespace)],
      "spec": ["selector": ["app": .string(name)], "ports": [["port": 80, "targetPort": 8080]]],
    ])
  }

  static func deployment(
    _ name: String, in namespace: String, replicas: Int64 = 2, image: String = "jinaai/jina:3", annotations: Value = [:],
    env: Value = [["name": "JINA_LOG_LEVEL", "value": "INFO"], ["name": "JINA_PORT", "value": "8080"]]
  ) throws -> Manifest {
    try manifest([
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": ["name": .string(name), "namespace": .string(namespace), "annotations": annotations],
      "spec": [
        "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
        "template": [
          "metadata": ["labels": ["app": .string(name)]],
          "spec": ["containers": [["name": "executor", "image": .string(image), "env": env]]],
        ],
      ],
    ])
  }

  static func statefulSet(_ name: String, in namespace: String) throws -> Manifest {
    try manifest([
      "apiVersion": "apps/v1", "kind": "StatefulSet",
      "metadata": ["name": .string(name), "namespace": .string(namespace)],
      "spec": [
        "replicas": 1, "serviceName": .string(name), "selector": ["matchLabels": ["app": .string(name)]],
        "template": [
          "metadata": ["labels": ["app": .string(name)]],
          "spec": ["containers": [["name": "db", "image": "postgres:16"]]],
        ],
      ],
    ])
  }

  static func job(_ name: String, in namespace: String, image: String = "busybox") throws -> Manifest {
    try manifest([
      "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": .string(name), "namespace": .string(namespace)],
      "spec": [
        "template": ["spec": ["restartPolicy": "Never", "containers": [["name": "migrate", "image": .string(image)]]]]
      ],
    ])
  }

  /// Namespace, ConfigMap, Service, Deployment and Job of one small release, in install order.
  static func release(in ns: String) throws -> [Manifest] {
    [
      try deployment("gateway", in: ns), try job("migrate", in: ns), try service("gateway", in: ns),
      try configMap("settings", in: ns, data: ["color": "blue", "size": "3"]), try namespace(ns),
    ].sortedForInstall()
  }

  /// Collects progress reports from several threads.
  final class ProgressLog: Sendable {
    private let entries = Mutex<[WorkloadProgress]>([])
    func add(_ entry: WorkloadProgress) { entries.withLock { $0.append(entry) } }
    var all: [WorkloadProgress] { entries.withLock { $0 } }
  }

  @Test func appliesASmallReleaseAndReadsItBack() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let manifests = try Self.release(in: "search")
    try await kube.apply(manifests, forceConflicts: false)

    let live = try await kube.currentObjects(manifests.map(\.identity))
    #expect(Set(live.keys) == Set(manifests.map(\.identity)))
    let settings = try #require(live[manifests[1].identity])
    #expect(settings["data"] == ["color": "blue", "size": "3"])
    #expect(live[manifests[2].identity]?["spec"]?["ports"]?[0]?["port"] == 80)
    // The server records flowrel as the manager that applied the fields.
    let stored = try await server.storedObjects().first { $0["metadata"]?["name"] == "settings" }
    #expect(stored?["metadata"]?["managedFields"]?[0]?["manager"] == "flowrel")
    #expect(stored?["metadata"]?["managedFields"]?[0]?["operation"] == "Apply")
  }

  @Test func reapplyingChangedContentUpdatesAndDropsRemovedFields() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    try await kube.apply(try Self.release(in: "search"), forceConflicts: false)

    let changed = [
      try Self.configMap("settings", in: "search", data: ["color": "green"]),
      try Self.deployment("gateway", in: "search", replicas: 3, env: [["name": "JINA_PORT", "value": "9090"]]),
    ]
    try await kube.apply(changed, forceConflicts: false)
    let live = try await kube.currentObjects(changed.map(\.identity))
    #expect(live[changed[0].identity]?["data"] == ["color": "green"])
    let gateway = try #require(live[changed[1].identity])
    #expect(gateway["spec"]?["replicas"] == 3)
    #expect(gateway["metadata"]?["generation"] == 2)
    #expect(gateway["spec"]?["template"]?["spec"]?["containers"]?[0]?["env"] == [["name": "JINA_PORT", "value": "9090"]])

    // Applying the same content again changes nothing, not even the resourceVersion.
    try await kube.apply(changed, forceConflicts: false)
    let again = try await kube.currentObjects([changed[0].identity])
    #expect(again[changed[0].identity]?["metadata"]?["resourceVersion"] == live[changed[0].identity]?["metadata"]?["resourceVersion"])
  }

  @Test func deletesExactlyTheGivenObjectsInOrder() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let manifests = try Self.release(in: "search")
    try await kube.apply(manifests, forceConflicts: false)

    let gone = ObjectIdentity(apiVersion: "v1", kind: "ConfigMap", namespace: "search", name: "never-existed")
    let doomed = [manifests[3].identity, gone, manifests[1].identity]  // Deployment, missing, ConfigMap
    try await kube.delete(doomed)

    let live = try await kube.currentObjects(manifests.map(\.identity))
    #expect(Set(live.keys) == Set(manifests.map(\.identity)).subtracting(doomed))
    let deletes = try await server.requests().filter { $0.method == "DELETE" }.map(\.path)
    #expect(
      deletes == [
        "/apis/apps/v1/namespaces/search/deployments/gateway", "/api/v1/namespaces/search/configmaps/never-existed",
        "/api/v1/namespaces/search/configmaps/settings",
      ])
  }

  @Test func objectsWithoutANamespaceGoToTheClientsNamespace() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    var kube = server.client()
    kube.namespace = "search"
    #expect(try await kube.ensureNamespace("search"))
    let settings = try Self.manifest([
      "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings"], "data": ["a": "1"],
    ])
    #expect(settings.identity.namespace == nil)
    try await kube.apply([settings], forceConflicts: false)

    let stored = try await server.storedObjects().first { $0["metadata"]?["name"] == "settings" }
    #expect(stored?["metadata"]?["namespace"] == "search")
    let live = try await kube.currentObjects([settings.identity])
    #expect(live[settings.identity]?["data"] == ["a": "1"])
    try await kube.delete([settings.identity])
    #expect(try await kube.currentObjects([settings.identity]).isEmpty)
  }

  @Test func deletingAReleaseInUninstallOrderRemovesItsNamespaceLast() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let manifests = try Self.release(in: "search")
    try await kube.apply(manifests, forceConflicts: false)

    try await kube.delete(manifests.map(\.identity).sortedForUninstall())
    #expect(try await kube.currentObjects(manifests.map(\.identity)).isEmpty)
    let deletes = try await server.requests().filter { $0.method == "DELETE" }.map(\.path)
    #expect(deletes.last == "/api/v1/namespaces/search")
    #expect(deletes.count == manifests.count)
  }

  @Test func waitsForRolloutsAndJobs() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let manifests = [
      try Self.namespace("search"), try Self.deployment("gateway", in: "search"),
      try Self.statefulSet("db", in: "search"), try Self.job("migrate", in: "search"),
    ]
    try await kube.apply(manifests, forceConflicts: false)

    let log = ProgressLog()
    try await kube.waitUntilReady(manifests.map(\.identity), timeout: try GoDuration(parsing: "30s")) { log.add($0) }
    let ready = Set(log.all.filter(\.isReady).map(\.object))
    #expect(ready == Set(manifests.dropFirst().map(\.identity)))
    #expect(log.all.contains { $0.message == "deployment \"gateway\" successfully rolled out" })
  }

  @Test func waitingNeedsATimeoutAboveZero() async throws {
    let web = ObjectIdentity(apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "web")
    await #expect(throws: KubeError.invalidTimeout(GoDuration(nanoseconds: 0))) {
      try await Kubectl().waitUntilReady([web], timeout: try GoDuration(parsing: "0s")) { _ in }
    }
  }

  @Test func aWorkloadThatNeverBecomesReadyTimesOut() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let stuck = try Self.deployment("encoder", in: "default", annotations: ["flowrel.test/never-ready": "true"])
    let fine = try Self.deployment("gateway", in: "default")
    let stuckJob = try Self.job("migrate", in: "default", image: "busybox-never-ready")
    try await kube.apply([stuck, fine, stuckJob], forceConflicts: false)
    // Once `fine` is ready, how long kubectl takes to start cannot make it miss the short timeout.
    try await kube.waitUntilReady([fine.identity], timeout: try GoDuration(parsing: "60s")) { _ in }

    let log = ProgressLog()
    let timeout = try GoDuration(parsing: "2s")
    let error = await #expect(throws: KubeError.self) {
      try await kube.waitUntilReady([stuck.identity, fine.identity, stuckJob.identity], timeout: timeout) { log.add($0) }
    }
    guard case .waitTimedOut(let reported, let notReady)? = error else {
      Issue.record("expected waitTimedOut, got \(String(describing: error))")
      return
    }
    #expect(reported == timeout)
    #expect(notReady.map(\.object) == [stuck.identity, stuckJob.identity])
    #expect(notReady.first?.message.contains("0 of 2 updated replicas are available") == true)
    #expect(log.all.contains { $0.object == stuck.identity && $0.message.contains("0 of 2") && !$0.isReady })
    #expect(log.all.contains { $0.object == fine.identity && $0.isReady })
    #expect(error?.description.contains("Deployment default/encoder") == true)
  }

  @Test func anotherFieldManagersFieldIsAConflictNamingObjectAndManager() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let theirs = try Self.configMap("settings", in: "default", data: ["color": "red"])
    try await server.client(fieldManager: "other").apply([theirs], forceConflicts: false)

    let kube = server.client()
    let untouched = try Self.configMap("labels", in: "default", data: ["team": "search"])
    let ours = try Self.configMap("settings", in: "default", data: ["color": "blue"])
    let error = await #expect(throws: KubeError.self) {
      try await kube.apply([untouched, ours], forceConflicts: false)
    }
    #expect(error == .conflict([FieldConflict(object: ours.identity, manager: "other", fields: [".data.color"])]))
    #expect(error?.description.contains("--force-conflicts") == true)

    try await kube.apply([ours], forceConflicts: true)
    let live = try await kube.currentObjects([ours.identity, untouched.identity])
    #expect(live[ours.identity]?["data"] == ["color": "blue"])
    #expect(live[untouched.identity]?["data"] == ["team": "search"])
  }

  @Test func driftIsNilWhenInSyncAndADiffOtherwise() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let manifests = try Self.release(in: "search")
    try await kube.apply(manifests, forceConflicts: false)
    #expect(try await kube.drift(manifests, forceConflicts: false) == nil)

    let changed = try Self.configMap("settings", in: "search", data: ["color": "green", "size": "3"])
    let diff = try #require(try await kube.drift([changed], forceConflicts: false))
    #expect(diff.contains("-  color: blue"))
    #expect(diff.contains("+  color: green"))
  }

  @Test func ensureNamespaceCreatesItOnce() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let kube = server.client()
    let settings = try Self.configMap("settings", in: "fresh", data: ["a": "1"])
    let error = await #expect(throws: KubeError.self) { try await kube.apply([settings], forceConflicts: false) }
    guard case .applyFailed(let stderr)? = error else {
      Issue.record("expected applyFailed, got \(String(describing: error))")
      return
    }
    #expect(stderr.contains("namespaces \"fresh\" not found"))

    #expect(try await kube.ensureNamespace("fresh") == true)
    #expect(try await kube.ensureNamespace("fresh") == false)
    try await kube.apply([settings], forceConflicts: false)
  }

  @Test func aFailingServerIsAnApplyErrorWithTheServersMessage() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    try await server.failRequests(["method": "PATCH", "code": 500, "message": "etcd is on fire"])
    let error = await #expect(throws: KubeError.self) {
      try await server.client().apply([try Self.namespace("search")], forceConflicts: false)
    }
    guard case .applyFailed(let stderr)? = error else {
      Issue.record("expected applyFailed, got \(String(describing: error))")
      return
    }
    #expect(stderr.contains("etcd is on fire"))
  }

  @Test func aCommandPastItsTimeLimitIsStopped() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    try await server.failRequests(["method": "PATCH", "delaySeconds": 30])
    var kube = server.client()
    kube.commandTimeout = try GoDuration(parsing: "1s")
    await #expect(throws: KubeError.commandTimedOut(command: "kubectl apply", timeout: try GoDuration(parsing: "1s"))) {
      try await kube.apply([try Self.namespace("search")], forceConflicts: false)
    }
  }

  /// What a `RecordingLogHandler` was asked to log, from several threads.
  final class LogMessages: Sendable {
    private let entries = Mutex<[(level: Logger.Level, text: String)]>([])
    func add(_ level: Logger.Level, _ text: String) { entries.withLock { $0.append((level, text)) } }
    var all: [(level: Logger.Level, text: String)] { entries.withLock { $0 } }
  }

  /// Keeps what a `Logger` is asked to log.
  struct RecordingLogHandler: LogHandler {
    let messages: LogMessages
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .debug

    func log(event: LogEvent) { messages.add(event.level, event.message.description) }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
  }

  @Test func debugLogShowsEachCommandLineAndDurationButNotTheInput() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    let messages = LogMessages()
    var kube = server.client()
    kube.logger = Logger(label: "flowrel.kube") { _ in RecordingLogHandler(messages: messages) }
    let secret = try Self.configMap("settings", in: "default", data: ["token": "do-not-log-me"])
    try await kube.apply([secret], forceConflicts: false)

    let logged = messages.all
    #expect(logged.allSatisfy { $0.level == .debug })
    #expect(
      logged.first?.text.hasSuffix(
        "kubectl apply --server-side --field-manager=flowrel -o name -f - --kubeconfig \(server.kubeconfig) --context test")
        == true, "\(logged)")
    #expect(logged.count == 2)
    #expect(logged.last?.text.hasPrefix("kubectl apply exited with 0 after ") == true, "\(logged)")
    #expect(!logged.contains { $0.text.contains("do-not-log-me") })
  }

  @Test func checkClusterReportsTheServerVersion() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    #expect(try await server.client().checkCluster() == "v1.32.4")
  }

  @Test func aMissingKubectlIsItsOwnError() async throws {
    let server = try KubeTestServer()
    defer { server.stop() }
    var kube = server.client()
    kube.executable = "/nonexistent/bin/kubectl"
    await #expect(throws: KubeError.kubectlNotFound("/nonexistent/bin/kubectl")) {
      _ = try await kube.checkCluster()
    }
    kube.executable = "kubectl-that-does-not-exist"
    await #expect(throws: KubeError.kubectlNotFound("\"kubectl-that-does-not-exist\" on PATH")) {
      try await kube.apply([try Self.namespace("x")], forceConflicts: false)
    }
  }

  @Test func aServerNobodyListensOnIsUnreachable() async throws {
    let server = try KubeTestServer()
    let kube = server.client()
    server.stop()  // the kubeconfig still points at the port, where nobody listens now
    let error = await #expect(throws: KubeError.self) { _ = try await kube.checkCluster() }
    guard case .clusterUnreachable(let message)? = error else {
      Issue.record("expected clusterUnreachable, got \(String(describing: error))")
      return
    }
    #expect(message.contains("127.0.0.1:\(server.port)"))
    let applyError = await #expect(throws: KubeError.self) {
      try await kube.apply([try Self.namespace("x")], forceConflicts: false)
    }
    guard case .clusterUnreachable(let applyMessage)? = applyError else {
      Issue.record("expected clusterUnreachable, got \(String(describing: applyError))")
      return
    }
    #expect(applyMessage.contains("127.0.0.1:\(server.port)"))
  }
}
