import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "template",
      abstract: "Render a chart locally and print the Kubernetes objects.",
      discussion: """
        Renders CHART (a chart directory, a .tgz archive, or a built-in chart; default: the \
        built-in flow chart) for release RELEASE and prints every object in install order, \
        each after a '# Source:' comment naming its template. Nothing is recorded or applied.

        Example: flowrel template search-flow -f flow.yml
        """)

    @Argument(help: ArgumentHelp(
      "[RELEASE] [CHART]: the release's name and the chart (a directory, a .tgz archive or a built-in chart name; default: flow). One argument that names a chart renders it as release-name.",
      valueName: "release-and-chart"), completion: Completions.charts)
    var arguments: [String] = []

    @Flag(name: [.customShort("g"), .long], help: "Make up the release's name (CHART-TIMESTAMP).")
    var generateName = false

    @OptionGroup var chartVersion: ChartVersionOption

    @OptionGroup(title: "Global Options") var global: GlobalOptions
    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions
    @OptionGroup var postRendering: PostRendererOptions

    @Option(help: ArgumentHelp("Write each object to its own file in this folder instead of printing.", valueName: "dir"))
    var outputDir: String?

    @Option(name: [.customShort("s"), .customLong("show-only")], help: ArgumentHelp("Only show objects from the templates this pattern matches (Go's filepath.Match: templates/*.yaml; repeatable).", valueName: "templates/x.yaml"))
    var showOnly: [String] = []

    @Flag(help: "Print the chart's CRDs (its and its subcharts' crds/ files) first, as they are.")
    var includeCrds = false

    @Flag(help: "Render as an upgrade: .Release.IsUpgrade is true and .Release.IsInstall false.")
    var isUpgrade = false

    @Flag(help: "Print each template's output as the engine wrote it, without reading it as YAML.")
    var raw = false

    @Flag(help: "Leave the chart's hooks out.")
    var noHooks = false

    @Flag(help: "Leave the chart's test hooks out.")
    var skipTests = false

    func run() async throws {
      let (release, chart) = try ReleaseName.interpret(arguments, generateName: generateName)
      var action = Template(config: try global.configuration())
      action.release = release
      action.chart = chartVersion.chart(chart)
      action.values = try values.resolve()
      action.rendering = rendering.settings
      action.showOnly = showOnly
      action.includeCRDs = includeCrds
      action.isUpgrade = isUpgrade
      action.raw = raw
      action.outputDirectory = outputDir
      action.postRenderer = postRendering.renderer
      action.noHooks = noHooks
      action.skipTests = skipTests
      let result = try await action.run()
      Console.keepUntilExit(result)
      for warning in result.output.rendered.warnings { Console.error("WARNING: \(warning)") }
      for line in result.skipped { Console.error(line) }
      if let note = Output.drawnAnew(result.output.drawnAnew) { Console.error(note) }
      if raw {
        Console.write(Output.crdStream(result.crds) + Output.rawStream(result.output.rendered))
      } else if outputDir != nil {
        for path in result.written { Console.error("wrote \(path)") }
      } else {
        Console.write(Output.crdStream(result.crds))
        Output.stream(result.manifests, to: Console.write)
        Console.write(Output.stream(result.hooks))
      }
    }
  }
}
