import FlowrelParallel
import FlowrelValue
import FlowrelYAML
import GoTemplate
import HelmFunctions
import OrderedCollections

/// The release a chart is rendered for (`.Release` in templates).
package struct ReleaseInfo: Sendable, Equatable {
  /// The release name.
  package var name: String
  /// The namespace the release lives in.
  package var namespace: String
  /// The revision being rendered (1 for an install).
  package var revision: Int
  /// Whether this is a first install.
  package var isInstall: Bool
  /// Whether this is an upgrade (or rollback) of an existing release.
  package var isUpgrade: Bool

  /// A release; by default revision 1 of an install.
  package init(name: String, namespace: String, revision: Int = 1, isInstall: Bool = true, isUpgrade: Bool = false) {
    self.name = name
    self.namespace = namespace
    self.revision = revision
    self.isInstall = isInstall
    self.isUpgrade = isUpgrade
  }
}

/// What rendering a chart needs besides the chart and the values.
package struct RenderOptions: Sendable {
  /// The release.
  package var release: ReleaseInfo
  /// The cluster `lookup` reads (nil: lookups find nothing).
  package var lookup: (any ClusterLookup)?
  /// What the cluster is assumed to offer.
  package var capabilities: Capabilities
  /// A missing map key is an error instead of empty output (Helm's `--strict`).
  package var strict: Bool
  /// Flags for the function library, such as `allowNondeterministic` and `enableDNS`.
  package var flags: [String: Value]
  /// Where the functions with run-to-run results keep what they draw (`DrawRecorder`).
  package var draws: DrawRecorder?
  /// The most bytes all templates of the release (subcharts and notes included) may write together.
  package var maxOutputBytes = ExecutionOptions.defaultMaxOutputBytes
  /// `RenderRequest.emitsEveryCanonicalYAML`.
  package var emitsEveryCanonicalYAML = true

  /// Options for `release`.
  package init(
    release: ReleaseInfo, capabilities: Capabilities = Capabilities(), strict: Bool = false, flags: [String: Value] = [:],
    lookup: (any ClusterLookup)? = nil
  ) {
    self.release = release
    self.lookup = lookup
    self.capabilities = capabilities
    self.strict = strict
    self.flags = flags
  }
}

/// The text one template produced.
package struct RenderedTemplate: Sendable, Equatable {
  /// Helm's template name: `<chart name>/templates/<path>`.
  package var name: String
  /// What the template wrote.
  package var text: String
}

/// Everything a chart's templates produced, before it is read as YAML.
package struct RenderedChart: Sendable {
  /// The output of every template that can hold manifests (partials and notes excluded),
  /// in byte-wise order of the template names.
  package var templates: [RenderedTemplate]
  /// The rendered `templates/NOTES.txt`, when the chart has one.
  package var notes: String?
  /// The objects of the templates, read while they were rendered.
  var readAhead: ReadAhead?

  /// The bytes at the start of a release's output whose objects always get their canonical
  /// YAML while they are read (see `RenderRequest.emitsEveryCanonicalYAML`): a release of
  /// ordinary size (a Flow of 750 objects writes under a megabyte) is read as fast as before.
  static let emittedWhileReading = 8 << 20

  /// The advice the chart gives about these values: each line of the notes that starts with
  /// `WARNING: `, without that prefix. `lint` reports them; `template` and `install` print them.
  package var warnings: [String] {
    (notes ?? "").split(separator: "\n").compactMap { line in
      line.hasPrefix("WARNING: ") ? String(line.dropFirst("WARNING: ".count)) : nil
    }
  }
}

extension Chart {
  /// Whether a template's output holds manifests: partials (`_helpers.tpl`) and notes do not.
  static func holdsManifests(_ path: String) -> Bool {
    let base = path.split(separator: "/").last ?? ""
    return !base.hasPrefix("_") && !path.hasSuffix("NOTES.txt")
  }

  /// Renders every template with `values` (already merged and checked), as Helm's engine
  /// does: all templates of the chart and its enabled subcharts parsed into one set so any
  /// can `include` any other's definitions, then each executed with its own chart's objects.
  package func render(values: Value, functions: TemplateFunctions, emitYAML: @escaping @Sendable (Value) throws -> String,
    options: RenderOptions) throws(ChartError) -> RenderedChart
  {
    var tree = tree()
    var warnings: [String] = []
    if case .map(let map) = values { tree.removeDisabled(values: map, tags: map["tags"]?.mapValue ?? [:], warnings: &warnings) }
    let templates = tree.templatesInParseOrder
    let set = try Self.assemble(templates.map { Self.parse($0.name, $0.file, functions: functions) }, functions: functions)
    return try render(parsed: set, tree: tree, templates: templates, values: values, emitYAML: emitYAML, options: options)
  }

  /// One template file parsed on its own (see `assemble`).
  static func parse(_ name: String, _ file: ChartFile, functions: TemplateFunctions) -> Result<TemplateSet.ParsedText, ChartError> {
    Result { () throws(TemplateError) in
      try TemplateSet.parse(name, text: String(decoding: file.contents, as: UTF8.self), functions: functions)
    }.mapError(ChartError.template)
  }

  /// The set of the files parsed in `parsed`, given in parse order (`templatesInParseOrder`);
  /// the error is that of the first file that failed, as when they are parsed one by one.
  static func assemble(_ parsed: [Result<TemplateSet.ParsedText, ChartError>], functions: TemplateFunctions) throws(ChartError)
    -> TemplateSet
  {
    var set = TemplateSet(functions: functions)
    for file in parsed { set.add(try file.get()) }
    return set
  }

  /// The top-level object of each chart of the tree, by chart path: Helm gives each chart
  /// its own (`.Values` scoped to it, its `.Chart` and `.Files`, `.Subcharts` holding its
  /// subcharts' objects), sharing `.Release` and `.Capabilities`.
  static func topObjects(
    _ tree: ChartNode, values: Value, release: TemplateValue, capabilities: TemplateValue,
    emitYAML: @escaping @Sendable (Value) throws -> String, into objects: inout [String: TemplateMap]
  ) -> TemplateMap {
    var subcharts = OrderedDictionary<String, TemplateValue>()
    for child in tree.children {
      let scoped = values[child.name].flatMap { $0.mapValue.map(Value.map) } ?? .emptyMap
      subcharts[child.name] = .map(
        topObjects(child, values: scoped, release: release, capabilities: capabilities, emitYAML: emitYAML, into: &objects))
    }
    var chart = tree.chart.metadata.templateValue.mapValue ?? [:]
    chart["Name"] = .string(tree.name)
    chart["IsRoot"] = .bool(tree.isRoot)
    // As Helm leaves them after processing: the enabled entries only, each under its alias.
    chart["Dependencies"] = .list(tree.children.compactMap(\.dependency).map { entry in
      var named = entry
      named.name = entry.effectiveName
      return named.templateValue
    })
    var top = OrderedDictionary<String, TemplateValue>()
    // A `chartutil.Values` over the chart's values, as Helm's engine gives it (each chart's own).
    top["Values"] = values.mapValue.map { TemplateValue.object(ValuesObject(TemplateMap($0))) } ?? TemplateValue(values)
    top["Release"] = release
    top["Chart"] = TemplateValue(.map(chart))
    top["Capabilities"] = capabilities
    top["Files"] = .object(FilesObject(chartFiles: tree.chart.files, emitYAML: emitYAML))
    top["Subcharts"] = .map(TemplateMap(subcharts))
    let object = TemplateMap(top)
    objects[tree.path] = object
    return object
  }

  /// Executes every template of `set` (`templates` are those of `tree`, in parse order) with
  /// `values`, the root chart's values.
  func render(parsed set: TemplateSet, tree: ChartNode, templates ordered: [TreeTemplate], values: Value,
    emitYAML: @escaping @Sendable (Value) throws -> String, options: RenderOptions) throws(ChartError) -> RenderedChart
  {
    var release = OrderedDictionary<String, TemplateValue>()
    release["Name"] = .string(options.release.name)
    release["Namespace"] = .string(options.release.namespace)
    release["Revision"] = .int(Int64(options.release.revision))
    release["IsInstall"] = .bool(options.release.isInstall)
    release["IsUpgrade"] = .bool(options.release.isUpgrade)
    release["Service"] = "flowrel"
    // One top-level map per chart, as in Helm: what a template `set`s on `$` or `.Values` is
    // seen by the files of that chart rendered after it; only `.Template` changes per file.
    var objects: [String: TemplateMap] = [:]
    // Helm's templates see a values file's numbers as float64s (`kindOf` says so); a chart
    // whose values are Python's (PyYAML, a Jina Flow) sees integers, as Python holds them.
    let typedValues = tree.chart.metadata.valuesScalarRules == .helm ? values : values.integersAsInt64
    _ = Self.topObjects(
      tree, values: typedValues, release: .map(TemplateMap(release)), capabilities: options.capabilities.templateValue, emitYAML: emitYAML,
      into: &objects)

    var executionOptions = ExecutionOptions.helm(strict: options.strict, flags: options.flags)
    executionOptions.lookup = options.lookup
    executionOptions.draws = options.draws
    // One limit for the whole release: each template may write what the ones before left.
    executionOptions.maxOutputBytes = options.maxOutputBytes
    executionOptions.outputLimitScope = "for one release, all its templates together (raise it with --max-output)"
    var outputs: [RenderedTemplate] = []
    var notes: String?
    // The objects are read (on the other processors) while later ones are still rendered:
    // each template's output is handed over in pieces that end before a `---` line. A piece
    // is let go once read (its objects place their documents by offset), so the pieces never
    // hold the output a second time.
    let releaseInfo = options.release
    let emitsAll = options.emitsEveryCanonicalYAML
    let reader = Parallel.Stream<RenderedPiece, (template: String, length: Int, outcomes: [PieceOutcome]?)> { piece in
      (
        piece.template, piece.text.utf8.count,
        RenderedChart.read(
          piece: piece.text, firstLine: piece.firstLine, template: piece.template, release: releaseInfo,
          emit: emitsAll || piece.releaseOffset < RenderedChart.emittedWhileReading
        ).map(Self.detached)
      )
    }
    for template in ordered {
      let (name, path) = (template.name, template.file.path)
      // Partials are only included from other templates; Helm does not execute them.
      if Self.isPartial(path) { continue }
      let text: String
      do {
        guard let data = objects[template.chartPath] else { continue }
        try data.set("Template", ["Name": .string(name), "BasePath": .string(template.chartPath + "/templates")])
        if Self.holdsManifests(path) {
          var offset = executionOptions.outputBefore
          text = try set.execute(
            name, data: .map(data), options: executionOptions, linePrefix: "---", startsPiece: YAML.isDocumentStart,
            deliver: { piece, firstLine in
              reader.submit([RenderedPiece(template: name, text: piece, firstLine: firstLine, releaseOffset: offset)])
              offset += piece.utf8.count
            })
        } else {
          text = try set.execute(name, data: .map(data), options: executionOptions)
        }
      } catch {
        reader.cancel()
        throw ChartError.template(error)
      }
      executionOptions.outputBefore += text.utf8.count
      // Only the root chart's notes are shown; a subchart's are rendered (and may fail) but left out, as in Helm.
      if path == "templates/NOTES.txt" {
        if template.chartPath == tree.path { notes = text }
      } else if Self.holdsManifests(path) {
        outputs.append(RenderedTemplate(name: name, text: text))
      }
    }
    // Each template's pieces, in order; a piece that could not be read ahead (a directive in
    // it) leaves its template to `manifests(release:)`, which reads the whole text.
    let pieces = Dictionary(grouping: reader.finish(), by: \.template)
    var readAhead = ReadAhead(release: releaseInfo, templates: [:])
    for output in outputs {
      let read = pieces[output.name] ?? []
      guard read.allSatisfy({ $0.outcomes != nil }),
        let outcomes = Self.rebased(read.map { ($0.length, $0.outcomes ?? []) }, onto: output.text)
      else { continue }
      readAhead.templates[output.name] = (output.text, outcomes)
    }
    outputs.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    return RenderedChart(templates: outputs, notes: notes, readAhead: readAhead)
  }
}

/// What reading a document of a piece gave, an object's document given as the range of the
/// piece's UTF-8 bytes it spans instead of as text (see `Chart.detached`).
typealias PieceOutcome = (outcome: RenderedChart.DocumentOutcome, document: Range<Int>?)

extension Chart {
  /// `outcomes`, read from a piece, with each object's document as its range in the piece
  /// and no text: a source would keep the whole piece, a copy of part of the output, until
  /// `rebased` places the document in the template's output.
  static func detached(_ outcomes: [RenderedChart.DocumentOutcome]) -> [PieceOutcome] {
    outcomes.map { outcome in
      guard case .object(let object) = outcome else { return (outcome, nil) }
      let document = object.source.text
      let start = document.base.utf8.distance(from: document.base.startIndex, to: document.startIndex)
      let placeholder = YAMLDocumentText(text: "", startLine: object.source.startLine)
      return (
        .object(RenderedManifest(manifest: object.manifest, template: object.template, source: placeholder)),
        start..<start + document.utf8.count
      )
    }
  }

  /// The outcomes of a template's pieces (each with its length in bytes), their documents'
  /// text now part of `text`, the template's whole output, which the pieces joined are;
  /// `nil` when the lengths do not add up to `text` (the template is then read again whole).
  static func rebased(_ pieces: [(length: Int, outcomes: [PieceOutcome])], onto text: String)
    -> [RenderedChart.DocumentOutcome]?
  {
    guard pieces.reduce(0, { $0 + $1.length }) == text.utf8.count else { return nil }
    var outcomes: [RenderedChart.DocumentOutcome] = []
    var pieceStart = 0
    for piece in pieces {
      for (outcome, document) in piece.outcomes {
        guard case .object(let object) = outcome, let document else {
          outcomes.append(outcome)
          continue
        }
        let start = text.utf8.index(text.startIndex, offsetBy: pieceStart + document.lowerBound)
        let end = text.utf8.index(start, offsetBy: document.count)
        let source = YAMLDocumentText(text: text[start..<end], startLine: object.source.startLine)
        outcomes.append(.object(RenderedManifest(manifest: object.manifest, template: object.template, source: source)))
      }
      pieceStart += piece.length
    }
    return outcomes
  }
}

/// A piece of a template's output handed over while the template is rendered.
struct RenderedPiece: Sendable {
  var template: String
  var text: String
  /// The line of the template's output that the piece starts at.
  var firstLine: Int
  /// The bytes all templates of the release wrote before the piece.
  var releaseOffset: Int
}

extension String {
  /// How many times `character` occurs.
  func count(of character: Character) -> Int {
    reduce(0) { $1 == character ? $0 + 1 : $0 }
  }
}
