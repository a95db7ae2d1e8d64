import FlowrelManifest
import FlowrelValue
import Logging

/// A `KubeClient` that runs the `kubectl` program, with manifests as JSON on stdin.
///
/// This file holds the client's settings and its commands; waiting is in Kubectl+Waiting.swift,
/// running kubectl in Kubectl+Running.swift, its arguments and input in Kubectl+Arguments.swift,
/// and reading apply conflicts in Kubectl+Conflicts.swift.
package struct Kubectl: KubeClient {
  /// The kubectl program: a path, or a name looked up on PATH; `nil` means the environment
  /// variable `FLOWREL_KUBECTL`, else `kubectl` on PATH.
  package var executable: String?
  /// `--kubeconfig`; `nil` leaves kubectl's own default (`KUBECONFIG`, `~/.kube/config`).
  package var kubeconfig: String?
  /// `--context` (flowrel's `--kube-context`); `nil` is the kubeconfig's current context.
  package var context: String?
  /// `-n`: the namespace of objects that name none; `nil` is the context's namespace.
  package var namespace: String?
  /// The field manager that owns what flowrel applies.
  package var fieldManager = "flowrel"
  /// The time limit of every kubectl command except waiting (which has its own timeout).
  package var commandTimeout = GoDuration.seconds(300)
  /// Variables added to kubectl's environment (over flowrel's own).
  package var environment: [String: String] = [:]
  /// Where each kubectl command line (never its input) and its duration go, at `.debug`;
  /// by default nowhere.
  package var logger = Logger(label: "flowrel.kube", factory: { _ in SwiftLogNoOpLogHandler() })

  /// A client; every argument is optional (see the properties).
  package init(
    executable: String? = nil, kubeconfig: String? = nil, context: String? = nil, namespace: String? = nil
  ) {
    self.executable = executable
    self.kubeconfig = kubeconfig
    self.context = context
    self.namespace = namespace
  }

  package func checkCluster() async throws(KubeError) -> String {
    let command = "kubectl get --raw /version"
    let output = try await run(["get", "--raw", "/version"])
    guard output.exitCode == 0 else { throw failure(output, command: command) }
    let version: Value
    do {
      version = try Value(jsonText: output.stdout)
    } catch {
      throw .unexpectedOutput(command: command, reason: error.description)
    }
    guard let gitVersion = version["gitVersion"]?.stringValue else {
      throw .unexpectedOutput(command: command, reason: "no gitVersion in the answer")
    }
    return gitVersion
  }

  package func apply(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) {
    guard !manifests.isEmpty else { return }
    var arguments = ["apply", "--server-side", "--field-manager=\(fieldManager)", "-o", "name", "-f", "-"]
    if forceConflicts { arguments.append("--force-conflicts") }
    let output = try await run(arguments, input: try Self.jsonStream(manifests))
    guard output.exitCode != 0 else { return }
    if let unreachable = Self.unreachable(output.stderr) { throw unreachable }
    if let conflicts = Self.conflicts(output, manifests: manifests) { throw .conflict(conflicts) }
    throw .applyFailed(Self.trimmed(output.stderr))
  }

  package func delete(_ objects: [ObjectIdentity]) async throws(KubeError) {
    guard !objects.isEmpty else { return }
    let output = try await run(
      ["delete", "--ignore-not-found", "--wait=true", "--timeout=\(commandTimeout)", "-f", "-"],
      input: try Self.identityStream(objects))
    guard output.exitCode == 0 else {
      throw Self.unreachable(output.stderr) ?? .deleteFailed(Self.trimmed(output.stderr))
    }
  }

  package func ensureNamespace(_ name: String) async throws(KubeError) -> Bool {
    let namespace: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    let output = try await run(["create", "-f", "-"], input: try Self.json(namespace))
    if output.exitCode == 0 { return true }
    if output.stderr.contains("(AlreadyExists)") { return false }
    throw failure(output, command: "kubectl create namespace \(name)")
  }

  package func currentObjects(_ objects: [ObjectIdentity]) async throws(KubeError) -> [ObjectIdentity: Value] {
    // One `kubectl get` per namespace; an object without a namespace is read from the client's
    // (or the context's) namespace, and matched by group, kind and name alone.
    var byNamespace: [String?: [ObjectIdentity]] = [:]
    for object in objects { byNamespace[object.isNamespaced ? object.namespace : nil, default: []].append(object) }
    var result: [ObjectIdentity: Value] = [:]
    for namespace in byNamespace.keys.sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
      let requested = byNamespace[namespace] ?? []
      var arguments = ["get"] + requested.map(Self.reference) + ["-o", "json", "--ignore-not-found"]
      if let namespace { arguments += ["-n", namespace] }
      let output = try await run(arguments, namespaced: namespace == nil)
      guard output.exitCode == 0 else { throw failure(output, command: "kubectl get") }
      for item in try Self.items(output.stdout) {
        guard let live = try? Manifest(content: item).identity else { continue }
        for object in requested where object.group == live.group && object.kind == live.kind && object.name == live.name {
          result[object] = item
        }
      }
    }
    return result
  }

  package func drift(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) -> String? {
    guard !manifests.isEmpty else { return nil }
    var arguments = ["diff", "--server-side", "--field-manager=\(fieldManager)", "-f", "-"]
    if forceConflicts { arguments.append("--force-conflicts") }
    let output = try await run(arguments, input: try Self.jsonStream(manifests))
    switch output.exitCode {
    case 0: return nil
    case 1: return output.stdout
    default: throw Self.unreachable(output.stderr) ?? .diffFailed(Self.trimmed(output.stderr))
    }
  }

  /// The objects of `kubectl get -o json`: a `List`'s items, a single object, or nothing.
  private static func items(_ stdout: String) throws(KubeError) -> [Value] {
    guard !trimmed(stdout).isEmpty else { return [] }
    let value: Value
    do {
      value = try Value(jsonText: stdout)
    } catch {
      throw .unexpectedOutput(command: "kubectl get", reason: error.description)
    }
    if let items = value["items"]?.listValue { return items }
    return [value]
  }
}
