import FlowrelManifest
import FlowrelValue

/// What goes to kubectl: the connection flags, object references, and the JSON documents on
/// its stdin.
extension Kubectl {
  /// `--kubeconfig`, `--context` and, when `namespaced`, `-n` with the client's namespace.
  func connectionFlags(namespaced: Bool) -> [String] {
    var flags: [String] = []
    if let kubeconfig { flags += ["--kubeconfig", kubeconfig] }
    if let context { flags += ["--context", context] }
    if namespaced, let namespace { flags += ["-n", namespace] }
    return flags
  }

  /// `Deployment.v1.apps/web`, `ConfigMap.v1./settings`: kind, version and group spelled out,
  /// so kubectl never guesses between resources with the same short name.
  static func reference(_ object: ObjectIdentity) -> String {
    "\(object.kind).\(object.version).\(object.group)/\(object.name)"
  }

  /// `kubectl apply` for `["apply", "--server-side", ...]`: the words before the first flag.
  static func commandName(_ arguments: [String]) -> String {
    (["kubectl"] + arguments.prefix { !$0.hasPrefix("-") }.prefix(2)).joined(separator: " ")
  }

  /// A command line as a shell would read it back: words of plain characters as they are,
  /// others in single quotes (for `--debug` output).
  static func shellWords(_ words: [String]) -> String {
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@%+")
    return words.map { word in
      !word.isEmpty && word.allSatisfy(plain.contains)
        ? word : "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }.joined(separator: " ")
  }

  static func json(_ value: Value) throws(KubeError) -> String {
    do {
      return try value.jsonText()
    } catch {
      throw .unexpectedOutput(command: "JSON encoding", reason: error.description)
    }
  }

  /// One JSON object per line: kubectl reads a stream of JSON documents (as it reads a YAML stream).
  static func jsonStream(_ manifests: [Manifest]) throws(KubeError) -> String {
    var lines: [String] = []
    for manifest in manifests {
      do {
        lines.append(try manifest.jsonText())
      } catch {
        throw .invalidManifest(error)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Identity-only documents for `kubectl delete -f -`, which deletes them in this order, each
  /// in its own namespace.
  static func identityStream(_ objects: [ObjectIdentity]) throws(KubeError) -> String {
    var references: [String] = []
    for object in objects {
      let metadata: Value =
        object.namespace.map { ["name": .string(object.name), "namespace": .string($0)] } ?? ["name": .string(object.name)]
      references.append(
        try json(["apiVersion": .string(object.apiVersion), "kind": .string(object.kind), "metadata": metadata]))
    }
    return references.joined(separator: "\n")
  }
}
