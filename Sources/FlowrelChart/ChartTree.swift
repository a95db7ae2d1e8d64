import FlowrelValue
import OrderedCollections

/// A chart as it takes part in a render: the root, or a subchart under the name its parent
/// gives it (its alias), with the defaults it contributes.
struct ChartNode: Sendable {
  /// The chart's files and metadata.
  var chart: Chart
  /// The name in its parent: the alias, else the chart's name; the key of its values.
  var name: String
  /// Helm's full path of the chart, the prefix of its template names: `parent/charts/child`.
  var path: String
  /// The parent's `dependencies` entry for it (`nil` for the root and for a subchart the
  /// parent does not list).
  var dependency: ChartDependency?
  /// The chart's default values (after `import-values`, its subcharts' defaults as well).
  var defaults: OrderedDictionary<String, Value>
  /// The subcharts: first those `Chart.yaml` does not list, then the listed ones in its order.
  var children: [ChartNode]
  /// Whether this is the chart the user named (`.Chart.IsRoot`).
  var isRoot: Bool

  /// The node and its subtree in depth-first order.
  var all: [ChartNode] {
    [self] + children.flatMap(\.all)
  }
}

/// One template of a chart tree, named as Helm names it.
struct TreeTemplate: Sendable {
  /// `<chart path>/templates/<file>`.
  var name: String
  /// The file.
  var file: ChartFile
  /// The `path` of the chart node it belongs to.
  var chartPath: String
}

extension Chart {
  /// The chart and every subchart it holds, with aliases applied, before values switch any
  /// off: Helm's pairing of `dependencies` entries with the charts under `charts/` (by name and
  /// version constraint; an entry may alias the same chart twice).
  func tree() -> ChartNode {
    node(name: metadata.name, path: metadata.name, dependency: nil, isRoot: true)
  }

  private func node(name: String, path: String, dependency: ChartDependency?, isRoot: Bool) -> ChartNode {
    let declared = metadata.dependencies
    var children: [ChartNode] = []
    for sub in subcharts where !declared.contains(where: { $0.name == sub.metadata.name && $0.accepts(version: sub.metadata.version) }) {
      children.append(sub.node(name: sub.metadata.name, path: path + "/charts/" + sub.metadata.name, dependency: nil, isRoot: false))
    }
    for entry in declared {
      guard let sub = subcharts.first(where: { $0.metadata.name == entry.name && entry.accepts(version: $0.metadata.version) }) else { continue }
      children.append(sub.node(name: entry.effectiveName, path: path + "/charts/" + entry.effectiveName, dependency: entry, isRoot: false))
    }
    return ChartNode(
      chart: self, name: name, path: path, dependency: dependency, defaults: defaultValues.mapValue ?? [:], children: children,
      isRoot: isRoot)
  }

  /// Refuses a chart whose `dependencies` name a chart that is not under `charts/`, as Helm's
  /// install does (by name, for the chart itself, not for its subcharts).
  func checkDependenciesPresent() throws(ChartError) {
    let present = Set(subcharts.map(\.metadata.name))
    let missing = metadata.dependencies.map(\.name).filter { !present.contains($0) }
    guard missing.isEmpty else {
      throw ChartError.badMetadata(
        file: source + "/Chart.yaml", field: "dependencies",
        reason: "found in Chart.yaml, but missing in charts/ directory: \(missing.joined(separator: ", ")) (flowrel dependency build puts file:// dependencies there)")
    }
  }
}

extension ChartNode {
  /// Every template of the tree in Helm's parse order: deeper paths first and, within a
  /// depth, reverse name order (a later `define` of a name wins, so this decides which one
  /// is used).
  var templatesInParseOrder: [TreeTemplate] {
    all.flatMap { node in node.chart.templates.map { TreeTemplate(name: node.path + "/" + $0.file.path, file: $0.file, chartPath: node.path) } }
      .sorted { a, b in
        let (da, db) = (a.name.count(of: "/"), b.name.count(of: "/"))
        return da != db ? da > db : b.name.utf8.lexicographicallyPrecedes(a.name.utf8)
      }
  }

  /// The values of the whole tree as Helm's `CoalesceValues` makes them: `given` over this
  /// chart's defaults, then for each subchart the values under its name, with the parent's
  /// `global` values shared down, over the subchart's own defaults.
  func coalesce(_ given: OrderedDictionary<String, Value>, at path: ValuePath, warnings: inout [String]) throws(ChartError)
    -> OrderedDictionary<String, Value>
  {
    var values = MergedValues.coalesce(given, over: defaults, at: path, warnings: &warnings)
    for child in children {
      let childPath = path.appending(key: child.name)
      var scoped: OrderedDictionary<String, Value>
      switch values[child.name] {
      case nil: scoped = [:]
      case .map(let map)?: scoped = map
      case let other?:
        throw ChartError.unreadable(
          path: "values", reason: "\(childPath) holds the values of subchart \(child.name), so it must be a map, not \(ChartError.describe(other))")
      }
      Self.shareGlobals(from: values, into: &scoped, at: childPath, warnings: &warnings)
      values[child.name] = .map(try child.coalesce(scoped, at: childPath, warnings: &warnings))
    }
    return values
  }

  /// Helm's `coalesceGlobals`: the parent's `global` entries win over the subchart's; maps
  /// on both sides merge (the parent's entries first). The subchart always gets a `global` map.
  static func shareGlobals(
    from parent: OrderedDictionary<String, Value>, into child: inout OrderedDictionary<String, Value>, at path: ValuePath,
    warnings: inout [String]
  ) {
    let globalPath = path.appending(key: "global")
    var globals: OrderedDictionary<String, Value>
    switch child["global"] {
    case nil: globals = [:]
    case .map(let map)?: globals = map
    default:
      warnings.append("\(globalPath): is not a map, so no global values are shared with it")
      return
    }
    let shared: OrderedDictionary<String, Value>
    switch parent["global"] {
    case nil: shared = [:]
    case .map(let map)?: shared = map
    default:
      warnings.append("\(path): the parent's global is not a map, so no global values are shared")
      return
    }
    for (key, value) in shared {
      switch (value, globals[key]) {
      case (.map(let given), .map(let existing)?):
        globals[key] = .map(MergedValues.coalesce(given, over: existing, at: globalPath.appending(key: key), warnings: &warnings))
      case (.map, let existing?) where !existing.isNull:
        warnings.append("\(globalPath.appending(key: key)): a global map replaces \(ChartError.describe(existing))")
        globals[key] = value
      case (_, .map?) where !value.isNull:
        warnings.append("\(globalPath.appending(key: key)): a global \(ChartError.describe(value)) does not replace the subchart's map")
      default:
        globals[key] = value
      }
    }
    child["global"] = .map(globals)
  }

  /// Removes the subcharts that `tags` and `condition` switch off, as Helm does: a tag that
  /// is true enables, tags that are all false disable, and the first condition path that holds
  /// a boolean decides over the tags. `values` are this chart's coalesced values (condition
  /// paths are read from them), `tags` the root's `tags` map: tags are always the top-level
  /// values' own, but Helm coalesces each chart's defaults into the top level before it looks
  /// at that chart's dependencies, so a subchart's `values.yaml` may give defaults for the
  /// tags of its own subcharts (and of theirs), under those the charts above it set.
  mutating func removeDisabled(values: OrderedDictionary<String, Value>, tags: OrderedDictionary<String, Value>, warnings: inout [String]) {
    var tags = tags
    if !isRoot, case .map(let defaultTags)? = defaults["tags"] {
      var unused: [String] = []
      tags = MergedValues.coalesce(tags, over: defaultTags, at: ValuePath.root.appending(key: "tags"), warnings: &unused)
    }
    children.removeAll { child in
      guard let entry = child.dependency else { return false }
      return !Self.isEnabled(entry, values: values, tags: tags, warnings: &warnings)
    }
    for index in children.indices {
      let scoped = values[children[index].name]?.mapValue ?? [:]
      children[index].removeDisabled(values: scoped, tags: tags, warnings: &warnings)
    }
  }

  static func isEnabled(
    _ entry: ChartDependency, values: OrderedDictionary<String, Value>, tags: OrderedDictionary<String, Value>, warnings: inout [String]
  ) -> Bool {
    var enabled = true
    var (anyTrue, anyFalse) = (false, false)
    for tag in entry.tags {
      switch tags[tag] {
      case nil: continue
      case .bool(let on)?: if on { anyTrue = true } else { anyFalse = true }
      default: warnings.append("tags.\(tag) (a tag of subchart \(entry.effectiveName)) is not true or false; it is ignored")
      }
    }
    if anyFalse && !anyTrue { enabled = false }
    let conditions = entry.condition.split(separator: ",", omittingEmptySubsequences: true)
    for condition in conditions {
      var current: Value = .map(values)
      var found = true
      for key in condition.split(separator: ".", omittingEmptySubsequences: false) {
        guard case .map(let map) = current, let next = map[String(key)] else {
          found = false
          break
        }
        current = next
      }
      guard found, current.mapValue == nil else { continue }
      if case .bool(let on) = current { return on }
      warnings.append("condition \(condition) of subchart \(entry.effectiveName) is not true or false; it is ignored")
    }
    return enabled
  }

  /// Helm's `import-values`, deepest charts first: each chart's defaults become its whole
  /// subtree's defaults with the imported maps under them (its own values win over imported
  /// ones, and an earlier import over a later one). Only maps are imported, as in Helm.
  mutating func importValues(at path: ValuePath, warnings: inout [String]) throws(ChartError) {
    for index in children.indices {
      try children[index].importValues(at: path.appending(key: children[index].name), warnings: &warnings)
    }
    let entries = children.compactMap(\.dependency).filter { !$0.importValues.isEmpty }
    guard !entries.isEmpty else { return }
    let tree = try coalesce([:], at: path, warnings: &warnings)
    var imported: OrderedDictionary<String, Value> = [:]
    for entry in entries {
      for item in entry.importValues {
        let (child, parent): (String, String)
        switch item {
        case .exports(let name): (child, parent) = ("exports." + name, ".")
        case .mapping(let from, let to): (child, parent) = (from, to)
        }
        let childKeys = [entry.effectiveName] + child.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard case .map(let table)? = Value.map(tree).value(at: ValuePath(childKeys.map { .key($0) })) else {
          warnings.append("import-values of \(entry.effectiveName): \(childKeys.joined(separator: ".")) is not a map of values; nothing is imported from it")
          continue
        }
        var placed = table
        if parent != "." {
          for key in parent.split(separator: ".", omittingEmptySubsequences: false).reversed() {
            placed = [String(key): .map(placed)]
          }
        }
        imported = MergedValues.coalesce(imported, over: placed, at: path, warnings: &warnings)
      }
    }
    defaults = MergedValues.coalesce(tree, over: imported, at: path, warnings: &warnings)
  }

  /// The tree's charts by path, with the values each one's templates see as `.Values`.
  func scopedValues(_ values: Value) -> [(node: ChartNode, values: Value)] {
    [(self, values)] + children.flatMap { child in
      child.scopedValues(values[child.name].flatMap { $0.mapValue.map(Value.map) } ?? .emptyMap)
    }
  }
}

extension Chart {
  /// The chart tree a render uses and the values of the root chart: subcharts switched off
  /// by `condition` or `tags` removed, `import-values` applied, then the user's values
  /// coalesced over every chart's defaults (Helm's `ProcessDependencies` and `CoalesceValues`).
  func resolve(user: Value) throws(ChartError) -> (tree: ChartNode, values: MergedValues) {
    var tree = tree()
    guard !tree.children.isEmpty else {
      return (tree, try MergedValues(defaults: defaultValues, user: user))
    }
    let given = try MergedValues.map(user, source: "user-supplied values")
    var warnings: [String] = []
    // The first coalescing only decides what is enabled; its warnings come again in the last.
    var unused: [String] = []
    let first = try tree.coalesce(given, at: .root, warnings: &unused)
    tree.removeDisabled(values: first, tags: first["tags"]?.mapValue ?? [:], warnings: &warnings)
    try tree.importValues(at: .root, warnings: &warnings)
    let values = try tree.coalesce(given, at: .root, warnings: &warnings)
    var merged = try MergedValues(defaults: .emptyMap, user: user)
    merged.values = .map(values)
    merged.warnings = warnings
    return (tree, merged)
  }
}
