import ArgumentParser
import FlowrelChart

extension Flowrel {
  struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "lint",
      abstract: "Check a chart: rendering, values schema, YAML and the objects it makes.",
      discussion: """
        Renders CHART (default: the built-in flow chart) with its default values plus any \
        -f/--set given, and reports each finding with its file and line. As with Helm, only \
        errors make the exit code non-zero; warnings are advice.
        """)

    @Argument(help: "The chart: a directory, a .tgz archive or a built-in chart name (default: flow).")
    var chart: String?

    @Option(name: [.short, .long], help: "The release namespace to render for.")
    var namespace = "default"

    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions

    func run() throws {
      let input = StandardInput()
      let chart = try Chart.resolve(self.chart)
      let request = try rendering.request(release: "release-name", namespace: namespace, values: values, input: input)
      let findings = chart.lint(request, readFile: input.readText)
      for finding in findings { Console.write("\(finding)\n") }
      let errors = findings.filter { $0.severity == .error }.count
      Console.error("\(chart.source): \(errors) error(s), \(findings.count - errors) warning(s)")
      if errors > 0 { throw ExitCode(1) }
    }
  }
}
