import ArgumentParser
import FlowrelActions

extension Flowrel {
  /// `flowrel secrets ...`: the age keys and SOPS files of the store's secrets.
  struct SecretsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "secrets", abstract: "Manage the age keys that encrypt the store's secrets.",
      subcommands: [RotateCommand.self, KeygenCommand.self])
  }

  struct RotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rotate",
      abstract: "Encrypt a release's secrets again to the current recipients, as a new revision (the cluster is not touched).")

    @Argument(help: "Name of the release.") var release: String
    @OptionGroup var target: ReleaseOptions

    func run() async throws {
      var action = RotateSecrets(config: try target.configuration())
      action.release = release
      let revision = try await action.run()
      Console.write("Rotated the secrets of \(release) as revision \(revision.info.revision)\n")
    }
  }

  struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "keygen",
      abstract: "Make a new age identity; print its recipient (to give to --age or .sops.yaml).",
      discussion: "With -o, the identity goes to the file (mode 0600, never over an existing file) and the recipient to standard output; without, the identity goes to standard output and the recipient to standard error, as age-keygen does.")

    @Option(name: [.short, .long], help: ArgumentHelp("The identity file to write.", valueName: "file")) var output: String?

    func run() throws {
      var action = GenerateAgeKey()
      action.output = output
      let key = try action.run()
      if output == nil {
        Console.write(key.fileText)
        Console.error("Public key: \(key.recipient)")
      } else {
        Console.write(key.recipient + "\n")
      }
    }
  }
}
