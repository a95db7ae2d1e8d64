import Foundation

/// Checks made before anything is written, so that a failed command leaves the store as it
/// was: a store folder whose name no file system takes, or a revision whose file names could
/// not be checked out, is refused with a message before a tree is built or a branch moved
/// (once recorded, such a revision would make every later write of the release fail).
enum StorePaths {
  /// The longest name of one file or folder file systems allow (Linux's `NAME_MAX`), in bytes.
  static let maximumNameBytes = 255
  /// The longest path the system takes (Linux's `PATH_MAX`, less the terminating NUL), in bytes.
  static let maximumPathBytes = 4095

  /// Fails unless every part of the store folder's path fits a file system.
  static func checkFolder(_ path: String) throws(StoreError) {
    guard !path.utf8.contains(0) else { throw .unwritable(path: path, reason: "a store folder cannot contain a NUL character") }
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    guard absolute.utf8.count <= maximumPathBytes - 64 else {
      throw .unwritable(
        path: path,
        reason: "the path is \(absolute.utf8.count) bytes long; the system takes at most \(maximumPathBytes), "
          + "with room for the release folders and files in it (choose a shorter --store)")
    }
    for part in absolute.split(separator: "/") where part.utf8.count > maximumNameBytes {
      throw .unwritable(
        path: path,
        reason: "the folder name \(describe(part)) is \(part.utf8.count) bytes long; "
          + "file systems allow at most \(maximumNameBytes) (choose a shorter --store)")
    }
  }

  /// Fails unless every file of a revision (`files`, relative to `folder`, the release folder
  /// inside the repository's work tree `workingDirectory`) can be a git tree entry and be
  /// checked out: no empty, `.`, `..` or `.git` parts, no NUL, parts and whole paths that fit.
  static func checkFiles(_ files: some Sequence<String>, in folder: String, workingDirectory: String?) throws(StoreError) {
    let prefix = (workingDirectory.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? "") + folder + "/"
    for file in files {
      let location = folder + "/" + file
      guard !file.utf8.contains(0) else { throw .unwritable(path: location, reason: "a stored file name cannot contain a NUL character") }
      for part in file.split(separator: "/", omittingEmptySubsequences: false) {
        if part.isEmpty || part == "." || part == ".." || part.lowercased() == ".git" {
          throw .unwritable(path: location, reason: "\(describe(part)) cannot be part of a stored file's path")
        }
        if part.utf8.count > maximumNameBytes {
          throw .unwritable(path: location, reason: "a name of \(part.utf8.count) bytes; file systems allow at most \(maximumNameBytes)")
        }
      }
      let full = prefix.utf8.count + file.utf8.count
      guard full <= maximumPathBytes else {
        throw .unwritable(
          path: location, reason: "its path in the work tree would be \(full) bytes long; the system takes at most \(maximumPathBytes)")
      }
    }
  }

  /// A name for messages: quoted, and cut to its first 40 characters when longer.
  private static func describe(_ part: Substring) -> String {
    part.count > 40 ? "\"\(part.prefix(40))...\"" : "\"\(part)\""
  }
}
