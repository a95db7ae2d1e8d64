import FlowrelChart
import FlowrelManifest
import Foundation

/// `flowrel template`: render a chart locally and show the objects, as `helm template` does.
/// Nothing is read from or written to the store or the cluster.
package struct Template: Sendable {
  let config: ActionConfiguration
  /// The release rendered for.
  package var release = "release-name"
  /// The chart (by default the built-in `flow` chart) and the version it must have.
  package var chart = ChartSelection()
  /// The user's values.
  package var values = UserValues()
  /// How templates are rendered.
  package var rendering = RenderSettings()
  /// Only objects from these templates (`templates/x.yaml`); empty means all.
  package var showOnly: [String] = []
  /// Keep the templates' text as the engine wrote it: no objects are read from it.
  package var raw = false
  /// Write each object to its own file in this folder (named as the store names it).
  package var outputDirectory: String?
  /// An executable the objects go through before they are shown (after `showOnly`).
  package var postRenderer: PostRenderer?

  /// What `run` produced.
  package struct Result: Sendable {
    /// The chart rendered.
    package var chart: Chart
    /// The values and each template's text.
    package var output: RenderOutput
    /// The objects in install order (none with `raw`).
    package var manifests: [RenderedManifest]
    /// The files written to `outputDirectory`, in install order.
    package var written: [String]
  }

  /// A render with `config` (only its namespace is used).
  package init(config: ActionConfiguration) { self.config = config }

  /// The rendered chart and its objects, limited to the `showOnly` templates.
  package func run() async throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    if postRenderer != nil && raw { throw .usage("--post-renderer needs objects; it cannot be used with --raw") }
    _ = try postRenderer?.path()
    let request = try rendering.request(release: release, namespace: config.namespace, values: values)
    return try await ActionError.wrapping {
      let chart = try self.chart.load()
      var output = try chart.render(request)
      config.log.warn(about: output.values)
      if !showOnly.isEmpty {
        let wanted = Set(showOnly.map { $0.hasPrefix(chart.metadata.name + "/") ? $0 : chart.metadata.name + "/" + $0 })
        let known = Set(output.rendered.templates.map(\.name))
        for name in wanted.sorted() where !known.contains(name) {
          throw ChartError.notFound(path: "\(name) (no such template in chart \(chart.metadata.name))")
        }
        output.rendered.templates = output.rendered.templates.filter { wanted.contains($0.name) }
      }
      var manifests = raw ? [] : try output.rendered.manifests(release: request.release)
      if let postRenderer {
        manifests = try await postRenderer.run(manifests, chart: output.rendered, release: request.release)
      }
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

