import FlowrelValue
import FlowrelYAML
import Foundation
import Testing

/// flowrel's output against Jina 3.34's own `to_kubernetes_yaml` export of the same Flow
/// (`JinaExport/`, copied from real exports): the same objects with the same names, and
/// every field the same, except the differences the chart README documents.
@Suite struct JinaExportTests {
  /// The two exports and the values files of the releases made from the same Flows.
  static let cases = [("clip", "index-flow"), ("search", "search-flow")]

  @Test(arguments: cases)
  func flowrelMakesWhatJinaExportsExceptTheDocumentedDifferences(export: String, release: String) throws {
    let values = try String(contentsOf: FlowChart.repository.appendingPathComponent("releases/\(release)/values.yaml"), encoding: .utf8)
    let ours = try FlowChart.render(values, release: release, namespace: release)
    let jina = try Self.exportedObjects(export)
    #expect(Set(ours.objects.map(\.key)) == Set(jina.keys), "the same objects, with the same names")
    for (key, expected) in jina.sorted(by: { $0.key < $1.key }) {
      // Both sides as written (flowrel's canonical YAML, Jina's files), read with FlowrelYAML.
      guard let text = ours.texts[key] else { continue }
      let actual = try YAML.parse(text, file: key)
      var differences: [String] = []
      Self.compare(Self.documented(expected, fromJina: true), Self.documented(actual, fromJina: false), at: key, into: &differences)
      #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }
  }

  /// The check itself finds a changed field (so a pass above means something).
  @Test func theComparisonFindsAChangedField() throws {
    var differences: [String] = []
    Self.compare(["a": ["b": [1, "x"]], "c": true], ["c": true, "a": ["b": [1, "y"]]], at: "X", into: &differences)
    #expect(differences == ["X.a.b.1: Jina has \"x\", flowrel has \"y\""])
  }

  /// Every object of an export folder, keyed `Kind/name`.
  static func exportedObjects(_ export: String) throws -> [String: Value] {
    let folder = FlowChart.repository.appendingPathComponent("Tests/FlowChartTests/JinaExport/\(export)")
    var objects: [String: Value] = [:]
    let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".yml") } ?? []
    #expect(!files.isEmpty)
    for file in files {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      for document in try YAML.parseDocuments(text, file: file) where !document.value.isNull {
        let kind = document.value["kind"]?.stringValue ?? "?"
        let name = document.value.at("metadata.name")?.stringValue ?? "?"
        objects["\(kind)/\(name)"] = document.value
      }
    }
    return objects
  }

  /// An object with the differences the chart README documents taken out, so the rest can
  /// be compared field by field. Each rule names the README's entry.
  static func documented(_ object: Value, fromJina: Bool) -> Value {
    var object = object
    if !fromJina {
      // "Standard labels": flowrel labels every object app.kubernetes.io/managed-by and
      // app.kubernetes.io/instance (metadata only; selectors and pods are Jina's).
      object = object.removing(["metadata", "labels", "app.kubernetes.io/managed-by"])
        .removing(["metadata", "labels", "app.kubernetes.io/instance"])
      if object.at("metadata.labels")?.mapValue?.isEmpty == true { object = object.removing(["metadata", "labels"]) }
    }
    guard let containers = object.at("spec.template.spec.containers")?.listValue else { return object }
    let podType = object.at("spec.template.metadata.labels.pod_type")?.stringValue
    let fixed = containers.map { container -> Value in
      var container = container
      for probe in ["startupProbe", "livenessProbe"] {
        guard var command = container.at("\(probe).exec.command")?.listValue, command.count >= 4,
          let address = command[3].stringValue
        else { continue }
        if fromJina {
          // "Probes name their scheme": Jina's head pods (main container and sidecars) ping
          // 127.0.0.1:PORT without one; flowrel writes grpc://127.0.0.1:PORT.
          if podType == "HEAD", !address.contains("://") { command[3] = .string("grpc://" + address) }
          // "Same liveness probe in every container": Jina's sidecars have no --timeout 9500.
          if probe == "livenessProbe", command.count == 4 { command.append("--timeout 9500") }
        }
        container = container.replacing(["\(probe)", "exec", "command"], with: .list(command))
      }
      // "JSON arguments": dict arguments (--uses-with, ...) carry the same JSON, but flowrel
      // writes map keys sorted (templates cannot read the order they were written in), so
      // JSON arguments are compared as data.
      if let args = container["args"]?.listValue {
        container = container.replacing(["args"], with: .list(args.map { arg in
          guard let text = arg.stringValue, text.hasPrefix("{"), let data = try? Value(jsonText: text) else { return arg }
          return ["json": data]
        }))
      }
      return container
    }
    return object.replacing(["spec", "template", "spec", "containers"], with: .list(fixed))
  }

  /// Field-by-field differences of two values; maps compare without regard to key order.
  static func compare(_ jina: Value, _ ours: Value, at path: String, into differences: inout [String]) {
    switch (jina, ours) {
    case (.map(let a), .map(let b)):
      for key in Set(a.keys).union(b.keys).sorted() {
        switch (a[key], b[key]) {
        case (let x?, let y?): compare(x, y, at: "\(path).\(key)", into: &differences)
        case (let x?, nil): differences.append("\(path).\(key): Jina has \(describe(x)), flowrel has nothing")
        case (nil, let y?): differences.append("\(path).\(key): Jina has nothing, flowrel has \(describe(y))")
        case (nil, nil): break
        }
      }
    case (.list(let a), .list(let b)) where a.count == b.count:
      for (index, pair) in zip(a, b).enumerated() { compare(pair.0, pair.1, at: "\(path).\(index)", into: &differences) }
    default:
      if jina != ours { differences.append("\(path): Jina has \(describe(jina)), flowrel has \(describe(ours))") }
    }
  }

  static func describe(_ value: Value) -> String {
    (try? value.jsonText()) ?? "\(value)"
  }
}

extension Value {
  /// This value with the entry at `path` (map keys) removed.
  func removing(_ path: [String]) -> Value {
    guard case .map(var map) = self, let key = path.first else { return self }
    if path.count == 1 {
      map[key] = nil
    } else if let inner = map[key] {
      map[key] = inner.removing(Array(path.dropFirst()))
    }
    return .map(map)
  }

  /// This value with the entry at `path` (map keys) set to `value`.
  func replacing(_ path: [String], with value: Value) -> Value {
    guard case .map(var map) = self, let key = path.first else { return value }
    map[key] = path.count == 1 ? value : (map[key] ?? .emptyMap).replacing(Array(path.dropFirst()), with: value)
    return .map(map)
  }
}
