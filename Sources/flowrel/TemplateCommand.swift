import ArgumentParser
import FlowrelActions
import FlowrelChart
import Foundation

extension Flowrel {
  struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "template",
      abstract: "Render a chart locally and print the Kubernetes objects.",
      discussion: """
        Renders CHART (a chart directory, a .tgz archive, or a built-in chart; default: the \
        built-in flow chart) for release RELEASE and prints every object in install order, \
        each after a '# Source:' comment naming its template. Nothing is recorded or applied.

        Example: flowrel template search-flow -f flow.yml
        """)

    @Argument(help: "Name of the release.")
    var release: String

    @Argument(help: "The chart: a directory, a .tgz archive or a built-in chart name (default: flow).")
    var chart: String?

    @Option(name: [.short, .long], help: "The release namespace.")
    var namespace = "default"

    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions

    @Option(help: ArgumentHelp("Write each object to its own file in this folder instead of printing.", valueName: "dir"))
    var outputDir: String?

    @Option(name: .customLong("show-only"), help: ArgumentHelp("Only show objects from this template (repeatable).", valueName: "templates/x.yaml"))
    var showOnly: [String] = []

    @Flag(help: "Print each template's output as the engine wrote it, without reading it as YAML.")
    var raw = false

    @Flag(help: "On a YAML error in a template's output, print that output.")
    var debug = false

    func run() throws {
      let input = StandardInput()
      var action = Template(chart: chart, request: try rendering.request(release: release, namespace: namespace, values: values, input: input))
      action.showOnly = showOnly
      action.raw = raw
      let result: Template.Result
      do {
        result = try action.run(readFile: input.readText)
      } catch {
        if debug, case .renderedYAML(_, _, let text) = error { Console.error(text) }
        throw error
      }
      Console.keepUntilExit(result)
      for warning in result.output.rendered.warnings { Console.error("WARNING: \(warning)") }
      if raw {
        Console.write(Template.rawStream(result.output.rendered))
        return
      }
      guard let outputDir else {
        Console.write(Template.stream(result.manifests))
        return
      }
      try FileManager.default.createDirectory(atPath: outputDir, withIntermediateDirectories: true)
      for rendered in result.manifests {
        let path = (outputDir as NSString).appendingPathComponent(rendered.manifest.identity.fileName(releaseNamespace: namespace))
        try Data(rendered.canonicalYAML.utf8).write(to: URL(fileURLWithPath: path))
        Console.error("wrote \(path)")
      }
    }
  }
}
