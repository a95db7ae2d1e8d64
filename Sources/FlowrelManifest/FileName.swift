import Foundation

extension ObjectIdentity {
  /// The file name of the object in a release folder or `--output-dir`:
  /// `<kind>-<name>[_<namespace>][@<group>].yaml`, kind lowercased, the namespace only when
  /// it is not the release's, the group only when it is not a built-in Kubernetes group.
  /// Each part escapes every byte outside `[a-z0-9.-]` as `%XX` (and `-` in the kind), so
  /// `_`, `@` and the first `-` only ever separate parts and two objects never share a file.
  /// Names never carry a number, so adding an object renames nothing.
  package func fileName(releaseNamespace: String) -> String {
    var file = Self.escape(kind.lowercased(), keepDash: false) + "-" + Self.escape(name, keepDash: true)
    if let namespace, namespace != releaseNamespace { file += "_" + Self.escape(namespace, keepDash: true) }
    let builtIn = group.isEmpty || ["apps", "batch", "policy", "autoscaling", "extensions"].contains(group)
      || group.hasSuffix(".k8s.io")
    if !builtIn { file += "@" + Self.escape(group, keepDash: true) }
    return file + ".yaml"
  }

  private static func escape(_ part: String, keepDash: Bool) -> String {
    var out = ""
    for byte in part.utf8 {
      let keep = (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 46 || (keepDash && byte == 45)
      out += keep ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
    }
    return out
  }
}
