/// Unified diffs of two texts, line by line (the `diff -u` format, three lines of context by
/// default), computed here so the in-memory and the git store show the same patch.
package enum UnifiedDiff {
  /// Lines of context around a change unless asked otherwise (`diff -u`'s).
  package static let defaultContext = 3
  /// The most cells of the longest-common-subsequence table (4 million: 32 MB).
  static let largestTable = 4_000_000

  /// The patch from `old` to `new` (nil for a file that does not exist), labelled `a/<file>`
  /// and `b/<file>`, with `context` lines around each change (a negative `context`: the whole
  /// file, as helm-diff's `-C -1`); empty when the texts are equal.
  package static func patch(file: String, old: String?, new: String?, context: Int = defaultContext) -> String {
    if old == new { return "" }
    let a = lines(old ?? ""), b = lines(new ?? "")
    // More context than the longer text has lines shows it whole (and keeps `2 * context` small).
    let context = min(context < 0 ? Int.max : context, max(a.count, b.count))
    var out = header(file: file, old: old, new: new)
    let edits = script(a, b)
    // Group the edit script into hunks: runs of changes with up to 2*context equal lines between.
    var index = 0
    while index < edits.count {
      guard let firstChange = edits[index...].firstIndex(where: { $0.kind != .equal }) else { break }
      var end = firstChange
      var lastChange = firstChange
      while end < edits.count {
        if edits[end].kind != .equal { lastChange = end }
        if end - lastChange > 2 * context { break }
        end += 1
      }
      let start = max(index, firstChange - context)
      let stop = min(edits.count, lastChange + context + 1)
      let hunk = edits[start..<stop]
      let oldCount = hunk.filter { $0.kind != .insert }.count
      let newCount = hunk.filter { $0.kind != .delete }.count
      let oldStart = (hunk.first?.oldLine ?? 0) + (oldCount == 0 ? 0 : 1)
      let newStart = (hunk.first?.newLine ?? 0) + (newCount == 0 ? 0 : 1)
      out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n"
      for edit in hunk {
        switch edit.kind {
        case .equal: out += " " + a[edit.oldLine] + "\n"
        case .delete: out += "-" + a[edit.oldLine] + "\n"
        case .insert: out += "+" + b[edit.newLine] + "\n"
        }
      }
      index = stop
    }
    return out
  }

  /// The `---`/`+++` lines of a patch of `file` (`/dev/null` for a side that does not exist).
  package static func header(file: String, old: String?, new: String?) -> String {
    "--- \(old == nil ? "/dev/null" : "a/" + file)\n+++ \(new == nil ? "/dev/null" : "b/" + file)\n"
  }

  private static func range(_ start: Int, _ count: Int) -> String { count == 1 ? "\(start)" : "\(start),\(count)" }

  private static func lines(_ text: String) -> [String] {
    var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if parts.last == "" { parts.removeLast() }
    return parts
  }

  private enum EditKind { case equal, delete, insert }

  /// One step of an edit script; `oldLine`/`newLine` are 0-based positions before the step.
  private struct Edit {
    let kind: EditKind
    let oldLine: Int
    let newLine: Int
  }

  /// A shortest edit script by longest common subsequence, after trimming the common prefix
  /// and suffix (manifests usually differ in a few lines, so the table stays small).
  private static func script(_ a: [String], _ b: [String]) -> [Edit] {
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
      suffix += 1
    }
    let x = Array(a[prefix..<(a.count - suffix)]), y = Array(b[prefix..<(b.count - suffix)])
    // lcs[i][j]: length of the longest common subsequence of x[i...] and y[j...]. Past
    // `largestTable` cells the middle is shown as removed and added whole: still a correct
    // patch, and memory stays bounded whatever the objects hold.
    let fits = (x.count + 1).multipliedReportingOverflow(by: y.count + 1)
    let table = fits.overflow || fits.partialValue > largestTable ? 0 : 1
    var lcs = [[Int]](repeating: [Int](repeating: 0, count: table * y.count + 1), count: table * x.count + 1)
    if table == 1 {
      for i in stride(from: x.count - 1, through: 0, by: -1) {
        for j in stride(from: y.count - 1, through: 0, by: -1) {
          lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
        }
      }
    }
    var edits: [Edit] = (0..<prefix).map { Edit(kind: .equal, oldLine: $0, newLine: $0) }
    var i = 0, j = 0
    while i < x.count || j < y.count {
      if table == 0 {
        // No table: every old line out, then every new line in.
        let delete = i < x.count
        edits.append(Edit(kind: delete ? .delete : .insert, oldLine: prefix + i, newLine: prefix + j))
        if delete { i += 1 } else { j += 1 }
      } else if i < x.count, j < y.count, x[i] == y[j] {
        edits.append(Edit(kind: .equal, oldLine: prefix + i, newLine: prefix + j))
        i += 1
        j += 1
      } else if j < y.count, i == x.count || lcs[i][j + 1] > lcs[i + 1][j] {
        edits.append(Edit(kind: .insert, oldLine: prefix + i, newLine: prefix + j))
        j += 1
      } else {
        edits.append(Edit(kind: .delete, oldLine: prefix + i, newLine: prefix + j))
        i += 1
      }
    }
    for k in 0..<suffix {
      edits.append(Edit(kind: .equal, oldLine: a.count - suffix + k, newLine: b.count - suffix + k))
    }
    return edits
  }
}
