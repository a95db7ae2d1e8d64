import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Independent pieces of work spread over the machine's processors, with results (and the
/// first error) exactly as a plain loop would give them: reading and emitting the objects
/// of a large release is a few hundred such pieces.
package enum Parallel {
  /// The processors this process may run on (at least 1).
  package static let processors: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

  /// `transform` of each element, in the elements' order. Elements are handed out one at a
  /// time to as many threads as there are processors; with fewer than two elements or one
  /// processor everything runs on the calling thread. When transforms fail, the error of the
  /// first failing element (in order) is thrown, as a sequential loop would throw it.
  package static func map<Element: Sendable, Result: Sendable, Failure: Error>(
    _ elements: [Element], _ transform: @Sendable (Element) throws(Failure) -> Result
  ) throws(Failure) -> [Result] {
    if elements.count < 2 || processors < 2 {
      var results: [Result] = []
      results.reserveCapacity(elements.count)
      for element in elements { results.append(try transform(element)) }
      return results
    }
    let outcomes = Outcomes<Result, Failure>(count: elements.count)
    DispatchQueue.concurrentPerform(iterations: elements.count) { index in
      do throws(Failure) {
        outcomes.store(.success(try transform(elements[index])), at: index)
      } catch {
        outcomes.store(.failure(error), at: index)
      }
    }
    return try outcomes.collect()
  }
}

/// One slot per element, each written by exactly one worker before `concurrentPerform`
/// returns, so the slots need no lock.
private final class Outcomes<Success, Failure: Error>: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<Swift.Result<Success, Failure>?>

  init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  func store(_ outcome: Swift.Result<Success, Failure>, at index: Int) { slots[index] = outcome }

  func collect() throws(Failure) -> [Success] {
    var results: [Success] = []
    results.reserveCapacity(slots.count)
    for slot in slots {
      switch slot {
      case .success(let value)?: results.append(value)
      case .failure(let error)?: throw error
      // Every slot is written: concurrentPerform runs each index once before returning.
      case nil: continue
      }
    }
    return results
  }
}
