import Crypto
import FlowrelValue
import FlowrelYAML
import HelmFunctions
import OrderedCollections

/// `Chart.lock` (`requirements.lock` for an `apiVersion: v1` chart): the version of each
/// dependency that `dependency update` chose, and a digest of the `dependencies` it chose them for.
package struct ChartLock: Sendable, Equatable {
  /// One locked dependency.
  package struct Entry: Sendable, Equatable {
    /// The chart's name.
    package var name: String
    /// The exact version.
    package var version: String
    /// Where it comes from, as `dependencies` says.
    package var repository: String

    /// An entry.
    package init(name: String, version: String, repository: String) {
      self.name = name
      self.version = version
      self.repository = repository
    }
  }

  /// The locked dependencies, in the order of `dependencies`.
  package var dependencies: [Entry]
  /// `sha256:<hex>` of Helm's JSON of the requested and the locked dependencies.
  package var digest: String
  /// When it was written, RFC 3339 text.
  package var generated: String

  /// A lock.
  package init(dependencies: [Entry], digest: String, generated: String) {
    self.dependencies = dependencies
    self.digest = digest
    self.generated = generated
  }

  /// Reads a lock file; `name` names it in errors.
  package init(parsing bytes: [UInt8], name: String) throws(ChartError) {
    let value: Value
    do {
      value = try YAML.parse(bytes, file: name)
    } catch {
      throw ChartError.yaml(error)
    }
    func fail(_ reason: String) -> ChartError { .unreadable(path: name, reason: reason) }
    guard case .map(let fields) = value else { throw fail("is not a lock file: it must be a map with dependencies, digest and generated") }
    dependencies = []
    for item in fields["dependencies"]?.listValue ?? [] {
      guard case .string(let name)? = item["name"] else { throw fail("each entry of dependencies needs a name") }
      dependencies.append(Entry(name: name, version: Self.text(item["version"]), repository: Self.text(item["repository"])))
    }
    digest = Self.text(fields["digest"])
    generated = Self.text(fields["generated"])
  }

  private static func text(_ value: Value?) -> String {
    switch value {
    case .string(let s)?: s
    case .int(let i)?, .int64(let i)?: String(i)
    case .double(let d)?: ShortestDecimal(d).fixedForm
    default: ""
    }
  }

  /// The file as Helm writes it (sigs.k8s.io/yaml: keys sorted, `generated` quoted).
  package func text() throws(ChartError) -> String {
    let entries: [Value] = dependencies.map { ["name": .string($0.name), "repository": .string($0.repository), "version": .string($0.version)] }
    let value: Value = ["dependencies": .list(entries), "digest": .string(digest), "generated": .string(generated)]
    do {
      return try HelmYAML.marshal(value)
    } catch {
      throw ChartError.unreadable(path: "Chart.lock", reason: "cannot be written: \(error)")
    }
  }

  /// `sha256:<hex>` of the requested and locked dependencies, as Helm's `HashReq`.
  package static func digest(requested: [ChartDependency], locked: [Entry]) -> String {
    "sha256:" + SHA256.hash(data: digestInput(requested: requested, locked: locked)).map { byte in
      let digits = String(byte, radix: 16)
      return digits.count == 1 ? "0" + digits : digits
    }.joined()
  }

  /// The bytes Helm hashes into `digest`: the JSON of `[requested, locked]`, each dependency
  /// with the fields and field order of Helm's `Dependency` (empty optional fields left out).
  static func digestInput(requested: [ChartDependency], locked: [Entry]) -> [UInt8] {
    func json(_ dependency: ChartDependency) -> Value {
      var map = OrderedDictionary<String, Value>()
      map["name"] = .string(dependency.name)
      if !dependency.version.isEmpty { map["version"] = .string(dependency.version) }
      map["repository"] = .string(dependency.repository)
      if !dependency.condition.isEmpty { map["condition"] = .string(dependency.condition) }
      if !dependency.tags.isEmpty { map["tags"] = .list(dependency.tags.map(Value.string)) }
      if !dependency.importValues.isEmpty {
        map["import-values"] = .list(dependency.importValues.map {
          switch $0 {
          case .exports(let name): .string(name)
          case .mapping(let child, let parent): ["child": .string(child), "parent": .string(parent)]
          }
        })
      }
      if !dependency.alias.isEmpty { map["alias"] = .string(dependency.alias) }
      return .map(map)
    }
    let requestedJSON: Value = requested.isEmpty ? .null : .list(requested.map(json))
    let lockedJSON: Value = locked.isEmpty ? .null : .list(locked.map {
      ["name": .string($0.name), "version": .string($0.version), "repository": .string($0.repository)]
    })
    // Plain strings and lists only: encoding cannot fail.
    let text = (try? Value.list([requestedJSON, lockedJSON]).jsonText(JSONEncodingOptions(sortedKeys: false, escapeHTML: true))) ?? ""
    return Array(text.utf8)
  }
}
