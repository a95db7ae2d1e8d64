/// `template --show-only` as Helm's `template` reads it: each pattern is matched with Go's
/// `filepath.Match` against the path of every template that produced output, and of every CRD
/// file shown (`--include-crds`), without the chart's name (`templates/x.yaml`,
/// `charts/sub/templates/y.yaml`, `crds/z.yaml`). A pattern that matches nothing is an error.
package struct ShowOnly: Sendable {
  /// The patterns, as given.
  package var patterns: [String]

  /// The selection of `patterns`.
  package init(_ patterns: [String]) { self.patterns = patterns }

  /// The templates and CRD files that the patterns select, each list in its own order. A
  /// pattern may also start with the chart's name (`flow/templates/x.yaml`), as flowrel
  /// accepted before globs; a malformed pattern matches nothing, as in Go.
  package func select(_ rendered: RenderedChart, crds: [ChartCRDFile], chartName: String) throws(ChartError)
    -> (rendered: RenderedChart, crds: [ChartCRDFile])
  {
    func path(_ name: String) -> String {
      name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first.map(String.init) ?? name
    }
    // Helm matches only what produced output: an empty template is not found.
    let templates = rendered.templates.filter { !$0.text.allSatisfy(\.isWhitespace) }.map { path($0.name) }
    let crdPaths = crds.map { path($0.name) }
    var keptTemplates: Set<String> = []
    var keptCRDs: Set<String> = []
    for given in patterns {
      let pattern = given.hasPrefix(chartName + "/") ? String(given.dropFirst(chartName.count + 1)) : given
      guard let compiled = try? PathPattern(pattern, dialect: .goPath) else {
        throw ChartError.unreadable(path: given, reason: "could not find template in chart \(chartName) (the pattern is malformed)")
      }
      let matchedTemplates = templates.filter(compiled.matches)
      let matchedCRDs = crdPaths.filter(compiled.matches)
      guard !matchedTemplates.isEmpty || !matchedCRDs.isEmpty else {
        throw ChartError.unreadable(path: given, reason: "could not find template in chart \(chartName)")
      }
      keptTemplates.formUnion(matchedTemplates)
      keptCRDs.formUnion(matchedCRDs)
    }
    var selected = rendered
    selected.templates = rendered.templates.filter { keptTemplates.contains(path($0.name)) }
    return (selected, crds.filter { keptCRDs.contains(path($0.name)) })
  }
}
