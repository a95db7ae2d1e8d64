import OrderedCollections

/// A piece of data as YAML, JSON, chart values and templates see it.
///
/// Integers stay integers (`Int64`) and are never widened to doubles, so a value of
/// `1000000` prints as `1000000`, not `1e+06` as it would in Helm.
package enum Value: Sendable, Hashable {
  /// YAML's `null`/`~`/empty, JSON's `null`, Go's `nil`.
  case null
  /// A boolean.
  case bool(Bool)
  /// A whole number.
  case int(Int64)
  /// A whole number that Helm holds as a Go `int64` where it would hold a document's number as
  /// a `float64`: an integer given with `--set`. It equals, hashes and prints as the same `.int`;
  /// only templates tell them apart (`kindOf` says `int64`, as Helm's does).
  case int64(Int64)
  /// A floating-point number (including `.inf` and `.nan`).
  case double(Double)
  /// A string.
  case string(String)
  /// An ordered sequence.
  case list([Value])
  /// A map from string keys to values that keeps insertion order.
  case map(OrderedDictionary<String, Value>)
}

extension Value {
  /// Structural equality, except that every NaN equals every other NaN, so that a value
  /// read back from its own YAML or JSON compares equal to the original.
  package static func == (lhs: Value, rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.int(let a), .int(let b)), (.int(let a), .int64(let b)), (.int64(let a), .int(let b)),
      (.int64(let a), .int64(let b)):
      a == b
    case (.double(let a), .double(let b)): a == b || (a.isNaN && b.isNaN)
    case (.string(let a), .string(let b)): a == b
    case (.list(let a), .list(let b)): a == b
    case (.map(let a), .map(let b)): a == b
    default: false
    }
  }

  package func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b): hasher.combine(1); hasher.combine(b)
    case .int(let i), .int64(let i): hasher.combine(2); hasher.combine(i)
    case .double(let d): hasher.combine(3); hasher.combine(d.isNaN ? Double.nan.bitPattern : d.bitPattern)
    case .string(let s): hasher.combine(4); hasher.combine(s)
    case .list(let l): hasher.combine(5); hasher.combine(l)
    case .map(let m): hasher.combine(6); hasher.combine(m)
    }
  }
}

extension Value {
  /// An empty map.
  package static let emptyMap = Value.map([:])

  /// Go template truthiness: `false`, `0`, `0.0`, `nil`, and empty strings, lists and maps
  /// are false; everything else is true.
  package var isTruthy: Bool {
    switch self {
    case .null: false
    case .bool(let b): b
    case .int(let i), .int64(let i): i != 0
    case .double(let d): d != 0
    case .string(let s): !s.isEmpty
    case .list(let l): !l.isEmpty
    case .map(let m): !m.isEmpty
    }
  }

  /// The name of this value's kind, as used in error messages ("map", "list", "string", ...).
  package var kindName: String {
    switch self {
    case .null: "null"
    case .bool: "bool"
    case .int, .int64: "int"
    case .double: "float"
    case .string: "string"
    case .list: "list"
    case .map: "map"
    }
  }

  /// The string, if this is a string.
  package var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The integer, if this is an integer.
  package var intValue: Int64? {
    switch self {
    case .int(let i), .int64(let i): i
    default: nil
    }
  }

  /// The boolean, if this is a boolean.
  package var boolValue: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The number as a double, if this is an integer or a double.
  package var doubleValue: Double? {
    switch self {
    case .int(let i), .int64(let i): Double(i)
    case .double(let d): d
    default: nil
    }
  }

  /// This value with every integer in it an `.int64`: how templates see whole numbers that Go
  /// decodes as integers (Kubernetes' JSON reader in `lookup`; Python's, for a chart whose
  /// values are typed as PyYAML or Jina read them) rather than as a values file's float64s.
  package var integersAsInt64: Value {
    switch self {
    case .int(let i): .int64(i)
    case .list(let l): .list(l.map(\.integersAsInt64))
    case .map(let m): .map(m.mapValues(\.integersAsInt64))
    default: self
    }
  }

  /// The elements, if this is a list.
  package var listValue: [Value]? {
    if case .list(let l) = self { return l }
    return nil
  }

  /// The entries, if this is a map.
  package var mapValue: OrderedDictionary<String, Value>? {
    if case .map(let m) = self { return m }
    return nil
  }

  /// Whether this is `null`.
  package var isNull: Bool {
    if case .null = self { return true }
    return false
  }

  /// The entry for `key` if this is a map that has it; `nil` otherwise.
  package subscript(key: String) -> Value? {
    guard case .map(let m) = self else { return nil }
    return m[key]
  }

  /// The element at `index` if this is a list that long; `nil` otherwise.
  package subscript(index: Int) -> Value? {
    guard case .list(let l) = self, l.indices.contains(index) else { return nil }
    return l[index]
  }

  /// The value at `path`, or `nil` where a step finds no map key or list element.
  package func value(at path: ValuePath) -> Value? {
    var current = self
    for component in path.components {
      switch component {
      case .key(let key):
        guard let next = current[key] else { return nil }
        current = next
      case .index(let index):
        guard let next = current[index] else { return nil }
        current = next
      }
    }
    return current
  }
}

extension Value: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  package init(nilLiteral: ()) { self = .null }
  package init(booleanLiteral value: Bool) { self = .bool(value) }
  package init(integerLiteral value: Int64) { self = .int(value) }
  package init(floatLiteral value: Double) { self = .double(value) }
  package init(stringLiteral value: String) { self = .string(value) }
  package init(arrayLiteral elements: Value...) { self = .list(elements) }
  package init(dictionaryLiteral elements: (String, Value)...) {
    self = .map(OrderedDictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}
