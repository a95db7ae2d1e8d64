internal import CYAML

extension YAML {
  /// The version of the libyaml flowrel runs with (`0.2.5`), for `flowrel version`.
  public static var libraryVersion: String { String(cString: yaml_get_version_string()) }
}
