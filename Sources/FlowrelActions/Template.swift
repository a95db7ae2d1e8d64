import FlowrelChart
import FlowrelManifest

/// `flowrel template`: render a chart locally and show the objects, as `helm template` does.
public struct Template: Sendable {
  /// The chart: a path or a built-in chart's name; `nil` is the built-in `flow` chart.
  public var chart: String?
  /// What to render for.
  public var request: RenderRequest
  /// Only objects from these templates (`templates/x.yaml`); empty means all.
  public var showOnly: [String] = []
  /// Keep the templates' text as the engine wrote it: no objects are read from it.
  public var raw = false

  /// What `run` produced.
  public struct Result: Sendable {
    /// The chart rendered.
    public var chart: Chart
    /// The values and each template's text.
    public var output: RenderOutput
    /// The objects in install order (none with `raw`).
    public var manifests: [RenderedManifest]
  }

  /// An action rendering `chart` for `request`.
  public init(chart: String?, request: RenderRequest) {
    self.chart = chart
    self.request = request
  }

  /// The rendered chart and its objects, limited to the `showOnly` templates.
  public func run(readFile: (String) throws -> String = SetFlag.readLocalFile) throws(ChartError) -> Result {
    let chart = try Chart.resolve(self.chart)
    var output = try chart.render(request, readFile: readFile)
    if !showOnly.isEmpty {
      let wanted = Set(showOnly.map { $0.hasPrefix(chart.metadata.name + "/") ? $0 : chart.metadata.name + "/" + $0 })
      let known = Set(output.rendered.templates.map(\.name))
      for name in wanted.sorted() where !known.contains(name) {
        throw ChartError.notFound(path: "\(name) (no such template in chart \(chart.metadata.name))")
      }
      output.rendered.templates = output.rendered.templates.filter { wanted.contains($0.name) }
    }
    let manifests = raw ? [] : try output.rendered.manifests(release: request.release)
    return Result(chart: chart, output: output, manifests: manifests)
  }

  /// The objects as one YAML stream: each document preceded by `---` and a comment naming
  /// the template that wrote it, in install order.
  public static func stream(_ manifests: [RenderedManifest]) -> String {
    // Built in one buffer of the final size: the stream of a large Flow is a megabyte.
    var text = ""
    text.reserveCapacity(manifests.reduce(0) { $0 + 20 + $1.template.utf8.count + $1.canonicalYAML.utf8.count })
    for manifest in manifests {
      text += "---\n# Source: "
      text += manifest.template
      text += "\n"
      text += manifest.canonicalYAML
    }
    return text
  }

  /// The engine's text of each template as `--raw` shows it: in byte-wise order of template
  /// names, whitespace-only output skipped, each as `---`, `# Source: NAME`, the text and a
  /// newline.
  public static func rawStream(_ rendered: RenderedChart) -> String {
    rendered.templates.filter { !$0.text.allSatisfy(\.isWhitespace) }
      .map { "---\n# Source: \($0.name)\n\($0.text)\n" }.joined()
  }
}
