import GoTemplate

// Sprig's path functions (paths.md): Go's `path` package on slash-separated paths. The
// `os*` forms use the operating system's separator, which is `/` on the systems flowrel runs on.

extension Library {
  mutating func addPaths() {
    for prefix in ["", "os"] {
      let name = { (base: String) in prefix.isEmpty ? base : prefix + base.prefix(1).uppercased() + base.dropFirst() }
      add(name("base"), plain: { a in try a.expectCount(1); return .string(pathBase(try a.string(at: 0))) })
      add(name("dir"), plain: { a in try a.expectCount(1); return .string(pathDir(try a.string(at: 0))) })
      add(name("clean"), plain: { a in try a.expectCount(1); return .string(cleanPath(try a.string(at: 0))) })
      add(name("ext"), plain: { a in try a.expectCount(1); return .string(pathExt(try a.string(at: 0))) })
      add(name("isAbs"), plain: { a in try a.expectCount(1); return .bool(try a.string(at: 0).hasPrefix("/")) })
    }
  }
}

/// Go's `path.Clean`: `.` and `..` resolved, repeated and trailing slashes removed; `""` is `.`.
func cleanPath(_ path: String) -> String {
  if path.isEmpty { return "." }
  let rooted = path.hasPrefix("/")
  var parts: [Substring] = []
  for part in path.split(separator: "/", omittingEmptySubsequences: true) {
    switch part {
    case ".": continue
    case "..":
      if let last = parts.last, last != ".." { parts.removeLast() } else if !rooted { parts.append(part) }
    default: parts.append(part)
    }
  }
  let joined = parts.joined(separator: "/")
  if rooted { return "/" + joined }
  return joined.isEmpty ? "." : joined
}

/// Go's `path.Base`: the last element; `.` for `""`, `/` for only slashes.
private func pathBase(_ path: String) -> String {
  if path.isEmpty { return "." }
  var trimmed = Substring(path)
  while trimmed.count > 0, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
  if trimmed.isEmpty { return "/" }
  if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
  return String(trimmed)
}

/// Go's `path.Dir`: everything before the last element, cleaned.
private func pathDir(_ path: String) -> String {
  guard let slash = path.lastIndex(of: "/") else { return "." }
  return cleanPath(String(path[...slash]))
}

/// Go's `path.Ext`: from the last `.` of the last element, or `""`.
private func pathExt(_ path: String) -> String {
  for index in path.indices.reversed() {
    if path[index] == "/" { return "" }
    if path[index] == "." { return String(path[index...]) }
  }
  return ""
}
