import FlowrelChart
import FlowrelManifest
import Foundation

/// `flowrel template`: render a chart locally and show the objects, as `helm template` does.
/// Nothing is read from or written to the store or the cluster.
public struct Template: Sendable {
  let config: ActionConfiguration
  /// The release rendered for.
  public var release = "release-name"
  /// The chart (by default the built-in `flow` chart) and the version it must have.
  public var chart = ChartSelection()
  /// The user's values.
  public var values = UserValues()
  /// How templates are rendered.
  public var rendering = RenderSettings()
  /// Only objects from these templates (`templates/x.yaml`); empty means all.
  public var showOnly: [String] = []
  /// Keep the templates' text as the engine wrote it: no objects are read from it.
  public var raw = false
  /// Write each object to its own file in this folder (named as the store names it).
  public var outputDirectory: String?

  /// What `run` produced.
  public struct Result: Sendable {
    /// The chart rendered.
    public var chart: Chart
    /// The values and each template's text.
    public var output: RenderOutput
    /// The objects in install order (none with `raw`).
    public var manifests: [RenderedManifest]
    /// The files written to `outputDirectory`, in install order.
    public var written: [String]
  }

  /// A render with `config` (only its namespace is used).
  public init(config: ActionConfiguration) { self.config = config }

  /// The rendered chart and its objects, limited to the `showOnly` templates.
  public func run() throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    let request = try rendering.request(release: release, namespace: config.namespace, values: values)
    return try ActionError.wrapping {
      let chart = try self.chart.load()
      var output = try chart.render(request)
      if !showOnly.isEmpty {
        let wanted = Set(showOnly.map { $0.hasPrefix(chart.metadata.name + "/") ? $0 : chart.metadata.name + "/" + $0 })
        let known = Set(output.rendered.templates.map(\.name))
        for name in wanted.sorted() where !known.contains(name) {
          throw ChartError.notFound(path: "\(name) (no such template in chart \(chart.metadata.name))")
        }
        output.rendered.templates = output.rendered.templates.filter { wanted.contains($0.name) }
      }
      let manifests = raw ? [] : try output.rendered.manifests(release: request.release)
      let written = try outputDirectory.map { try write(manifests, to: $0) } ?? []
      return Result(chart: chart, output: output, manifests: manifests, written: written)
    }
  }

  /// Writes each object to its own file in `directory` and returns the paths.
  private func write(_ manifests: [RenderedManifest], to directory: String) throws(ActionError) -> [String] {
    var written: [String] = []
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      for rendered in manifests {
        let name = rendered.manifest.identity.fileName(releaseNamespace: config.namespace)
        let path = (directory as NSString).appendingPathComponent(name)
        try Data(rendered.canonicalYAML.utf8).write(to: URL(fileURLWithPath: path))
        written.append(path)
      }
    } catch {
      throw .file(path: directory, reason: "cannot write the objects: \(error.localizedDescription)")
    }
    return written
  }
}

