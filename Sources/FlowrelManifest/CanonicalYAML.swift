import FlowrelValue
import FlowrelYAML
import OrderedCollections

extension Manifest {
  /// The keys that lead every object, in this order, so files read the way people write them.
  private static let leadingKeys = ["apiVersion", "kind", "metadata"]

  /// The object as block YAML in one fixed form: `apiVersion`, `kind` and `metadata` first,
  /// the other top-level keys after them in their order, nested keys in their order, in
  /// `YAML.emit`'s layout. The same content always gives the same bytes, so a re-render of
  /// unchanged inputs leaves a stored file untouched.
  package var canonicalYAML: String {
    if let emitted = canonicalYAMLIfWritten { return emitted }
    guard case .map(let entries) = content else { return YAML.emit(content) }
    var ordered = OrderedDictionary<String, Value>()
    for key in Self.leadingKeys { if let value = entries[key] { ordered[key] = value } }
    for (key, value) in entries where ordered[key] == nil { ordered[key] = value }
    return YAML.emit(.map(ordered))
  }
}
