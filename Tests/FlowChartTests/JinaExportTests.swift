import FlowrelValue
import FlowrelYAML
import Foundation
import OrderedCollections
import Testing

/// flowrel's output against Jina 3.34's own `to_kubernetes_yaml` export of the same Flow
/// (`JinaExport/<name>/flow.yml` and its export beside it, made by `JinaExport/export.py`):
/// the same objects with the same names, and every field the same, except the differences
/// the chart README documents.
@Suite struct JinaExportTests {
  /// Every folder of `JinaExport/` with a `flow.yml`.
  static let cases: [String] = {
    let folder = FlowChart.repository.appendingPathComponent("Tests/FlowChartTests/JinaExport")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent("\($0)/flow.yml").path) }.sorted()
  }()

  @Test func everyExportedFlowIsCompared() {
    #expect(Self.cases.count >= 30, "JinaExport/ should hold the Flows export.py exports")
    #expect(Self.cases.contains("search") && Self.cases.contains("clip"))
  }

  @Test(arguments: cases)
  func flowrelMakesWhatJinaExportsExceptTheDocumentedDifferences(export: String) throws {
    let folder = FlowChart.repository.appendingPathComponent("Tests/FlowChartTests/JinaExport/\(export)")
    let values = try String(contentsOf: folder.appendingPathComponent("flow.yml"), encoding: .utf8)
    // export.py's namespace: the Flow's name, else the folder's.
    let namespace = try YAML.parse(values).at("with.name")?.stringValue ?? export
    let ours = try FlowChart.render(values, release: namespace, namespace: namespace)
    let jina = try Self.exportedObjects(export)
    let added = Set(ours.objects.map(\.key)).subtracting(jina.keys).filter { !Self.addedByFlowrel($0, ours: ours, jina: jina) }
    #expect(added.isEmpty, "objects Jina does not make: \(added.sorted())")
    #expect(Set(jina.keys).subtracting(ours.objects.map(\.key)).isEmpty, "objects flowrel does not make: \(Set(jina.keys).subtracting(ours.objects.map(\.key)).sorted())")
    for (key, expected) in jina.sorted(by: { $0.key < $1.key }) {
      // Both sides as written (flowrel's canonical YAML, Jina's files), read with FlowrelYAML.
      guard let text = ours.texts[key] else { continue }
      let actual = try YAML.parse(text, file: key)
      var differences: [String] = []
      let jinaUnits = Self.units(jina)
      var ours = Self.documented(actual, fromJina: false, jinaUnits: jinaUnits)
      // "A sharded Executor with volumes keeps its uses_after": Jina's head points at a
      // uses_before/uses_after sidecar (--uses-after-address) it does not run; flowrel runs it.
      if let jinaContainers = expected.at("spec.template.spec.containers")?.listValue,
        let ourContainers = ours.at("spec.template.spec.containers")?.listValue
      {
        let jinaNames = Set(jinaContainers.compactMap { $0["name"]?.stringValue })
        let headArgs = jinaContainers.first?["args"]?.listValue ?? []
        let kept = ourContainers.filter { container in
          guard let name = container["name"]?.stringValue, !jinaNames.contains(name) else { return true }
          return !headArgs.contains(.string("--\(name)-address"))
        }
        ours = ours.replacing(["spec", "template", "spec", "containers"], with: .list(kept))
      }
      Self.compare(Self.documented(expected, fromJina: true, jinaUnits: jinaUnits), ours, at: key, into: &differences)
      #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }
  }

  /// The `data` of the ConfigMap a Jina export file starts with, as written: each
  /// `  KEY: VALUE` line's key and value as text (quoted ones unquoted).
  static func writtenData(_ text: String) throws -> OrderedDictionary<String, Value> {
    var data = OrderedDictionary<String, Value>()
    var inData = false
    for line in text.split(separator: "\n") {
      if line == "data:" {
        inData = true
        continue
      }
      guard inData else { continue }
      guard line.hasPrefix("  "), let colon = line.range(of: ": ") else { break }
      func unquoted(_ part: Substring) throws -> String {
        guard let first = part.first, first == "'" || first == "\"" else { return String(part) }
        return try YAML.parse("v: \(part)")["v"]?.stringValue ?? String(part)
      }
      data[try unquoted(line[line.index(line.startIndex, offsetBy: 2)..<colon.lowerBound])] = .string(try unquoted(line[colon.upperBound...]))
    }
    return data
  }

  /// The workload names of an export: the Jina units.
  static func units(_ objects: [String: Value]) -> Set<String> {
    Set(objects.keys.filter { $0.hasPrefix("Deployment/") || $0.hasPrefix("StatefulSet/") }.compactMap { $0.split(separator: "/").last.map(String.init) })
  }

  /// Whether an object flowrel makes and Jina does not is the README's "uses_before/uses_after
  /// are kept with one shard": a head unit (`x-head`) of an Executor whose only unit Jina
  /// makes is `x`.
  static func addedByFlowrel(_ key: String, ours: FlowChart.Output, jina: [String: Value]) -> Bool {
    let name = key.split(separator: "/").last.map(String.init) ?? ""
    let unit = name.hasSuffix("-configmap") ? String(name.dropLast("-configmap".count)) : name
    guard unit.hasSuffix("-head") else { return false }
    let jinaUnits = units(jina)
    return !jinaUnits.contains(unit) && jinaUnits.contains(String(unit.dropLast("-head".count)))
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
    let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".yml") && $0 != "flow.yml" } ?? []
    #expect(!files.isEmpty)
    for file in files {
      let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
      for document in try YAML.parseDocuments(text, file: file) where !document.value.isNull {
        var object = document.value
        if object["kind"] == "StatefulSet", object.at("spec.template.metadata.labels.pod_type") == "HEAD" {
          object = Self.headAsDeployment(object)
        }
        if object["kind"] == "ConfigMap" {
          // "ConfigMap keys and values are quoted": Jina writes keys and values such as
          // N, on, y and 0o17 unquoted (the PyYAML it patches no longer reads on/off as
          // booleans), which Kubernetes reads as booleans and numbers. What Jina meant is
          // the text it wrote: its keys as Jina reads them, its values as written.
          object = object.replacing(["data"], with: .map(try Self.writtenData(text)))
        }
        let kind = object["kind"]?.stringValue ?? "?"
        let name = object.at("metadata.name")?.stringValue ?? "?"
        objects["\(kind)/\(name)"] = object
      }
    }
    return objects
  }

  /// "Heads are Deployments": Jina makes the head of an Executor with volumes a StatefulSet
  /// with a volume; flowrel a Deployment without one. Jina's head, as flowrel makes it.
  static func headAsDeployment(_ object: Value) -> Value {
    let object = object.replacing(["kind"], with: "Deployment").removing(["spec", "volumeClaimTemplates"])
    let containers = (object.at("spec.template.spec.containers")?.listValue ?? []).map { container in
      let env = (container["env"]?.listValue ?? []).map { variable in
        variable["name"] == "K8S_STATEFULSET_NAME" ? variable.replacing(["name"], with: "K8S_DEPLOYMENT_NAME") : variable
      }
      return container.removing(["volumeMounts"]).replacing(["env"], with: .list(env))
    }
    return object.replacing(["spec", "template", "spec", "containers"], with: .list(containers))
  }

  /// An object with the differences the chart README documents taken out, so the rest can
  /// be compared field by field. Each rule names the README's entry. `jinaUnits` are the
  /// workloads of Jina's export.
  static func documented(_ object: Value, fromJina: Bool, jinaUnits: Set<String>) -> Value {
    var object = object
    let name = object.at("metadata.name")?.stringValue ?? ""
    if !fromJina {
      // "Standard labels": flowrel labels every object app.kubernetes.io/managed-by and
      // app.kubernetes.io/instance (metadata only; selectors and pods are Jina's).
      object = object.removing(["metadata", "labels", "app.kubernetes.io/managed-by"])
        .removing(["metadata", "labels", "app.kubernetes.io/instance"])
      if object.at("metadata.labels")?.mapValue?.isEmpty == true { object = object.removing(["metadata", "labels"]) }
    }
    let podType = object.at("spec.template.metadata.labels.pod_type")?.stringValue
    let isStatefulSet = object["kind"]?.stringValue == "StatefulSet"
    if fromJina, isStatefulSet {
      // "StatefulSets are valid": flowrel names the unit's Service and uses updateStrategy.
      object = object.removing(["spec", "strategy"]).replacing(["spec", "serviceName"], with: .string(name))
        .replacing(["spec", "updateStrategy"], with: ["type": "RollingUpdate"])
    }
    guard let containers = object.at("spec.template.spec.containers")?.listValue else { return object }
    let gatewayTLS = podType == "GATEWAY" && containers.first?["args"]?.listValue?.contains("--ssl-certfile") == true
    let fixed = containers.map { container -> Value in
      var container = container
      for probe in ["startupProbe", "livenessProbe"] {
        guard var command = container.at("\(probe).exec.command")?.listValue, command.count >= 4,
          let address = command[3].stringValue
        else { continue }
        if fromJina {
          // "Probes name their scheme": Jina's head pods (main container and sidecars) ping
          // 127.0.0.1:PORT without one; flowrel writes grpc://127.0.0.1:PORT.
          if podType == "HEAD", !address.contains("://") {
            // Two of Jina's sidecar templates fold the liveness arguments into one string
            // ("127.0.0.1:8080 - --timeout 9500") and leave a placeholder in one startup probe.
            var fixedAddress = address
            if let folded = fixedAddress.range(of: " - --timeout 9500") {
              fixedAddress.removeSubrange(folded.lowerBound...)
              command.append("--timeout 9500")
            }
            let port = container.at("ports.0.containerPort").map { "\($0.intValue ?? 0)" } ?? "8080"
            fixedAddress = fixedAddress.replacingOccurrences(of: "{port_uses}", with: port)
            command[3] = .string("grpc://" + fixedAddress)
          }
          // "Same liveness probe in every container": Jina's sidecars and StatefulSets have
          // no --timeout 9500.
          if probe == "livenessProbe", command.count == 4 { command.append("--timeout 9500") }
        }
        container = container.replacing(["\(probe)", "exec", "command"], with: .list(command))
      }
      if fromJina, let mounts = container["volumeMounts"]?.listValue {
        // "host:container volumes are split": Jina mounts "/host:/data" at that whole path.
        container = container.replacing(["volumeMounts"], with: .list(mounts.map { mount in
          guard let path = mount["mountPath"]?.stringValue, let colon = path.lastIndex(of: ":") else { return mount }
          return mount.replacing(["mountPath"], with: .string(String(path[path.index(after: colon)...])))
        }))
      }
      if let args = container["args"]?.listValue {
        container = container.replacing(["args"], with: arguments(args, fromJina: fromJina, gatewayTLS: gatewayTLS, jinaUnits: jinaUnits))
      }
      return container
    }
    return object.replacing(["spec", "template", "spec", "containers"], with: .list(fixed))
  }

  /// A container's arguments as a map from each flag to its values (the leading words under
  /// ""): "The place of rarely used forwarded arguments may differ; Jina reads them by
  /// name". "JSON arguments": dicts (--uses-with, ...) carry the same JSON, but flowrel
  /// writes map keys sorted, so JSON values are compared as data.
  static func arguments(_ args: [Value], fromJina: Bool, gatewayTLS: Bool, jinaUnits: Set<String>) -> Value {
    var flags: [(String, [Value])] = [("", [])]
    for arg in args {
      let text = arg.stringValue ?? ""
      if text.hasPrefix("--"), !text.contains(" ") {
        flags.append((text, []))
        continue
      }
      var value = arg
      if text.hasPrefix("{") || text.hasPrefix("["), let data = try? Value(jsonText: text) {
        value = ["json": fixedJSON(data, flag: flags[flags.count - 1].0, fromJina: fromJina, gatewayTLS: gatewayTLS, jinaUnits: jinaUnits)]
      }
      flags[flags.count - 1].1.append(value)
    }
    var out = OrderedDictionary<String, Value>()
    for (flag, values) in flags {
      out[flag] = out[flag].map { .list(($0.listValue ?? []) + values) } ?? .list(values)
    }
    return .map(out)
  }

  /// A JSON argument with the documented differences taken out. ("peer_ports is valid
  /// JSON": Jina's duplicate key "0" reads as its last value, as Python's json reads it.)
  static func fixedJSON(_ data: Value, flag: String, fromJina: Bool, gatewayTLS: Bool, jinaUnits: Set<String>) -> Value {
    guard flag == "--deployments-addresses", case .map(let executors) = data else { return data }
    var out = executors
    for (executor, addresses) in executors {
      out[executor] = .list((addresses.listValue ?? []).map { address in
        guard var text = address.stringValue, text.contains(".svc:") else { return address }
        // "Executors behind a TLS gateway are addressed over plain gRPC": with TLS files on
        // the gateway, Jina writes grpcs:// for every Executor, which serve plain gRPC.
        if fromJina, gatewayTLS, text.hasPrefix("grpcs://") { text = "grpc://" + text.dropFirst("grpcs://".count) }
        // "uses_before/uses_after are kept with one shard": the gateway talks to the head.
        if !fromJina, let head = text.split(separator: "/").last?.split(separator: ".").first, head.hasSuffix("-head"),
          !jinaUnits.contains(String(head))
        {
          text = text.replacingOccurrences(of: "/\(head).", with: "/\(head.dropLast("-head".count)).")
        }
        return .string(text)
      })
    }
    return .map(out)
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
