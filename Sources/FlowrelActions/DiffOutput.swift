import FlowrelStore
import FlowrelValue
import Foundation
import OrderedCollections

/// How a diff is printed: helm-diff's display flags (`-o`, `-C`, `--color`, `--suppress`).
package struct DiffDisplay: Sendable {
  /// `-o`: a unified diff, markdown for a pull request, or JSON.
  package enum Format: String, Sendable, CaseIterable {
    /// Unified diffs, one per object.
    case diff
    /// The summary and a `<details>` section per object.
    case markdown
    /// The changes as a JSON object.
    case json
  }

  /// The format.
  package var format = Format.diff
  /// Lines of context around each change; negative: the whole object.
  package var context = UnifiedDiff.defaultContext
  /// ANSI colors (only for `diff`).
  package var colored = false
  /// Kinds whose changes are counted but not shown (`--suppress`, `--suppress-secrets`).
  package var suppressedKinds: Set<String> = []

  /// The default display: uncolored unified diffs with three lines of context.
  package init() {}

  /// Whether to color output, as helm-diff decides: `--color`/`--no-color` when given, else
  /// `HELM_DIFF_COLOR=true|false`, else never when `NO_COLOR` is set and not empty, else only on
  /// a terminal whose `TERM` is not `dumb`.
  package static func colors(
    flag: Bool?, environment: [String: String] = ProcessInfo.processInfo.environment, isTerminal: Bool
  ) -> Bool {
    if let flag { return flag }
    switch environment["HELM_DIFF_COLOR"] {
    case "true": return true
    case "false": return false
    default: break
    }
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    return isTerminal && environment["TERM"] != "dumb"
  }

  /// The line that stands for a suppressed object's changes (helm-diff's wording).
  static func suppressedLine(kind: String) -> String { "# Changes suppressed on sensitive content of type \(kind)\n" }
}

extension Output {
  /// Changes as `display` says; `revisions` names the compared revisions (`diff revision`).
  package static func diff(_ changes: [ObjectChange], display: DiffDisplay, revisions: (from: Int, to: Int)? = nil) throws(ActionError)
    -> String
  {
    let patches = changes.map { change in
      display.suppressedKinds.contains(change.identity.kind)
        ? nil : change.patch(context: display.context)
    }
    switch display.format {
    case .diff:
      let text = zip(changes, patches).map { change, patch in
        patch ?? UnifiedDiff.header(file: change.file, old: change.old, new: change.new)
          + DiffDisplay.suppressedLine(kind: change.identity.kind)
      }.joined()
      return display.colored ? colored(diff: text) : text
    case .markdown:
      var out = "**flowrel diff**: \(summary(changes))\n"
      for (change, patch) in zip(changes, patches) {
        out += "\n<details><summary>\(change.kind.rawValue): \(change.identity.kubectlName)"
        out += change.identity.namespace.map { " (\($0))" } ?? ""
        out += "</summary>\n\n```diff\n\(patch ?? DiffDisplay.suppressedLine(kind: change.identity.kind))```\n\n</details>\n"
      }
      return out
    case .json:
      var root = OrderedDictionary<String, Value>()
      if let revisions {
        root["from"] = .int(Int64(revisions.from))
        root["to"] = .int(Int64(revisions.to))
      }
      root["changes"] = .list(zip(changes, patches).map { change, patch in
        var entry: OrderedDictionary<String, Value> = [
          "change": .string(change.kind.rawValue), "apiVersion": .string(change.identity.apiVersion),
          "kind": .string(change.identity.kind), "name": .string(change.identity.name),
        ]
        if let namespace = change.identity.namespace { entry["namespace"] = .string(namespace) }
        entry["file"] = .string(change.file)
        if let patch { entry["patch"] = .string(patch) } else { entry["suppressed"] = .bool(true) }
        return .map(entry)
      })
      return try ActionError.wrapping { try Value.map(root).jsonText(JSONEncodingOptions(sortedKeys: false, indent: "  ")) } + "\n"
    }
  }

  /// A unified diff (ours, or kubectl's for `diff live`) with ANSI colors: headers bold,
  /// removed red, added green, hunks cyan, suppressed objects yellow (as helm-diff).
  package static func colored(diff text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      if line.hasPrefix("+++") || line.hasPrefix("---") { return "\u{1B}[1m\(line)\u{1B}[0m" }
      if line.hasPrefix("+") { return "\u{1B}[32m\(line)\u{1B}[0m" }
      if line.hasPrefix("-") { return "\u{1B}[31m\(line)\u{1B}[0m" }
      if line.hasPrefix("@@") { return "\u{1B}[36m\(line)\u{1B}[0m" }
      if line.hasPrefix("# Changes suppressed") { return "\u{1B}[33m\(line)\u{1B}[0m" }
      return String(line)
    }.joined(separator: "\n")
  }
}
