#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Parallel {
  /// A map whose elements arrive over time: `submit` hands elements over while the producer
  /// is still working (one background worker per spare processor transforms them meanwhile),
  /// and `finish` transforms what is left on every processor, the caller's thread included,
  /// and returns all results in submission order. Reading the documents of a template while
  /// the template engine writes the next ones is the case it is made for. An element is let go
  /// as soon as it is transformed, and the producer transforms elements itself while more than
  /// `maxWaiting` wait, so the elements held at once stay few however many pass through.
  package final class Stream<Element: Sendable, Output: Sendable>: @unchecked Sendable {
    private let transform: @Sendable (Element) -> Output
    /// Submitted elements; `nil` once claimed (transformed or being transformed).
    private var elements: [Element?] = []
    private var outputs: [Output?] = []
    /// The next element no worker has claimed.
    private var next = 0
    private var submitting = true
    private var workersRunning = 0
    /// The most elements left waiting for a worker before `submit` transforms some itself.
    private let maxWaiting: Int
    // Guards everything above; `changed` is signalled when elements arrive, submission ends
    // or a worker stops.
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()

    /// A stream transforming with `transform`, with `Parallel.processors - 1` background
    /// workers (none on a machine with one processor: then `submit` and `finish` do all the
    /// work), and at most `maxWaiting` elements waiting for them.
    package init(maxWaiting: Int = 16, _ transform: @escaping @Sendable (Element) -> Output) {
      self.transform = transform
      self.maxWaiting = max(maxWaiting, 1)
      pthread_mutex_init(&mutex, nil)
      pthread_cond_init(&changed, nil)
      for _ in 0..<(Parallel.processors - 1) {
        workersRunning += 1
        if !startWorker() { workersRunning -= 1 }
      }
    }

    deinit {
      pthread_cond_destroy(&changed)
      pthread_mutex_destroy(&mutex)
    }

    /// Adds elements; a waiting worker starts on them at once. While more than `maxWaiting`
    /// wait (the workers are behind, or there are none), the caller transforms the oldest.
    package func submit(_ newElements: [Element]) {
      guard !newElements.isEmpty else { return }
      pthread_mutex_lock(&mutex)
      elements.append(contentsOf: newElements.lazy.map { Optional($0) })
      outputs.append(contentsOf: repeatElement(nil, count: newElements.count))
      pthread_cond_broadcast(&changed)
      while submitting && elements.count - next > maxWaiting { transformNext() }
      pthread_mutex_unlock(&mutex)
    }

    /// Ends submission, helps with the elements left, waits for the workers, and returns the
    /// output of every element in the order they were submitted. Call it (or `cancel`) once:
    /// until then the workers wait for more elements.
    package func finish() -> [Output] {
      pthread_mutex_lock(&mutex)
      submitting = false
      pthread_cond_broadcast(&changed)
      pthread_mutex_unlock(&mutex)
      work(waitingForElements: false)
      pthread_mutex_lock(&mutex)
      while workersRunning > 0 { pthread_cond_wait(&changed, &mutex) }
      let results = outputs.compactMap { $0 }
      pthread_mutex_unlock(&mutex)
      return results
    }

    /// Claims and transforms elements until none are left; a background worker
    /// (`waitingForElements`) also waits for more while submission goes on.
    private func work(waitingForElements: Bool) {
      pthread_mutex_lock(&mutex)
      while true {
        if next < elements.count {
          transformNext()
        } else if waitingForElements && submitting {
          pthread_cond_wait(&changed, &mutex)
        } else {
          break
        }
      }
      pthread_mutex_unlock(&mutex)
    }

    /// Claims the next element, lets the stream's hold on it go, and transforms it (with the
    /// mutex released meanwhile). Called, and returns, with the mutex held.
    private func transformNext() {
      let index = next
      next += 1
      let element = elements[index]
      elements[index] = nil
      pthread_mutex_unlock(&mutex)
      let output = element.map(transform)
      pthread_mutex_lock(&mutex)
      outputs[index] = output
    }

    /// Ends submission without transforming the elements no worker has started on, and
    /// waits for the workers (after the producer failed, say).
    package func cancel() {
      pthread_mutex_lock(&mutex)
      submitting = false
      next = elements.count
      pthread_cond_broadcast(&changed)
      while workersRunning > 0 { pthread_cond_wait(&changed, &mutex) }
      pthread_mutex_unlock(&mutex)
    }

    private func startWorker() -> Bool {
      // The worker holds the stream until it stops, so the stream outlives its threads.
      let entry = Unmanaged.passRetained(WorkerEntry { [self] in self.runWorker() })
      #if canImport(Glibc)
        var thread = pthread_t()
      #else
        var thread: pthread_t?
      #endif
      let started =
        pthread_create(
          &thread, nil,
          { raw in
            guard let raw else { return nil }
            Unmanaged<WorkerEntry>.fromOpaque(raw).takeRetainedValue().run()
            return nil
          }, entry.toOpaque()) == 0
      guard started else {
        entry.release()
        return false
      }
      #if canImport(Glibc)
        pthread_detach(thread)
      #else
        if let thread { pthread_detach(thread) }
      #endif
      return true
    }

    private func runWorker() {
      work(waitingForElements: true)
      pthread_mutex_lock(&mutex)
      workersRunning -= 1
      pthread_cond_broadcast(&changed)
      pthread_mutex_unlock(&mutex)
    }
  }
}

/// A worker thread's entry: the closure it runs (the thread's start routine cannot be generic).
private final class WorkerEntry {
  let run: () -> Void
  init(_ run: @escaping () -> Void) { self.run = run }
}
