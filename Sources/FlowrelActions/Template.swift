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
  /// Only objects from the templates (and CRD files) these patterns match (`templates/x.yaml`,
  /// `templates/*.yaml`: Go's `filepath.Match`, as Helm); empty means all.
  package var showOnly: [String] = []
  /// Show the chart's CRD files (its and its enabled subcharts' `crds/`) first, as they are.
  package var includeCRDs = false
  /// Render as an upgrade: `.Release.IsUpgrade` true, `.Release.IsInstall` false.
  package var isUpgrade = false
  /// Keep the templates' text as the engine wrote it: no objects are read from it.
  package var raw = false
  /// Write each object to its own file in this folder (named as the store names it).
  package var outputDirectory: String?
  /// An executable the objects go through before they are shown (after `showOnly`).
  package var postRenderer: PostRenderer?
  /// Leave the chart's hooks out (`--no-hooks`).
  package var noHooks = false
  /// Leave the `test` hooks out (`--skip-tests`).
  package var skipTests = false

  /// What `run` produced.
  package struct Result: Sendable {
    /// The chart rendered.
    package var chart: Chart
    /// The values and each template's text.
    package var output: RenderOutput
    /// The objects in install order (none with `raw`).
    package var manifests: [RenderedManifest]
    /// The hooks, shown after the objects as Helm shows them (none with `noHooks`).
    package var hooks: [Hook] = []
    /// Objects left out because their hook event is unknown, as lines to tell the user.
    package var skipped: [String] = []
    /// The files written to `outputDirectory`, in install order.
    package var written: [String]
    /// The CRD files shown before the objects (with `includeCRDs`).
    package var crds: [ChartCRDFile] = []
  }

  /// A render with `config` (only its namespace is used).
  package init(config: ActionConfiguration) { self.config = config }

  /// The rendered chart and its objects, limited to the `showOnly` templates.
  package func run() async throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    if postRenderer != nil && raw { throw .usage("--post-renderer needs objects; it cannot be used with --raw") }
    _ = try postRenderer?.path()
    var request = try rendering.request(release: release, namespace: config.namespace, values: values)
    // Objects that are printed get their YAML as they are printed, not all held at once.
    request.emitsEveryCanonicalYAML = outputDirectory != nil || postRenderer != nil
    if isUpgrade {
      request.release.isInstall = false
      request.release.isUpgrade = true
    }
    return try await ActionError.wrapping {
      let chart = try self.chart.load()
      var output = try chart.render(request)
      var crds = includeCRDs ? output.crds : []
      config.log.warn(about: output.values)
      if !showOnly.isEmpty {
        (output.rendered, crds) = try ShowOnly(showOnly).select(output.rendered, crds: crds, chartName: chart.metadata.name)
      }
      var manifests = raw ? [] : try output.rendered.manifests(release: request.release)
      if let postRenderer {
        manifests = try await postRenderer.run(manifests, chart: output.rendered, release: request.release)
      }
      let split = try RenderedRelease(manifests)
      var hooks = noHooks ? [] : split.hooks
      if skipTests { hooks = hooks.filter { !$0.hook.events.contains(.test) } }
      let crdObjects = raw ? [] : try crds.objects(namespace: config.namespace)
      let written = try outputDirectory.map { try write(split.objects + hooks.map(\.rendered), crds: crdObjects, to: $0) } ?? []
      return Result(
        chart: chart, output: output, manifests: split.objects, hooks: hooks.map(\.hook), skipped: split.skipped,
        written: written, crds: crds)
    }
  }

  /// Writes each object to its own file in `directory` (the CRDs first, in its `crds/`
  /// folder, as the store keeps them) and returns the paths.
  private func write(_ manifests: [RenderedManifest], crds: [Manifest], to directory: String) throws(ActionError) -> [String] {
    var written: [String] = []
    for identities in [crds.map(\.identity), manifests.map(\.manifest.identity)] {
      if let (first, second, file) = identities.sharingAFile(releaseNamespace: config.namespace) {
        throw .file(path: directory, reason: ObjectIdentity.sharedFileProblem(first, second, file: file))
      }
    }
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      if !crds.isEmpty {
        try FileManager.default.createDirectory(atPath: (directory as NSString).appendingPathComponent("crds"), withIntermediateDirectories: true)
      }
      let files = crds.map { ("crds/" + $0.identity.fileName(releaseNamespace: config.namespace), $0.canonicalYAML) }
        + manifests.map { ($0.manifest.identity.fileName(releaseNamespace: config.namespace), $0.canonicalYAML) }
      for (name, text) in files {
        let path = (directory as NSString).appendingPathComponent(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        written.append(path)
      }
    } catch {
      throw .file(path: directory, reason: "cannot write the objects: \(error.localizedDescription)")
    }
    return written
  }
}

