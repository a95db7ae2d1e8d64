import FlowrelValue
import Foundation
import Subprocess
import SystemPackage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a finished (or stopped) command left behind.
package struct CommandOutput: Sendable {
  /// The exit status (or the signal number when killed).
  package var exitCode: Int32
  /// Everything it wrote to stdout.
  package var stdout: String
  /// Everything it wrote to stderr.
  package var stderr: String
  /// Whether it was stopped because it ran past its time limit.
  package var timedOut: Bool
}

/// Runs one program through swift-subprocess: input on stdin, stdout and stderr collected in
/// full (stdout also handed out line by line as it arrives), stopped at a time limit or when the
/// calling task is cancelled. kubectl runs through it, and so does a `--post-renderer`.
package enum CommandRunner {
  /// The most either stream may hold (kubectl's JSON for thousands of objects stays far below);
  /// past it the command is stopped rather than filling memory.
  package static let outputLimit = 256 << 20

  /// How a command is stopped, at its time limit or on cancellation: SIGTERM, and SIGKILL if it
  /// is still running this much later.
  static let teardown: [TeardownStep] = [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))]

  /// swift-subprocess writes stdin with plain `write`, and leaves SIGPIPE as it is: a kubectl
  /// that exits before reading all of its input would kill flowrel with SIGPIPE. Ignored, the
  /// signal becomes an EPIPE error on the write, which `run` tolerates (kubectl's exit status and
  /// stderr tell what went wrong). The one piece kept by hand.
  private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

  /// Why a run ended without an output.
  package enum Failure: Error {
    /// The program could not be started.
    case notStartable(String)
    /// Reading from or waiting for the program failed.
    case broken(String)
    /// A stream passed `outputLimit`.
    case outputTooLarge
    /// The calling task was cancelled.
    case cancelled
  }

  /// Runs `executable` (a path) with `arguments` and exactly `environment`, writes `input` to its
  /// stdin, and calls `onStdoutLine` with each line of stdout (without its `\n`) as it arrives.
  package static func run(
    executable: String, arguments: [String], environment: [String: String], input: String?,
    timeout: GoDuration, onStdoutLine: (@Sendable (String) -> Void)? = nil
  ) async throws(Failure) -> CommandOutput {
    _ = ignoreSIGPIPE
    enum Event: Sendable {
      case finished(Result<CommandOutput, Failure>)
      case timeUp
      case finishedInTime
    }
    let (result, timedOut) = await withTaskGroup(of: Event.self) { group in
      group.addTask {
        .finished(
          await runToEnd(
            executable: executable, arguments: arguments, environment: environment, input: input,
            onStdoutLine: onStdoutLine))
      }
      group.addTask {
        do {
          try await Task.sleep(for: timeout.swiftDuration)
          return .timeUp
        } catch {
          return .finishedInTime
        }
      }
      var timedOut = false
      while let event = await group.next() {
        switch event {
        case .finished(let result):
          group.cancelAll()
          return (result, timedOut)
        case .timeUp:
          // Cancelling the run makes swift-subprocess stop the program with `teardown`.
          timedOut = true
          group.cancelAll()
        case .finishedInTime:
          continue
        }
      }
      return (.failure(.cancelled), timedOut)
    }
    // Cancelled from outside (not by the time limit): what the program left is of no use.
    if !timedOut && Task.isCancelled { throw .cancelled }
    switch result {
    case .success(var output):
      output.timedOut = timedOut
      return output
    case .failure(.cancelled) where timedOut:
      // The stop cut the run short before its output was in; what counts is that it timed out.
      return CommandOutput(exitCode: SIGTERM, stdout: "", stderr: "", timedOut: true)
    case .failure(let failure):
      throw failure
    }
  }

  /// The path of the program `name`: `name` itself when it holds a `/` (it must be an
  /// executable file), else the first executable file of that name in the directories of
  /// `PATH` in `environment`; `nil` when there is none.
  package static func executablePath(_ name: String, environment: [String: String]) -> String? {
    let files = FileManager.default
    if name.contains("/") { return files.isExecutableFile(atPath: name) ? name : nil }
    for directory in (environment["PATH"] ?? "").split(separator: ":") {
      let candidate = "\(directory)/\(name)"
      if files.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// One run to its end: the program's exit and the end of both of its streams.
  private static func runToEnd(
    executable: String, arguments: [String], environment: [String: String], input: String?,
    onStdoutLine: (@Sendable (String) -> Void)?
  ) async -> Result<CommandOutput, Failure> {
    var options = PlatformOptions()
    options.teardownSequence = teardown
    let variables = environment.compactMap { key, value in Environment.Key(rawValue: key).map { ($0, value) } }
    let configuration = Configuration(
      executable: .path(FilePath(executable)), arguments: Arguments(arguments),
      environment: .custom(Dictionary(uniqueKeysWithValues: variables)), platformOptions: options)
    do {
      let result = try await Subprocess.run(
        configuration, input: .inputWriter, output: .sequence, error: .sequence
      ) { execution in
        // Input, stdout and stderr all at once, so that no full pipe can stall the others.
        let writer = execution.standardInputWriter
        async let inputWritten: Void = {
          // A program that exits without reading its input is no error here; its exit status
          // and stderr say what happened.
          if let input { _ = try? await writer.write(Array(input.utf8)) }
          try? await writer.finish()
        }()
        async let stderr = collect(execution.standardError, onLine: nil)
        let stdout = try await collect(execution.standardOutput, onLine: onStdoutLine)
        await inputWritten
        return (stdout: stdout, stderr: try await stderr)
      }
      let exitCode: Int32 =
        switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): signal
        }
      return .success(
        CommandOutput(
          exitCode: exitCode, stdout: String(decoding: result.closureResult.stdout, as: UTF8.self),
          stderr: String(decoding: result.closureResult.stderr, as: UTF8.self), timedOut: false))
    } catch let failure as Failure {
      return .failure(failure)
    } catch let error as SubprocessError where error.code == .spawnFailed || error.code == .executableNotFound {
      return .failure(.notStartable(error.description))
    } catch {
      // A read cut short by the teardown is the stop itself, not a broken program.
      return .failure(Task.isCancelled ? .cancelled : .broken("\(error)"))
    }
  }

  /// Every byte of `stream`; with `onLine`, each complete line is handed out as soon as it is
  /// read, and a last line without a newline at the end.
  private static func collect(
    _ stream: SubprocessOutputSequence, onLine: (@Sendable (String) -> Void)?
  ) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    var lineStart = 0
    for try await buffer in stream {
      buffer.withUnsafeBytes { bytes.append(contentsOf: $0) }
      guard bytes.count <= outputLimit else { throw Failure.outputTooLarge }
      guard let onLine else { continue }
      while let newline = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) {
        onLine(String(decoding: bytes[lineStart..<newline], as: UTF8.self))
        lineStart = newline + 1
      }
    }
    if let onLine, lineStart < bytes.count { onLine(String(decoding: bytes[lineStart...], as: UTF8.self)) }
    return bytes
  }
}
