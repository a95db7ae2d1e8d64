import FlowrelChart
import FlowrelStore

/// What an upgrade or a rollback would change, object by object, before anything is written:
/// `flowrel diff upgrade` and `flowrel diff rollback` (helm-diff's verbs).
public struct PlannedDiff: Sendable {
  /// The changes, in install order, removed objects last.
  public var changes: [ObjectChange]

  /// `2 changed, 1 added, 1 removed`.
  public var summary: String {
    let count = { (kind: ObjectChange.Kind) in changes.filter { $0.kind == kind }.count }
    return "\(count(.changed)) changed, \(count(.added)) added, \(count(.removed)) removed"
  }

  /// The diff for a pull-request comment: the summary, then a `<details>` section per object.
  public var markdown: String {
    var out = "**flowrel diff**: \(summary)\n"
    for change in changes {
      out += "\n<details><summary>\(change.kind.rawValue): \(change.identity.kubectlName)"
      out += change.identity.namespace.map { " (\($0))" } ?? ""
      out += "</summary>\n\n```diff\n\(change.patch)```\n\n</details>\n"
    }
    return out
  }

  /// The changes of a dry-run result against what is installed.
  init(_ result: DeployResult, installed: Revision?, namespace: String) {
    changes = PlannedChanges().changes(from: installed?.manifests ?? [], to: result.manifests, releaseNamespace: namespace)
  }
}

extension Upgrade {
  /// What this upgrade would change; nothing is recorded or applied.
  public func plan(readFile: @escaping (String) throws -> String = SetFlag.readLocalFile) throws(ActionError) -> PlannedDiff {
    var dryRun = self
    dryRun.options.dryRun = true
    let installed = try ActionError.wrapping { try config.releases.installed(request.release.name, namespace: request.release.namespace) }
    return PlannedDiff(try dryRun.run(readFile: readFile), installed: installed, namespace: request.release.namespace)
  }
}

extension Rollback {
  /// What this rollback would change; nothing is recorded or applied.
  public func plan() throws(ActionError) -> PlannedDiff {
    var dryRun = self
    dryRun.options.dryRun = true
    let installed = try ActionError.wrapping { try config.releases.installed(release, namespace: namespace) }
    return PlannedDiff(try dryRun.run(), installed: installed, namespace: namespace)
  }
}
