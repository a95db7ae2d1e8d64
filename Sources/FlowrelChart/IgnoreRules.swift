/// The rules of a chart's `.helmignore`, read and applied exactly as Helm does, so a
/// chart packs and renders the same files under flowrel as under Helm.
///
/// Each line is a `path.Match` pattern: without a `/` it is matched against the base name,
/// with one against the path from the chart root (a leading `/` anchors nothing more);
/// a trailing `/` matches directories only; `**` is refused. Rules are tried in order and the
/// first match decides. Helm gives `!` rules an unusual meaning, kept here for compatibility:
/// a path that does *not* match a `!` rule is ignored, one that matches goes on to later rules.
package struct IgnoreRules: Sendable {
  private struct Rule: Sendable {
    var pattern: PathPattern
    var negated: Bool
    var directoriesOnly: Bool
    var matchesBaseName: Bool
  }

  private var rules: [Rule] = []

  /// No rules at all.
  package init() {}

  /// Reads `.helmignore` text; `file` names it in errors.
  package init(parsing text: String, file: String = ".helmignore") throws(ChartError) {
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      try add(String(rawLine), file: file, line: index + 1)
    }
  }

  /// The rules with Helm's defaults added after them: dot files under `templates/` are ignored.
  package func withDefaults() -> IgnoreRules {
    var copy = self
    // Helm's only default rule; it cannot fail to parse.
    try? copy.add("templates/.?*", file: "(default rules)", line: 1)
    return copy
  }

  private mutating func add(_ line: String, file: String, line number: Int) throws(ChartError) {
    var rule = line.trimmingWhitespace()
    guard !rule.isEmpty, !rule.hasPrefix("#") else { return }
    guard !rule.contains("**") else {
      throw ChartError.badIgnoreRule(file: file, line: number, rule: rule, reason: "double-star (**) syntax is not supported")
    }
    var negated = false
    if rule.hasPrefix("!") {
      negated = true
      rule.removeFirst()
    }
    var directoriesOnly = false
    if rule.hasSuffix("/") {
      directoriesOnly = true
      rule.removeLast()
    }
    let matchesBaseName = !rule.contains("/")
    if rule.hasPrefix("/") { rule.removeFirst() }
    let pattern: PathPattern
    do {
      pattern = try PathPattern(rule)
    } catch {
      throw ChartError.badIgnoreRule(file: file, line: number, rule: line.trimmingWhitespace(), reason: "syntax error in pattern")
    }
    rules.append(Rule(pattern: pattern, negated: negated, directoriesOnly: directoriesOnly, matchesBaseName: matchesBaseName))
  }

  /// Whether the file or directory at `path` (relative to the chart root, `/`-separated)
  /// is left out of the chart.
  package func ignores(_ path: String, isDirectory: Bool) -> Bool {
    guard !path.isEmpty, path != ".", path != "./" else { return false }
    let baseName = path.split(separator: "/").last.map(String.init) ?? path
    for rule in rules {
      let subject = rule.matchesBaseName ? baseName : path
      if rule.negated {
        if rule.directoriesOnly && !isDirectory { return true }
        if !rule.pattern.matches(subject) { return true }
        continue
      }
      if rule.directoriesOnly && !isDirectory { continue }
      if rule.pattern.matches(subject) { return true }
    }
    return false
  }
}

extension String {
  /// The string without leading and trailing spaces, tabs and carriage returns.
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
    guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
    return String(self[start...end])
  }
}
