import FlowrelChart
import FlowrelKube
import FlowrelValue
import Foundation

/// Helm's `--post-renderer`: an executable that reads the rendered objects as a YAML stream on
/// standard input (the stream `flowrel template` prints) and prints the objects to use instead
/// on standard output; how teams run kustomize over a chart. What it prints is what is applied
/// and recorded, with the release namespace and flowrel's labels completed as for a template.
package struct PostRenderer: Sendable {
  /// The executable: a path (it holds a `/`), or a name looked up on `PATH`.
  package var executable: String
  /// Its arguments (`--post-renderer-args`, in order).
  package var arguments: [String]

  /// The longest a post-renderer may run before it is stopped.
  static let timeLimit = GoDuration.seconds(600)

  /// A post-renderer running `executable` with `arguments`.
  package init(executable: String, arguments: [String] = []) {
    self.executable = executable
    self.arguments = arguments
  }

  /// The executable's path; checked before anything runs, as Helm does.
  package func path() throws(ActionError) -> String {
    let environment = ProcessInfo.processInfo.environment
    guard let path = CommandRunner.executablePath(executable, environment: environment) else {
      throw .postRenderFailed(
        executable.contains("/")
          ? "--post-renderer \(executable) is not an executable file"
          : "--post-renderer \(executable): no executable of that name on PATH")
    }
    return path
  }

  /// `manifests` through the executable: its output read as the objects of `chart`'s one
  /// template for `release`. Fails, with nothing applied or recorded, when it cannot start,
  /// exits with a failure, runs past `timeLimit`, or prints something that is not Kubernetes
  /// objects (or nothing, when it was given objects).
  func run(_ manifests: [RenderedManifest], chart: RenderedChart, release: ReleaseInfo) async throws(ActionError)
    -> [RenderedManifest]
  {
    let path = try path()
    let name = "post-renderer \(executable)"
    let output: CommandOutput
    do {
      output = try await CommandRunner.run(
        executable: path, arguments: arguments, environment: ProcessInfo.processInfo.environment,
        input: Output.stream(manifests), timeout: Self.timeLimit)
    } catch {
      let reason =
        switch error {
        case .notStartable(let why): "cannot be started: \(why)"
        case .broken(let why): "broke off: \(why)"
        case .outputTooLarge: "printed more than \(CommandRunner.outputLimit >> 20) MiB"
        case .cancelled: "was stopped because flowrel was cancelled"
        }
      throw .postRenderFailed("the \(name) \(reason)")
    }
    if output.timedOut { throw .postRenderFailed("the \(name) did not finish within \(Self.timeLimit) and was stopped") }
    guard output.exitCode == 0 else {
      let stderr = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
      throw .postRenderFailed(
        "the \(name) failed (exit \(output.exitCode))" + (stderr.isEmpty ? "" : ": \(stderr)"))
    }
    let objects: [RenderedManifest]
    do {
      objects = try chart.replacingTemplates(with: output.stdout, name: name).manifests(release: release)
    } catch {
      let reason =
        switch error {
        case .renderedYAML(_, let yaml, _): "line \(yaml.line), column \(yaml.column): \(yaml.message)"
        default: error.description
        }
      throw .postRenderFailed("the \(name) printed something that is not a stream of Kubernetes objects: \(reason)")
    }
    if objects.isEmpty && !manifests.isEmpty {
      throw .postRenderFailed("the \(name) printed no objects (it was given \(manifests.count))")
    }
    return objects
  }
}
