import FlowrelValue
import Foundation
import Logging

/// Running kubectl: finding it, its environment and connection flags, logging, and reading
/// what its failures mean.
extension Kubectl {
  /// Runs kubectl with the connection flags; `namespaced` adds `-n` when a namespace is set.
  /// `timeout` replaces `commandTimeout`; a command stopped at its own `timeout` is returned
  /// as timed out, one stopped at `commandTimeout` is an error.
  func run(
    _ arguments: [String], input: String? = nil, namespaced: Bool = true, timeout: GoDuration? = nil,
    onStdoutLine: (@Sendable (String) -> Void)? = nil
  ) async throws(KubeError) -> CommandOutput {
    let environment = ProcessInfo.processInfo.environment.merging(self.environment) { _, ours in ours }
    let path = try Self.resolveExecutable(executable ?? environment["FLOWREL_KUBECTL"], environment: environment)
    let fullArguments = arguments + connectionFlags(namespaced: namespaced)
    let command = Self.commandName(arguments)
    let limit = timeout ?? commandTimeout
    logger.debug("running \(Self.shellWords([path] + fullArguments))")
    let start = ContinuousClock.now
    let output: CommandOutput
    do {
      output = try await CommandRunner.run(
        executable: path, arguments: fullArguments, environment: environment, input: input, timeout: limit,
        onStdoutLine: onStdoutLine)
    } catch {
      logger.debug("\(command) ended after \(Self.elapsed(since: start)): \(error)")
      switch error {
      case .notStartable(let reason): throw .kubectlNotStartable(path: path, reason: reason)
      case .broken(let reason): throw .unexpectedOutput(command: command, reason: reason)
      case .outputTooLarge:
        throw .unexpectedOutput(command: command, reason: "it printed more than \(CommandRunner.outputLimit >> 20) MiB")
      case .cancelled: throw .cancelled(command: command)
      }
    }
    let outcome = output.timedOut ? "was stopped at its time limit" : "exited with \(output.exitCode)"
    logger.debug("\(command) \(outcome) after \(Self.elapsed(since: start))")
    if output.timedOut && timeout == nil {
      throw .commandTimedOut(command: command, timeout: limit)
    }
    return output
  }

  /// The time since `start`, to the millisecond, in Go's notation (`1.25s`, `340ms`).
  private static func elapsed(since start: ContinuousClock.Instant) -> GoDuration {
    let (seconds, attoseconds) = start.duration(to: .now).components
    return GoDuration(nanoseconds: seconds * 1_000_000_000 + attoseconds / 1_000_000_000_000_000 * 1_000_000)
  }

  /// The kubectl to run: a path as given (it must be executable), or a name found on PATH.
  static func resolveExecutable(_ configured: String?, environment: [String: String]) throws(KubeError) -> String {
    let name = (configured?.isEmpty == false ? configured : nil) ?? "kubectl"
    guard let path = CommandRunner.executablePath(name, environment: environment) else {
      throw .kubectlNotFound(name.contains("/") ? name : "\"\(name)\" on PATH")
    }
    return path
  }

  /// The error of a failed command: the server unreachable, or the command's own failure.
  func failure(_ output: CommandOutput, command: String) -> KubeError {
    Self.unreachable(output.stderr)
      ?? .commandFailed(command: command, exitCode: output.exitCode, stderr: Self.trimmed(output.stderr))
  }

  /// kubectl's ways of saying the API server did not answer.
  private static let unreachableMarkers = [
    "The connection to the server", "Unable to connect to the server", "connection refused", "no such host",
    "i/o timeout", "dial tcp",
  ]

  /// The unreachable-server error in `stderr`, if there is one. kubectl sometimes wraps the
  /// network error in advice that does not fit (`turn validation off with --validate=false`),
  /// so from a `dial tcp` line only the network error itself is kept.
  static func unreachable(_ stderr: String) -> KubeError? {
    guard
      let line = stderr.split(separator: "\n").first(where: { line in unreachableMarkers.contains(where: line.contains) })
    else { return nil }
    guard let dial = line.range(of: "dial tcp") else { return .clusterUnreachable(trimmed(String(line))) }
    let network = line[dial.lowerBound...].prefix { $0 != ";" }
    return .clusterUnreachable(trimmed(String(network)))
  }

  static func trimmed(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
