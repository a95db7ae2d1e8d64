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

  /// An action rendering `chart` for `request`.
  public init(chart: String?, request: RenderRequest) {
    self.chart = chart
    self.request = request
  }

  /// The rendered chart and its objects (filtered by `showOnly`).
  public func run(readFile: (String) throws -> String = SetFlag.readLocalFile) throws(ChartError) -> (chart: Chart, output: RenderOutput) {
    let chart = try Chart.resolve(self.chart)
    var output = try chart.render(request, readFile: readFile)
    if !showOnly.isEmpty {
      let wanted = Set(showOnly.map { $0.hasPrefix(chart.metadata.name + "/") ? $0 : chart.metadata.name + "/" + $0 })
      let known = Set(output.rendered.templates.map(\.name))
      for name in wanted.sorted() where !known.contains(name) {
        throw ChartError.notFound(path: "\(name) (no such template in chart \(chart.metadata.name))")
      }
      output.manifests = output.manifests.filter { wanted.contains($0.template) }
      output.rendered.templates = output.rendered.templates.filter { wanted.contains($0.name) }
    }
    return (chart, output)
  }

  /// The objects as one YAML stream: each document preceded by `---` and a comment naming
  /// the template that wrote it, in install order.
  public static func stream(_ manifests: [RenderedManifest]) -> String {
    manifests.map { "---\n# Source: \($0.template)\n" + $0.manifest.canonicalYAML }.joined()
  }

  /// The engine's text of each template as `--raw` shows it: in byte-wise order of template
  /// names, whitespace-only output skipped, each as `---`, `# Source: NAME`, the text and a
  /// newline.
  public static func rawStream(_ rendered: RenderedChart) -> String {
    rendered.templates.filter { !$0.text.allSatisfy(\.isWhitespace) }
      .map { "---\n# Source: \($0.name)\n\($0.text)\n" }.joined()
  }
}
