import FlowrelChart
import FlowrelKube
import FlowrelStore

/// Why a verb failed, and so which exit code it ends with (DESIGN.md "Errors").
public enum ActionError: Error, Sendable, CustomStringConvertible {
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

  /// The exit code: 1 user error, 2 cluster or kubectl, 3 store.
  public var exitCode: Int32 {
    switch self {
    case .chart, .releaseExists, .notInstalled, .nothingToRollBack, .chartNotRecorded: 1
    case .store(let error): error.isUserError ? 1 : 3
    case .kube, .deployFailed: 2
    }
  }

  public var description: String {
    switch self {
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
    }
  }
}

extension ActionError {
  /// Runs `body`, turning the errors of the lower modules into action errors.
  static func wrapping<T>(_ body: () throws -> T) throws(ActionError) -> T {
    do {
      return try body()
    } catch let error as ActionError {
      throw error
    } catch let error as ChartError {
      throw .chart(error)
    } catch let error as StoreError {
      throw .store(error)
    } catch let error as KubeError {
      throw .kube(error)
    } catch {
      throw .store(.damaged(file: "(unknown)", problem: "\(error)"))
    }
  }
}
