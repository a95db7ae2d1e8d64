import FlowrelSemVer
import FlowrelValue
import FlowrelYAML

/// The contents of a chart's `Chart.yaml`, checked as Helm checks them, with `version` read
/// as Helm's semver library reads it (a leading `v`, a missing minor or patch number).
package struct ChartMetadata: Sendable, Equatable {
  /// A maintainer entry.
  package struct Maintainer: Sendable, Equatable {
    /// The maintainer's name (required).
    package var name: String
    /// An email address, or empty.
    package var email: String
    /// A URL, or empty.
    package var url: String
  }

  /// `apiVersion`: `v2`, or `v1` for a Helm 2 chart (also when it is missing, as Helm assumes).
  package var apiVersion: String
  /// `name`: the chart's name, used in template names (`<name>/templates/x.yaml`).
  package var name: String
  /// `version`: the chart's own version (its `original` is the text as written, which
  /// `.Chart.Version` shows).
  package var version: SemanticVersion
  /// `appVersion`: the version of the application the chart deploys, or empty.
  package var appVersion: String
  /// `description`, or empty.
  package var description: String
  /// `type`: `application` (the default) or `library`.
  package var type: String
  /// `kubeVersion`: the Kubernetes versions the chart supports, if it says.
  package var kubeVersion: VersionConstraint?
  /// `keywords`.
  package var keywords: [String]
  /// `home`, or empty.
  package var home: String
  /// `sources`.
  package var sources: [String]
  /// `icon`, or empty.
  package var icon: String
  /// `deprecated`.
  package var deprecated: Bool
  /// `maintainers`.
  package var maintainers: [Maintainer]
  /// `annotations`: string keys to string values.
  package var annotations: [(key: String, value: String)]
  /// `dependencies` (for an `apiVersion: v1` chart, from `requirements.yaml`).
  package var dependencies: [ChartDependency]

  package static func == (lhs: ChartMetadata, rhs: ChartMetadata) -> Bool {
    lhs.templateValue == rhs.templateValue
  }

  /// The fields Helm knows; any other key is refused so a typo does not pass silently.
  /// `engine` and `tillerVersion` are Helm 2's, still in many public charts; Helm 3 ignores them.
  static let knownKeys: Set<String> = [
    "apiVersion", "name", "version", "kubeVersion", "description", "type", "keywords", "home", "sources",
    "dependencies", "maintainers", "icon", "appVersion", "deprecated", "annotations", "engine", "tillerVersion",
  ]

  /// Reads metadata from the parsed `Chart.yaml`, whose positions place errors about a
  /// field's value at its line and column.
  package init(_ document: YAMLDocument) throws(ChartError) {
    try self.init(document.value, file: document.file, document: document)
  }

  /// Reads metadata from the parsed `Chart.yaml`; `file` names it in errors.
  package init(_ value: Value, file: String = "Chart.yaml") throws(ChartError) {
    try self.init(value, file: file, document: nil)
  }

  private init(_ value: Value, file: String, document: YAMLDocument?) throws(ChartError) {
    func fail(_ field: String, _ reason: String) -> ChartError {
      .badMetadata(file: file, field: field, reason: reason)
    }
    guard case .map(let fields) = value else { throw fail("", "must be a map of fields such as name and version") }
    for key in fields.keys where !Self.knownKeys.contains(key) {
      throw fail(key, "unknown field; Chart.yaml knows \(Self.knownKeys.sorted().joined(separator: ", "))")
    }
    func string(_ key: String, required: Bool = false) throws(ChartError) -> String {
      switch fields[key] {
      case nil, .null?:
        if required { throw fail(key, "is required") }
        return ""
      case .string(let s)?:
        if required && s.isEmpty { throw fail(key, "is required") }
        return s
      // Helm reads Chart.yaml into strings; an unquoted `appVersion: 1.0` is common and kept as written.
      case .int(let i)?, .int64(let i)?: return String(i)
      case .double(let d)?:
        guard d.isFinite else {
          // `.inf`, `-.inf` and `.nan` read as numbers that have no digits to keep.
          let spelling = d.isNaN ? ".nan" : d > 0 ? ".inf" : "-.inf"
          let reason = "\(spelling) reads as a number that is not finite, not as text; quote it (\(key): \"\(spelling)\")"
          guard let document else { throw fail(key, reason) }
          throw .yaml(document.error(at: ValuePath([.key(key)]), "\(key): \(reason)"))
        }
        return ShortestDecimal(d).fixedForm
      case .bool(let b)?: return b ? "true" : "false"
      case let other?: throw fail(key, "must be a string, not a \(other.kindName)")
      }
    }
    func strings(_ key: String) throws(ChartError) -> [String] {
      guard let item = fields[key], !item.isNull else { return [] }
      guard case .list(let items) = item else { throw fail(key, "must be a list of strings") }
      var out: [String] = []
      for entry in items {
        guard case .string(let s) = entry else { throw fail(key, "must be a list of strings") }
        out.append(s)
      }
      return out
    }

    apiVersion = try string("apiVersion")
    // Helm 2 charts may leave it out; Helm 3 then reads them as v1.
    if apiVersion.isEmpty { apiVersion = "v1" }
    guard apiVersion == "v2" || apiVersion == "v1" else {
      throw fail("apiVersion", "must be v2 (Helm 3 charts) or v1 (Helm 2 charts); \"\(apiVersion)\" is not supported")
    }
    name = try string("name", required: true)
    guard !name.contains("/"), !name.contains("\\"), name != ".", name != ".." else {
      throw fail("name", "\"\(name)\" is not a valid chart name")
    }
    // An unquoted `version: 1.2` is a number that Helm turns back into text ("1.2"), as here.
    let versionText = try string("version", required: true)
    do {
      version = try SemanticVersion(versionText)
    } catch {
      throw fail("version", error.message)
    }
    appVersion = try string("appVersion")
    description = try string("description")
    type = try string("type")
    if type.isEmpty { type = "application" }
    guard type == "application" || type == "library" else {
      throw fail("type", "must be application or library, not \"\(type)\"")
    }
    let kube = try string("kubeVersion")
    if kube.isEmpty {
      kubeVersion = nil
    } else {
      do {
        kubeVersion = try VersionConstraint(kube)
      } catch {
        throw fail("kubeVersion", error.message)
      }
    }
    keywords = try strings("keywords")
    home = try string("home")
    sources = try strings("sources")
    icon = try string("icon")
    switch fields["deprecated"] {
    case nil, .null?: deprecated = false
    case .bool(let b)?: deprecated = b
    case let other?: throw fail("deprecated", "must be true or false, not a \(other.kindName)")
    }
    dependencies = try ChartDependency.list(fields["dependencies"], file: file)
    maintainers = []
    if let list = fields["maintainers"], !list.isNull {
      guard case .list(let items) = list else { throw fail("maintainers", "must be a list") }
      for (index, item) in items.enumerated() {
        guard case .map(let entry) = item else { throw fail("maintainers[\(index)]", "must be a map with name, email, url") }
        let field = "maintainers[\(index)]"
        guard case .string(let name)? = entry["name"], !name.isEmpty else { throw fail("\(field).name", "is required") }
        maintainers.append(Maintainer(name: name, email: entry["email"]?.stringValue ?? "", url: entry["url"]?.stringValue ?? ""))
      }
    }
    annotations = []
    if let map = fields["annotations"], !map.isNull {
      guard case .map(let entries) = map else { throw fail("annotations", "must be a map of strings") }
      for (key, value) in entries {
        guard case .string(let s) = value else { throw fail("annotations.\(key)", "must be a string (quote it)") }
        annotations.append((key, s))
      }
    }
    if let rules = annotations.first(where: { $0.key == Self.valuesYAMLAnnotation })?.value, Self.scalarRules[rules] == nil {
      throw fail("annotations.\(Self.valuesYAMLAnnotation)", "must be helm, pyyaml or jina, not \"\(rules)\"")
    }
  }

  /// The annotation that chooses how values files type scalars: `pyyaml` for a chart whose
  /// values are a file written for PyYAML, `jina` for a Jina Flow YAML (the flow chart).
  package static let valuesYAMLAnnotation = "flowrel.dev/values-yaml"
  static let scalarRules: [String: YAMLScalarRules] = ["helm": .helm, "pyyaml": .pyyaml, "jina": .jina]

  /// How this chart's values files type plain scalars (`valuesYAMLAnnotation`; Helm's by default).
  package var valuesScalarRules: YAMLScalarRules {
    annotations.first { $0.key == Self.valuesYAMLAnnotation }.flatMap { Self.scalarRules[$0.value] } ?? .helm
  }

  /// The `.Chart` object templates see, with Helm's field names (`.Chart.Name`, `.Chart.AppVersion`, ...).
  package var templateValue: Value {
    var map: [(String, Value)] = [
      ("APIVersion", .string(apiVersion)), ("Name", .string(name)), ("Version", .string(version.original)),
      ("AppVersion", .string(appVersion)), ("Description", .string(description)), ("Type", .string(type)),
      ("KubeVersion", .string(kubeVersion?.text ?? "")), ("Keywords", .list(keywords.map(Value.string))),
      ("Home", .string(home)), ("Sources", .list(sources.map(Value.string))), ("Icon", .string(icon)),
      ("Deprecated", .bool(deprecated)),
    ]
    map.append(("Maintainers", .list(maintainers.map {
      ["Name": .string($0.name), "Email": .string($0.email), "URL": .string($0.url)]
    })))
    map.append(("Annotations", .map(.init(uniqueKeysWithValues: annotations.map { ($0.key, Value.string($0.value)) }))))
    map.append(("Dependencies", .list(dependencies.map(\.templateValue))))
    return .map(.init(uniqueKeysWithValues: map))
  }
}
