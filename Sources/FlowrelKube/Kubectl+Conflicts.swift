import Foundation
import FlowrelManifest

/// Reading server-side apply conflicts out of a failed `kubectl apply`.
extension Kubectl {
  /// The field-manager conflicts in a failed apply, each paired with its object; `nil` when the
  /// failure is something else (or cannot be attributed to objects with certainty).
  ///
  /// kubectl's conflict message does not name the object, but kubectl goes on with the other
  /// objects and prints each applied one (`-o name`), in order. The objects missing from that
  /// list failed, in manifest order, and kubectl reports their errors in the same order.
  static func conflicts(_ output: CommandOutput, manifests: [Manifest]) -> [FieldConflict]? {
    guard let blocks = conflictBlocks(output.stderr), !blocks.isEmpty else { return nil }
    var applied = output.stdout.split(separator: "\n").map { trimmed(String($0)) }
    var failed: [ObjectIdentity] = []
    for manifest in manifests {
      if let index = applied.firstIndex(of: manifest.identity.kubectlName) {
        applied.remove(at: index)
      } else {
        failed.append(manifest.identity)
      }
    }
    guard failed.count == blocks.count else { return nil }
    return zip(failed, blocks).flatMap { object, block in
      block.map { FieldConflict(object: object, manager: $0.manager, fields: $0.fields) }
    }
  }

  /// Splits stderr into one block per failed object, each a list of (manager, fields); `nil`
  /// when stderr holds an error that is not a conflict.
  static func conflictBlocks(_ stderr: String) -> [[(manager: String, fields: [String])]]? {
    var blocks: [[(manager: String, fields: [String])]] = []
    for rawLine in stderr.split(separator: "\n") {
      var line = trimmed(String(rawLine))
      if line.hasPrefix("error: ") { line.removeFirst("error: ".count) }
      if line.hasPrefix("Apply failed with ") {
        blocks.append([])
        guard let colon = line.range(of: ": ") else { return nil }
        line = String(line[colon.upperBound...])
      } else if line.hasPrefix("Error from server") || line.hasPrefix("error") {
        return nil
      }
      guard !blocks.isEmpty else { continue }
      if let conflict = parseConflictLine(line) {
        blocks[blocks.count - 1].append(conflict)
      } else if line.hasPrefix("- "), var current = blocks[blocks.count - 1].popLast() {
        current.fields.append(String(line.dropFirst(2)))
        blocks[blocks.count - 1].append(current)
      }
    }
    return blocks.contains(where: \.isEmpty) ? nil : blocks
  }

  /// `conflict with "M" using V: .path` or `conflicts with "M" using V:` (fields follow).
  private static func parseConflictLine(_ line: String) -> (manager: String, fields: [String])? {
    let prefix: String
    if line.hasPrefix("conflict with \"") {
      prefix = "conflict with \""
    } else if line.hasPrefix("conflicts with \"") {
      prefix = "conflicts with \""
    } else {
      return nil
    }
    let rest = line.dropFirst(prefix.count)
    guard let quote = rest.firstIndex(of: "\"") else { return nil }
    let manager = String(rest[..<quote])
    let tail = rest[rest.index(after: quote)...]
    guard let colon = tail.range(of: ":") else { return (manager, []) }
    let field = trimmed(String(tail[colon.upperBound...]))
    return (manager, field.isEmpty ? [] : [field])
  }
}
