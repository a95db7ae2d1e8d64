import FlowrelParallel
import FlowrelValue
import FlowrelYAML
import GoTemplate
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
  /// What the cluster is assumed to offer.
  package var capabilities: Capabilities
  /// A missing map key is an error instead of empty output (Helm's `--strict`).
  package var strict: Bool
  /// Flags for the function library, such as `allowNondeterministic` and `enableDNS`.
  package var flags: [String: Value]

  /// Options for `release`.
  package init(release: ReleaseInfo, capabilities: Capabilities = Capabilities(), strict: Bool = false, flags: [String: Value] = [:]) {
    self.release = release
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
  /// does: all templates parsed into one set so any can `include` any other's definitions,
  /// then each executed with its own `.Template`.
  package func render(values: Value, functions: TemplateFunctions, emitYAML: @escaping @Sendable (Value) throws -> String,
    options: RenderOptions) throws(ChartError) -> RenderedChart
  {
    try render(parsed: parseTemplates(functions: functions), values: values, emitYAML: emitYAML, options: options)
  }

  /// Helm's order of the templates: deeper paths first and, within a depth, reverse name
  /// order; a later `define` of the same name wins, so this order decides which definition is used.
  var templatesInParseOrder: [(name: String, file: ChartFile)] {
    templates.sorted { a, b in
      let (da, db) = (a.name.count(of: "/"), b.name.count(of: "/"))
      return da != db ? da > db : b.name.utf8.lexicographicallyPrecedes(a.name.utf8)
    }
  }

  /// Every template parsed into one set (which does not depend on the values, so it can be
  /// done while they are merged and checked).
  func parseTemplates(functions: TemplateFunctions) throws(ChartError) -> TemplateSet {
    try Self.assemble(templatesInParseOrder.map { Self.parse($0.name, $0.file, functions: functions) }, functions: functions)
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

  /// Executes every template of `set` (from `parseTemplates`) with `values`.
  func render(parsed set: TemplateSet, values: Value, emitYAML: @escaping @Sendable (Value) throws -> String,
    options: RenderOptions) throws(ChartError) -> RenderedChart
  {
    let ordered = templatesInParseOrder
    var release = OrderedDictionary<String, TemplateValue>()
    release["Name"] = .string(options.release.name)
    release["Namespace"] = .string(options.release.namespace)
    release["Revision"] = .int(Int64(options.release.revision))
    release["IsInstall"] = .bool(options.release.isInstall)
    release["IsUpgrade"] = .bool(options.release.isUpgrade)
    release["Service"] = "flowrel"
    var top = OrderedDictionary<String, TemplateValue>()
    top["Values"] = TemplateValue(values)
    top["Release"] = .map(TemplateMap(release))
    top["Chart"] = TemplateValue(metadata.templateValue)
    top["Capabilities"] = options.capabilities.templateValue
    top["Files"] = .object(FilesObject(chartFiles: files, emitYAML: emitYAML))

    let executionOptions = ExecutionOptions.helm(strict: options.strict, flags: options.flags)
    // One top-level map for every file, as in Helm: what a template `set`s on `$` or
    // `.Values` is seen by the files rendered after it; only `.Template` changes per file.
    let data = TemplateMap(top)
    var outputs: [RenderedTemplate] = []
    var notes: String?
    // The objects are read (on the other processors) while later ones are still rendered:
    // each template's output is handed over in pieces that end before a `---` line.
    let releaseInfo = options.release
    let reader = Parallel.Stream<RenderedPiece, (template: String, outcomes: [RenderedChart.DocumentOutcome]?)> { piece in
      (piece.template, RenderedChart.read(piece: piece.text, firstLine: piece.firstLine, template: piece.template, release: releaseInfo))
    }
    for (name, file) in ordered {
      let text: String
      do {
        try data.set("Template", ["Name": .string(name), "BasePath": .string(metadata.name + "/templates")])
        if Self.holdsManifests(file.path) {
          text = try set.execute(
            name, data: .map(data), options: executionOptions, linePrefix: "---", startsPiece: YAML.isDocumentStart,
            deliver: { piece, firstLine in reader.submit([RenderedPiece(template: name, text: piece, firstLine: firstLine)]) })
        } else {
          text = try set.execute(name, data: .map(data), options: executionOptions)
        }
      } catch {
        reader.cancel()
        throw ChartError.template(error)
      }
      if file.path == "templates/NOTES.txt" {
        notes = text
      } else if Self.holdsManifests(file.path) {
        outputs.append(RenderedTemplate(name: name, text: text))
      }
    }
    // Each template's pieces, in order; a piece that could not be read ahead (a directive in
    // it) leaves its template to `manifests(release:)`, which reads the whole text.
    let pieces = Dictionary(grouping: reader.finish(), by: \.template)
    var readAhead = ReadAhead(release: releaseInfo, templates: [:])
    for output in outputs {
      let outcomes = pieces[output.name]?.map(\.outcomes) ?? []
      guard outcomes.allSatisfy({ $0 != nil }) else { continue }
      readAhead.templates[output.name] = (output.text, outcomes.flatMap { $0 ?? [] })
    }
    outputs.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    return RenderedChart(templates: outputs, notes: notes, readAhead: readAhead)
  }
}

/// A piece of a template's output handed over while the template is rendered.
struct RenderedPiece: Sendable {
  var template: String
  var text: String
  /// The line of the template's output that the piece starts at.
  var firstLine: Int
}

extension String {
  /// How many times `character` occurs.
  func count(of character: Character) -> Int {
    reduce(0) { $1 == character ? $0 + 1 : $0 }
  }
}
