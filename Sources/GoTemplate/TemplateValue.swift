import FlowrelValue
import OrderedCollections

/// A value as the template engine sees it: plain data (wrapping `Value` without copying it),
/// Go's typed numbers, and objects with fields and methods (Helm's `.Files`, `.Capabilities`).
///
/// Lists and maps wrap either a `Value` payload (chart values, never deep-copied) or elements
/// built by functions (which may hold objects); `TemplateList` and `TemplateMap` hide which.
/// Maps are references, as Go's are: a change through one holder is seen by all.
package enum TemplateValue: Sendable {
  /// Go's invalid `reflect.Value`: a missing map key or an absent argument; prints `<no value>`.
  case missing
  /// Go's `nil` (a nil `interface {}`), e.g. a `null` in the values.
  case null
  /// A boolean (`bool`).
  case bool(Bool)
  /// A Go `int`, the type of template integer literals, `len` and decoded values.
  case int(Int64)
  /// A Go `int64` (Sprig's arithmetic returns these).
  case int64(Int64)
  /// A Go `uint64`.
  case uint(UInt64)
  /// A Go `float64`.
  case double(Double)
  /// A Go `string`.
  case string(String)
  /// A list (`[]interface {}` unless built with another element type name).
  case list(TemplateList)
  /// A map with string keys (`map[string]interface {}`).
  case map(TemplateMap)
  /// An object with fields and methods, reached with `.Name` like a Go struct.
  indirect case object(any TemplateObject)
  /// A function value, as `call` invokes it.
  case function(TemplateFunction)
}

extension TemplateValue {
  /// The template view of plain data; lists and maps are wrapped, not copied (each wrap is a
  /// new reference: wrap chart data once and pass the result around). Consuming: the payload
  /// moves over instead of being retained and the original released.
  package init(_ value: consuming FlowrelValue.Value) {
    switch value {
    case .null: self = .null
    case .bool(let b): self = .bool(b)
    case .int(let i): self = .int(i)
    case .double(let d): self = .double(d)
    case .string(let s): self = .string(s)
    case .list(let l): self = .list(TemplateList(l))
    case .map(let m): self = .map(TemplateMap(m))
    }
  }

  /// The value as plain data, or `nil` when it holds an object or a function somewhere, or
  /// maps and lists nested deeper than `maxNesting` (which only functions like Sprig's `set`
  /// can build). `missing` becomes `null`; `int64` and in-range `uint` become `.int`.
  /// Also `nil` when the conversion would build more than `maxPlainBytes` (see `plainValue(budget:)`).
  package var plainValue: FlowrelValue.Value? {
    var budget = Self.maxPlainBytes + 1
    return (try? plainValue(budget: &budget)) ?? nil
  }

  /// The deepest nesting of maps and lists that `plainValue` converts and `%v` prints, so that
  /// a chain built with `set` in a loop cannot exhaust the stack of whoever walks it.
  package static let maxNesting = 10_000

  /// The most one conversion to plain data builds, in bytes of the JSON it would be: lists
  /// whose elements share one list (`list $x $x`, doubled in a loop) are built out in full,
  /// so without a bound 25 doublings would build 2^25 leaves and exhaust memory. As much as
  /// `toJson` writes, so everything `toJson` can write converts.
  package static let maxPlainBytes = 100 << 20

  /// `plainValue`, taking what it builds from `budget` (bytes of JSON, counted by
  /// `leastJSONBytes`: a lower bound, strings unescaped and one byte per number) and failing
  /// with a limit error as soon as the budget is spent. Chart data that is already plain is
  /// shared, not built, and costs nothing. Start from `maxPlainBytes + 1` (the root has no comma).
  package func plainValue(budget: inout Int) throws(TemplateError) -> FlowrelValue.Value? {
    let value = plain(depth: 0, budget: &budget)
    guard budget >= 0 else { throw Self.tooLargeToConvert }
    return value
  }

  /// The error of a conversion that spent its budget.
  package static let tooLargeToConvert = TemplateError(
    .limit, "the value would be more than \(maxPlainBytes) bytes as JSON, the most flowrel converts")

  // `FlowrelValue.Value` spelled out here and above: inside TemplateValue a bare `Value` may
  // name ExpressibleByDictionaryLiteral's `Value` (TemplateValue itself) in a release build.
  /// The value as plain data at `depth`, taking what it builds from `budget` (nil once it is spent).
  func plain(depth: Int, budget: inout Int) -> FlowrelValue.Value? {
    budget -= Self.leastJSONBytes(self)
    guard budget >= 0 else { return nil }
    switch self {
    case .missing, .null: return .null
    case .bool(let b): return .bool(b)
    case .int(let i), .int64(let i): return .int(i)
    case .uint(let u): return u <= UInt64(Int64.max) ? .int(Int64(u)) : .double(Double(u))
    case .double(let d): return .double(d)
    case .string(let s): return .string(s)
    case .list(let l): return depth < Self.maxNesting ? l.plain(depth: depth + 1, budget: &budget) : nil
    case .map(let m): return depth < Self.maxNesting ? m.plain(depth: depth + 1, budget: &budget) : nil
    case .object, .function: return nil
    }
  }

  /// The fewest bytes JSON can write this value's own part in: the brackets of a collection,
  /// the text of a scalar with the comma after it. The last element of a collection has no
  /// comma, but an empty collection is written as two bytes too, so the sum over a value is
  /// at most one more than its JSON (the root's comma), which the budget allows for.
  package static func leastJSONBytes(_ value: TemplateValue) -> Int {
    switch value {
    case .missing, .null, .bool: 5
    case .string(let s): s.utf8.count + 3
    case .list, .map: 2
    case .int, .int64, .uint, .double, .object, .function: 2
    }
  }

  /// Go's truth (`if`, `with`, `and`, `not`): false for missing, nil, `false`, zero numbers
  /// and empty strings, lists and maps; true otherwise (objects and functions are non-nil).
  package var isTruthy: Bool {
    switch self {
    case .missing, .null: false
    case .bool(let b): b
    case .int(let i), .int64(let i): i != 0
    case .uint(let u): u != 0
    case .double(let d): d != 0
    case .string(let s): !s.isEmpty
    case .list(let l): !l.isEmpty
    case .map(let m): !m.isEmpty
    case .object(let o): o.underlyingMap.map { !$0.isEmpty } ?? o.underlyingList.map { !$0.isEmpty } ?? true
    case .function: true
    }
  }

  /// Whether this is `missing` or `null` (Go's "no value" and nil).
  package var isNil: Bool {
    switch self {
    case .missing, .null: true
    default: false
    }
  }

  /// Go's type name as `%T` prints it: `int`, `float64`, `[]interface {}`, `map[string]interface {}`,
  /// `<nil>` for nil and missing.
  package var goTypeName: String {
    switch self {
    case .missing, .null: "<nil>"
    case .bool: "bool"
    case .int: "int"
    case .int64: "int64"
    case .uint: "uint64"
    case .double: "float64"
    case .string: "string"
    case .list(let l): "[]" + l.elementTypeName
    case .map(let m): "map[string]" + m.elementTypeName
    case .object(let o): o.goTypeName
    case .function(let f): f.goTypeName
    }
  }

  /// Go's kind name (`reflect.Kind`), as Sprig's `kindOf` and comparison errors print it.
  package var goKindName: String {
    switch self {
    case .missing: "invalid"
    case .null: "interface"
    case .bool: "bool"
    case .int: "int"
    case .int64: "int64"
    case .uint: "uint64"
    case .double: "float64"
    case .string: "string"
    case .list: "slice"
    case .map: "map"
    case .object(let o): o.goKindName
    case .function: "func"
    }
  }

  /// The string, if this is a string.
  package var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
}

extension TemplateValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  package init(nilLiteral: ()) { self = .null }
  package init(booleanLiteral value: Bool) { self = .bool(value) }
  package init(integerLiteral value: Int64) { self = .int(value) }
  package init(floatLiteral value: Double) { self = .double(value) }
  package init(stringLiteral value: String) { self = .string(value) }
  package init(arrayLiteral elements: TemplateValue...) { self = .list(TemplateList(elements)) }
  package init(dictionaryLiteral elements: (String, TemplateValue)...) {
    self = .map(TemplateMap(OrderedDictionary(elements, uniquingKeysWith: { _, last in last })))
  }
}

/// An object templates reach with `.Name` (a field or a method), like a Go struct or a type
/// with methods: Helm's `.Files`, `.Capabilities`, `.Chart`.
package protocol TemplateObject: Sendable {
  /// Go's type name for `%T` and error messages, e.g. `*chartutil.Capabilities`.
  var goTypeName: String { get }
  /// Go's kind name (`struct`, `ptr`, `map`, `slice`, ...), for `kindOf`.
  var goKindName: String { get }
  /// The field or method called `name`, or `nil` when the object has none (an error:
  /// `can't evaluate field NAME in type TYPE`).
  func member(named name: String) -> TemplateMember?
  /// How `%v` and `{{ . }}` print the object.
  var formatted: String { get }
  /// For a Go map type with methods (Helm's `Files`, `Values`): its entries, which `.key`,
  /// `range`, `len`, `index` and truth use when no member has the name.
  var underlyingMap: TemplateMap? { get }
  /// For a Go slice type with methods (Helm's `VersionSet`): its elements, for `range`,
  /// `len`, `index`, `slice` and truth.
  var underlyingList: TemplateList? { get }
}

extension TemplateObject {
  /// Pointer-to-struct, the usual shape of Helm's objects.
  package var goKindName: String { "ptr" }
  /// Go prints a pointer to a struct as `&{...}`; objects override this where output matters.
  package var formatted: String { "&{}" }
  /// Not a map type.
  package var underlyingMap: TemplateMap? { nil }
  /// Not a slice type.
  package var underlyingList: TemplateList? { nil }
}

extension TemplateValue {
  /// The list or map an object stands for (its underlying Go map or slice), else the value.
  var collectionView: TemplateValue {
    guard case .object(let object) = self else { return self }
    if let map = object.underlyingMap { return .map(map) }
    if let list = object.underlyingList { return .list(list) }
    return self
  }
}

/// What an object answers for a name: a field's value, or a method that takes arguments.
package enum TemplateMember: Sendable {
  /// A field (or a niladic method whose value is already known).
  case field(TemplateValue)
  /// A method, called with the arguments that follow it in the command.
  case method(TemplateFunction)
}
