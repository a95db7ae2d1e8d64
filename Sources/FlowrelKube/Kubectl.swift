import FlowrelManifest
import Foundation
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

  package var contextName: String? {
    // The kubeconfig as kubectl finds it: in flowrel's environment with this client's own variables over it.
    context ?? Kubeconfig.currentContext(
      kubeconfig: kubeconfig, environment: ProcessInfo.processInfo.environment.merging(environment) { _, own in own })
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
    try await serverSideApply(manifests, forceConflicts: forceConflicts, dryRun: false)
  }

  package func validate(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) {
    try await serverSideApply(manifests, forceConflicts: forceConflicts, dryRun: true)
  }

  /// `kubectl apply --server-side`, with `--dry-run=server` when `dryRun` (its refusal is then
  /// a validation failure: nothing was changed).
  private func serverSideApply(_ manifests: [Manifest], forceConflicts: Bool, dryRun: Bool) async throws(KubeError) {
    guard !manifests.isEmpty else { return }
    var arguments = ["apply", "--server-side", "--field-manager=\(fieldManager)", "-o", "name", "-f", "-"]
    if forceConflicts { arguments.append("--force-conflicts") }
    if dryRun { arguments.append("--dry-run=server") }
    let output = try await run(arguments, input: try Self.jsonStream(manifests))
    guard output.exitCode != 0 else { return }
    if let unreachable = Self.unreachable(output.stderr) { throw unreachable }
    if let conflicts = Self.conflicts(output, manifests: manifests) { throw .conflict(conflicts) }
    throw dryRun ? .validationFailed(Self.trimmed(output.stderr)) : .applyFailed(Self.trimmed(output.stderr))
  }

  package func replace(_ manifest: Manifest) async throws(KubeError) -> Replacement {
    let input = try Self.jsonStream([manifest])
    let flags = ["--field-manager=\(fieldManager)", "-o", "name", "-f", "-"]
    let failed: @Sendable (CommandOutput) -> KubeError = { output in
      Self.unreachable(output.stderr) ?? .replaceFailed(manifest.identity, Self.trimmed(output.stderr))
    }
    let replaced = try await run(["replace"] + flags, input: input)
    if replaced.exitCode == 0 { return .replaced }
    if Self.unreachable(replaced.stderr) == nil, replaced.stderr.contains("(NotFound)") {
      let created = try await run(["create"] + flags, input: input)
      guard created.exitCode == 0 else { throw failed(created) }
      return .created
    }
    // kubectl's `replace --force` deletes the object, waits until it is gone, and creates it.
    guard let reason = Self.immutableField(replaced.stderr) else { throw failed(replaced) }
    let recreated = try await run(["replace", "--force"] + flags, input: input)
    guard recreated.exitCode == 0 else { throw failed(recreated) }
    return .recreated(reason: reason)
  }

  package func takeOwnership(_ manifests: [Manifest]) async throws(KubeError) {
    guard !manifests.isEmpty else { return }
    let reset = try await run(
      ["patch", "--type=merge", "-p", #"{"metadata":{"managedFields":[{}]}}"#, "-o", "name", "-f", "-"],
      input: try Self.identityStream(manifests.map(\.identity)))
    guard reset.exitCode == 0 else { throw failure(reset, command: "kubectl patch") }
    try await apply(manifests, forceConflicts: false)
  }

  /// The server's words for a refused change of an immutable field (`spec.selector: Invalid
  /// value: ...: field is immutable`), or `nil` when the refusal is something else.
  static func immutableField(_ stderr: String) -> String? {
    guard let line = stderr.split(separator: "\n").first(where: { $0.contains("field is immutable") }) else { return nil }
    // `The Deployment "web" is invalid: spec.selector: ...`: the part after the object.
    guard let start = line.range(of: " is invalid: ") else { return trimmed(String(line)) }
    return trimmed(String(line[start.upperBound...]))
  }

  package func delete(_ objects: [ObjectIdentity]) async throws(KubeError) {
    guard !objects.isEmpty else { return }
    let output = try await run(
      ["delete", "--ignore-not-found", "--wait=false", "-f", "-"], input: try Self.identityStream(objects))
    guard output.exitCode == 0 else {
      throw Self.unreachable(output.stderr) ?? .deleteFailed(Self.trimmed(output.stderr))
    }
  }

  package func waitUntilDeleted(_ objects: [ObjectIdentity], timeout: GoDuration) async throws(KubeError) {
    // kubectl reads a zero timeout as "wait forever"; flowrel's --timeout always means a limit.
    guard timeout.nanoseconds > 0 else { throw .invalidTimeout(timeout) }
    let clock = ContinuousClock()
    let deadline = clock.now + timeout.swiftDuration
    for (namespace, requested) in Self.byNamespace(objects) {
      let left = clock.now.duration(to: deadline).components
      let nanoseconds = max(left.seconds * 1_000_000_000 + left.attoseconds / 1_000_000_000, 1_000_000)
      var arguments = ["wait", "--for=delete"] + requested.map(Self.reference)
      arguments.append("--timeout=\(GoDuration(nanoseconds: nanoseconds))")
      if let namespace { arguments += ["-n", namespace] }
      // kubectl stops itself at its timeout; the extra time only catches a kubectl that hangs.
      let (extended, overflow) = nanoseconds.addingReportingOverflow(30_000_000_000)
      let output = try await run(
        arguments, namespaced: namespace == nil, timeout: GoDuration(nanoseconds: overflow ? Int64.max : extended))
      if output.exitCode == 0 { continue }
      guard output.timedOut || output.stderr.contains("timed out waiting") else {
        throw failure(output, command: "kubectl wait")
      }
      let remaining = try await currentObjects(objects).keys.sorted { $0.description < $1.description }
      if !remaining.isEmpty { throw .deleteTimedOut(timeout: timeout, remaining: remaining) }
      return
    }
  }

  /// Objects grouped by the namespace to ask in (`nil`: the client's or the context's, for
  /// cluster-wide objects and objects that name none), in a fixed order.
  private static func byNamespace(_ objects: [ObjectIdentity]) -> [(String?, [ObjectIdentity])] {
    var groups: [String?: [ObjectIdentity]] = [:]
    for object in objects { groups[object.isNamespaced ? object.namespace : nil, default: []].append(object) }
    return groups.keys.sorted { ($0 ?? "") < ($1 ?? "") }.map { ($0, groups[$0] ?? []) }
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
    var result: [ObjectIdentity: Value] = [:]
    for (namespace, requested) in Self.byNamespace(objects) {
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
