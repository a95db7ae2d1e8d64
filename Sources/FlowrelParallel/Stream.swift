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
  /// the template engine writes the next ones is the case it is made for.
  package final class Stream<Element: Sendable, Output: Sendable>: @unchecked Sendable {
    private let transform: @Sendable (Element) -> Output
    private var elements: [Element] = []
    private var outputs: [Output?] = []
    /// The next element no worker has claimed.
    private var next = 0
    private var submitting = true
    private var workersRunning = 0
    // Guards everything above; `changed` is signalled when elements arrive, submission ends
    // or a worker stops.
    private var mutex = pthread_mutex_t()
    private var changed = pthread_cond_t()

    /// A stream transforming with `transform`, with `Parallel.processors - 1` background
    /// workers (none on a machine with one processor: then `finish` does all the work).
    package init(_ transform: @escaping @Sendable (Element) -> Output) {
      self.transform = transform
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

    /// Adds elements; a waiting worker starts on them at once.
    package func submit(_ newElements: [Element]) {
      guard !newElements.isEmpty else { return }
      pthread_mutex_lock(&mutex)
      elements.append(contentsOf: newElements)
      outputs.append(contentsOf: repeatElement(nil, count: newElements.count))
      pthread_cond_broadcast(&changed)
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
          let index = next
          next += 1
          let element = elements[index]
          pthread_mutex_unlock(&mutex)
          let output = transform(element)
          pthread_mutex_lock(&mutex)
          outputs[index] = output
        } else if waitingForElements && submitting {
          pthread_cond_wait(&changed, &mutex)
        } else {
          break
        }
      }
      pthread_mutex_unlock(&mutex)
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
