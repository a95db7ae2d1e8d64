import FlowrelValue
import Foundation
import Synchronization
import Testing

@testable import FlowrelKube

/// The process runner under kubectl, driven with /bin/sh so that each behaviour can be provoked.
@Suite struct CommandRunnerTests {
  static let environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C"]

  static func sh(
    _ script: String, input: String? = nil, timeout: GoDuration = .seconds(60),
    environment: [String: String] = environment, onStdoutLine: (@Sendable (String) -> Void)? = nil
  ) async throws(CommandRunner.Failure) -> CommandOutput {
    try await CommandRunner.run(
      executable: "/bin/sh", arguments: ["-c", script], environment: environment, input: input, timeout: timeout,
      onStdoutLine: onStdoutLine)
  }

  /// Collects lines from the reader.
  final class Lines: Sendable {
    private let entries = Mutex<[String]>([])
    func add(_ line: String) { entries.withLock { $0.append(line) } }
    var all: [String] { entries.withLock { $0 } }
  }

  @Test func passesInputAndCollectsBothStreamsAndTheExitCode() async throws {
    let output = try await Self.sh("cat; echo oops >&2; exit 3", input: "hello\nworld")
    #expect(output.stdout == "hello\nworld")
    #expect(output.stderr == "oops\n")
    #expect(output.exitCode == 3)
    #expect(!output.timedOut)
  }

  @Test func largeInputAndOutputAtOnceDoNotDeadlock() async throws {
    // Far more than a pipe holds, in both directions at the same time, on both output streams.
    let line = String(repeating: "x", count: 99) + "\n"
    let input = String(repeating: line, count: 80_000)
    let output = try await Self.sh("tee /dev/stderr", input: input)
    #expect(output.exitCode == 0)
    #expect(output.stdout.utf8.count == input.utf8.count)
    #expect(output.stdout == input)
    #expect(output.stderr == input)
  }

  @Test func handsOutStdoutLineByLineWithTheLastUnterminatedOne() async throws {
    let lines = Lines()
    let output = try await Self.sh("printf 'one\\ntwo\\n\\nthree'", onStdoutLine: lines.add)
    #expect(lines.all == ["one", "two", "", "three"])
    #expect(output.stdout == "one\ntwo\n\nthree")
  }

  @Test func theProgramGetsExactlyTheGivenEnvironment() async throws {
    let output = try await Self.sh("env | sort", environment: ["PATH": "/usr/bin:/bin", "FLOWREL_TEST": "a b=c"])
    let variables = output.stdout.split(separator: "\n").filter { !$0.hasPrefix("PWD=") && !$0.hasPrefix("SHLVL=") && !$0.hasPrefix("_=") }
    #expect(variables == ["FLOWREL_TEST=a b=c", "PATH=/usr/bin:/bin"])
  }

  @Test func aProgramThatExitsWithoutReadingItsInputIsNoCrash() async throws {
    // Without SIGPIPE ignored, writing the rest of this input would kill the test process.
    let input = String(repeating: "y", count: 4 << 20)
    let output = try await Self.sh("echo early >&2; exit 7", input: input)
    #expect(output.exitCode == 7)
    #expect(output.stderr == "early\n")
  }

  /// A file the test's shell writes its process id into, and whether that process still runs.
  struct PIDFile {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-pid-\(UUID().uuidString)").path

    /// Whether the process named in the file runs (a zombie counts as gone).
    var isRunning: Bool {
      guard let text = try? String(contentsOfFile: path, encoding: .utf8),
        let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
      else { return false }
      let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
      return kill(pid, 0) == 0 && !status.contains(") Z ")
    }

    /// Ends the process, when it still runs.
    func stop() {
      if let text = try? String(contentsOfFile: path, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
        kill(pid, SIGKILL)
      }
      try? FileManager.default.removeItem(atPath: path)
    }
  }

  // These tests wait on sleeps of an hour: if the runner did not stop the program, they would
  // not end, so each asserts that the program is gone rather than how long anything took.
  @Test func aCommandPastItsTimeLimitIsStoppedWithSIGTERM() async throws {
    let pid = PIDFile()
    defer { pid.stop() }
    let output = try await Self.sh("echo $$ > \(pid.path); exec sleep 3600", timeout: try GoDuration(parsing: "500ms"))
    #expect(output.timedOut)
    #expect(!pid.isRunning)
  }

  @Test func aCommandThatIgnoresSIGTERMIsKilled() async throws {
    let pid = PIDFile()
    defer { pid.stop() }
    let output = try await Self.sh("trap '' TERM; echo $$ > \(pid.path); sleep 3600; sleep 3600", timeout: try GoDuration(parsing: "500ms"))
    #expect(output.timedOut)
    #expect(!pid.isRunning)
  }

  @Test func aGrandchildHoldingTheOutputOpenDoesNotHoldTheRun() async throws {
    let pid = PIDFile()
    defer { pid.stop() }
    let output = try await Self.sh("sleep 3600 & echo $! > \(pid.path); echo done")
    #expect(output.exitCode == 0)
    #expect(output.stdout == "done\n")
    #expect(!output.timedOut)
    #expect(pid.isRunning, "the run ended while the grandchild still holds the output open")
  }

  @Test func cancellingTheTaskStopsTheProgram() async throws {
    let pid = PIDFile()
    defer { pid.stop() }
    let run = Task { () async -> Result<CommandOutput, CommandRunner.Failure> in
      do throws(CommandRunner.Failure) { return .success(try await Self.sh("echo $$ > \(pid.path); exec sleep 3600")) } catch {
        return .failure(error)
      }
    }
    try await Task.sleep(for: .milliseconds(300))
    run.cancel()
    let result = await run.value
    guard case .failure(.cancelled) = result else {
      Issue.record("expected cancelled, got \(result)")
      return
    }
    #expect(!pid.isRunning)
  }

  @Test func aMissingProgramCannotStart() async throws {
    await #expect {
      _ = try await CommandRunner.run(
        executable: "/nonexistent/kubectl", arguments: [], environment: Self.environment, input: nil, timeout: .seconds(5))
    } throws: { error in
      guard case CommandRunner.Failure.notStartable = error else { return false }
      return true
    }
  }
}
