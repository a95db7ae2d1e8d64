import FlowrelManifest
import FlowrelValue
import FlowrelYAML

/// One file of a chart's `crds/` folder, as Helm's `CRDObjects` finds it: installed before
/// everything else on a first install, never templated, never upgraded or deleted.
package struct ChartCRDFile: Sendable, Equatable {
  /// Helm's name for it: the chart's path in the tree and the file's path in the chart
  /// (`parent/crds/a.yaml`, `parent/charts/sub/crds/b.yaml`), the `# Source:` of `template --include-crds`.
  package var name: String
  /// The file's bytes, as the chart holds them.
  package var contents: [UInt8]

  /// A CRD file.
  package init(name: String, contents: [UInt8]) {
    self.name = name
    self.contents = contents
  }

  /// The objects of the file, in its order: every YAML (or JSON) document that is not empty,
  /// each a Kubernetes object with a valid name; a namespaced object without a namespace gets
  /// `namespace` (kubectl's `-n` does the same). Nothing else is added: Helm applies these files
  /// as written.
  package func objects(namespace: String) throws(ChartError) -> [Manifest] {
    let documents: [YAMLDocument]
    do {
      documents = try YAML.parseDocuments(contents, file: name)
    } catch {
      throw ChartError.yaml(error)
    }
    var objects: [Manifest] = []
    for document in documents where !document.value.isNull {
      let place = "\(name):\(document.startLine)"
      var manifest: Manifest
      do {
        manifest = try Manifest(content: document.value)
      } catch {
        throw ChartError.badObject(place: place, reason: error.description)
      }
      if let problem = ObjectNames.problem(with: manifest.identity) { throw ChartError.badObject(place: place, reason: problem) }
      if manifest.identity.kind == "Secret", manifest.identity.group.isEmpty {
        // The store keeps crds/ as they are; only templates' Secrets are encrypted.
        throw ChartError.badObject(place: place, reason: "a Secret cannot be in crds/, which is stored unencrypted; put it in templates/")
      }
      if manifest.identity.isNamespaced, manifest.identity.namespace == nil,
        case .map(var content) = manifest.content, case .map(var metadata)? = content["metadata"]
      {
        metadata["namespace"] = .string(namespace)
        content["metadata"] = .map(metadata)
        do {
          manifest = try Manifest(content: .map(content))
        } catch {
          throw ChartError.badObject(place: place, reason: error.description)
        }
      }
      objects.append(manifest.emittingCanonicalYAML())
    }
    return objects
  }
}

extension Chart {
  /// Whether the chart file at `path` is a CRD file as Helm tells: under `crds/` (at any depth),
  /// ending in `.yaml`, `.yml` or `.json` in any case. Other files there are plain files.
  static func isCRDFile(_ path: String) -> Bool {
    guard path.hasPrefix("crds/") else { return false }
    let base = path.split(separator: "/").last ?? ""
    guard let dot = base.lastIndex(of: ".") else { return false }
    return [".yaml", ".yml", ".json"].contains(base[dot...].lowercased())
  }

  /// The chart's own CRD files (not its subcharts'), in path order.
  package var crdFiles: [ChartFile] { files.filter { Self.isCRDFile($0.path) } }
}

extension ChartNode {
  /// The CRD files of this chart and of its subtree, depth first, each named by its chart's
  /// path (aliases applied): Helm's `CRDObjects` on the tree that values left enabled.
  var crdFiles: [ChartCRDFile] {
    all.flatMap { node in node.chart.crdFiles.map { ChartCRDFile(name: node.path + "/" + $0.path, contents: $0.contents) } }
  }
}

extension [ChartCRDFile] {
  /// The objects of the files, in file order (see `ChartCRDFile.objects`); an object defined
  /// twice is refused, as in templates.
  package func objects(namespace: String) throws(ChartError) -> [Manifest] {
    var objects: [Manifest] = []
    var seen: [ObjectIdentity: String] = [:]
    for file in self {
      for object in try file.objects(namespace: namespace) {
        if let earlier = seen.updateValue(file.name, forKey: object.identity) {
          throw ChartError.badObject(place: file.name, reason: "\(object.identity) is also defined in \(earlier); each object may be defined once")
        }
        objects.append(object)
      }
    }
    return objects
  }
}
