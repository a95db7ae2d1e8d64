import FlowrelValue
import FlowrelYAML
import Foundation

/// What flowrel reads of kubectl's configuration itself: the namespace of the context in use,
/// so that a release goes where `kubectl` without `-n` would put objects (as Helm does). The
/// files are found as kubectl finds them: `--kubeconfig`, else `KUBECONFIG` (a list of files
/// separated by `:`; the first file that sets a value wins), else `~/.kube/config`.
package enum Kubeconfig {
  /// The namespace of `context` (the files' `current-context` when `nil`), or `nil` when the
  /// context sets none or there is no configuration.
  package static func namespace(
    kubeconfig: String?, context: String?, environment: [String: String]
  ) throws(KubeError) -> String? {
    var current: String?
    var contexts: [String: Value] = [:]
    for file in files(kubeconfig: kubeconfig, environment: environment) {
      guard let data = FileManager.default.contents(atPath: file) else {
        if kubeconfig != nil { throw .badKubeconfig(file: file, reason: "cannot be read (does it exist?)") }
        continue
      }
      let document: Value
      do {
        document = try YAML.parse([UInt8](data), file: file)
      } catch {
        throw .badKubeconfig(file: file, reason: "not a kubeconfig: \(error)")
      }
      if current == nil, let name = document["current-context"]?.stringValue, !name.isEmpty { current = name }
      for entry in document["contexts"]?.listValue ?? [] {
        guard let name = entry["name"]?.stringValue, contexts[name] == nil else { continue }
        contexts[name] = entry["context"] ?? .emptyMap
      }
    }
    guard let name = context ?? current, let namespace = contexts[name]?["namespace"]?.stringValue, !namespace.isEmpty else {
      return nil
    }
    return namespace
  }

  /// The `current-context` kubectl uses (the first file that sets one), or nil when none does.
  package static func currentContext(kubeconfig: String?, environment: [String: String]) -> String? {
    for file in files(kubeconfig: kubeconfig, environment: environment) {
      guard let data = FileManager.default.contents(atPath: file),
        let name = (try? YAML.parse([UInt8](data), file: file))?["current-context"]?.stringValue, !name.isEmpty
      else { continue }
      return name
    }
    return nil
  }

  /// The files kubectl reads, in order.
  static func files(kubeconfig: String?, environment: [String: String]) -> [String] {
    if let kubeconfig { return [kubeconfig] }
    if let list = environment["KUBECONFIG"], !list.isEmpty {
      return list.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }
    guard let home = environment["HOME"] else { return [] }
    return [home + "/.kube/config"]
  }
}
