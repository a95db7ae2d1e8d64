import FlowrelChart
import FlowrelSemVer
import Foundation

/// Reads the files a command line names; `-` is standard input.
package protocol InputFiles {
  /// The bytes of `path`.
  func read(_ path: String) throws(ActionError) -> [UInt8]
}

/// The local file system, with standard input read at most once, so `-f -` and
/// `--set-file a=-` can share it.
package final class LocalFiles: InputFiles {
  private var standardInput: [UInt8]?

  /// A reader of local files.
  package init() {}

  package func read(_ path: String) throws(ActionError) -> [UInt8] {
    if path == "-" {
      if let standardInput { return standardInput }
      let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
      standardInput = bytes
      return bytes
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .chart(.unreadable(path: path, reason: "cannot read the values file (does it exist?)"))
    }
    return [UInt8](data)
  }
}

/// The values flags of a command line, as typed: `-f` files and the `--set` family.
package struct ValuesInput: Sendable {
  /// `-f`/`--values` files, in command-line order (`-` is standard input).
  package var files: [String] = []
  /// The arguments of each `--set`-style flag, in command-line order.
  package var arguments: [SetFlag: [String]] = [:]

  /// No values.
  package init() {}

  /// Reads every file once and resolves the values, before any verb runs.
  package func resolve(from input: some InputFiles) throws(ActionError) -> UserValues {
    var parsed: [ValuesFile] = []
    for path in files {
      parsed.append(try ActionError.wrapping { try ValuesFile.read(name: path == "-" ? "<stdin>" : path, bytes: try input.read(path)) })
    }
    return try ActionError.wrapping {
      try UserValues.resolve(files: parsed, arguments: arguments) { path in
        String(decoding: try input.read(path), as: UTF8.self)
      }
    }
  }
}

/// How templates are rendered: strictness, the assumed cluster, and the run-to-run functions.
package struct RenderSettings: Sendable {
  /// Fail on a missing value (Helm's `--strict`).
  package var strict = false
  /// The Kubernetes version templates see (`nil`: the default).
  package var kubeVersion: String?
  /// Extra API versions templates see as available.
  package var apiVersions: [String] = []
  /// Let `now` and the other clock readers run (random values are drawn and kept without it).
  package var allowNondeterministic = false
  /// Let `getHostByName` resolve names.
  package var enableDNS = false
  /// Draw every run-to-run value anew (`--regenerate`) instead of reusing the installed
  /// revision's (install and upgrade).
  package var regenerate = false

  /// The most output the release's templates may write together, in MiB (`nil`: 100).
  package var maxOutputMiB: Int?

  /// The largest `maxOutputMiB`: 1 TiB, far more than any machine renders.
  static let largestMaxOutputMiB = 1 << 20

  /// Default settings.
  package init() {}

  /// Checks the flags before anything runs.
  package func validate() throws(ActionError) {
    _ = try capabilities()
    if let maxOutputMiB, !(1...Self.largestMaxOutputMiB).contains(maxOutputMiB) {
      throw .usage("--max-output \(maxOutputMiB) must be between 1 and \(Self.largestMaxOutputMiB) (MiB)")
    }
  }

  /// What the cluster is assumed to offer.
  func capabilities() throws(ActionError) -> Capabilities {
    var version = Capabilities.defaultKubeVersion
    if let kubeVersion {
      do {
        version = try SemanticVersion(kubeVersion)
      } catch {
        throw .usage("--kube-version \(kubeVersion) is not a version such as v1.32.0")
      }
    }
    return Capabilities(kubeVersion: version, extraAPIVersions: apiVersions)
  }

  /// The render request for `release` in `namespace` with `values`.
  func request(release: String, namespace: String, values: UserValues) throws(ActionError) -> RenderRequest {
    try validate()
    var request = RenderRequest(
      release: ReleaseInfo(name: release, namespace: namespace), values: values, capabilities: try capabilities(),
      strict: strict, allowNondeterministic: allowNondeterministic, enableDNS: enableDNS)
    if let maxOutputMiB { request.maxOutputBytes = maxOutputMiB << 20 }
    return request
  }
}
