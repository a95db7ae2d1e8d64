import FlowrelChart
import FlowrelKube
import FlowrelStore

/// Why a verb failed, and so which exit code it ends with: the one error type that reaches the
/// CLI (DESIGN.md "Errors").
package enum ActionError: Error, Sendable, CustomStringConvertible {
  /// A flag's value is wrong (checked before anything runs).
  case usage(String)
  /// Bad input: the chart, its values or templates.
  case chart(ChartError)
  /// The store could not be read or written.
  case store(StoreError)
  /// kubectl or the cluster failed before anything was recorded.
  case kube(KubeError)
  /// `install` of a release that is installed already.
  case releaseExists(name: String, namespace: String, revision: Int)
  /// `upgrade` of a release that is not installed (without `--install`).
  case notInstalled(name: String, namespace: String)
  /// `rollback` with no earlier revision to go back to.
  case nothingToRollBack(name: String, namespace: String)
  /// The recorded chart of a release cannot be found again for `upgrade` without a chart.
  case chartNotRecorded(name: String, release: String)
  /// An apply that started and failed: the revision was recorded as failed (and, with
  /// `--atomic`, the previous revision restored as `restoredRevision`).
  case deployFailed(revision: Int, restoredRevision: Int?, cause: KubeError)
  /// A chart hook failed: `revision` is recorded as failed (a `pre-*` hook's revision applied
  /// nothing; with `--atomic`, `restoredRevision` restored the previous one after a `post-*` hook).
  case hookFailed(HookFailure, revision: Int?, restoredRevision: Int?)
  /// `uninstall --wait`: the objects were deleted and the removal recorded as `revision`, but
  /// waiting for them to be gone failed.
  case uninstallIncomplete(revision: Int, cause: KubeError)
  /// The `--post-renderer` could not run, failed, or printed no Kubernetes objects.
  case postRenderFailed(String)
  /// `lint` failed for `failed` of the `linted` charts (the findings were reported with the result).
  case lintFailed(linted: Int, failed: Int)
  /// A file of the user's could not be read or written.
  case file(path: String, reason: String)
  /// A failure none of the other cases describes; a bug in flowrel.
  case unexpected(String)

  /// The exit code: 1 user error, 2 cluster or kubectl, 3 store.
  package var exitCode: Int32 {
    switch self {
    case .usage, .chart, .releaseExists, .notInstalled, .nothingToRollBack, .chartNotRecorded, .lintFailed, .file, .unexpected,
      .postRenderFailed: 1
    case .store(let error): error.isUserError ? 1 : 3
    case .kube, .deployFailed, .uninstallIncomplete, .hookFailed: 2
    }
  }

  package var description: String {
    switch self {
    case .usage(let message): message
    case .chart(let error): error.description
    case .store(let error): error.description
    case .kube(let error): error.description
    case .releaseExists(let name, let namespace, let revision):
      "release \(name) is already installed in namespace \(namespace) (revision \(revision)): use flowrel upgrade, or install --replace"
    case .notInstalled(let name, let namespace):
      "release \(name) is not installed in namespace \(namespace): use flowrel install, or upgrade --install"
    case .nothingToRollBack(let name, let namespace):
      "release \(name) in namespace \(namespace) has no earlier revision to roll back to"
    case .chartNotRecorded(let name, let release):
      "release \(release) was rendered from chart \(name), which is not built into flowrel: name the chart (flowrel upgrade \(release) PATH)"
    case .deployFailed(let revision, let restored, let cause):
      "applying revision \(revision) failed, and it is recorded as failed"
        + (restored.map { "; revision \($0) restored the previous one" } ?? "") + ": \(cause)"
    case .hookFailed(let failure, let revision, let restored):
      "\(failure)" + HookFailure.consequence(of: failure.event, revision: revision)
        + (restored.map { "; revision \($0) restored the previous one" } ?? "")
    case .uninstallIncomplete(let revision, let cause):
      "the uninstall is recorded as revision \(revision), but not everything is gone yet: \(cause)"
    case .postRenderFailed(let message): message
    case .lintFailed(let linted, let failed): "\(linted) chart(s) linted, \(failed) chart(s) failed"
    case .file(let path, let reason): "\(path): \(reason)"
    case .unexpected(let message): "unexpected error (please report it): \(message)"
    }
  }
}

extension ActionError {
  /// Runs `body`, turning the errors of the lower modules into action errors; each keeps its
  /// own kind (and so its exit code).
  static func wrapping<T>(_ body: () async throws -> T) async throws(ActionError) -> T {
    do {
      return try await body()
    } catch {
      throw ActionError(error)
    }
  }

  /// `wrapping` for synchronous work.
  static func wrapping<T>(_ body: () throws -> T) throws(ActionError) -> T {
    do {
      return try body()
    } catch {
      throw ActionError(error)
    }
  }

  /// The action error for an error of any module.
  package init(_ error: any Error) {
    switch error {
    case let error as ActionError: self = error
    case let error as ChartError: self = .chart(error)
    case let error as StoreError: self = .store(error)
    case let error as KubeError: self = .kube(error)
    case let error as HookFailure: self = .hookFailed(error, revision: nil, restoredRevision: nil)
    default: self = .unexpected("\(error)")
    }
  }
}
