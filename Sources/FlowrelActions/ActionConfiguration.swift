import FlowrelAge
@_exported import FlowrelChart
@_exported import FlowrelKube
@_exported import FlowrelManifest
@_exported import FlowrelStore
@_exported import FlowrelValue
import Foundation
@_exported import Logging

/// What every verb works with, as Helm's `action.Configuration`: the store, the cluster, the
/// namespace and where progress goes. The CLI builds it once (`init(settings:)`, the only place
/// where the store and the kube client are chosen); tests hand in an in-memory store and a
/// recording kube client.
package struct ActionConfiguration: Sendable {
  /// The release store.
  package var releases: any ReleaseStore
  /// The cluster.
  package var kube: any KubeClient
  /// The release namespace (`-n`).
  package var namespace: String
  /// Progress (`info`) and `--debug` lines.
  package var log: Logger

  /// A configuration of parts chosen by the caller.
  package init(releases: any ReleaseStore, kube: any KubeClient, namespace: String = "default", log: Logger = .discarding) {
    self.releases = releases
    self.kube = kube
    self.namespace = namespace
    self.log = log
  }

  /// The git store and kubectl the settings name.
  package init(settings: Settings, log: Logger = .discarding) throws(ActionError) {
    let secrets = try ActionError.wrapping { try settings.secrets(log: log) }
    let namespace = try settings.releaseNamespace()
    var kubectl = Kubectl(
      executable: settings.kubectl, kubeconfig: settings.kubeconfig, context: settings.kubeContext, namespace: namespace)
    kubectl.logger = log
    let notice: @Sendable (String) -> Void = { line in log.info("\(line)") }
    let releases: GitReleaseStore
    if let path = try settings.storePath() {
      releases = GitReleaseStore(
        path: path, branch: settings.branch, secrets: secrets, flowrelVersion: FlowrelBuild.version,
        environment: settings.environment, notice: notice)
    } else {
      releases = GitReleaseStore(
        defaultIn: FileManager.default.currentDirectoryPath, branch: settings.branch, secrets: secrets,
        flowrelVersion: FlowrelBuild.version, environment: settings.environment, notice: notice)
    }
    self.init(releases: releases, kube: kubectl, namespace: namespace, log: log)
  }

  /// Progress for the user (`waiting: deployment/gateway ...`).
  func progress(_ line: String) { log.info("\(line)") }
}

/// flowrel's own identity.
package enum FlowrelBuild {
  /// flowrel's version.
  package static let version = "0.1.0"
}

/// Where releases are kept and which cluster they go to, as the command line names them.
package struct Settings: Sendable {
  /// The release namespace given with `-n`; `nil` looks further (`releaseNamespace()`).
  package var namespace: String?
  /// The store folder; `nil` is `$FLOWREL_STORE`, else `releases/` at the top of the git work
  /// tree of the current directory (of the current directory when it is in none).
  package var store: String?
  /// Record on this branch instead of the checked-out one.
  package var branch: String?
  /// The key file of flowrel's old secret format, for reading; `nil` is `$FLOWREL_SECRET_KEY_FILE`.
  package var secretKeyFile: String?
  /// Age recipients (`--age`) secrets are encrypted to; empty is `$FLOWREL_AGE_RECIPIENTS`,
  /// else the repository's `.sops.yaml`.
  package var ageRecipients: [String] = []
  /// kubectl's `--kubeconfig`.
  package var kubeconfig: String?
  /// kubectl's `--context`.
  package var kubeContext: String?
  /// The kubectl to run; `nil` is `$FLOWREL_KUBECTL`, else kubectl on PATH.
  package var kubectl: String?
  /// The environment the defaults come from.
  package var environment: [String: String]

  /// Settings with defaults from `environment`.
  package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  /// The store folder: the one given, else `$FLOWREL_STORE`, else `./releases`.
  /// The release namespace, as Helm and kubectl choose it: `-n`, else `$FLOWREL_NAMESPACE`,
  /// else the namespace of the kubeconfig's context (`--kube-context`, else its current one),
  /// else `default`.
  package func releaseNamespace() throws(ActionError) -> String {
    if let namespace { return namespace }
    if let variable = environment["FLOWREL_NAMESPACE"], !variable.isEmpty { return variable }
    return try ActionError.wrapping {
      try Kubeconfig.namespace(kubeconfig: kubeconfig, context: kubeContext, environment: environment)
    } ?? "default"
  }

  /// The store folder named by `--store` or `$FLOWREL_STORE` (an empty variable counts as
  /// unset); `nil` for the default, `releases/` at the top of the current git work tree.
  package func storePath() throws(ActionError) -> String? {
    if let store {
      guard !store.isEmpty else { throw .usage("--store needs a folder (without it: releases/ at the top of the git work tree)") }
      return store
    }
    if let variable = environment["FLOWREL_STORE"], !variable.isEmpty { return variable }
    return nil
  }

  /// Recipients from `--age`, else `$FLOWREL_AGE_RECIPIENTS` (nil: the `.sops.yaml`);
  /// identities as sops finds them; the old-format key; notes through `log`.
  func secrets(log: Logger) throws(StoreError) -> SecretSettings {
    var recipients: [AgeRecipient]?
    if !ageRecipients.isEmpty {
      recipients = try AgeRecipients.parse(ageRecipients, source: "--age")
    } else if let text = environment[AgeRecipients.environmentVariable], !text.isEmpty {
      recipients = try AgeRecipients.parse([text], source: AgeRecipients.environmentVariable)
    }
    return SecretSettings(
      recipients: recipients, keyring: AgeKeyring(environment: environment),
      legacyKey: try SecretKey.load(file: secretKeyFile, environment: environment), notice: { line in log.notice("\(line)") })
  }
}

extension Logger {
  /// A logger that drops everything (tests, and verbs run without a console).
  package static let discarding = Logger(label: "flowrel", factory: { _ in SwiftLogNoOpLogHandler() })
}
