import FlowrelManifest
import FlowrelParallel
import FlowrelValue
import FlowrelYAML
import OrderedCollections

/// One object a chart produced, with where it came from.
public struct RenderedManifest: Sendable {
  /// The object, completed (namespace, standard labels).
  public let manifest: Manifest
  /// The template that wrote it (`flow/templates/gateway.yaml`).
  public let template: String
  /// The object's document as the template wrote it, for positions of its fields.
  public let source: YAMLDocumentText
  /// `manifest.canonicalYAML`, emitted while the objects were read (in parallel).
  public let canonicalYAML: String

  /// Where a field of the object was written: `template:line` in the rendered text. The
  /// document is read again with positions: only `lint` asks, and only about a few fields.
  public func place(of path: ValuePath) -> String {
    let document = try? YAML.parseDocument(String(source.text), file: template, firstLine: source.startLine)
    return "\(template):\(document?.position(of: path)?.line ?? source.startLine)"
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
  /// labels added, duplicates refused, and all sorted in install order. Documents are cut
  /// apart without parsing and then read, completed and emitted on all processors; errors
  /// are those of the first bad document, as reading them in order would give.
  public func manifests(release: ReleaseInfo) throws(ChartError) -> [RenderedManifest] {
    let sources = templates.flatMap { template in
      YAML.splitDocuments(template.text).map { (template: template, document: $0) }
    }
    let read = try Parallel.map(sources) { (source) throws(ChartError) -> RenderedManifest? in
      try Self.manifest(source.document, of: source.template, release: release)
    }
    var manifests: [RenderedManifest] = []
    var origins: [ObjectIdentity: String] = [:]
    for case let rendered? in read {
      let place = "\(rendered.template):\(rendered.source.startLine)"
      if let earlier = origins[rendered.manifest.identity] {
        throw ChartError.badObject(
          place: place, reason: "\(rendered.manifest.identity) is also defined at \(earlier); each object may be defined once")
      }
      origins[rendered.manifest.identity] = place
      manifests.append(rendered)
    }
    // Install order: Helm's kind order, then name (the same order `[Manifest].sortedForInstall` gives).
    return KindOrder.sortedForInstall(manifests) { $0.manifest.identity }
  }

  /// The object of one document of `rendered`'s text, or `nil` for a document that is `null`.
  static func manifest(_ source: YAMLDocumentText, of rendered: RenderedTemplate, release: ReleaseInfo)
    throws(ChartError) -> RenderedManifest?
  {
    let template = rendered.name
    let value: Value
    do {
      value = try YAML.parse(String(source.text), file: template, firstLine: source.startLine)
    } catch {
      throw ChartError.renderedYAML(template: template, error: error, text: rendered.text)
    }
    if value.isNull { return nil }
    let place = "\(template):\(source.startLine)"
    var manifest: Manifest
    do {
      manifest = try Manifest(content: value)
    } catch {
      throw ChartError.badObject(place: place, reason: error.description)
    }
    if let problem = ObjectNames.problem(with: manifest.identity) {
      throw ChartError.badObject(place: place, reason: problem)
    }
    manifest = try completed(manifest, release: release, place: place)
    return RenderedManifest(manifest: manifest, template: template, source: source, canonicalYAML: manifest.canonicalYAML)
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
