import Foundation
import Synchronization

/// Runs the reference programs the tests compare flowrel with (Go programs, `age`, `sops`):
/// input written on its own thread and both outputs read to the end before waiting, so a large
/// input or output cannot block the pipes.
package enum ExternalProcess {
  /// How a run ended.
  package struct Output: Sendable {
    /// The exit status.
    package var status: Int32
    /// Standard output (with standard error in it when the run merged them).
    package var stdout: Data
    /// Standard error (empty when merged into `stdout`).
    package var stderr: Data

    /// `stdout` as text.
    package var text: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// Runs `executable` with `arguments`, `input` on standard input, in `environment` (this
  /// process's when `nil`); with `mergingErrors`, standard error goes to standard output.
  package static func run(
    _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: Data = Data(),
    mergingErrors: Bool = false
  ) throws -> Output {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = mergingErrors ? stdout : stderr
    try process.run()
    let writer = Thread {
      stdin.fileHandleForWriting.write(input)
      try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let errors = Mutex(Data())
    let errorsRead = DispatchSemaphore(value: 0)
    let errorReader = Thread {
      let data = mergingErrors ? Data() : stderr.fileHandleForReading.readDataToEndOfFile()
      errors.withLock { $0 = data }
      errorsRead.signal()
    }
    errorReader.start()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    errorsRead.wait()
    return Output(status: process.terminationStatus, stdout: output, stderr: errors.withLock { $0 })
  }

  /// This process's environment, with a Go build cache when it names none (bare CI shells have
  /// no `HOME`, and Go needs a cache to build the reference programs).
  package static var goEnvironment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    if environment["GOCACHE"] == nil && environment["HOME"] == nil && environment["XDG_CACHE_HOME"] == nil {
      environment["GOCACHE"] = FileManager.default.temporaryDirectory.appendingPathComponent("goreference-cache").path
    }
    return environment
  }

  /// The path of `name` on `PATH`, if it is there.
  package static func find(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let path = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }
}
