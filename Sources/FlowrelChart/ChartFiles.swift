import FlowrelArchive
import Foundation

/// One file of a chart, with its path from the chart's root (`templates/x.yaml`).
package struct ChartFile: Sendable, Equatable {
  /// The `/`-separated path from the chart root.
  package var path: String
  /// The file's bytes.
  package var contents: [UInt8]

  /// A file.
  package init(path: String, contents: [UInt8]) {
    self.path = path
    self.contents = contents
  }
}

/// Reading the files of a chart from a directory or a `.tgz` archive, before any of them is
/// interpreted. Files are sorted by path (byte order) so everything after is deterministic.
package enum ChartFiles {
  /// The files of the chart at `path`: a directory (with its `.helmignore` applied) or a
  /// `.tgz` archive holding one top-level chart folder.
  package static func load(from path: String) throws(ChartError) -> [ChartFile] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw ChartError.notFound(path: path)
    }
    if isDirectory.boolValue { return try loadDirectory(path) }
    guard let data = FileManager.default.contents(atPath: path) else { throw ChartError.unreadable(path: path, reason: "cannot read the file") }
    return try loadArchive([UInt8](data), name: path)
  }

  /// The files of a `.tgz` chart archive; every entry must sit in one top-level folder, as
  /// `helm package` makes them, and that folder is removed from the paths.
  package static func loadArchive(_ bytes: [UInt8], name: String, limits: Tar.Limits = Tar.Limits()) throws(ChartError) -> [ChartFile] {
    let entries: [ArchiveEntry]
    do {
      entries = try Tar.readGzipped(bytes, limits: limits)
    } catch {
      throw ChartError.unreadable(path: name, reason: error.message)
    }
    var files: [ChartFile] = []
    var top: Substring?
    for entry in entries {
      let parts = entry.path.split(separator: "/", maxSplits: 1)
      guard parts.count == 2 else {
        throw ChartError.unreadable(path: name, reason: "\(entry.path) is not inside the chart's folder; a chart archive holds one folder")
      }
      if let top, top != parts[0] {
        throw ChartError.unreadable(path: name, reason: "the archive holds more than one folder (\(top) and \(parts[0]))")
      }
      top = parts[0]
      files.append(ChartFile(path: String(parts[1]), contents: entry.contents))
    }
    return sorted(files)
  }

  /// The files under a chart directory, minus what `.helmignore` (and Helm's default rule)
  /// leaves out; an ignored directory is not entered.
  static func loadDirectory(_ root: String) throws(ChartError) -> [ChartFile] {
    let manager = FileManager.default
    var rules = IgnoreRules()
    let ignorePath = (root as NSString).appendingPathComponent(".helmignore")
    let inside = ChartBoundary(root: root)
    if manager.fileExists(atPath: ignorePath) { try inside.check(ignorePath) }
    if let data = manager.contents(atPath: ignorePath) {
      rules = try IgnoreRules(parsing: String(decoding: data, as: UTF8.self), file: ignorePath)
    }
    rules = rules.withDefaults()

    var files: [ChartFile] = []
    var pending = [""]
    // Linked directories inside the chart are followed, but each real directory only once, so
    // a link to a parent cannot loop.
    var visited: Set<String> = []
    while let relative = pending.popLast() {
      let absolute = relative.isEmpty ? root : (root as NSString).appendingPathComponent(relative)
      guard visited.insert(URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path).inserted else { continue }
      let names: [String]
      errno = 0
      do {
        names = try manager.contentsOfDirectory(atPath: absolute)
      } catch {
        throw ChartError.unreadable(path: absolute, reason: "cannot list the directory: \(ChartBoundary.errnoText())")
      }
      for name in names {
        let path = relative.isEmpty ? name : relative + "/" + name
        let full = (root as NSString).appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: full, isDirectory: &isDirectory) else { continue }  // a dangling link
        if rules.ignores(path, isDirectory: isDirectory.boolValue) { continue }
        try inside.check(full)
        if isDirectory.boolValue {
          pending.append(path)
        } else {
          errno = 0
          guard let data = manager.contents(atPath: full) else {
            throw ChartError.unreadable(path: full, reason: "cannot read the file: \(ChartBoundary.errnoText())")
          }
          files.append(ChartFile(path: path, contents: [UInt8](data)))
        }
      }
    }
    return sorted(files)
  }

  private static func sorted(_ files: [ChartFile]) -> [ChartFile] {
    files.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
  }
}
