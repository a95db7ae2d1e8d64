import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The store's write lock: `flock` on `<git dir>/flowrel.flock`, which the kernel releases when
/// the holding process ends, however it ends, so no crash can leave the store locked.
///
/// While a writer changes the repository, the lock file holds a note (`<pid> <start time>
/// <folder>`), cleared when the write is done. A note found by the next holder means the
/// previous writer died mid-write; that is how libgit2 lock files it left are told from those of
/// a running git (see `GitReleaseStore`).
final class WriteLock {
  private let descriptor: Int32

  /// What a writer that died mid-write was doing.
  struct PendingWrite {
    /// When it started (seconds since 1970).
    let start: Double
    /// The working-tree folder it was updating (repository-relative), or nil when it was not
    /// touching the working tree.
    let folder: String?
  }

  /// Waits, without blocking a thread, until the lock is held.
  static func acquire(gitDirectory: String) async throws(StoreError) -> WriteLock {
    let path = gitDirectory.hasSuffix("/") ? gitDirectory + "flowrel.flock" : gitDirectory + "/flowrel.flock"
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw .unwritable(path: gitDirectory, reason: "cannot open the lock file \(path): \(errnoText())") }
    var failure: String?
    await WriterExclusion.waitUntil {
      if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
      if errno == EWOULDBLOCK || errno == EINTR { return false }
      failure = errnoText()
      return true
    }
    if let failure {
      close(fd)
      throw .unwritable(path: gitDirectory, reason: "cannot lock \(path): \(failure)")
    }
    return WriteLock(descriptor: fd)
  }

  private init(descriptor: Int32) { self.descriptor = descriptor }

  deinit {
    flock(descriptor, LOCK_UN)
    close(descriptor)
  }

  /// The note of a writer that died mid-write, if there is one.
  func pendingWrite() -> PendingWrite? {
    var buffer = [UInt8](repeating: 0, count: 8192)
    let count = pread(descriptor, &buffer, buffer.count, 0)
    guard count > 0 else { return nil }
    let parts = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: " ", maxSplits: 2)
    // A note cut short by a crash still means a write was under way; without its start time,
    // every lock file counts as the dead writer's.
    let start = parts.count > 1 ? Double(parts[1]) ?? 0 : 0
    let folder = parts.count > 2 ? String(parts[2]).trimmingCharacters(in: .newlines) : ""
    return PendingWrite(start: start, folder: folder.isEmpty ? nil : folder)
  }

  /// Notes that a write starts (touching the working-tree `folder`, when given).
  func markWriting(folder: String?) {
    let note = "\(getpid()) \(Date().timeIntervalSince1970) \(folder ?? "")\n"
    _ = ftruncate(descriptor, 0)
    _ = Array(note.utf8).withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
  }

  /// Notes that the write is complete.
  func markDone() { _ = ftruncate(descriptor, 0) }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// How a writer waits for the store's write lock: by trying it again after a short sleep that
/// grows to 50 ms, so a writer waiting for another process never holds a thread of the
/// cooperative pool (a kernel `flock` wait would).
enum WriterExclusion {
  /// Calls `tryAcquire` until it returns true.
  static func waitUntil(_ tryAcquire: () -> Bool) async {
    var pause: UInt64 = 1_000_000
    while !tryAcquire() {
      try? await Task.sleep(nanoseconds: pause)
      pause = min(pause * 2, 50_000_000)
    }
  }
}
