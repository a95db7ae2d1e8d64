import Foundation

/// What a chart folder may hand to the loader: only regular files and folders that are inside
/// the chart once symbolic links are resolved. Helm follows a link out of the chart with a
/// warning; flowrel refuses it, so that rendering a chart never reads `/etc/passwd` or a
/// user's keys, and refuses FIFOs and devices, whose reading could block or never end.
struct ChartBoundary {
  /// The chart folder with its own links resolved.
  let root: String

  init(root: String) {
    self.root = Self.resolved(root)
  }

  /// Fails unless `path` (a directory entry of the chart) is a regular file or folder inside the chart.
  func check(_ path: String) throws(ChartError) {
    var link = stat()
    errno = 0
    guard lstat(path, &link) == 0 else { throw ChartError.unreadable(path: path, reason: Self.errnoText()) }
    if link.st_mode & S_IFMT == S_IFLNK {
      let target = Self.resolved(path)
      guard target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
        throw ChartError.unreadable(
          path: path,
          reason: "a symbolic link to \(target), outside the chart; flowrel reads nothing outside a chart's folder "
            + "(copy the file into the chart)")
      }
    }
    var file = stat()
    guard stat(path, &file) == 0 else { throw ChartError.unreadable(path: path, reason: Self.errnoText()) }
    switch file.st_mode & S_IFMT {
    case S_IFREG, S_IFDIR: return
    case S_IFIFO: throw ChartError.unreadable(path: path, reason: "a FIFO (named pipe), not a regular file; a chart holds only files and folders")
    case S_IFCHR, S_IFBLK: throw ChartError.unreadable(path: path, reason: "a device, not a regular file; a chart holds only files and folders")
    case S_IFSOCK: throw ChartError.unreadable(path: path, reason: "a socket, not a regular file; a chart holds only files and folders")
    default: throw ChartError.unreadable(path: path, reason: "not a regular file; a chart holds only files and folders")
    }
  }

  /// The absolute path with every symbolic link resolved (the path itself when that fails).
  static func resolved(_ path: String) -> String {
    guard let real = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
    defer { free(real) }
    return String(cString: real)
  }

  /// The text of the last system error (`errno`), e.g. "Permission denied"; callers clear
  /// `errno` first, so that a failure that set none says so instead of repeating an old error.
  static func errnoText() -> String { errno == 0 ? "no reason given by the system" : String(cString: strerror(errno)) }
}
