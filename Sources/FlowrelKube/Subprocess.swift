import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a finished (or stopped) command left behind.
struct CommandOutput: Sendable {
  /// The exit status (or the signal number when killed).
  var exitCode: Int32
  /// Everything it wrote to stdout.
  var stdout: String
  /// Everything it wrote to stderr.
  var stderr: String
  /// Whether it was stopped because it ran past its time limit.
  var timedOut: Bool
}

/// Runs one program with input on stdin, collecting its output, and stops it at a time limit.
enum Subprocess {
  /// Writing to a pipe whose reader has exited raises SIGPIPE, which would kill the whole
  /// process; ignoring it turns that into an EPIPE error on the write, which we tolerate.
  private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

  /// Seconds between SIGTERM and SIGKILL when a command overruns its limit.
  private static let killGrace = 2.0

  /// Runs `executable` with `arguments` and `environment`, writes `input` to its stdin, and
  /// calls `onStdoutLine` with each line of stdout as it arrives.
  static func run(
    executable: String, arguments: [String], environment: [String: String], input: String?,
    timeout: GoDuration, onStdoutLine: (@Sendable (String) -> Void)? = nil
  ) async throws(KubeError) -> CommandOutput {
    _ = ignoreSIGPIPE
    let result: Result<CommandOutput, KubeError> = await withCheckedContinuation { continuation in
      let thread = Thread {
        continuation.resume(
          returning: runBlocking(
            executable: executable, arguments: arguments, environment: environment, input: input,
            timeout: timeout, onStdoutLine: onStdoutLine))
      }
      thread.start()
    }
    return try result.get()
  }

  private static func runBlocking(
    executable: String, arguments: [String], environment: [String: String], input: String?,
    timeout: GoDuration, onStdoutLine: (@Sendable (String) -> Void)?
  ) -> Result<CommandOutput, KubeError> {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
    process.standardInput = stdinPipe
    process.standardOutput = stdoutPipe
    process.standardError = stderrPipe
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    do {
      try process.run()
    } catch {
      return .failure(.kubectlNotStartable(path: executable, reason: "\(error.localizedDescription)"))
    }

    let readers = DispatchGroup()
    let stdout = OutputCollector(onLine: onStdoutLine)
    let stderr = OutputCollector(onLine: nil)
    for (pipe, collector) in [(stdoutPipe, stdout), (stderrPipe, stderr)] {
      readers.enter()
      Thread {
        let handle = pipe.fileHandleForReading
        while true {
          let data = handle.availableData
          if data.isEmpty { break }
          collector.append(data)
        }
        collector.finish()
        readers.leave()
      }.start()
    }
    Thread {
      let handle = stdinPipe.fileHandleForWriting
      if let input { try? handle.write(contentsOf: Data(input.utf8)) }
      try? handle.close()
    }.start()

    var timedOut = false
    if exited.wait(timeout: .now() + max(timeout.seconds, 0)) == .timedOut {
      timedOut = true
      process.terminate()
      if exited.wait(timeout: .now() + killGrace) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        exited.wait()
      }
    }
    // A grandchild that inherited the pipes could keep them open; do not wait for it forever.
    _ = readers.wait(timeout: .now() + killGrace)
    return .success(
      CommandOutput(
        exitCode: process.terminationStatus, stdout: stdout.text, stderr: stderr.text, timedOut: timedOut))
  }
}

/// Collects a stream's bytes and hands out complete lines as they arrive.
private final class OutputCollector: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()
  private var lineStart = 0
  private let onLine: (@Sendable (String) -> Void)?

  init(onLine: (@Sendable (String) -> Void)?) { self.onLine = onLine }

  func append(_ chunk: Data) {
    lock.lock()
    data.append(chunk)
    var lines: [String] = []
    if onLine != nil {
      while let newline = data[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
        lines.append(String(decoding: data[lineStart..<newline], as: UTF8.self))
        lineStart = newline + 1
      }
    }
    lock.unlock()
    lines.forEach { onLine?($0) }
  }

  /// Hands out a last line that had no newline.
  func finish() {
    lock.lock()
    let rest = lineStart < data.count ? String(decoding: data[lineStart...], as: UTF8.self) : nil
    lineStart = data.count
    lock.unlock()
    if let rest, let onLine { onLine(rest) }
  }

  var text: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: data, as: UTF8.self)
  }
}
