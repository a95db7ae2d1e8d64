import FlowrelManifest
import FlowrelParallel
import FlowrelValue
import FlowrelYAML
import OrderedCollections

/// One object a chart produced, with where it came from.
package struct RenderedManifest: Sendable {
  /// The object, completed (namespace, standard labels).
  package let manifest: Manifest
  /// The template that wrote it (`flow/templates/gateway.yaml`).
  package let template: String
  /// The object's document as the template wrote it, for positions of its fields.
  package let source: YAMLDocumentText
  /// `manifest.canonicalYAML`, emitted once while the objects were read (in parallel) and
  /// carried with the manifest into the store; written when asked for where the render left
  /// it unwritten (see `RenderRequest.emitsEveryCanonicalYAML`).
  package var canonicalYAML: String { manifest.canonicalYAML }

  /// Where a field of the object was written: `template:line` in the rendered text. The
  /// document is read again with positions: only `lint` asks, and only about a few fields.
  package func place(of path: ValuePath) -> String {
    let document = try? YAML.parseDocument(String(source.text), file: template, firstLine: source.startLine)
    return "\(template):\(document?.position(of: path)?.line ?? source.startLine)"
  }
}

extension Collection<RenderedManifest> {
  /// Calls `body` with each object and its canonical YAML, in order. The YAML not written
  /// while the objects were read (see `RenderRequest.emitsEveryCanonicalYAML`) is written
  /// here a batch at a time on all processors, and let go once `body` has had it.
  package func forEachCanonicalYAML(_ body: (RenderedManifest, String) -> Void) {
    var batch: [RenderedManifest] = []
    var batchBytes = 0
    func flush() {
      let texts =
        batch.allSatisfy(\.manifest.isCanonicalYAMLWritten) ? batch.map(\.canonicalYAML) : Parallel.map(batch) { $0.canonicalYAML }
      for (manifest, text) in zip(batch, texts) { body(manifest, text) }
      batch.removeAll(keepingCapacity: true)
      batchBytes = 0
    }
    for manifest in self {
      batch.append(manifest)
      batchBytes += manifest.source.text.utf8.count
      if batch.count >= 512 || batchBytes >= 4 << 20 { flush() }
    }
    flush()
  }
}

extension RenderedChart {
  /// The labels flowrel puts on every object's metadata where the chart set no label of that
  /// key (never on selectors or pod templates, which must not change when a release is
  /// renamed or re-rendered).
  package static func standardLabels(release: String) -> [(String, String)] {
    [("app.kubernetes.io/managed-by", "flowrel"), ("app.kubernetes.io/instance", release)]
  }

  /// The objects the templates produced, ready to store and apply: every YAML document of
  /// every template read, empty ones dropped, each checked to be a Kubernetes object with a
  /// valid name, the release namespace set where a namespaced object has none, the standard
  /// labels added, duplicates refused, and all sorted in install order. Documents read while
  /// the chart was rendered (for this release) are not read again; the others are cut apart
  /// without parsing and read on all processors. Errors are those of the first bad document,
  /// as reading them in order would give.
  package func manifests(release: ReleaseInfo) throws(ChartError) -> [RenderedManifest] {
    let readBefore = templates.map { readAhead?.outcomes(of: $0, release: release) }
    let unread = templates.indices.filter { readBefore[$0] == nil }.flatMap { index in
      YAML.splitDocuments(templates[index].text).map { (template: index, document: $0) }
    }
    let read = Parallel.map(unread) { [templates] source in
      Self.read(source.document, template: templates[source.template].name, release: release)
    }
    var readNow = [[DocumentOutcome]](repeating: [], count: templates.count)
    for (source, outcome) in zip(unread, read) { readNow[source.template].append(outcome) }

    let documents = templates.indices.reduce(0) { $0 + (readBefore[$1] ?? readNow[$1]).count }
    var manifests: [RenderedManifest] = []
    manifests.reserveCapacity(documents)
    // Each identity's first object, by its index in `manifests`.
    var first: [ObjectIdentity: Int] = [:]
    first.reserveCapacity(documents)
    func place(_ rendered: RenderedManifest) -> String { "\(rendered.template):\(rendered.source.startLine)" }
    for (index, template) in templates.enumerated() {
      for outcome in readBefore[index] ?? readNow[index] {
        let rendered: RenderedManifest
        switch outcome {
        case .object(let object): rendered = object
        case .empty: continue
        case .notYAML(let error): throw ChartError.renderedYAML(template: template.name, error: error, text: template.text)
        case .notAnObject(let error): throw error
        }
        if let earlier = first.updateValue(manifests.count, forKey: rendered.manifest.identity) {
          throw ChartError.badObject(
            place: place(rendered),
            reason: "\(rendered.manifest.identity) is also defined at \(place(manifests[earlier])); each object may be defined once")
        }
        manifests.append(rendered)
      }
    }
    // Install order: Helm's kind order, then name (the same order `[Manifest].sortedForInstall` gives).
    return KindOrder.sortedForInstall(manifests) { $0.manifest.identity }
  }

  /// What reading one document gave.
  enum DocumentOutcome: Sendable {
    /// A completed object.
    case object(RenderedManifest)
    /// A document that is `null`.
    case empty
    /// Text that is not YAML (the message names the template once its whole text is known).
    case notYAML(YAMLError)
    /// YAML that is not a valid Kubernetes object.
    case notAnObject(ChartError)
  }

  /// The documents of `piece`, a part of template `template`'s output that starts at line
  /// `firstLine` and ends before a document start; `nil` when the piece has a directive
  /// (`%YAML`), which belongs to the next document and so to the next piece.
  static func read(piece: String, firstLine: Int, template: String, release: ReleaseInfo, emit: Bool) -> [DocumentOutcome]? {
    var text = piece
    let hasDirective = text.withUTF8 { bytes in
      bytes.indices.contains { bytes[$0] == UInt8(ascii: "%") && ($0 == 0 || bytes[$0 - 1] == UInt8(ascii: "\n")) }
    }
    if hasDirective { return nil }
    return YAML.splitDocuments(piece, firstLine: firstLine).map { read($0, template: template, release: release, emit: emit) }
  }

  /// The object of one document of template `template`'s output, its canonical YAML written
  /// now with `emit` (else when first asked for).
  static func read(_ source: YAMLDocumentText, template: String, release: ReleaseInfo, emit: Bool = true) -> DocumentOutcome {
    let value: Value
    do {
      value = try YAML.parse(String(source.text), file: template, firstLine: source.startLine)
    } catch {
      return .notYAML(error)
    }
    if value.isNull { return .empty }
    let place = "\(template):\(source.startLine)"
    do throws(ChartError) {
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
      if emit { manifest = manifest.emittingCanonicalYAML() }
      return .object(RenderedManifest(manifest: manifest, template: template, source: source))
    } catch {
      return .notAnObject(error)
    }
  }

  /// The object with the release namespace filled in (namespaced kinds only) and the
  /// standard labels added to its metadata, each only where the chart set none of its key.
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
    // Per key: a label the chart set itself is the chart's (Helm adds none), ours fill the rest.
    for (key, value) in standardLabels(release: release.name) where labels[key] == nil || labels[key] == .null {
      labels[key] = .string(value)
    }
    metadata["labels"] = .map(labels)
    content["metadata"] = .map(metadata)
    do {
      return try Manifest(content: .map(content))
    } catch {
      throw ChartError.badObject(place: place, reason: error.description)
    }
  }
}

/// The documents of a chart's templates, read while the templates were rendered: for each
/// template, its text and the outcome of each of its documents in order.
struct ReadAhead: Sendable {
  /// The release the objects were completed for.
  var release: ReleaseInfo
  /// By template name; absent for a template whose pieces could not all be read ahead.
  var templates: [String: (text: String, outcomes: [RenderedChart.DocumentOutcome])]

  /// The outcomes of `template`'s documents, when they were read for `release` from the
  /// same text (a caller may have changed the text since).
  func outcomes(of template: RenderedTemplate, release: ReleaseInfo) -> [RenderedChart.DocumentOutcome]? {
    guard release == self.release, let entry = templates[template.name], entry.text == template.text else { return nil }
    return entry.outcomes
  }
}
