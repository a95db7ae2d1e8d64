import FlowrelManifest
import FlowrelValue
import Foundation
import Synchronization

/// Waiting for workloads: `kubectl rollout status` for Deployments, StatefulSets and DaemonSets,
/// `kubectl wait --for=condition=complete` for Jobs and `--for=condition=Established` for
/// CustomResourceDefinitions (as Helm's wait checks them), all at once, with progress as it comes.
extension Kubectl {
  package func waitUntilReady(
    _ objects: [ObjectIdentity], timeout: GoDuration, progress: @escaping @Sendable (WorkloadProgress) -> Void
  ) async throws(KubeError) {
    // kubectl reads a zero timeout as "wait forever"; flowrel's --timeout always means a limit.
    guard timeout.nanoseconds > 0 else { throw .invalidTimeout(timeout) }
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

  private enum WaitOutcome: Sendable {
    case ready
    case timedOut(WorkloadProgress)
    case rolloutFailed(String)
    case failed(KubeError)
  }

  /// How to wait for an object: `rollout status` for rolling workloads, `wait` for a condition
  /// of Jobs and CRDs.
  private enum WaitKind: Equatable { case rollout, condition(String) }

  private static func waitKind(_ object: ObjectIdentity) -> WaitKind? {
    switch (object.group, object.kind) {
    case ("apps", "Deployment"), ("apps", "StatefulSet"), ("apps", "DaemonSet"): .rollout
    case ("batch", "Job"): .condition("complete")
    case ("apiextensions.k8s.io", "CustomResourceDefinition"): .condition("Established")
    default: nil
    }
  }

  private func waitFor(
    _ object: ObjectIdentity, timeout: GoDuration, progress: @escaping @Sendable (WorkloadProgress) -> Void
  ) async -> WaitOutcome {
    // The output reader reports progress while this waits; a timeout reports the last of it.
    let last = LatestProgress(WorkloadProgress(object: object, message: "not checked yet", isReady: false))
    let report: @Sendable (WorkloadProgress) -> Void = { update in
      last.value.withLock { $0 = update }
      progress(update)
    }
    let condition: String?
    if case .condition(let name) = Self.waitKind(object) { condition = name } else { condition = nil }
    let waitsForCondition = condition != nil
    let waiting = object.kind == "Job" ? "job \"\(object.name)\" to complete" : "CRD \"\(object.name)\" to be established"
    var arguments: [String]
    if let condition {
      arguments = ["wait", "--for=condition=\(condition)", Self.reference(object)]
      report(WorkloadProgress(object: object, message: "Waiting for \(waiting)...", isReady: false))
    } else {
      arguments = ["rollout", "status", Self.reference(object), "--watch=true"]
    }
    arguments.append("--timeout=\(timeout)")
    if let namespace = object.namespace { arguments += ["-n", namespace] }
    // `kubectl wait` prints only at the end; `rollout status` prints a line per change.
    var onLine: (@Sendable (String) -> Void)? = nil
    if !waitsForCondition {
      onLine = { line in
        let message = line.trimmingCharacters(in: .whitespaces)
        guard !message.isEmpty else { return }
        report(WorkloadProgress(object: object, message: message, isReady: !message.lowercased().hasPrefix("waiting")))
      }
    }
    // kubectl stops itself at `timeout`; the extra time only catches a kubectl that hangs.
    let (extended, overflow) = timeout.nanoseconds.addingReportingOverflow(30_000_000_000)
    let limit = GoDuration(nanoseconds: overflow ? Int64.max : extended)
    let output: CommandOutput
    do throws(KubeError) {
      output = try await run(arguments, namespaced: object.namespace == nil, timeout: limit, onStdoutLine: onLine)
    } catch {
      return .failed(error)
    }
    if output.exitCode == 0 {
      if waitsForCondition {
        let done = object.kind == "Job" ? "job \"\(object.name)\" complete" : "CRD \"\(object.name)\" established"
        report(WorkloadProgress(object: object, message: done, isReady: true))
      }
      return .ready
    }
    if output.timedOut || output.stderr.contains("timed out waiting for the condition") {
      return .timedOut(last.value.withLock { $0 })
    }
    if let unreachable = Self.unreachable(output.stderr) { return .failed(unreachable) }
    return .rolloutFailed(Self.trimmed(output.stderr))
  }
}

/// The latest progress of one workload, shared between the output reader and the waiter (a
/// reference, so that both closures can hold the one mutex).
private final class LatestProgress: Sendable {
  let value: Mutex<WorkloadProgress>

  init(_ value: WorkloadProgress) { self.value = Mutex(value) }
}
