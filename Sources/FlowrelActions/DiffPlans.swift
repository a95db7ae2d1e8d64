import FlowrelChart
import FlowrelStore

/// What an upgrade or a rollback would change, object by object, before anything is written:
/// `flowrel diff upgrade` and `flowrel diff rollback` (helm-diff's verbs).
public struct PlannedDiff: Sendable {
  /// The changes, in install order, removed objects last.
  public var changes: [ObjectChange]

  /// `2 changed, 1 added, 1 removed`.
  public var summary: String { changes.summary }

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

  /// The changes of a dry-run result against the revision it would replace.
  init(_ result: DeployResult, namespace: String) {
    changes = PlannedChanges().changes(from: result.replaced, to: result.manifests, releaseNamespace: namespace)
  }
}

extension Upgrade {
  /// What this upgrade would change; nothing is recorded or applied.
  public func plan(readFile: @escaping (String) throws -> String = SetFlag.readLocalFile) throws(ActionError) -> PlannedDiff {
    var dryRun = self
    dryRun.options.dryRun = true
    return PlannedDiff(try dryRun.run(readFile: readFile), namespace: request.release.namespace)
  }
}

extension Rollback {
  /// What this rollback would change; nothing is recorded or applied.
  public func plan() throws(ActionError) -> PlannedDiff {
    var dryRun = self
    dryRun.options.dryRun = true
    return PlannedDiff(try dryRun.run(), namespace: namespace)
  }
}
