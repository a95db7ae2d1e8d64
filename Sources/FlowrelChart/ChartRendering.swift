import FlowrelParallel
import FlowrelSemVer
import FlowrelValue
import FlowrelYAML
import GoTemplate
import HelmFunctions

/// Everything besides the chart that decides what it renders to.
package struct RenderRequest: Sendable {
  /// The release rendered for.
  package var release: ReleaseInfo
  /// The user's values, resolved from `-f` files and `--set`-style flags.
  package var values: UserValues
  /// What the cluster is assumed to offer.
  package var capabilities: Capabilities
  /// The cluster `lookup` reads; nil (the default) when the render touches no cluster, so
  /// lookups find nothing, as in `helm template`.
  package var lookup: (any ClusterLookup)?
  /// A missing map key is an error (Helm's `--strict`).
  package var strict: Bool
  /// Let `now` and the other clock readers run; the drawn functions (`randAlphaNum`, ...) run
  /// without it, through the render's `DrawRecorder`.
  package var allowNondeterministic: Bool
  /// Let `getHostByName` resolve names.
  package var enableDNS: Bool
  /// The values an earlier render of the release drew (`RenderOutput.draws` as the store kept
  /// it): the same calls get them again. Nil: every call draws anew.
  package var draws: Value?
  /// The most bytes the release's templates may write together (`--max-output`).
  package var maxOutputBytes = ExecutionOptions.defaultMaxOutputBytes
  /// Whether every object's canonical YAML is written while the objects are read (on the
  /// spare processors), as the store wants it. Without it, only the objects in the first
  /// `RenderedChart.emittedWhileReading` bytes of the output get theirs then; the others are
  /// written when asked for: `template` prints them a batch at a time, so a large release's
  /// text is not held a second time.
  package var emitsEveryCanonicalYAML = true

  /// A request; by default no overrides, default capabilities, nothing optional enabled.
  package init(release: ReleaseInfo, values: UserValues = UserValues(), capabilities: Capabilities = Capabilities(),
    strict: Bool = false, allowNondeterministic: Bool = false, enableDNS: Bool = false)
  {
    self.release = release
    self.values = values
    self.capabilities = capabilities
    self.strict = strict
    self.allowNondeterministic = allowNondeterministic
    self.enableDNS = enableDNS
  }
}

/// The cluster `lookup` reads, as the verbs that provide one name it (GoTemplate's protocol).
package typealias ClusterLookup = GoTemplate.ClusterLookup

/// What rendering a chart produced.
package struct RenderOutput: Sendable {
  /// The user-supplied values and the values the templates saw (defaults merged in).
  package var values: MergedValues
  /// The paths of user values the chart's schema marks secret (`"x-flowrel-secret": true`).
  package var secretPaths: [ValuePath]
  /// Each template's text and the notes; `rendered.manifests(release:)` reads the objects.
  package var rendered: RenderedChart
  /// The `crds/` files of the chart and its enabled subcharts (ChartCRDs.swift).
  package var crds: [ChartCRDFile] = []
  /// The values the templates drew (`randAlphaNum`, `uuidv4`, ...), kept and new, as the store
  /// records them with the revision; nil when they drew none.
  package var draws: Value?
  /// The functions that drew new values in this render (none when every draw was kept).
  package var drawnAnew: [String] = []
}

/// The YAML reader of the template library (`fromYaml`, `fromYamlArray`) on FlowrelYAML.
struct ChartYAMLCodec: YAMLCodec {
  /// The first document, as Helm's `fromYaml` reads it (`null` for empty text).
  func parse(_ text: String) throws -> Value {
    try YAML.parseDocuments(text, file: "fromYaml").first?.value ?? .null
  }
}

extension Chart {
  /// The function table every render uses.
  static let functions = HelmFunctions.library(yaml: ChartYAMLCodec())

  /// Merges the values, checks them against the chart's schema and `kubeVersion`, and
  /// renders every template. The objects are read from the output in a separate step
  /// (`RenderedChart.manifests(release:)`), so `template --raw` can show output that is not YAML.
  package func render(_ request: RenderRequest) throws(ChartError) -> RenderOutput {
    if let constraint = metadata.kubeVersion, !constraint.isSatisfied(by: request.capabilities.kubeVersion) {
      throw ChartError.badMetadata(
        file: source + "/Chart.yaml", field: "kubeVersion",
        reason: "the chart needs Kubernetes \(constraint.text), which v\(request.capabilities.kubeVersion) is not (set --kube-version)")
    }
    if isLibrary {
      throw ChartError.badMetadata(
        file: source + "/Chart.yaml", field: "type", reason: "library charts are not installable; a library chart is used as a subchart of another chart")
    }
    try checkDependenciesPresent()
    // The templates (of every subchart, before values switch any off) are parsed on another
    // processor while the values are merged and checked, then on every processor; the
    // largest first, so that the processors finish together.
    let files = tree().templatesInParseOrder
    let parsing = Parallel.Stream<Int, Result<TemplateSet.ParsedText, ChartError>> { [files] index in
      Self.parse(files[index].name, files[index].file, functions: Self.functions)
    }
    let bySize = files.indices.sorted { files[$0].file.contents.count > files[$1].file.contents.count }
    parsing.submit(bySize)
    let values: MergedValues
    let user: UserValues
    let tree: ChartNode
    var secretPaths: [ValuePath] = []
    do throws(ChartError) {
      user = try request.values.typed(as: metadata.valuesScalarRules)
      (tree, values) = try resolve(user: user.value)
      if let schema {
        // The paths are those of the merged values; the store encrypts the user's values at them.
        do {
          secretPaths = try ValuesSchema(schema, file: source + "/values.schema.json").check(values.values)
        } catch {
          throw user.placing(error)
        }
      }
      // Each subchart's schema checks the values it sees, as Helm does.
      for (node, scoped) in tree.scopedValues(values.values).dropFirst() {
        guard let schema = node.chart.schema else { continue }
        _ = try ValuesSchema(schema, file: node.chart.source + "/values.schema.json").check(scoped)
      }
    } catch {
      parsing.cancel()
      throw error
    }
    var inParseOrder = [Result<TemplateSet.ParsedText, ChartError>?](repeating: nil, count: files.count)
    for (index, result) in zip(bySize, parsing.finish()) { inParseOrder[index] = result }
    // Only the enabled charts' templates take part, so a switched-off subchart's definitions do not either.
    let enabled = Set(tree.all.map(\.path))
    let kept = files.indices.filter { enabled.contains(files[$0].chartPath) }
    let parsed = try Self.assemble(kept.compactMap { inParseOrder[$0] }, functions: Self.functions)
    var flags: [String: Value] = [:]
    if request.allowNondeterministic { flags[HelmFunctions.allowNondeterministic] = true }
    if request.enableDNS { flags[HelmFunctions.enableDNS] = true }
    let draws: DrawRecorder
    do {
      draws = try DrawRecorder(previous: request.draws, objectTypes: HelmFunctions.recordedObjectTypes)
    } catch {
      throw ChartError.template(error)
    }
    let rendered: RenderedChart
    do {
      var options = RenderOptions(release: request.release, capabilities: request.capabilities, strict: request.strict, flags: flags, lookup: request.lookup)
      options.draws = draws
      options.maxOutputBytes = request.maxOutputBytes
      options.emitsEveryCanonicalYAML = request.emitsEveryCanonicalYAML
      rendered = try render(
        parsed: parsed, tree: tree, templates: kept.map { files[$0] }, values: values.values,
        emitYAML: { try HelmYAML.marshal($0) }, options: options)
    } catch {
      // A chart's refusal of a value is shown at the user's value, not at the template line.
      throw user.placing(error)
    }
    var output = RenderOutput(values: values, secretPaths: secretPaths, rendered: rendered)
    output.crds = tree.crdFiles
    output.draws = draws.document
    output.drawnAnew = draws.drawnAnew
    return output
  }
}

extension ValuesFile {
  /// A `-f` values file read from its bytes: YAML with positions in errors, a map at the top
  /// (an empty file is no values). `scalars` is the chart's `valuesScalarRules`.
  package static func read(name: String, bytes: [UInt8], scalars: YAMLScalarRules = .helm) throws(ChartError) -> ValuesFile {
    let value: Value
    do {
      value = try YAML.parse(bytes, file: name, scalars: scalars)
    } catch {
      throw ChartError.yaml(error)
    }
    switch value {
    case .null, .map:
      var file = ValuesFile(name: name, value: value.isNull ? .emptyMap : value)
      file.bytes = bytes
      file.scalars = scalars
      return file
    default: throw ChartError.valuesNotAMap(source: name, found: ChartError.describe(value))
    }
  }
}
