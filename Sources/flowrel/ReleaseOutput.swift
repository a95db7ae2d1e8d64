import FlowrelActions
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import FlowrelYAML
import Foundation

/// How release commands print their results (data on standard output).
enum ReleaseOutput {
  /// `2026-11-23T10:49:55Z`.
  static func time(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }

  /// `flow-0.1.0`, Helm's way of naming a chart and its version.
  static func chart(_ info: RevisionInfo) -> String {
    info.chart.map { "\($0.name)-\($0.version)" } ?? ""
  }

  /// The lines `install`, `upgrade`, `rollback` and `status` start with.
  static func header(_ info: RevisionInfo) -> String {
    """
    NAME: \(info.release)
    LAST DEPLOYED: \(time(info.time))
    NAMESPACE: \(info.namespace)
    STATUS: \(info.status.rawValue)
    REVISION: \(info.revision)
    CHART: \(chart(info))
    DESCRIPTION: \(info.description)

    """
  }

  /// The result of install, upgrade or rollback: the revision and notes, or for a dry run the
  /// objects and what would change.
  static func deployed(_ result: DeployResult, release: String, namespace: String) {
    guard let revision = result.revision else {
      Console.write(result.manifests.map { "---\n" + $0.canonicalYAML }.joined())
      Console.error("dry run of \(release) in \(namespace): \(result.plan.summary); nothing was recorded or applied")
      return
    }
    Console.write(header(revision.info))
    if let notes = result.notes, !notes.isEmpty { Console.write("\nNOTES:\n\(notes)\n") }
  }

  /// A list of records as a table, or as YAML or JSON (a list of objects with lower-case keys).
  static func table<Item>(_ items: [Item], format: OutputFormat, columns: [String], row: (Item) -> [String]) throws {
    let rows = items.map(row)
    switch format {
    case .table:
      let widths = columns.indices.map { column in ([columns[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
      for line in [columns] + rows {
        let cells = line.enumerated().map { index, cell in
          index == line.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
        }
        Console.write(cells.joined(separator: "\t").trimmingCharacters(in: .whitespaces) + "\n")
      }
    case .yaml, .json:
      let keys = columns.map { $0.lowercased().replacingOccurrences(of: " ", with: "_") }
      let list = Value.list(rows.map { cells in
        .map(.init(uniqueKeysWithValues: zip(keys, cells).map { key, cell in
          (key, key == "revision" ? Int64(cell).map(Value.int) ?? .string(cell) : .string(cell))
        }))
      })
      Console.write(format == .json ? try list.jsonText(JSONEncodingOptions(sortedKeys: false, indent: "  ")) + "\n" : YAML.emit(list))
    }
  }

  /// `get values|manifest|notes|all`.
  static func parts(_ revision: Revision, part: String) -> String {
    let values = YAML.emit(revision.values)
    let manifest = revision.manifests.map { "---\n" + $0.canonicalYAML }.joined()
    let notes = revision.notes.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? ""
    switch part {
    case "values": return values
    case "manifest": return manifest
    case "notes": return notes
    default: return header(revision.info) + "\nUSER-SUPPLIED VALUES:\n" + values + "\nMANIFEST:\n" + manifest + "\nNOTES:\n" + notes
    }
  }

  /// Every change's unified diff, colored for a terminal.
  static func patches(_ changes: [ObjectChange], colored: Bool) -> String {
    let text = changes.map(\.patch).joined()
    guard colored else { return text }
    return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      if line.hasPrefix("+++") || line.hasPrefix("---") { return "\u{1B}[1m\(line)\u{1B}[0m" }
      if line.hasPrefix("+") { return "\u{1B}[32m\(line)\u{1B}[0m" }
      if line.hasPrefix("-") { return "\u{1B}[31m\(line)\u{1B}[0m" }
      if line.hasPrefix("@@") { return "\u{1B}[36m\(line)\u{1B}[0m" }
      return String(line)
    }.joined(separator: "\n")
  }
}
