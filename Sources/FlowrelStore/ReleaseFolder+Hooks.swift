import FlowrelAge
import FlowrelManifest

/// The chart's hooks in a release folder: `hooks/<file>`, one object per file, named as the
/// manifests are, the file starting with a `# Source: <template>` comment (so `get hooks` shows
/// where each came from; a Secret with data is a SOPS file and has none). They are kept apart
/// from `manifests/` so that nothing treats them as the release's objects: prune, uninstall and
/// the object diff read `manifests/` only.
extension ReleaseFolder {
  static let hooksFolder = "hooks/"
  private static let sourcePrefix = "# Source: "

  /// The hooks in install order of their objects.
  static func sortedHooks(_ hooks: [Hook]) -> [Hook] {
    KindOrder.sortedForInstall(hooks, identity: \.manifest.identity)
  }

  /// Each hook's file, by its object; a hook defined twice is refused.
  static func hookFileNames(_ hooks: [Hook], releaseNamespace: String) throws(StoreError) -> [ObjectIdentity: String] {
    var files: [ObjectIdentity: String] = [:]
    for hook in hooks {
      let identity = hook.manifest.identity
      guard files[identity] == nil else { throw .duplicateObject(identity.description) }
      files[identity] = hooksFolder + identity.fileName(releaseNamespace: releaseNamespace)
    }
    return files
  }

  /// A hook's file: the source comment, then the object as the render emitted it.
  static func hookFileBytes(_ hook: Hook) -> [UInt8] {
    Array((sourcePrefix + hook.template + "\n" + hook.manifest.canonicalYAML).utf8)
  }

  /// The hooks stored in `files`, Secret data decrypted as the manifests' is; a file whose
  /// object is no hook (its `helm.sh/hook` annotation gone or unknown) is damaged.
  static func decodeHooks(_ files: [String: [UInt8]], folder: String, keyring: AgeKeyring, legacyKey: SecretKey?) throws(StoreError)
    -> [Hook]
  {
    var hooks: [Hook] = []
    for (file, bytes) in files.sorted(by: { $0.key < $1.key }) where file.hasPrefix(hooksFolder) {
      let path = "\(folder)/\(file)"
      let object = try manifest(bytes, file: path, keyring: keyring, legacyKey: legacyKey)
      var template = ""
      if let line = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1).first {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix(sourcePrefix) { template = String(text.dropFirst(sourcePrefix.count)) }
      }
      let role: Hook.Role
      do { role = try Hook.role(of: object, template: template) } catch { throw .damaged(file: path, problem: error.description) }
      guard case .hook(let hook) = role else {
        throw .damaged(file: path, problem: "a hook's file holds an object without a known \(Hook.eventsAnnotation) annotation")
      }
      hooks.append(hook)
    }
    return sortedHooks(hooks)
  }
}
