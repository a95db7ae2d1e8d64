import FlowrelChart
import FlowrelKube
import Foundation

/// Helm's `lookup` on the configuration's kube client, for a render that talks to the cluster
/// (install and upgrade that apply, a server-side dry run). Templates run synchronously, on
/// threads of their own; each lookup runs the client's `lookup` as a task and waits for it.
/// The render must therefore not hold one of Swift concurrency's threads, which the task needs:
/// it runs through `KubeLookup.render`, on a thread of its own.
struct KubeLookup: ClusterLookup {
  let kube: any KubeClient

  func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value {
    let answer = Answer()
    Task { [kube] in
      do throws(KubeError) {
        answer.result = .success(try await kube.lookup(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name))
      } catch {
        answer.result = .failure(error)
      }
      answer.done.signal()
    }
    answer.done.wait()
    guard let result = answer.result else { throw KubeError.cancelled(command: "lookup \(apiVersion) \(kind)") }
    return try result.get()
  }

  /// The task's answer, handed over through the semaphore (written before `signal`, read
  /// after `wait`).
  private final class Answer: @unchecked Sendable {
    let done = DispatchSemaphore(value: 0)
    var result: Result<Value, KubeError>?
  }

  /// Runs `body` (a render that may call `lookup`) on a new thread and waits for it without
  /// holding a thread of Swift concurrency, so that the lookups' tasks can run.
  static func render<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      let thread = Thread { continuation.resume(with: Result { try body() }) }
      // As much stack as a main thread has: the render walks YAML and values recursively.
      thread.stackSize = 8 << 20
      thread.start()
    }
  }
}
