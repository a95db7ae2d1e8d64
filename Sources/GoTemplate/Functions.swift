import FlowrelValue
import OrderedCollections

/// A function templates can call (`{{ upper .x }}`), a method of a `TemplateObject`, or a
/// function value for `call`. It gets its evaluated arguments and the running executor.
/// A class: each call holds the function, and one reference costs one retain where the body
/// and the type name would cost two.
package final class TemplateFunction: Sendable {
  /// The Swift body: reads `arguments`, may use `context` (include, tpl, options), returns the
  /// result or throws (`TemplateError.failure("...")`, or any error: its description is used).
  package typealias Body = @Sendable (_ arguments: TemplateArguments, _ context: TemplateContext) throws -> TemplateValue

  /// The body.
  package let body: Body
  /// The Go signature for `%T`, e.g. `func(string) string`.
  package let goTypeName: String

  /// A function with `body`; `goTypeName` only shows in `%T` output.
  package init(goTypeName: String = "func(...interface {}) (interface {}, error)", _ body: @escaping Body) {
    self.body = body
    self.goTypeName = goTypeName
  }
}

/// The evaluated arguments of one call, with checks that fail the way Go's reflection-based
/// calls do (`wrong number of args for NAME: want 2 got 1`, `wrong type for value; expected
/// string; got int`).
package struct TemplateArguments: Sendable, RandomAccessCollection {
  /// The name the template used to call the function (for messages).
  package let functionName: String
  /// The argument values, in order.
  package let values: [TemplateValue]

  /// Arguments `values` of a call to `functionName`.
  package init(functionName: String, values: [TemplateValue]) {
    self.functionName = functionName
    self.values = values
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { values.count }
  package subscript(position: Int) -> TemplateValue { values[position] }

  /// Fails unless there are exactly `count` arguments.
  package func expectCount(_ count: Int) throws(TemplateError) {
    if values.count != count {
      throw TemplateError(.argument, "wrong number of args for \(functionName): want \(count) got \(values.count)")
    }
  }

  /// Fails unless there are at least `count` arguments (a variadic Go function).
  package func expectCount(atLeast count: Int) throws(TemplateError) {
    if values.count < count {
      throw TemplateError(
        .argument, "wrong number of args for \(functionName): want at least \(count) got \(values.count)")
    }
  }

  /// Argument `index`, or Go's count error when the call has fewer arguments.
  package func argument(at index: Int) throws(TemplateError) -> TemplateValue {
    guard index >= 0 && index < values.count else {
      throw TemplateError(
        .argument, "wrong number of args for \(functionName): want at least \(index + 1) got \(values.count)")
    }
    return values[index]
  }

  /// Argument `index` as a Go `string` parameter receives it.
  package func string(at index: Int) throws(TemplateError) -> String {
    let value = try argument(at: index)
    if case .string(let s) = value { return s }
    throw Self.typeError(value, expected: "string")
  }

  /// Argument `index` as a Go `int` parameter receives it (only `int` values are assignable).
  package func int(at index: Int) throws(TemplateError) -> Int64 {
    let value = try argument(at: index)
    switch value {
    // A values file's whole number (a float64 in Helm, which refuses it here) is taken too.
    case .int(let i), .wholeFloat(let i): return i
    default: throw Self.typeError(value, expected: "int")
    }
  }

  /// Argument `index` as a Go `bool` parameter receives it.
  package func bool(at index: Int) throws(TemplateError) -> Bool {
    let value = try argument(at: index)
    if case .bool(let b) = value { return b }
    throw Self.typeError(value, expected: "bool")
  }

  /// Argument `index` as a Go `float64` parameter receives it (only `float64` values).
  package func float(at index: Int) throws(TemplateError) -> Double {
    let value = try argument(at: index)
    switch value {
    case .double(let d): return d
    case .wholeFloat(let i): return Double(i)
    default: throw Self.typeError(value, expected: "float64")
    }
  }

  /// Argument `index` as a Go `map[string]interface {}` parameter receives it: a map of
  /// interface values, or an object of a Go map type over one (Helm's `chartutil.Values`),
  /// which Go assigns too; a missing value arrives as Go's nil map (empty).
  package func map(at index: Int) throws(TemplateError) -> TemplateMap {
    let value = try argument(at: index)
    // Matched directly rather than through `collectionView`, which would copy the value.
    switch value {
    case .map(let map) where map.holdsInterfaces: return map
    case .object(let object):
      if let map = object.underlyingMap, map.holdsInterfaces { return map }
    case .missing: return TemplateMap([:] as OrderedDictionary<String, TemplateValue>)
    default: break
    }
    throw Self.typeError(value, expected: "map[string]interface {}")
  }

  /// Argument `index` as a Go `[]interface {}` parameter receives it (also an object of a Go
  /// slice type over one); a missing value arrives as Go's nil slice (empty).
  package func list(at index: Int) throws(TemplateError) -> TemplateList {
    let value = try argument(at: index)
    // Matched directly rather than through `collectionView`, which would copy the value.
    switch value {
    case .list(let list) where list.holdsInterfaces: return list
    case .object(let object):
      if object.underlyingMap == nil, let list = object.underlyingList, list.holdsInterfaces { return list }
    case .missing: return TemplateList([] as [TemplateValue])
    default: break
    }
    throw Self.typeError(value, expected: "[]interface {}")
  }

  /// The error Go reports when an argument cannot be passed as a parameter of type `expected`:
  /// `invalid value` for no value, `got interface {}` for a nil read from a map or list.
  package static func typeError(_ value: TemplateValue, expected: String) -> TemplateError {
    switch value {
    case .missing: TemplateError(.argument, "invalid value; expected \(expected)")
    case .null: TemplateError(.argument, "wrong type for value; expected \(expected); got interface {}")
    default: TemplateError(.argument, "wrong type for value; expected \(expected); got \(value.goTypeName)")
    }
  }
}

/// The functions a template set knows, by name. Go's builtins (`and`, `printf`, `index`, ...)
/// are always present; registered functions are added to them and may replace them.
package struct TemplateFunctions: Sendable {
  var table: [String: TemplateFunction] = [:]

  /// No functions beyond Go's builtins.
  package init() {}

  /// Adds (or replaces) `name`.
  package mutating func register(_ name: String, _ function: TemplateFunction) {
    table[name] = function
  }

  /// Adds (or replaces) `name` with `body`.
  package mutating func register(
    _ name: String, goTypeName: String = "func(...interface {}) (interface {}, error)",
    _ body: @escaping TemplateFunction.Body
  ) {
    table[name] = TemplateFunction(goTypeName: goTypeName, body)
  }

  /// The registered function called `name` (builtins are not listed here).
  package subscript(name: String) -> TemplateFunction? { table[name] }

  /// The registered names.
  package var names: [String] { Array(table.keys) }
}

/// How a template set executes: missing keys, Helm's `<no value>` rule, limits, and flags
/// that function libraries define (Helm's `allowNondeterministic`, `enableDNS`, ...).
package struct ExecutionOptions: Sendable {
  /// What a missing map key evaluates to (Go's `missingkey` option).
  package enum MissingKey: Sendable, Equatable {
    /// Go's default: the invalid value, printed as `<no value>`.
    case noValue
    /// Go's `missingkey=zero`: the map's zero value (a nil `interface {}`), so that a field
    /// of it fails with `nil pointer evaluating interface {}.x` (Helm's default).
    case zero
    /// Go's `missingkey=error`: `map has no entry for key "x"` (Helm's `--strict`).
    case error
  }

  /// What a missing map key evaluates to.
  package var missingKey: MissingKey
  /// Remove every `<no value>` from the output, as Helm does after rendering.
  package var removesNoValue: Bool
  /// The most steps (actions, loop iterations, calls) one execution may take.
  package var maxSteps: Int
  /// The deepest nesting of `template`, `include` and `tpl` calls, so that recursion ends with
  /// an error naming the call. Blocks do not count, as in Go; nesting that would still use up
  /// the execution's 256 MiB stack (blocks opened in each of many calls) ends with an error too.
  package var maxDepth: Int
  /// The most bytes one execution may write (each `include` and `tpl` result counted as it is
  /// built too), so that a loop cannot fill memory: Kubernetes objects are small, and 100 MiB
  /// of manifests is far more than any cluster takes in one release.
  package var maxOutputBytes: Int
  /// Bytes that earlier executions wrote and that count against `maxOutputBytes`: a caller
  /// whose limit covers several executions (all templates of a release) passes what the
  /// ones before wrote.
  package var outputBefore = 0
  /// What `maxOutputBytes` limits, as the message says it (`from one template`).
  package var outputLimitScope = "from one template"
  /// Options that function libraries read, by name (e.g. `"allowNondeterministic": true`).
  package var flags: [String: Value]
  /// Where functions with run-to-run results record what they drew, and find what an earlier
  /// render drew (`DrawRecorder`); nil: they run as the library defines them.
  package var draws: DrawRecorder?

  /// Options; the defaults are Go's.
  package init(
    missingKey: MissingKey = .noValue, removesNoValue: Bool = false, maxSteps: Int = 10_000_000,
    maxDepth: Int = 1000, maxOutputBytes: Int = defaultMaxOutputBytes, flags: [String: Value] = [:]
  ) {
    self.missingKey = missingKey
    self.removesNoValue = removesNoValue
    self.maxSteps = maxSteps
    self.maxDepth = maxDepth
    self.maxOutputBytes = maxOutputBytes
    self.flags = flags
  }

  /// The default `maxOutputBytes`: 100 MiB.
  package static let defaultMaxOutputBytes = 100 << 20

  /// How many more bytes this execution may write.
  var outputBudget: Int { maxOutputBytes - outputBefore }

  /// Helm's rendering: `missingkey=zero` and `<no value>` removed, or `missingkey=error` when strict.
  package static func helm(strict: Bool = false, flags: [String: Value] = [:]) -> ExecutionOptions {
    ExecutionOptions(missingKey: strict ? .error : .zero, removesNoValue: true, flags: flags)
  }

  /// Whether a missing key is an error (Helm's `--strict`).
  package var isStrict: Bool { missingKey == .error }

  /// Whether flag `name` is set to `true`.
  package func flag(_ name: String) -> Bool { flags[name] == .bool(true) }

  /// The cluster that Helm's `lookup` reads; nil: it finds nothing (`helm template`).
  package var lookup: (any ClusterLookup)?
}

/// The cluster Helm's `lookup` function reads during a render (install, upgrade, a server-side
/// dry run). A function library reads it from the execution's options.
package protocol ClusterLookup: Sendable {
  /// The object `name` of `kind` in `apiVersion`, in `namespace` for a namespaced kind (the
  /// namespace is ignored for a cluster-wide one); with an empty `name`, the list of them (in
  /// every namespace when `namespace` is empty). Nothing found is an empty map, not an error;
  /// any other failure throws, with a message a user can act on. Waits for the cluster's answer.
  func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value
}
