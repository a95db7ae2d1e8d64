extension RenderedChart {
  /// The chart's output with its templates replaced by `text`, a YAML stream a post-renderer
  /// printed, as one template named `name`; its objects are read as a template's are
  /// (`manifests(release:)`: namespace and standard labels completed, duplicates refused), and
  /// the notes stay.
  package func replacingTemplates(with text: String, name: String) -> RenderedChart {
    RenderedChart(templates: [RenderedTemplate(name: name, text: text)], notes: notes, readAhead: nil)
  }
}
