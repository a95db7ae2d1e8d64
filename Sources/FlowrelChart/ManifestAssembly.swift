import FlowrelManifest
import FlowrelValue
import FlowrelYAML
import OrderedCollections

/// One object a chart produced, with where it came from.
public struct RenderedManifest: Sendable {
  /// The object, completed (namespace, standard labels).
  public var manifest: Manifest
  /// The template that wrote it (`flow/templates/gateway.yaml`).
  public var template: String
  /// The document as read from the template's output, for positions of its fields.
  public var document: YAMLDocument

  /// Where a field of the object was written: `template:line` in the rendered text.
  public func place(of path: ValuePath) -> String {
    "\(template):\(document.position(of: path)?.line ?? document.startLine)"
  }
}

extension RenderedChart {
  /// The labels flowrel puts on every object's metadata (never on selectors or pod
  /// templates, which must not change when a release is renamed or re-rendered).
  public static func standardLabels(release: String) -> [(String, String)] {
    [("app.kubernetes.io/managed-by", "flowrel"), ("app.kubernetes.io/instance", release)]
  }

  /// The objects the templates produced, ready to store and apply: every YAML document of
  /// every template read, empty ones dropped, each checked to be a Kubernetes object with a
  /// valid name, the release namespace set where a namespaced object has none, the standard
  /// labels added, duplicates refused, and all sorted in install order.
  public func manifests(release: ReleaseInfo) throws(ChartError) -> [RenderedManifest] {
    var manifests: [RenderedManifest] = []
    var origins: [ObjectIdentity: String] = [:]
    for template in templates {
      let documents: [YAMLDocument]
      do {
        documents = try YAML.parseDocuments(template.text, file: template.name)
      } catch {
        throw ChartError.renderedYAML(template: template.name, error: error, text: template.text)
      }
      for document in documents where !document.value.isNull {
        let place = "\(template.name):\(document.startLine)"
        var manifest: Manifest
        do {
          manifest = try Manifest(content: document.value)
        } catch {
          throw ChartError.badObject(place: place, reason: error.description)
        }
        if let problem = ObjectNames.problem(with: manifest.identity) {
          throw ChartError.badObject(place: place, reason: problem)
        }
        manifest = try Self.completed(manifest, release: release, place: place)
        if let earlier = origins[manifest.identity] {
          throw ChartError.badObject(
            place: place, reason: "\(manifest.identity) is also defined at \(earlier); each object may be defined once")
        }
        origins[manifest.identity] = place
        manifests.append(RenderedManifest(manifest: manifest, template: template.name, document: document))
      }
    }
    // Install order: Helm's kind order, then name (the same order `[Manifest].sortedForInstall` gives).
    return manifests.sorted { KindOrder.installsBefore($0.manifest.identity, $1.manifest.identity) }
  }

  /// The object with the release namespace filled in (namespaced kinds only) and the
  /// standard labels added to its metadata.
  static func completed(_ manifest: Manifest, release: ReleaseInfo, place: String) throws(ChartError) -> Manifest {
    guard case .map(var content) = manifest.content, case .map(var metadata)? = content["metadata"] else {
      return manifest
    }
    if manifest.identity.isNamespaced && manifest.identity.namespace == nil {
      // Keep `name` first and `namespace` right after it, as people write them.
      var ordered = OrderedDictionary<String, Value>()
      for (key, value) in metadata where key != "namespace" {
        ordered[key] = value
        if key == "name" { ordered["namespace"] = .string(release.namespace) }
      }
      metadata = ordered
    }
    var labels: OrderedDictionary<String, Value>
    switch metadata["labels"] {
    case nil, .null?: labels = [:]
    case .map(let existing)?: labels = existing
    case let other?:
      throw ChartError.badObject(place: place, reason: "metadata.labels must be a map, not a \(other.kindName)")
    }
    for (key, value) in standardLabels(release: release.name) { labels[key] = .string(value) }
    metadata["labels"] = .map(labels)
    content["metadata"] = .map(metadata)
    do {
      return try Manifest(content: .map(content))
    } catch {
      throw ChartError.badObject(place: place, reason: error.description)
    }
  }
}

/// The naming rules Kubernetes enforces on `metadata.name`, checked before anything reaches
/// the cluster so the message can name the template.
enum ObjectNames {
  /// Kinds whose names must be DNS-1123 labels (at most 63 characters, no dots).
  static let labelKinds: Set<String> = ["Namespace"]
  /// Kinds whose names must be DNS-1035 labels (a label that starts with a letter).
  static let letterFirstLabelKinds: Set<String> = ["Service"]

  /// What is wrong with the object's name, or `nil` when Kubernetes would accept it.
  static func problem(with identity: ObjectIdentity) -> String? {
    let name = identity.name
    let kind = identity.kind
    if labelKinds.contains(kind) || letterFirstLabelKinds.contains(kind) {
      guard isLabel(name) else {
        return "\(kind) name \"\(name)\" must be a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit"
      }
      if letterFirstLabelKinds.contains(kind), let first = name.unicodeScalars.first, !("a"..."z").contains(first) {
        return "\(kind) name \"\(name)\" must start with a lowercase letter (DNS-1035 label)"
      }
      return nil
    }
    guard name.utf8.count <= 253, !name.isEmpty,
      name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isLabel(String($0), maximum: 253) })
    else {
      return "\(kind) name \"\(name)\" must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters, starting and ending with a letter or digit"
    }
    return nil
  }

  /// Lowercase letters, digits and `-`, not starting or ending with `-`, at most `maximum`.
  static func isLabel(_ text: String, maximum: Int = 63) -> Bool {
    let scalars = Array(text.unicodeScalars)
    guard !scalars.isEmpty, scalars.count <= maximum, scalars.first != "-", scalars.last != "-" else { return false }
    return scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
  }
}
