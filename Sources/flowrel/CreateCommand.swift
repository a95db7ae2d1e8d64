import ArgumentParser
import FlowrelChart
import Foundation

extension Flowrel {
  struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "create",
      abstract: "Create a new Flow chart to adapt, from flowrel's built-in flow chart.",
      discussion: "Writes the chart to the folder NAME (which must not exist yet); the chart's name is the folder's name.")

    @Argument(help: "The folder to create; its last component is the chart's name.")
    var name: String

    func run() throws {
      try ChartScaffold.create(at: name)
      Console.error("Created chart \((name as NSString).lastPathComponent) in \(name)")
    }
  }
}
