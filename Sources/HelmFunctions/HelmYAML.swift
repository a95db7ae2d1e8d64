import FlowrelValue
import GoYAMLWriter

/// Helm's YAML writers, byte for byte (go-yaml's emitter lives in GoYAMLWriter).
package enum HelmYAML {
  /// Helm's `toYaml`: sigs.k8s.io/yaml's `Marshal` (JSON, then go-yaml v2), ending with a
  /// newline. Fails where Go fails: NaN and infinities (JSON has no form for them), text
  /// that go-yaml refuses to read back (control characters), nesting too deep.
  package static func marshal(_ value: Value) throws(HelmFunctionsError) -> String {
    try text(value, GoYAMLOptions(dialect: .v2))
  }

  /// Helm's `toYamlPretty`: go-yaml v3's encoder with `SetIndent(2)`, ending with a newline.
  package static func pretty(_ value: Value) throws(HelmFunctionsError) -> String {
    try text(value, GoYAMLOptions(dialect: .v3, indent: 2))
  }

  private static func text(_ value: Value, _ options: GoYAMLOptions) throws(HelmFunctionsError) -> String {
    do { return try GoYAML.text(value, options) } catch {
      var failure = HelmFunctionsError(error.message)
      failure.isLimit = error.isLimit
      throw failure
    }
  }

  /// The deepest nesting either writer accepts, so that a hostile value cannot exhaust the stack.
  package static let maximumDepth = GoYAML.maximumDepth
}
