/// The charts that ship inside the flowrel binary, so that `flowrel template search-flow`
/// works from any directory and the binary alone can be copied anywhere.
///
/// Their files are compiled in from the repository's `templates/` folder as Swift source
/// (`BuiltinCharts+Generated.swift`); a test keeps that file in step with the folder and
/// rewrites it when run with `FLOWREL_REGENERATE=1`.
package enum BuiltinCharts {
  /// One file of a built-in chart.
  package struct File: Sendable, Equatable {
    /// The path from the chart's root (`templates/gateway.yaml`).
    package let path: String
    /// The file's text (chart files are UTF-8 text).
    package let text: String

    /// A file.
    package init(path: String, text: String) {
      self.path = path
      self.text = text
    }
  }

  /// The names of the built-in charts, sorted.
  package static var names: [String] { generated.keys.sorted() }

  /// The files of the built-in chart `name`, sorted by path, or `nil` when there is none.
  package static func files(of name: String) -> [File]? { generated[name] }
}
