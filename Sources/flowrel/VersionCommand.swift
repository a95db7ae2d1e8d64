import ArgumentParser
import FlowrelActions

extension Flowrel {
  struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "version", abstract: "Show flowrel's version and the libgit2 and libyaml it runs with.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Flag(help: "Only flowrel's version (v0.1.0).") var short = false
    @Option(name: .shortAndLong, help: "Output format: text or json.") var output: Format = .text
    @OptionGroup var debugging: DebugOption

    func run() throws {
      let report = Version(config: try debugging.configuration()).run()
      Console.write(short ? report.short + "\n" : output == .json ? report.json : report.text)
    }
  }
}
