import FlowrelAge
import FlowrelStore
import Foundation

/// `flowrel secrets rotate RELEASE`: record the latest revision again with every secret
/// encrypted anew (new data keys) to the current recipients, as revision `action: rotate`
/// with the same status. The cluster is not touched. A store in flowrel's old secret format
/// is converted to SOPS files by this.
package struct RotateSecrets: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""

  /// A rotation with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Reads the installed revision (its secrets decrypted) and records it again.
  package func run() async throws(ActionError) -> Revision {
    let namespace = config.namespace
    return try await ActionError.wrapping { [self] in
      try await config.releases.withWriteLock { writer in
        guard let current = try config.releases.installed(release, namespace: namespace) else {
          throw ActionError.notInstalled(name: release, namespace: namespace)
        }
        guard let chart = current.info.chart else { throw ActionError.notInstalled(name: release, namespace: namespace) }
        var revision = NewRevision(
          release: release, namespace: namespace, action: .rotate, status: current.info.status, chart: chart,
          values: current.values, manifests: current.manifests, notes: current.notes,
          description: "Secrets encrypted again to the current recipients", secretValuePaths: current.secretValuePaths)
        revision.draws = current.draws
        let stored = try writer.record(revision)
        config.progress("\(release): secrets encrypted again as revision \(stored.info.revision)")
        return stored
      }
    }
  }
}

/// `flowrel secrets keygen [-o FILE]`: a new age identity, in the file layout `age-keygen`
/// writes; its recipient (`age1...`) is what `--age` and `.sops.yaml` take.
package struct GenerateAgeKey: Sendable {
  /// The file to write (mode 0600, never over an existing file); nil: only return the text.
  package var output: String?

  /// A key generation.
  package init() {}

  /// A new identity: the identity file's text and its recipient.
  package func run() throws(ActionError) -> (fileText: String, recipient: String) {
    let identity = AgeIdentity.generate()
    let text = identity.fileText(created: Date())
    if let output {
      let descriptor = open(output, O_WRONLY | O_CREAT | O_EXCL, 0o600)
      guard descriptor >= 0 else {
        let reason = errno == EEXIST ? "it exists already (flowrel never overwrites a key file)" : String(cString: strerror(errno))
        throw ActionError.file(path: output, reason: reason)
      }
      let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
      do { try handle.write(contentsOf: Data(text.utf8)) } catch {
        throw ActionError.file(path: output, reason: error.localizedDescription)
      }
    }
    return (text, identity.recipient.description)
  }
}
