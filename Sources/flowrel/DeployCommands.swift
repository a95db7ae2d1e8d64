import ArgumentParser
import FlowrelActions
import FlowrelChart
import FlowrelStore
import Foundation

extension Flowrel {
  struct InstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "install",
      abstract: "Render a chart, apply it to the cluster and record the first revision.",
      discussion: """
        Renders CHART (default: the built-in flow chart) for RELEASE, applies the objects with \
        kubectl (server-side apply, field manager flowrel) and records the revision as a git \
        commit in the store. With --no-apply it only records (GitOps).

        Example: flowrel install search-flow -f flow.yml -n search --create-namespace
        """)

    @Argument(help: "Name of the release.") var release: String
    @Argument(help: "The chart: a directory, a .tgz archive or a built-in chart name (default: flow).") var chart: String?
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions
    @OptionGroup var deploy: DeployFlags
    @Flag(help: "Install even when the release is installed already.") var replace = false

    func run() throws {
      let input = StandardInput()
      var action = Install(
        config: try target.configuration(), chart: chart,
        request: try rendering.request(release: release, namespace: target.namespace, values: values, input: input))
      action.options = try deploy.options()
      action.replace = replace
      ReleaseOutput.deployed(try action.run(readFile: input.readText), release: release, namespace: target.namespace)
    }
  }

  struct UpgradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "upgrade",
      abstract: "Render a release again (new values or chart), apply it and record the next revision.",
      discussion: """
        Without CHART the release's recorded chart is used. Values follow Helm: the chart's \
        defaults plus this command's -f/--set; the installed values are kept when none are \
        given, merged under the new ones with --reuse-values, and dropped with --reset-values.
        """)

    @Argument(help: "Name of the release.") var release: String
    @Argument(help: "The chart (default: the one the release was rendered from).") var chart: String?
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var values: ValuesOptions
    @OptionGroup var rendering: RenderingOptions
    @OptionGroup var deploy: DeployFlags
    @Flag(name: [.short, .long], help: "Install the release when it is not installed.") var install = false
    @Flag(help: "Merge this command's values over the installed revision's values.") var reuseValues = false
    @Flag(help: "Use only the chart's defaults and this command's values.") var resetValues = false

    func run() throws {
      let input = StandardInput()
      var action = Upgrade(
        config: try target.configuration(), chart: chart,
        request: try rendering.request(release: release, namespace: target.namespace, values: values, input: input))
      action.options = try deploy.options()
      action.install = install
      action.reuseValues = reuseValues
      action.resetValues = resetValues
      ReleaseOutput.deployed(try action.run(readFile: input.readText), release: release, namespace: target.namespace)
    }
  }

  struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rollback",
      abstract: "Apply an earlier revision again, recorded as a new revision.")

    @Argument(help: "Name of the release.") var release: String
    @Argument(help: "Revision to roll back to (default: the one before the installed one).") var revision: Int?
    @OptionGroup var target: ReleaseOptions
    @OptionGroup var deploy: DeployFlags

    func validate() throws {
      if let revision, revision < 1 { throw ValidationError("REVISION must be 1 or more.") }
    }

    func run() throws {
      var action = Rollback(config: try target.configuration(), release: release, namespace: target.namespace)
      action.revision = revision
      action.options = try deploy.options()
      ReleaseOutput.deployed(try action.run(), release: release, namespace: target.namespace)
    }
  }

  struct UninstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "uninstall",
      abstract: "Delete a release's objects and record the removal (its history stays in git).")

    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions
    @Flag(help: "Record the removal without deleting anything in the cluster.") var noApply = false
    @Flag(help: "Show what would be deleted; delete and record nothing.") var dryRun = false
    @Flag(help: "Accepted for Helm's command lines: flowrel always keeps a release's history, in git.")
    var keepHistory = false
    @Option(help: "The description in history.") var description: String?

    func run() throws {
      var action = Uninstall(config: try target.configuration(), release: release, namespace: target.namespace)
      action.noApply = noApply
      action.dryRun = dryRun
      action.description = description
      let result = try action.run()
      for object in result.deleted { Console.write("\(dryRun ? "would delete" : "deleted") \(object.kubectlName)\n") }
      if let info = result.revision { Console.write("release \"\(release)\" uninstalled (revision \(info.revision))\n") }
    }
  }
}
