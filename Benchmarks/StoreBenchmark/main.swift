import FlowrelGit
import Foundation

// Builds long store histories fast for Benchmarks/store.sh, which times whole `flowrel`
// processes on them:
//
//   StoreBenchmark extend REPO FOLDER COUNT
//     COUNT more revisions of the release in FOLDER (such as releases/bench/bench), each the
//     tip's revision with its number (in release.yaml and the commit message) counted on.
//   StoreBenchmark releases REPO FOLDER COUNT
//     COUNT more releases beside the one in FOLDER (releases/bench/small): FOLDER-1, ...,
//     each installed by its own commit, its files the release's with its name replaced.
//
// Commits go through `git fast-import` (its files as flowrel writes them, the commit messages
// with flowrel's trailers), then the working tree is reset to the new tip.

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("StoreBenchmark: \(message)\n".utf8))
  exit(1)
}

func data(_ text: String) -> Data { Data("data \(text.utf8.count)\n".utf8) + Data(text.utf8) + Data("\n".utf8) }

func shell(_ command: String, _ arguments: String...) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/bin/sh")
  process.arguments = ["-c", command, "sh"] + arguments
  do { try process.run() } catch { fail("cannot run \(command): \(error)") }
  process.waitUntilExit()
  if process.terminationStatus != 0 { fail("\(command) failed") }
}

/// Feeds `stream` to `git fast-import` in `repo` and checks the new tip out.
func importStream(_ stream: Data, into repo: String) {
  let file = repo + "/.git/bench-fast-import.stream"
  do { try stream.write(to: URL(fileURLWithPath: file)) } catch { fail("cannot write \(file): \(error)") }
  shell("git -C \"$1\" fast-import --quiet < \"$2\" && rm \"$2\" && git -C \"$1\" reset -q --hard", repo, file)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 4, let count = Int(arguments[3]), count >= 0 else {
  fail("usage: StoreBenchmark extend|releases REPO FOLDER COUNT")
}
let (mode, repoPath, folder) = (arguments[0], arguments[1], arguments[2])
do {
  let repo = try Repository.open(at: repoPath)
  guard case .branch(let branch, let tip) = try repo.head() else { fail("\(repoPath): HEAD is not on a branch with commits") }
  let template = try repo.readFolder(folder, inTree: tip)
  guard let releaseText = template["release.yaml"].map({ String(decoding: $0, as: UTF8.self) }) else {
    fail("no release.yaml in \(folder)")
  }
  // The tip's commit message is the template of each new one.
  let message = try repo.commit(tip).message
  let time = Int(Date().timeIntervalSince1970)
  var stream = Data()
  func commitHeader() {
    stream += Data("commit refs/heads/\(branch)\ncommitter bench <bench@localhost> \(time) +0000\n".utf8)
  }
  switch mode {
  case "extend":
    guard let line = releaseText.split(separator: "\n").first(where: { $0.hasPrefix("revision: ") }),
      let base = Int(line.dropFirst("revision: ".count))
    else { fail("no revision in \(folder)/release.yaml") }
    for number in (base + 1)..<(base + 1 + count) {
      commitHeader()
      stream += data(message.replacingOccurrences(of: "revision \(base)\n", with: "revision \(number)\n")
        .replacingOccurrences(of: "Flowrel-Revision: \(base)\n", with: "Flowrel-Revision: \(number)\n"))
      if number == base + 1 { stream += Data("from \(tip.hex)\n".utf8) }
      stream += Data("M 100644 inline \(folder)/release.yaml\n".utf8)
      stream += data(releaseText.replacingOccurrences(of: "revision: \(base)\n", with: "revision: \(number)\n"))
    }
  case "releases":
    let name = (folder as NSString).lastPathComponent
    let parent = (folder as NSString).deletingLastPathComponent
    let ids = try repo.fileIDs(under: folder, inTree: tip)
    for index in 1..<(1 + count) {
      let copy = "\(name)-\(index)"
      commitHeader()
      stream += data(message.replacingOccurrences(of: "\(name): ", with: "\(copy): ")
        .replacingOccurrences(of: "Flowrel-Release: \(name)\n", with: "Flowrel-Release: \(copy)\n"))
      if index == 1 { stream += Data("from \(tip.hex)\n".utf8) }
      for (path, id) in ids.sorted(by: { $0.key < $1.key }) where path != "release.yaml" {
        stream += Data("M 100644 \(id.hex) \(parent)/\(copy)/\(path)\n".utf8)
      }
      stream += Data("M 100644 inline \(parent)/\(copy)/release.yaml\n".utf8)
      stream += data(releaseText.replacingOccurrences(of: "name: \(name)\n", with: "name: \(copy)\n"))
    }
  default:
    fail("unknown mode \(mode): extend or releases")
  }
  importStream(stream, into: repoPath)
} catch {
  fail("\(error)")
}
