import Foundation

/// The result of an async operation, handed from the task that runs it to the thread that waits.
private final class Outcome<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var result: Result<T, any Error>?

  func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }
  func get() -> Result<T, any Error>? { lock.withLock { result } }
}

/// Runs an async cluster operation and waits for it on the calling thread.
///
/// The verbs hold the store's write lock (an OS file lock, held by a thread) while they apply
/// to the cluster, so they are synchronous; the kubectl client is async. Actions are run from
/// the CLI's main thread, never from the cooperative pool, so waiting here cannot starve it.
func waitFor<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
  let outcome = Outcome<T>()
  let done = DispatchSemaphore(value: 0)
  Task {
    do { outcome.set(.success(try await operation())) } catch { outcome.set(.failure(error)) }
    done.signal()
  }
  done.wait()
  guard let result = outcome.get() else { preconditionFailure("the operation signalled without a result") }
  return try result.get()
}
