import FlowrelValue
import FlowrelYAML
import OrderedCollections

/// One `-f` values file, already parsed, with its text kept so that a value can be traced back
/// to its line and column.
package struct ValuesFile: Sendable, Equatable {
  /// How the file is named in messages (its path, `<stdin>` for `-`).
  package var name: String
  /// The parsed document: a map, or `null` for an empty file.
  package var value: Value
  /// The file's bytes (empty for values made in code).
  var bytes: [UInt8]
  /// How the file's plain scalars were typed.
  var scalars: YAMLScalarRules = .helm

  /// The file read again with another chart's typing rules (`nil` when it was made in code or
  /// is typed so already).
  func retyped(as rules: YAMLScalarRules) throws(ChartError) -> ValuesFile? {
    guard rules != scalars, !bytes.isEmpty else { return nil }
    return try ValuesFile.read(name: name, bytes: bytes, scalars: rules)
  }

  /// A parsed values file.
  package init(name: String, value: Value) {
    self.name = name
    self.value = value
    self.bytes = []
  }

  /// Where the node at `path` starts (with `key`, where its map key starts), and its text
  /// when it is a plain scalar on one line. Parsed again with positions only when asked: a
  /// first read without them is faster.
  func locate(_ path: ValuePath, key: Bool = false) -> (position: YAMLPosition, text: String?)? {
    guard !bytes.isEmpty, let document = try? YAML.parseDocument(bytes, file: name, scalars: scalars),
      let position = key ? document.keyPosition(of: path) ?? document.position(of: path) : document.position(of: path)
    else { return nil }
    guard case .some(let node) = value.value(at: path), node.mapValue == nil, node.listValue == nil else { return (position, nil) }
    return (position, Self.plainText(in: bytes, at: position))
  }

  /// The rest of the line from `position` without a trailing comment, when it does not start a
  /// quoted or block scalar.
  static func plainText(in bytes: [UInt8], at position: YAMLPosition) -> String? {
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    guard position.line >= 1, position.line <= lines.count else { return nil }
    let line = String(decoding: lines[position.line - 1], as: UTF8.self).unicodeScalars
    guard position.column >= 1, position.column <= line.count else { return nil }
    var text = String(String.UnicodeScalarView(line.dropFirst(position.column - 1)))
    if let comment = text.range(of: " #") { text = String(text[..<comment.lowerBound]) }
    text = String(text.reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    guard let first = text.first, !"'\"|>&*!".contains(first) else { return nil }
    return text
  }
}

/// A chart's values as templates see them: the user-supplied values coalesced over the
/// chart's defaults, with Helm's rules.
package struct MergedValues: Sendable, Equatable {
  /// What the user supplied (files and flags merged), before the chart's defaults.
  package var user: Value
  /// The values templates see (`.Values`).
  package var values: Value
  /// Conflicts Helm warns about and resolves in favour of the user (a map against a non-map).
  package var warnings: [String]

  /// Coalesces `user` over `defaults` (the chart's `values.yaml`) as Helm 3's
  /// `CoalesceValues` does:
  /// - a key only in the defaults is copied, a key only in the user's values is kept
  ///   (even when it is `null`);
  /// - a user `null` deletes the key, the default included;
  /// - two maps merge recursively; otherwise the user's value wins, and a map against a
  ///   non-`null` non-map is a warning.
  /// Keys keep the defaults' order, then the user's new keys in their order.
  /// Either side may be `null` (no values); anything else that is not a map is an error.
  package init(defaults: Value, user: Value) throws(ChartError) {
    let defaultMap = try Self.map(defaults, source: "values.yaml")
    let userMap = try Self.map(user, source: "user-supplied values")
    var warnings: [String] = []
    self.user = user
    self.values = .map(Self.coalesce(userMap, over: defaultMap, at: .root, warnings: &warnings))
    self.warnings = warnings
  }

  static func map(_ value: Value, source: String) throws(ChartError) -> OrderedDictionary<String, Value> {
    switch value {
    case .null: return [:]
    case .map(let map): return map
    default: throw ChartError.valuesNotAMap(source: source, found: value.kindName)
    }
  }

  static func coalesce(
    _ user: OrderedDictionary<String, Value>, over defaults: OrderedDictionary<String, Value>,
    at path: ValuePath, warnings: inout [String]
  ) -> OrderedDictionary<String, Value> {
    var out: OrderedDictionary<String, Value> = [:]
    for (key, fallback) in defaults {
      guard let given = user[key] else {
        out[key] = fallback
        continue
      }
      let keyPath = path.appending(key: key)
      switch (given, fallback) {
      case (.null, _):
        continue
      case (.map(let givenMap), .map(let fallbackMap)):
        out[key] = .map(coalesce(givenMap, over: fallbackMap, at: keyPath, warnings: &warnings))
      case (.map, .null):
        out[key] = given
      case (.map, _), (_, .map):
        let kinds = "the chart's default is \(ChartError.describe(fallback)) and the given value \(ChartError.describe(given))"
        warnings.append("\(keyPath): \(kinds); the given value replaces the default")
        out[key] = given
      default:
        out[key] = given
      }
    }
    for (key, given) in user where defaults[key] == nil {
      out[key] = given
    }
    return out
  }
}
