import ArgumentParser
import FlowrelChart
import FlowrelSemVer
import Foundation

/// The values flags every rendering command takes, named and applied as in Helm.
struct ValuesOptions: ParsableArguments {
  @Option(name: [.customShort("f"), .customLong("values")], help: ArgumentHelp(
    "A YAML values file (repeatable; later files win; '-' reads standard input).", valueName: "file"))
  var valueFiles: [String] = []

  @Option(name: .customLong("set"), help: ArgumentHelp(
    "Set values: a.b=c, list[0]=x, a={x,y}; commas separate pairs (repeatable).", valueName: "key=value"))
  var set: [String] = []

  @Option(name: .customLong("set-string"), help: ArgumentHelp("Like --set, but values stay strings.", valueName: "key=value"))
  var setString: [String] = []

  @Option(name: .customLong("set-file"), help: ArgumentHelp("Set a value to the contents of a file.", valueName: "key=path"))
  var setFile: [String] = []

  @Option(name: .customLong("set-json"), help: ArgumentHelp("Set a value to JSON: a.b={\"x\":1}.", valueName: "key=json"))
  var setJSON: [String] = []

  @Option(name: .customLong("set-literal"), help: ArgumentHelp("Set a value to the literal text after '=' (no escapes, no commas split).", valueName: "key=value"))
  var setLiteral: [String] = []

  /// The overrides, with `-f` files read and parsed (`-` is standard input, read once).
  func overrides(input: StandardInput) throws -> ValueOverrides {
    var files: [ValuesFile] = []
    for path in valueFiles {
      let bytes = try input.read(path)
      files.append(try ValuesFile.read(name: path == "-" ? "<stdin>" : path, bytes: bytes))
    }
    return ValueOverrides(files: files, arguments: [
      .set: set, .setString: setString, .setFile: setFile, .setJSON: setJSON, .setLiteral: setLiteral,
    ])
  }
}

/// How templates are rendered: strictness, the assumed cluster, and the run-to-run functions.
struct RenderingOptions: ParsableArguments {
  @Flag(help: "Fail on a missing value instead of rendering it empty (Helm's --strict).")
  var strict = false

  @Option(help: ArgumentHelp("The Kubernetes version templates see in .Capabilities (default v1.32.0).", valueName: "version"))
  var kubeVersion: String?

  @Option(name: [.customShort("a"), .customLong("api-versions")], help: ArgumentHelp(
    "An API version templates see as available in .Capabilities (repeatable).", valueName: "group/version"))
  var apiVersions: [String] = []

  @Flag(help: "Allow functions whose output changes from run to run (now, randAlphaNum, uuidv4, ...).")
  var allowNondeterministic = false

  @Flag(name: .customLong("enable-dns"), help: "Let getHostByName look names up.")
  var enableDNS = false

  func validate() throws {
    if let kubeVersion {
      do {
        _ = try SemanticVersion(kubeVersion)
      } catch {
        throw ValidationError("--kube-version \(kubeVersion) is not a version such as v1.32.0")
      }
    }
  }

  /// The render request for a release, with these flags and the values flags.
  func request(release: String, namespace: String, values: ValuesOptions, input: StandardInput) throws -> RenderRequest {
    RenderRequest(
      release: ReleaseInfo(name: release, namespace: namespace), overrides: try values.overrides(input: input),
      capabilities: try capabilities(), strict: strict, allowNondeterministic: allowNondeterministic, enableDNS: enableDNS)
  }

  /// The capabilities these flags describe.
  func capabilities() throws -> Capabilities {
    var version = Capabilities.defaultKubeVersion
    if let kubeVersion { version = try SemanticVersion(kubeVersion) }
    return Capabilities(kubeVersion: version, extraAPIVersions: apiVersions)
  }
}

/// Standard input, read at most once, so `-f -` and `--set-file a=-` can share it.
final class StandardInput {
  private var cached: [UInt8]?

  /// The bytes of `path`, or of standard input for `-`.
  func read(_ path: String) throws -> [UInt8] {
    if path == "-" {
      if let cached { return cached }
      let data = FileHandle.standardInput.readDataToEndOfFile()
      cached = [UInt8](data)
      return cached ?? []
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ChartError.unreadable(path: path, reason: "cannot read the values file (does it exist?)")
    }
    return [UInt8](data)
  }

  /// The text of `path` (for `--set-file`).
  func readText(_ path: String) throws -> String {
    String(decoding: try read(path), as: UTF8.self)
  }
}
