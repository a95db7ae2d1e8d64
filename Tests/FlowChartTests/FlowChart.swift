import FlowrelChart
import FlowrelManifest
import FlowrelValue
import Foundation
import OrderedCollections
import Testing

/// The repository's `flow` chart rendered the way `flowrel template` renders it.
enum FlowChart {
  /// The repository root.
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// `templates/flow`, loaded once.
  static let chart: Result<Chart, ChartError> = Result { () throws(ChartError) in
    try Chart.load(path: repository.appendingPathComponent("templates/flow").path)
  }

  /// What one render produced: the objects keyed `Kind/name`, in install order, and the notes.
  struct Output {
    var objects: [(key: String, value: Value)]
    var notes: String
    /// Each object as flowrel writes it (canonical YAML), keyed `Kind/name`.
    var texts: [String: String]

    /// The object `Kind/name`.
    subscript(_ key: String) -> Value? { objects.first { $0.key == key }?.value }

    /// The keys of the objects of one kind, in install order.
    func names(of kind: String) -> [String] {
      objects.map(\.key).filter { $0.hasPrefix(kind + "/") }.map { String($0.dropFirst(kind.count + 1)) }
    }
  }

  /// Renders `values` (a YAML values file's text) for release `release` in `namespace`.
  static func render(_ values: String, release: String = "flow", namespace: String = "flow") throws -> Output {
    let chart = try chart.get()
    let file = try ValuesFile.read(name: "values.yaml", bytes: Array(values.utf8), scalars: chart.metadata.valuesScalarRules)
    let info = ReleaseInfo(name: release, namespace: namespace)
    let output = try chart.render(RenderRequest(release: info, values: try UserValues(files: [file])))
    let manifests = try output.rendered.manifests(release: info)
    func key(_ rendered: RenderedManifest) -> String { "\(rendered.manifest.identity.kind)/\(rendered.manifest.identity.name)" }
    return Output(
      objects: manifests.map { (key($0), $0.manifest.content) }, notes: output.rendered.notes ?? "",
      texts: Dictionary(manifests.map { (key($0), $0.manifest.canonicalYAML) }, uniquingKeysWith: { first, _ in first }))
  }

  /// The message rendering `values` fails with (a test failure when it renders).
  static func failure(_ values: String) -> String {
    do {
      _ = try render(values)
      Issue.record("rendered, but should have failed: \(values)")
      return ""
    } catch {
      return "\(error)"
    }
  }

  /// The pod template of a workload object.
  static func pod(_ object: Value?) -> Value? { object?.value(at: ValuePath([.key("spec"), .key("template")])) }

  /// The first container of a workload object.
  static func container(_ object: Value?, _ index: Int = 0) -> Value? {
    pod(object)?.value(at: ValuePath([.key("spec"), .key("containers"), .index(index)]))
  }
}

extension Value {
  /// The value at a dotted path (`spec.template.metadata`); list items as numbers (`containers.0`).
  func at(_ dotted: String) -> Value? {
    value(at: ValuePath(dotted.split(separator: ".").map { Int($0).map { .index($0) } ?? .key(String($0)) }))
  }
}

infix operator ≡: ComparisonPrecedence

/// Whether two values hold the same data, map keys in any order (Kubernetes objects are
/// maps; the order the chart writes their keys in does not matter).
func ≡ (lhs: Value?, rhs: Value?) -> Bool {
  lhs.map(\.keySorted) == rhs.map(\.keySorted)
}

extension Value {
  /// The value with every map's keys sorted, so equality ignores key order.
  var keySorted: Value {
    switch self {
    case .map(let map):
      var sorted = OrderedDictionary<String, Value>()
      for key in map.keys.sorted() { sorted[key] = map[key]?.keySorted }
      return .map(sorted)
    case .list(let list): return .list(list.map(\.keySorted))
    default: return self
    }
  }
}
