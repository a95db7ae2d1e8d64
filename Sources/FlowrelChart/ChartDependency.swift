import FlowrelSemVer
import FlowrelValue

/// One entry of `dependencies` in `Chart.yaml` (or `requirements.yaml` for an `apiVersion: v1`
/// chart): a subchart the chart expects under `charts/`, and how it is switched on and named.
package struct ChartDependency: Sendable, Equatable {
  /// One `import-values` entry: which of the subchart's values the parent takes in.
  package enum ImportValue: Sendable, Equatable {
    /// The string form: the subchart's `exports.<name>` map, merged at the parent's top level.
    case exports(String)
    /// The map form: the subchart's map at `child` (a dotted path), placed at the parent's
    /// `parent` path (`.` for the top level).
    case mapping(child: String, parent: String)
  }

  /// `name`: the subchart's own chart name.
  package var name: String
  /// `version`: a version constraint the subchart's version must meet (empty: any).
  package var version: String
  /// `repository`: where `flowrel dependency build` gets it (`file://` paths only; others are recorded).
  package var repository: String
  /// `condition`: comma-separated value paths; the first that holds a boolean switches the subchart.
  package var condition: String
  /// `tags`: names under the top-level `tags` value; any true tag enables, all false disable.
  package var tags: [String]
  /// `import-values`.
  package var importValues: [ImportValue]
  /// `alias`: the name the subchart goes by in this chart (its values key, `.Chart.Name`).
  package var alias: String

  /// The name the subchart has in this chart: its alias, else its name.
  package var effectiveName: String { alias.isEmpty ? name : alias }

  /// The dependencies of a `dependencies` field (`nil` or `null`: none), checked as Helm checks
  /// them: aliases of letters, digits, `_` and `-`, no two entries with the same name or alias.
  static func list(_ value: Value?, file: String) throws(ChartError) -> [ChartDependency] {
    guard let value, !value.isNull else { return [] }
    guard case .list(let items) = value else {
      throw ChartError.badMetadata(file: file, field: "dependencies", reason: "must be a list of charts (name, version, repository)")
    }
    var out: [ChartDependency] = []
    var seen: Set<String> = []
    for (index, item) in items.enumerated() {
      let dependency = try ChartDependency(item, file: file, field: "dependencies[\(index)]")
      guard seen.insert(dependency.effectiveName).inserted else {
        throw ChartError.badMetadata(
          file: file, field: "dependencies[\(index)]", reason: "more than one dependency with name or alias \"\(dependency.effectiveName)\"")
      }
      out.append(dependency)
    }
    return out
  }

  /// Reads one entry; fields Helm does not know are ignored, as Helm ignores them.
  init(_ value: Value, file: String, field: String) throws(ChartError) {
    func fail(_ key: String, _ reason: String) -> ChartError {
      .badMetadata(file: file, field: key.isEmpty ? field : field + "." + key, reason: reason)
    }
    guard case .map(let fields) = value else { throw fail("", "must be a map with name, version and repository") }
    func string(_ key: String) throws(ChartError) -> String {
      switch fields[key] {
      case nil, .null?: return ""
      case .string(let s)?: return s
      case .int(let i)?, .int64(let i)?: return String(i)
      case .double(let d)?: return ShortestDecimal(d).fixedForm
      case .bool(let b)?: return b ? "true" : "false"
      case let other?: throw fail(key, "must be a string, not a \(other.kindName)")
      }
    }
    name = try string("name")
    guard !name.isEmpty else { throw fail("name", "is required") }
    version = try string("version")
    repository = try string("repository")
    condition = try string("condition")
    alias = try string("alias")
    if !alias.isEmpty, !alias.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }) {
      throw fail("alias", "\"\(alias)\" has characters an alias may not have (letters, digits, _ and - only)")
    }
    tags = []
    switch fields["tags"] {
    case nil, .null?: break
    case .list(let items)?:
      for item in items {
        guard case .string(let tag) = item else { throw fail("tags", "must be a list of strings") }
        tags.append(tag)
      }
    default: throw fail("tags", "must be a list of strings")
    }
    importValues = []
    switch fields["import-values"] {
    case nil, .null?: break
    case .list(let items)?:
      for (index, item) in items.enumerated() {
        let key = "import-values[\(index)]"
        switch item {
        case .string(let name): importValues.append(.exports(name))
        case .map(let entry):
          guard case .string(let child)? = entry["child"], case .string(let parent)? = entry["parent"] else {
            throw fail(key, "must be a string (an exports name) or a map with child and parent, both strings")
          }
          importValues.append(.mapping(child: child, parent: parent))
        default: throw fail(key, "must be a string (an exports name) or a map with child and parent")
        }
      }
    default: throw fail("import-values", "must be a list")
    }
  }

  /// Whether a subchart of `version` is this dependency: the constraint is empty or met. A
  /// constraint or version that does not parse matches nothing, as in Helm.
  package func accepts(version chartVersion: SemanticVersion) -> Bool {
    guard !version.isEmpty else { return true }
    guard let constraint = try? VersionConstraint(version) else { return false }
    return constraint.isSatisfied(by: chartVersion)
  }

  /// The entry as `.Chart.Dependencies` shows it, with the field names of Helm's struct.
  var templateValue: Value {
    let imports: [Value] = importValues.map {
      switch $0 {
      case .exports(let name): .string(name)
      case .mapping(let child, let parent): ["child": .string(child), "parent": .string(parent)]
      }
    }
    return [
      "Name": .string(name), "Version": .string(version), "Repository": .string(repository), "Condition": .string(condition),
      "Tags": .list(tags.map(Value.string)), "Enabled": true, "ImportValues": .list(imports), "Alias": .string(alias),
    ]
  }
}
