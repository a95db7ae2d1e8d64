import FlowrelParallel
import Synchronization
import Testing

struct Failure: Error, Equatable {
  let index: Int
}

@Test func resultsKeepTheElementsOrder() {
  let elements = Array(0..<1_000)
  #expect(Parallel.map(elements) { $0 * 3 } == elements.map { $0 * 3 })
}

@Test func emptyAndSingleElementInputs() {
  #expect(Parallel.map([Int]()) { $0 }.isEmpty)
  #expect(Parallel.map([7]) { "\($0)" } == ["7"])
}

@Test func everyElementIsTransformedExactlyOnce() {
  let calls = Mutex([Int](repeating: 0, count: 500))
  _ = Parallel.map(Array(0..<500)) { index in calls.withLock { $0[index] += 1 } }
  #expect(calls.withLock { $0 } == [Int](repeating: 1, count: 500))
}

@Test func theFirstFailingElementsErrorIsThrown() {
  // Elements 10, 20, ... fail; whichever thread fails first, the error is element 10's.
  for _ in 0..<20 {
    #expect(throws: Failure(index: 10)) {
      try Parallel.map(Array(0..<200)) { (index) throws(Failure) -> Int in
        if index > 0 && index % 10 == 0 { throw Failure(index: index) }
        return index
      }
    }
  }
}

@Test func workRunsOnSeveralThreadsWhenThereAreProcessors() {
  guard Parallel.processors > 1 else { return }
  // Each element waits (up to two seconds) until two elements are running at once, or have
  // been: only workers on different threads can meet.
  let running = Atomic<Int>(0)
  let met = Atomic<Bool>(false)
  let clock = ContinuousClock()
  _ = Parallel.map(Array(0..<8)) { _ in
    running.add(1, ordering: .sequentiallyConsistent)
    let deadline = clock.now + .seconds(2)
    while !met.load(ordering: .sequentiallyConsistent) && running.load(ordering: .sequentiallyConsistent) < 2
      && clock.now < deadline
    {}
    if running.load(ordering: .sequentiallyConsistent) >= 2 { met.store(true, ordering: .sequentiallyConsistent) }
    running.subtract(1, ordering: .sequentiallyConsistent)
  }
  let workersMet = met.load(ordering: .sequentiallyConsistent)
  #expect(workersMet)
}

@Test func aStreamReturnsEveryOutputInSubmissionOrder() {
  let stream = Parallel.Stream<Int, String> { "\($0)" }
  for chunk in stride(from: 0, to: 300, by: 7) { stream.submit(Array(chunk..<min(chunk + 7, 300))) }
  stream.submit([])
  #expect(stream.finish() == (0..<300).map { "\($0)" })
}

@Test func aStreamWorksOnElementsBeforeFinishIsCalled() {
  guard Parallel.processors > 1 else { return }
  let done = Atomic<Int>(0)
  let stream = Parallel.Stream<Int, Int> { element in
    done.add(1, ordering: .sequentiallyConsistent)
    return element * 2
  }
  stream.submit(Array(0..<10))
  // The background worker transforms them while the caller does other work (here: waits).
  let clock = ContinuousClock()
  let deadline = clock.now + .seconds(5)
  while done.load(ordering: .sequentiallyConsistent) < 10 && clock.now < deadline {}
  let transformedBeforeFinish = done.load(ordering: .sequentiallyConsistent)
  #expect(transformedBeforeFinish == 10)
  #expect(stream.finish() == (0..<10).map { $0 * 2 })
}

@Test func aCancelledStreamStopsItsWorkersAndTransformsNothingMore() {
  let started = Atomic<Int>(0)
  let stream = Parallel.Stream<Int, Int> { element in
    started.add(1, ordering: .sequentiallyConsistent)
    return element
  }
  stream.cancel()
  stream.submit(Array(0..<1_000))
  #expect(started.load(ordering: .sequentiallyConsistent) == 0)
}

/// An element that tells when it is freed.
private final class Tracked: Sendable {
  let freed: @Sendable () -> Void
  init(freed: @escaping @Sendable () -> Void) { self.freed = freed }
  deinit { freed() }
}

@Test func aStreamLetsGoOfEachElementOnceItIsTransformed() {
  let freed = Atomic<Int>(0)
  let stream = Parallel.Stream<Tracked, Int>(maxWaiting: 4) { _ in 1 }
  for _ in 0..<50 { stream.submit([Tracked { freed.add(1, ordering: .sequentiallyConsistent) }]) }
  // Before `finish`: all but the few still waiting (or being transformed) are gone.
  let freedBeforeFinish = freed.load(ordering: .sequentiallyConsistent)
  #expect(freedBeforeFinish >= 50 - 4 - Parallel.processors)
  #expect(stream.finish().count == 50)
  let freedAfterFinish = freed.load(ordering: .sequentiallyConsistent)
  #expect(freedAfterFinish == 50)
}

@Test func aProducerAheadOfTheWorkersTransformsElementsItself() {
  let release = Atomic<Bool>(false)
  let started = Atomic<Int>(0)
  let stream = Parallel.Stream<Int, Int>(maxWaiting: 4) { element in
    started.add(1, ordering: .sequentiallyConsistent)
    // A negative element keeps its worker busy until the test lets it go.
    if element < 0 { while !release.load(ordering: .sequentiallyConsistent) {} }
    return element
  }
  let workers = Parallel.processors - 1
  let clock = ContinuousClock()
  for busy in 0..<workers {
    stream.submit([-1 - busy])
    let deadline = clock.now + .seconds(5)
    while started.load(ordering: .sequentiallyConsistent) < busy + 1 && clock.now < deadline {}
  }
  stream.submit(Array(0..<100))
  // Every worker is busy: the caller transformed all but the last 4 of the 100.
  let transformedBySubmit = started.load(ordering: .sequentiallyConsistent)
  release.store(true, ordering: .sequentiallyConsistent)
  #expect(transformedBySubmit == workers + 96)
  #expect(stream.finish() == (0..<workers).map { -1 - $0 } + Array(0..<100))
}
