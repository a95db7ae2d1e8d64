import FlowrelStore
import Foundation

/// `flowrel env [NAME]`: the settings flowrel runs with, as `FLOWREL_*` variables (Helm's
/// `helm env` prints its `HELM_*` ones). Each value is the one in effect: a flag, else the
/// variable, else the default flowrel would find.
package struct ShowEnvironment: Sendable {
  /// The settings given by the command line (the environment is inside them).
  package var settings = Settings()
  /// Whether `--debug` (or `$FLOWREL_DEBUG`) is on.
  package var debug = false
  /// How flowrel was invoked (`FLOWREL_BIN`, as Helm's `HELM_BIN`).
  package var executable = "flowrel"
  /// The folder the default store is looked for from.
  package var directory = FileManager.default.currentDirectoryPath

  /// A report of `settings`; it reads no store and no cluster, so it takes no configuration.
  package init() {}

  /// Every variable with its value, sorted by name; `KUBECONFIG` only when one is given.
  package func run() throws(ActionError) -> [(name: String, value: String)] {
    let environment = settings.environment
    let store = try settings.storePath()
      ?? GitReleaseStore(defaultIn: directory, flowrelVersion: FlowrelBuild.version, environment: environment).path
    let recipients = settings.ageRecipients.isEmpty
      ? environment[AgeRecipients.environmentVariable] ?? "" : settings.ageRecipients.joined(separator: ",")
    var variables: [String: String] = [
      "FLOWREL_AGE_RECIPIENTS": recipients,
      "FLOWREL_BIN": executable,
      "FLOWREL_DEBUG": debug ? "true" : "false",
      "FLOWREL_KUBECONTEXT": settings.kubeContext ?? "",
      "FLOWREL_KUBECTL": settings.kubectl ?? environment["FLOWREL_KUBECTL"].flatMap { $0.isEmpty ? nil : $0 } ?? "kubectl",
      "FLOWREL_NAMESPACE": try settings.releaseNamespace(),
      "FLOWREL_SECRET_KEY_FILE": settings.secretKeyFile ?? environment[SecretKey.environmentVariable] ?? "",
      "FLOWREL_STORE": store,
    ]
    if let kubeconfig = settings.kubeconfig ?? environment["KUBECONFIG"], !kubeconfig.isEmpty {
      variables["KUBECONFIG"] = kubeconfig
    }
    return variables.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
  }
}
