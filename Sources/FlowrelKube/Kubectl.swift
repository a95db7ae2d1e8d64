import Foundation
import FlowrelManifest
import FlowrelValue

/// A `KubeClient` that runs the `kubectl` program, with manifests as JSON on stdin.
public struct Kubectl: KubeClient {
  /// The kubectl program: a path, or a name looked up on PATH; `nil` means the environment
  /// variable `FLOWREL_KUBECTL`, else `kubectl` on PATH.
  public var executable: String?
  /// `--kubeconfig`; `nil` leaves kubectl's own default (`KUBECONFIG`, `~/.kube/config`).
  public var kubeconfig: String?
  /// `--context` (flowrel's `--kube-context`); `nil` is the kubeconfig's current context.
  public var context: String?
  /// `-n`: the namespace of objects that name none; `nil` is the context's namespace.
  public var namespace: String?
  /// The field manager that owns what flowrel applies.
  public var fieldManager = "flowrel"
  /// The time limit of every kubectl command except waiting (which has its own timeout).
  public var commandTimeout = GoDuration.seconds(300)
  /// Variables added to kubectl's environment (over flowrel's own).
  public var environment: [String: String] = [:]

  /// A client; every argument is optional (see the properties).
  public init(
    executable: String? = nil, kubeconfig: String? = nil, context: String? = nil, namespace: String? = nil
  ) {
    self.executable = executable
    self.kubeconfig = kubeconfig
    self.context = context
    self.namespace = namespace
  }

  // MARK: Operations

  public func checkCluster() async throws(KubeError) -> String {
    let output = try await run(["get", "--raw", "/version"])
    guard output.exitCode == 0 else {
      throw failure(output, command: "kubectl get --raw /version")
    }
    let version: Value
    do {
      version = try Value(jsonText: output.stdout)
    } catch {
      throw .unexpectedOutput(command: "kubectl get --raw /version", reason: error.description)
    }
    guard let gitVersion = version["gitVersion"]?.stringValue else {
      throw .unexpectedOutput(command: "kubectl get --raw /version", reason: "no gitVersion in the answer")
    }
    return gitVersion
  }

  public func apply(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) {
    guard !manifests.isEmpty else { return }
    var arguments = ["apply", "--server-side", "--field-manager=\(fieldManager)", "-o", "name", "-f", "-"]
    if forceConflicts { arguments.append("--force-conflicts") }
    let output = try await run(arguments, input: try Self.jsonStream(manifests))
    guard output.exitCode != 0 else { return }
    if let unreachable = Self.unreachable(output.stderr) { throw unreachable }
    if let conflicts = Self.conflicts(output, manifests: manifests) { throw .conflict(conflicts) }
    throw .applyFailed(Self.trimmed(output.stderr))
  }

  public func delete(_ objects: [ObjectIdentity]) async throws(KubeError) {
    guard !objects.isEmpty else { return }
    // Identity-only documents: kubectl deletes them in this order, each in its own namespace.
    var references: [String] = []
    for object in objects {
      let metadata: Value =
        object.namespace.map { ["name": .string(object.name), "namespace": .string($0)] } ?? ["name": .string(object.name)]
      references.append(
        try Self.json(["apiVersion": .string(object.apiVersion), "kind": .string(object.kind), "metadata": metadata]))
    }
    let input = references.joined(separator: "\n")
    let output = try await run(
      ["delete", "--ignore-not-found", "--wait=true", "--timeout=\(commandTimeout)", "-f", "-"], input: input)
    guard output.exitCode == 0 else {
      throw Self.unreachable(output.stderr) ?? .deleteFailed(Self.trimmed(output.stderr))
    }
  }

  public func ensureNamespace(_ name: String) async throws(KubeError) -> Bool {
    let namespace: Value = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
    let output = try await run(["create", "-f", "-"], input: try Self.json(namespace))
    if output.exitCode == 0 { return true }
    if output.stderr.contains("(AlreadyExists)") { return false }
    throw failure(output, command: "kubectl create namespace \(name)")
  }

  public func waitUntilReady(
    _ objects: [ObjectIdentity], timeout: GoDuration, progress: @escaping @Sendable (WorkloadProgress) -> Void
  ) async throws(KubeError) {
    // kubectl reads a zero timeout as "wait forever"; flowrel's --timeout always means a limit.
    guard timeout.nanoseconds > 0 else {
      throw .invalidDuration(timeout.description, reason: "a wait needs a timeout above zero")
    }
    let workloads = objects.filter { Self.waitKind($0) != nil }
    let outcomes = await withTaskGroup(of: (Int, WaitOutcome).self) { group in
      for (index, object) in workloads.enumerated() {
        group.addTask { (index, await self.waitFor(object, timeout: timeout, progress: progress)) }
      }
      var outcomes = [WaitOutcome](repeating: .ready, count: workloads.count)
      for await (index, outcome) in group { outcomes[index] = outcome }
      return outcomes
    }
    var notReady: [WorkloadProgress] = []
    for (object, outcome) in zip(workloads, outcomes) {
      switch outcome {
      case .ready: break
      case .timedOut(let last): notReady.append(last)
      case .failed(let error): throw error
      case .rolloutFailed(let message): throw .rolloutFailed(object, message)
      }
    }
    if !notReady.isEmpty { throw .waitTimedOut(timeout: timeout, notReady: notReady) }
  }

  public func currentObjects(_ objects: [ObjectIdentity]) async throws(KubeError) -> [ObjectIdentity: Value] {
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

  public func drift(_ manifests: [Manifest], forceConflicts: Bool) async throws(KubeError) -> String? {
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

  // MARK: Waiting

  private enum WaitOutcome: Sendable {
    case ready
    case timedOut(WorkloadProgress)
    case rolloutFailed(String)
    case failed(KubeError)
  }

  /// How to wait for an object: `rollout status` for rolling workloads, `wait` for Jobs.
  private enum WaitKind { case rollout, jobCompletion }

  private static func waitKind(_ object: ObjectIdentity) -> WaitKind? {
    switch (object.group, object.kind) {
    case ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"): .rollout
    case ("batch", "Job"): .jobCompletion
    default: nil
    }
  }

  private func waitFor(
    _ object: ObjectIdentity, timeout: GoDuration, progress: @escaping @Sendable (WorkloadProgress) -> Void
  ) async -> WaitOutcome {
    let last = LastProgress(WorkloadProgress(object: object, message: "not checked yet", isReady: false))
    let report: @Sendable (WorkloadProgress) -> Void = { update in
      last.set(update)
      progress(update)
    }
    var arguments: [String]
    switch Self.waitKind(object) {
    case .jobCompletion?:
      arguments = ["wait", "--for=condition=complete", Self.reference(object)]
      report(WorkloadProgress(object: object, message: "Waiting for job \"\(object.name)\" to complete...", isReady: false))
    default:
      arguments = ["rollout", "status", Self.reference(object), "--watch=true"]
    }
    arguments.append("--timeout=\(timeout)")
    if let namespace = object.namespace { arguments += ["-n", namespace] }
    let isJob = Self.waitKind(object) == .jobCompletion
    // `kubectl wait` prints only at the end; `rollout status` prints a line per change.
    var onLine: (@Sendable (String) -> Void)? = nil
    if !isJob {
      onLine = { (line: String) -> Void in
        let message = line.trimmingCharacters(in: .whitespaces)
        guard !message.isEmpty else { return }
        let ready = !message.lowercased().hasPrefix("waiting")
        report(WorkloadProgress(object: object, message: message, isReady: ready))
      }
    }
    // kubectl stops itself at `timeout`; the extra time only catches a kubectl that hangs.
    let limit = GoDuration(nanoseconds: timeout.nanoseconds.addingReportingOverflow(30_000_000_000).partialValue)
    let output: CommandOutput
    do throws(KubeError) {
      output = try await run(arguments, namespaced: object.namespace == nil, timeout: limit, onStdoutLine: onLine)
    } catch {
      return .failed(error)
    }
    if output.exitCode == 0 {
      if isJob { report(WorkloadProgress(object: object, message: "job \"\(object.name)\" complete", isReady: true)) }
      return .ready
    }
    if output.timedOut || output.stderr.contains("timed out waiting for the condition") {
      return .timedOut(last.get())
    }
    if let unreachable = Self.unreachable(output.stderr) { return .failed(unreachable) }
    return .rolloutFailed(Self.trimmed(output.stderr))
  }

  // MARK: Running kubectl

  /// Runs kubectl with the connection flags; `namespaced` adds `-n` when a namespace is set.
  private func run(
    _ arguments: [String], input: String? = nil, namespaced: Bool = true, timeout: GoDuration? = nil,
    onStdoutLine: (@Sendable (String) -> Void)? = nil
  ) async throws(KubeError) -> CommandOutput {
    let environment = ProcessInfo.processInfo.environment.merging(self.environment) { _, ours in ours }
    let path = try Self.resolveExecutable(executable ?? environment["FLOWREL_KUBECTL"], environment: environment)
    var flags: [String] = []
    if let kubeconfig { flags += ["--kubeconfig", kubeconfig] }
    if let context { flags += ["--context", context] }
    if namespaced, let namespace { flags += ["-n", namespace] }
    let limit = timeout ?? commandTimeout
    let output = try await Subprocess.run(
      executable: path, arguments: arguments + flags, environment: environment, input: input, timeout: limit,
      onStdoutLine: onStdoutLine)
    if output.timedOut && timeout == nil {
      throw .commandTimedOut(command: Self.commandName(arguments), timeout: limit)
    }
    return output
  }

  /// The kubectl to run: a path as given (it must be executable), or a name found on PATH.
  static func resolveExecutable(_ configured: String?, environment: [String: String]) throws(KubeError) -> String {
    let name = (configured?.isEmpty == false ? configured : nil) ?? "kubectl"
    let files = FileManager.default
    if name.contains("/") {
      guard files.isExecutableFile(atPath: name) else { throw .kubectlNotFound(name) }
      return name
    }
    for directory in (environment["PATH"] ?? "").split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if files.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw .kubectlNotFound("\"\(name)\" on PATH")
  }

  /// `kubectl apply` for `["apply", "--server-side", ...]`: the words before the first flag.
  private static func commandName(_ arguments: [String]) -> String {
    (["kubectl"] + arguments.prefix { !$0.hasPrefix("-") }.prefix(2)).joined(separator: " ")
  }

  private func failure(_ output: CommandOutput, command: String) -> KubeError {
    Self.unreachable(output.stderr)
      ?? .commandFailed(command: command, exitCode: output.exitCode, stderr: Self.trimmed(output.stderr))
  }

  /// kubectl's ways of saying the API server did not answer.
  private static let unreachableMarkers = [
    "The connection to the server", "Unable to connect to the server", "connection refused", "no such host",
    "i/o timeout", "dial tcp",
  ]

  /// The unreachable-server error in `stderr`, if there is one. kubectl sometimes wraps the
  /// network error in advice that does not fit (`turn validation off with --validate=false`),
  /// so from a `dial tcp` line only the network error itself is kept.
  static func unreachable(_ stderr: String) -> KubeError? {
    guard
      let line = stderr.split(separator: "\n").first(where: { line in unreachableMarkers.contains(where: line.contains) })
    else { return nil }
    guard let dial = line.range(of: "dial tcp") else { return .clusterUnreachable(trimmed(String(line))) }
    let network = line[dial.lowerBound...].prefix { $0 != ";" }
    return .clusterUnreachable(trimmed(String(network)))
  }

  private static func trimmed(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  // MARK: Formats

  /// `Deployment.v1.apps/web`, `ConfigMap.v1./settings`: kind, version and group spelled out,
  /// so kubectl never guesses between resources with the same short name.
  static func reference(_ object: ObjectIdentity) -> String {
    "\(object.kind).\(object.version).\(object.group)/\(object.name)"
  }

  private static func json(_ value: Value) throws(KubeError) -> String {
    do {
      return try value.jsonText()
    } catch {
      throw .unexpectedOutput(command: "JSON encoding", reason: error.description)
    }
  }

  /// One JSON object per line: kubectl reads a stream of JSON documents (as it reads a YAML stream).
  private static func jsonStream(_ manifests: [Manifest]) throws(KubeError) -> String {
    var lines: [String] = []
    for manifest in manifests {
      do {
        lines.append(try manifest.jsonText())
      } catch {
        throw .invalidManifest(error)
      }
    }
    return lines.joined(separator: "\n") + "\n"
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

  // MARK: Conflicts

  /// The field-manager conflicts in a failed apply, each paired with its object; `nil` when the
  /// failure is something else (or cannot be attributed to objects with certainty).
  ///
  /// kubectl's conflict message does not name the object, but kubectl goes on with the other
  /// objects and prints each applied one (`-o name`), in order. The objects missing from that
  /// list failed, in manifest order, and kubectl reports their errors in the same order.
  static func conflicts(_ output: CommandOutput, manifests: [Manifest]) -> [FieldConflict]? {
    guard let blocks = conflictBlocks(output.stderr), !blocks.isEmpty else { return nil }
    var applied = output.stdout.split(separator: "\n").map { trimmed(String($0)) }
    var failed: [ObjectIdentity] = []
    for manifest in manifests {
      if let index = applied.firstIndex(of: manifest.identity.kubectlName) {
        applied.remove(at: index)
      } else {
        failed.append(manifest.identity)
      }
    }
    guard failed.count == blocks.count else { return nil }
    return zip(failed, blocks).flatMap { object, block in
      block.map { FieldConflict(object: object, manager: $0.manager, fields: $0.fields) }
    }
  }

  /// Splits stderr into one block per failed object, each a list of (manager, fields); `nil`
  /// when stderr holds an error that is not a conflict.
  static func conflictBlocks(_ stderr: String) -> [[(manager: String, fields: [String])]]? {
    var blocks: [[(manager: String, fields: [String])]] = []
    for rawLine in stderr.split(separator: "\n") {
      var line = trimmed(String(rawLine))
      if line.hasPrefix("error: ") { line.removeFirst("error: ".count) }
      if line.hasPrefix("Apply failed with ") {
        blocks.append([])
        guard let colon = line.range(of: ": ") else { return nil }
        line = String(line[colon.upperBound...])
      } else if line.hasPrefix("Error from server") || line.hasPrefix("error") {
        return nil
      }
      guard !blocks.isEmpty else { continue }
      if let conflict = parseConflictLine(line) {
        blocks[blocks.count - 1].append(conflict)
      } else if line.hasPrefix("- "), var current = blocks[blocks.count - 1].popLast() {
        current.fields.append(String(line.dropFirst(2)))
        blocks[blocks.count - 1].append(current)
      }
    }
    return blocks.contains(where: \.isEmpty) ? nil : blocks
  }

  /// `conflict with "M" using V: .path` or `conflicts with "M" using V:` (fields follow).
  private static func parseConflictLine(_ line: String) -> (manager: String, fields: [String])? {
    let prefix: String
    if line.hasPrefix("conflict with \"") {
      prefix = "conflict with \""
    } else if line.hasPrefix("conflicts with \"") {
      prefix = "conflicts with \""
    } else {
      return nil
    }
    let rest = line.dropFirst(prefix.count)
    guard let quote = rest.firstIndex(of: "\"") else { return nil }
    let manager = String(rest[..<quote])
    let tail = rest[rest.index(after: quote)...]
    guard let colon = tail.range(of: ":") else { return (manager, []) }
    let field = trimmed(String(tail[colon.upperBound...]))
    return (manager, field.isEmpty ? [] : [field])
  }
}

/// The latest progress of one workload, shared between the output reader and the waiter.
private final class LastProgress: @unchecked Sendable {
  private let lock = NSLock()
  private var value: WorkloadProgress

  init(_ value: WorkloadProgress) { self.value = value }

  func set(_ new: WorkloadProgress) {
    lock.lock()
    value = new
    lock.unlock()
  }

  func get() -> WorkloadProgress {
    lock.lock()
    defer { lock.unlock() }
    return value
  }
}
