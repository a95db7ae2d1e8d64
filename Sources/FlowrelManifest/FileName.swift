import Foundation

extension ObjectIdentity {
  /// The file name of the object in a release folder or `--output-dir`:
  /// `<kind>-<name>[_<namespace>][@<group>].yaml`, kind lowercased, the namespace only when
  /// it is not the release's, the group only when it is not a built-in Kubernetes group.
  /// Each part escapes every byte outside `[a-z0-9.-]` as `%XX` (and `-` in the kind), so
  /// `_`, `@` and the first `-` only ever separate parts and two objects never share a file.
  /// Names never carry a number, so adding an object renames nothing. A name too long for a
  /// file system is shortened deterministically (`fitting`).
  package func fileName(releaseNamespace: String) -> String {
    var file = Self.escape(kind.lowercased(), keepDash: false) + "-" + Self.escape(name, keepDash: true)
    if let namespace, namespace != releaseNamespace { file += "_" + Self.escape(namespace, keepDash: true) }
    let builtIn = group.isEmpty || ["apps", "batch", "policy", "autoscaling", "extensions"].contains(group)
      || group.hasSuffix(".k8s.io")
    if !builtIn { file += "@" + Self.escape(group, keepDash: true) }
    return Self.fitting(file) + ".yaml"
  }

  /// The longest file name (without `.yaml`) written as it is. File systems allow 255 bytes;
  /// a Kubernetes name may have 253 characters, more once escaped and joined with its kind.
  static let maximumFileNameStem = 200

  /// `stem`, or, when it is longer than `maximumFileNameStem`, its first 183 bytes, `~` and 16
  /// hex digits of its FNV-1a hash: deterministic, so the same object always has the same
  /// file, and distinct for distinct names in practice.
  static func fitting(_ stem: String) -> String {
    guard stem.utf8.count > maximumFileNameStem else { return stem }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in stem.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    let digits = String(hash, radix: 16)
    // The stem is ASCII (every other byte is escaped), so cutting by bytes cuts no character.
    return String(decoding: stem.utf8.prefix(maximumFileNameStem - 17), as: UTF8.self) + "~"
      + String(repeating: "0", count: 16 - digits.count) + digits
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

extension Sequence<ObjectIdentity> {
  /// The first two of these objects that would be written to the same file
  /// (`fileName(releaseNamespace:)`), and that file: distinct objects can share one, because a
  /// file name lowercases the kind and leaves out built-in groups (`Foo` and `foo`; an `Ingress`
  /// of `extensions` and one of `networking.k8s.io`). `nil` when every object has its own.
  package func sharingAFile(releaseNamespace: String) -> (first: ObjectIdentity, second: ObjectIdentity, file: String)? {
    var owners: [String: ObjectIdentity] = [:]
    for identity in self {
      let file = identity.fileName(releaseNamespace: releaseNamespace)
      if let owner = owners.updateValue(identity, forKey: file), owner != identity { return (owner, identity, file) }
    }
    return nil
  }
}

extension ObjectIdentity {
  /// Why `first` and `second` cannot be written side by side as `file`, for messages.
  package static func sharedFileProblem(_ first: ObjectIdentity, _ second: ObjectIdentity, file: String) -> String {
    "\(first) and \(second) would both be written to \(file) (file names do not tell kinds apart by case, "
      + "nor the built-in API groups); rename one of them"
  }
}
