import FlowrelAge
import FlowrelStore
import Foundation
import StoreFixtures

// Records revisions into a git store, for the store's crash and concurrency tests:
//
//   StoreStressWriter STORE RELEASE COUNT [--namespace NS] [--password TEXT] [--key FILE]
//
// `--key` names an age identity file: secrets are encrypted to its recipient and read with it.
//
// Prints `recorded RELEASE N` after each revision; on a store error prints it to stderr
// and exits with 3 (1 for a user error).
let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String) -> String? {
  guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
  return arguments[index + 1]
}
guard arguments.count >= 3, let count = Int(arguments[2]) else {
  FileHandle.standardError.write(Data("usage: StoreStressWriter STORE RELEASE COUNT [--namespace NS] [--password TEXT] [--key FILE]\n".utf8))
  exit(1)
}
let release = arguments[1]
let namespace = option("--namespace") ?? "default"
do {
  var secrets = SecretSettings()
  if let file = option("--key") {
    let identities = try AgeIdentity.parseFile(try String(contentsOfFile: file, encoding: .utf8))
    secrets = SecretSettings(recipients: identities.map(\.recipient), keyring: AgeKeyring(identities: identities))
  }
  let store = GitReleaseStore(path: arguments[0], secrets: secrets, flowrelVersion: "stress")
  for round in 0..<count {
    let revision = try await store.withWriteLock { writer in
      let installed = (try? store.revision(release: release, namespace: namespace, number: nil)) != nil
      let next = Fixtures.revision(
        release: release, namespace: namespace, action: installed ? .upgrade : .install,
        replicas: Int64(round % 7 + 1), password: option("--password"))
      return try writer.record(next)
    }
    // Unbuffered, so a test that kills this process has seen every line it printed.
    FileHandle.standardOutput.write(Data("recorded \(release) \(revision.info.revision)\n".utf8))
  }
} catch let error as StoreError {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(error.isUserError ? 1 : 3)
} catch {
  FileHandle.standardError.write(Data("error: \(error)\n".utf8))
  exit(1)
}
