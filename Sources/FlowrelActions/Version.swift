import FlowrelStore
import FlowrelValue
import FlowrelYAML

/// `flowrel version`: flowrel's own version and the libraries it runs with.
public struct Version: Sendable {
  let config: ActionConfiguration

  /// What `run` reports.
  public struct Report: Sendable, Equatable {
    /// flowrel's version (`0.1.0`).
    public var flowrel: String
    /// libgit2's version.
    public var libgit2: String
    /// libyaml's version.
    public var libyaml: String

    /// `v0.1.0`, as `helm version --short` prints.
    public var short: String { "v\(flowrel)" }

    /// The report as JSON (`{"flowrel":"0.1.0","libgit2":"1.5.1","libyaml":"0.2.5"}`).
    public var json: String {
      let value: Value = ["flowrel": .string(flowrel), "libgit2": .string(libgit2), "libyaml": .string(libyaml)]
      return ((try? value.jsonText(JSONEncodingOptions(sortedKeys: false))) ?? "{}") + "\n"
    }

    /// One line for people.
    public var text: String { "flowrel \(flowrel) (libgit2 \(libgit2), libyaml \(libyaml))\n" }
  }

  /// A version query.
  public init(config: ActionConfiguration) { self.config = config }

  /// The versions.
  public func run() -> Report {
    Report(flowrel: FlowrelBuild.version, libgit2: GitReleaseStore.libraryVersion, libyaml: YAML.libraryVersion)
  }
}
