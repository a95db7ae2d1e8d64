import GoTemplate

// Functions flowrel knows but does not provide: reading TOML. They exist so that a chart using
// one gets one clear error instead of a parse error about an unknown function.

extension Library {
  mutating func addUnsupported() {
    let unsupported: [(names: [String], what: String, instead: String)] = [
      (["fromToml"], "reads TOML", "use fromYaml or fromJson")
    ]
    for (names, what, instead) in unsupported {
      for name in names {
        add(name, plain: { _ in throw failure("flowrel does not support \(name) (it \(what)): \(instead)") })
      }
    }
  }
}
