import Foundation
import FlowrelValue
import GoRegex
import OrderedCollections

/// Applies a draft-07 schema to a value, collecting violations and secret markings.
/// One evaluator serves one query: it caches compiled patterns and tracks the `$ref`s in use.
struct SchemaEvaluator {
  let root: Value
  let file: String
  private var patterns: [String: GoRegex] = [:]
  /// The `$ref` targets being evaluated, with the value path each was entered at.
  private var references: [(pointer: String, path: ValuePath)] = []
  /// Resolved `$ref`s, so each reference is looked up once per evaluation, not once per value.
  private var resolved: [String: (schema: Value, pointer: String)] = [:]
  private var depth = 0

  /// The deepest nesting of schema applications; deeper input is refused instead of
  /// exhausting the stack.
  static let maximumDepth = 256

  init(root: Value, file: String) {
    self.root = root
    self.file = file
  }

  /// What applying a schema found: violations, and the paths its schemas mark secret.
  struct Outcome {
    var violations: [SchemaViolation] = []
    var secrets: [ValuePath] = []

    var isValid: Bool { violations.isEmpty }

    mutating func add(_ path: ValuePath, _ message: String, isAboutKey: Bool = false) {
      violations.append(SchemaViolation(path: path, message: message, isAboutKey: isAboutKey))
    }

    /// Whether the value at `path` itself has a type this outcome's schema does not allow.
    func hasWrongType(at path: ValuePath) -> Bool {
      violations.contains { $0.path == path && $0.expectedTypes != nil }
    }

    mutating func absorb(_ other: Outcome) {
      violations += other.violations
      secrets += other.secrets
    }
  }

  typealias Keywords = OrderedDictionary<String, Value>

  func invalid(_ message: String) -> ChartError { .invalidSchema(file: file, message: message) }

  mutating func evaluate(
    _ value: Value, at path: ValuePath, schema: Value, pointer: String
  ) throws(ChartError) -> Outcome {
    let keywords: Keywords
    switch schema {
    case .bool(true):
      return Outcome()
    case .bool(false):
      var outcome = Outcome()
      outcome.add(path, "no value is allowed here (the schema at \(pointer) is false)")
      return outcome
    case .map(let map):
      keywords = map
    default:
      throw invalid("\(pointer) must be a schema (an object or a boolean), found \(schema.kindName)")
    }
    guard depth < Self.maximumDepth else {
      throw invalid("schemas nest deeper than \(Self.maximumDepth) levels at \(pointer)")
    }
    depth += 1
    defer { depth -= 1 }
    if let reference = keywords["$ref"] { return try follow(reference, value, at: path, from: pointer) }

    var outcome = Outcome()
    if let secret = keywords["x-flowrel-secret"] {
      guard case .bool(let isSecret) = secret else { throw invalid("\(pointer)/x-flowrel-secret must be a boolean") }
      if isSecret { outcome.secrets.append(path) }
    }
    try checkTypeAndValue(value, at: path, keywords, pointer, into: &outcome)
    switch value {
    case .int, .int64, .double: try checkNumber(value, at: path, keywords, pointer, into: &outcome)
    case .string(let text): try checkString(text, at: path, keywords, pointer, into: &outcome)
    case .list(let list): try checkList(list, at: path, keywords, pointer, into: &outcome)
    case .map(let map): try checkMap(map, at: path, keywords, pointer, into: &outcome)
    case .null, .bool: break
    }
    try checkCombinators(value, at: path, keywords, pointer, into: &outcome)
    return outcome
  }

  // MARK: - $ref

  private mutating func follow(
    _ reference: Value, _ value: Value, at path: ValuePath, from pointer: String
  ) throws(ChartError) -> Outcome {
    guard case .string(let ref) = reference else { throw invalid("\(pointer)/$ref must be a string") }
    let (target, targetPointer): (Value, String)
    if let known = resolved[ref] {
      (target, targetPointer) = known
    } else {
      (target, targetPointer) = try resolve(ref, from: pointer)
      resolved[ref] = (target, targetPointer)
    }
    // Entering the same target again for the same value means no keyword in between ever
    // moved on to a part of the value: the references go round in a circle.
    if let start = references.firstIndex(where: { $0.pointer == targetPointer && $0.path == path }) {
      let circle = references[start...].map(\.pointer) + [targetPointer]
      throw invalid("$ref cycle \(circle.joined(separator: " -> ")) (reached for the value at \(path))")
    }
    references.append((targetPointer, path))
    defer { references.removeLast() }
    return try evaluate(value, at: path, schema: target, pointer: targetPointer)
  }

  /// The schema a local reference points to, and its canonical pointer.
  private func resolve(_ ref: String, from pointer: String) throws(ChartError) -> (Value, String) {
    let shown = ChartError.quote(ref)
    guard ref.hasPrefix("#") else {
      throw invalid("$ref \(shown) at \(pointer): only references inside the schema (starting with #) are supported")
    }
    guard let fragment = String(ref.dropFirst()).removingPercentEncoding else {
      throw invalid("$ref \(shown) at \(pointer) has a malformed percent escape")
    }
    if fragment.isEmpty { return (root, "#") }
    guard fragment.hasPrefix("/") else {
      throw invalid("$ref \(shown) at \(pointer): only JSON pointers (#/...) are supported, not anchors")
    }
    var current = root
    var canonical = "#"
    for raw in fragment.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
      let token = String(raw).replacing("~1", with: "/").replacing("~0", with: "~")
      var next: Value?
      switch current {
      case .map(let map):
        next = map[token]
      case .list(let list):
        let isDigits = !token.isEmpty && token.utf8.allSatisfy { (48...57).contains($0) }
        let isIndex = isDigits && (token == "0" || !token.hasPrefix("0"))
        if isIndex, let index = Int(token), list.indices.contains(index) { next = list[index] }
      default:
        next = nil
      }
      guard let next else {
        throw invalid("$ref \(shown) at \(pointer) does not resolve: \(canonical) has no \(ChartError.quote(token))")
      }
      current = next
      canonical += "/" + Self.escape(token)
    }
    return (current, canonical)
  }

  /// A JSON-pointer token for `key`.
  static func escape(_ key: String) -> String {
    // Most keys have neither character: they are returned without a search-and-replace pass.
    guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
    return key.replacing("~", with: "~0").replacing("/", with: "~1")
  }

  // MARK: - Any value

  static let typeNames: Set<String> = ["null", "boolean", "object", "array", "number", "string", "integer"]

  private func checkTypeAndValue(
    _ value: Value, at path: ValuePath, _ keywords: Keywords, _ pointer: String, into outcome: inout Outcome
  ) throws(ChartError) {
    if let type = keywords["type"] {
      var names: [String] = []
      switch type {
      case .string(let name): names = [name]
      case .list(let list):
        for item in list {
          guard case .string(let name) = item else {
            throw invalid("\(pointer)/type must be a type name or a list of them")
          }
          names.append(name)
        }
      default: throw invalid("\(pointer)/type must be a type name or a list of them")
      }
      for name in names where !Self.typeNames.contains(name) {
        throw invalid("\(pointer)/type: unknown type \(ChartError.quote(name))")
      }
      if !names.contains(where: { Self.value(value, hasType: $0) }) {
        var violation = SchemaViolation(path: path, message: Self.typeMessage(expected: names, found: value))
        violation.expectedTypes = names
        outcome.violations.append(violation)
      }
    }
    if let options = keywords["enum"] {
      guard case .list(let list) = options else { throw invalid("\(pointer)/enum must be a list") }
      if !list.contains(where: { Self.jsonEqual($0, value) }) {
        outcome.add(path, Self.oneOfMessage(list, found: value))
      }
    }
    if let constant = keywords["const"], !Self.jsonEqual(constant, value) {
      outcome.add(path, "expected \(Self.display(constant)), found \(Self.display(value))")
    }
  }

  static func value(_ value: Value, hasType name: String) -> Bool {
    switch (name, value) {
    case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .list), ("object", .map): true
    case ("number", .int), ("number", .int64), ("number", .double), ("integer", .int), ("integer", .int64): true
    case ("integer", .double(let d)): d.isFinite && d.rounded() == d
    default: false
    }
  }

  /// `expected integer, found string`.
  static func typeMessage(expected names: [String], found value: Value) -> String {
    "expected \(names.joined(separator: " or ")), found \(typeName(of: value))"
  }

  /// `expected one of grpc, http, websocket, found "smtp"`, with the nearest option when one
  /// is close (`"always"` gets `did you mean "Always"?`).
  static func oneOfMessage(_ options: [Value], found value: Value, anyCase: Bool = false) -> String {
    // Plain words read best bare; once any option is not one, every option is JSON, so that
    // the string "1" and the number 1 stay apart.
    let words = options.allSatisfy(isPlainWord)
    let shown = options.map { words ? $0.stringValue ?? "" : display($0) }.joined(separator: ", ")
    var message = "expected one of \(shown)\(anyCase ? " (in any case)" : ""), found \(display(value))"
    if case .string(let given) = value {
      let names = options.compactMap(\.stringValue)
      let suggestion =
        anyCase
        ? NearestName.suggestion(for: given.lowercased(), among: names)
        : names.first { $0.lowercased() == given.lowercased() } ?? NearestName.suggestion(for: given, among: names)
      if let suggestion { message += "; did you mean \(ChartError.quote(suggestion))?" }
    }
    return message
  }

  /// Whether a value is a string of letters, digits and `_-./` that starts with a letter.
  static func isPlainWord(_ value: Value) -> Bool {
    guard case .string(let text) = value, let first = text.unicodeScalars.first, first.properties.isAlphabetic else { return false }
    return text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "_-./".unicodeScalars.contains($0) }
  }

  static func typeName(of value: Value) -> String {
    switch value {
    case .null: "null"
    case .bool: "boolean"
    case .int, .int64: "integer"
    case .double: "number"
    case .string: "string"
    case .list: "array"
    case .map: "object"
    }
  }

  /// A value as compact JSON for messages.
  static func display(_ value: Value) -> String {
    if case .double(let d) = value, !d.isFinite { return d.isNaN ? "NaN" : d > 0 ? "+Inf" : "-Inf" }
    return (try? value.jsonText(JSONEncodingOptions(sortedKeys: false, escapeHTML: false))) ?? value.kindName
  }

  /// Equality as JSON Schema sees it: numbers by value (`1` equals `1.0`), maps whatever
  /// their key order.
  static func jsonEqual(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.int(let x), .double(let y)), (.double(let y), .int(let x)), (.int64(let x), .double(let y)),
      (.double(let y), .int64(let x)):
      Int64(exactly: y) == x
    case (.list(let x), .list(let y)): x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
    case (.map(let x), .map(let y)):
      x.count == y.count && x.allSatisfy { key, value in y[key].map { jsonEqual(value, $0) } ?? false }
    default: a == b
    }
  }

  // MARK: - Numbers

  private func checkNumber(
    _ value: Value, at path: ValuePath, _ keywords: Keywords, _ pointer: String, into outcome: inout Outcome
  ) throws(ChartError) {
    let limits: [(keyword: String, relation: String, holds: (Int) -> Bool)] = [
      ("minimum", ">=", { $0 >= 0 }), ("maximum", "<=", { $0 <= 0 }),
      ("exclusiveMinimum", ">", { $0 > 0 }), ("exclusiveMaximum", "<", { $0 < 0 }),
    ]
    for limit in limits {
      guard let bound = keywords[limit.keyword] else { continue }
      guard bound.doubleValue != nil else { throw invalid("\(pointer)/\(limit.keyword) must be a number") }
      if !limit.holds(Self.compare(value, bound)) {
        outcome.add(path, "expected a number \(limit.relation) \(Self.display(bound)), found \(Self.display(value))")
      }
    }
    if let divisor = keywords["multipleOf"] {
      guard let d = divisor.doubleValue, d > 0, d.isFinite else {
        throw invalid("\(pointer)/multipleOf must be a number greater than 0")
      }
      if !Self.isMultiple(value, of: divisor) {
        outcome.add(path, "expected a multiple of \(Self.display(divisor)), found \(Self.display(value))")
      }
    }
  }

  /// The sign of `a - b` for two numbers; integers compare exactly.
  static func compare(_ a: Value, _ b: Value) -> Int {
    if let x = a.intValue, let y = b.intValue { return x < y ? -1 : x == y ? 0 : 1 }
    let x = a.doubleValue ?? .nan, y = b.doubleValue ?? .nan
    return x < y ? -1 : x == y ? 0 : 1
  }

  /// Whether `value / divisor` is a whole number, computed on the numbers' shortest decimal
  /// forms, so that 0.3 is a multiple of 0.1 as its author meant.
  static func isMultiple(_ value: Value, of divisor: Value) -> Bool {
    guard let (mv, ev) = decimal(value), let (md, ed) = decimal(divisor), md != 0 else { return false }
    if mv == 0 { return true }
    if ev >= ed {
      // mv × 10^(ev-ed) mod md, one power of ten at a time.
      var remainder = mv % md
      for _ in 0..<(ev - ed) where remainder != 0 {
        remainder = md.dividingFullWidth(remainder.multipliedFullWidth(by: 10)).remainder
      }
      return remainder == 0
    }
    var scaled = mv
    for _ in 0..<(ed - ev) {
      guard scaled % 10 == 0 else { return false }
      scaled /= 10
    }
    return scaled % md == 0
  }

  /// A number as `mantissa × 10^exponent` (sign dropped).
  static func decimal(_ value: Value) -> (mantissa: UInt64, exponent: Int)? {
    switch value {
    case .int(let i), .int64(let i): return (i.magnitude, 0)
    case .double(let d) where d.isFinite:
      let shortest = ShortestDecimal(d)
      var mantissa: UInt64 = 0
      for digit in shortest.digits { mantissa = mantissa * 10 + UInt64(digit - UInt8(ascii: "0")) }
      return (mantissa, shortest.pointPosition - shortest.digits.count)
    default: return nil
    }
  }

  // MARK: - Strings

  private mutating func checkString(
    _ text: String, at path: ValuePath, _ keywords: Keywords, _ pointer: String, into outcome: inout Outcome
  ) throws(ChartError) {
    let length = text.unicodeScalars.count
    if let minimum = try count("minLength", keywords, pointer), length < minimum {
      outcome.add(path, "expected at least \(minimum) characters, found \(length)")
    }
    if let maximum = try count("maxLength", keywords, pointer), length > maximum {
      outcome.add(path, "expected at most \(maximum) characters, found \(length)")
    }
    if let pattern = keywords["pattern"] {
      guard case .string(let source) = pattern else { throw invalid("\(pointer)/pattern must be a string") }
      if !Self.matches(try regex(source, at: "\(pointer)/pattern"), text) {
        outcome.add(path, PatternWording.message(for: source, found: text))
      }
    }
  }

  /// A keyword that must be a non-negative integer.
  private func count(_ keyword: String, _ keywords: Keywords, _ pointer: String) throws(ChartError) -> Int? {
    switch keywords[keyword] {
    case nil: return nil
    case .int(let i)? where i >= 0, .int64(let i)? where i >= 0: return Int(clamping: i)
    case .double(let d)? where d >= 0 && d.rounded() == d && d < 9e18: return Int(d)
    default: throw invalid("\(pointer)/\(keyword) must be a non-negative integer")
    }
  }

  /// The pattern compiled as Helm's schema validator compiles it: Go's regexp.
  private mutating func regex(_ source: String, at pointer: String) throws(ChartError) -> GoRegex {
    if let compiled = patterns[source] { return compiled }
    do {
      let compiled = try GoRegex(source)
      patterns[source] = compiled
      return compiled
    } catch {
      throw invalid("\(pointer): \(ChartError.quote(source)) is not a valid regular expression (\(error.message))")
    }
  }

  /// Whether the pattern matches anywhere in `text` (JSON Schema patterns are not anchored).
  static func matches(_ regex: GoRegex, _ text: String) -> Bool {
    regex.matches(text)
  }

  // MARK: - Lists

  private mutating func checkList(
    _ list: [Value], at path: ValuePath, _ keywords: Keywords, _ pointer: String, into outcome: inout Outcome
  ) throws(ChartError) {
    switch keywords["items"] {
    case nil: break
    case .list(let tuple)?:
      for (index, schema) in tuple.enumerated() where index < list.count {
        let itemPath = path.appending(index: index)
        outcome.absorb(try evaluate(list[index], at: itemPath, schema: schema, pointer: "\(pointer)/items/\(index)"))
      }
      if let additional = keywords["additionalItems"], list.count > tuple.count {
        for index in tuple.count..<list.count {
          let itemPath = path.appending(index: index)
          if additional == .bool(false) {
            outcome.add(
              itemPath, "item not allowed: \(pointer)/items describes only \(tuple.count) items and additionalItems is false")
          } else {
            let location = "\(pointer)/additionalItems"
            outcome.absorb(try evaluate(list[index], at: itemPath, schema: additional, pointer: location))
          }
        }
      }
    case let schema?:
      for (index, item) in list.enumerated() {
        let itemPath = path.appending(index: index)
        outcome.absorb(try evaluate(item, at: itemPath, schema: schema, pointer: "\(pointer)/items"))
      }
    }
    if let minimum = try count("minItems", keywords, pointer), list.count < minimum {
      outcome.add(path, "expected at least \(minimum) items, found \(list.count)")
    }
    if let maximum = try count("maxItems", keywords, pointer), list.count > maximum {
      outcome.add(path, "expected at most \(maximum) items, found \(list.count)")
    }
    if let unique = keywords["uniqueItems"] {
      guard case .bool(let mustBeUnique) = unique else { throw invalid("\(pointer)/uniqueItems must be a boolean") }
      if mustBeUnique {
        for later in list.indices {
          if let earlier = list[..<later].firstIndex(where: { Self.jsonEqual($0, list[later]) }) {
            outcome.add(path, "items [\(earlier)] and [\(later)] are equal, but uniqueItems requires distinct items")
          }
        }
      }
    }
    if let contains = keywords["contains"] {
      var matched = false
      for (index, item) in list.enumerated() {
        let itemPath = path.appending(index: index)
        let itemOutcome = try evaluate(item, at: itemPath, schema: contains, pointer: "\(pointer)/contains")
        if itemOutcome.isValid {
          matched = true
          outcome.secrets += itemOutcome.secrets
        }
      }
      if !matched { outcome.add(path, "expected at least one item matching the schema at \(pointer)/contains") }
    }
  }

  // MARK: - Maps

  private mutating func checkMap(
    _ map: Keywords, at path: ValuePath, _ keywords: Keywords, _ pointer: String, into outcome: inout Outcome
  ) throws(ChartError) {
    let properties = try schemaMap("properties", keywords, pointer) ?? [:]
    for (key, schema) in properties {
      guard let item = map[key] else { continue }
      let location = "\(pointer)/properties/\(Self.escape(key))"
      outcome.absorb(try evaluate(item, at: path.appending(key: key), schema: schema, pointer: location))
    }
    var patterned: Set<String> = []
    let patternProperties = try schemaMap("patternProperties", keywords, pointer) ?? [:]
    for (source, schema) in patternProperties {
      let compiled = try regex(source, at: "\(pointer)/patternProperties")
      for (key, item) in map where Self.matches(compiled, key) {
        patterned.insert(key)
        let location = "\(pointer)/patternProperties/\(Self.escape(source))"
        outcome.absorb(try evaluate(item, at: path.appending(key: key), schema: schema, pointer: location))
      }
    }
    if let additional = keywords["additionalProperties"] {
      for (key, item) in map where properties[key] == nil && !patterned.contains(key) {
        if additional == .bool(false) {
          let message = Self.unknownKeyMessage(key, allowed: Array(properties.keys), patterns: Array(patternProperties.keys))
          outcome.add(path.appending(key: key), message, isAboutKey: true)
        } else {
          let location = "\(pointer)/additionalProperties"
          outcome.absorb(try evaluate(item, at: path.appending(key: key), schema: additional, pointer: location))
        }
      }
    }
    for key in try strings(keywords["required"], at: "\(pointer)/required") where map[key] == nil {
      outcome.add(path.appending(key: key), "required property is missing")
    }
    if let minimum = try count("minProperties", keywords, pointer), map.count < minimum {
      outcome.add(path, "expected at least \(minimum) properties, found \(map.count)")
    }
    if let maximum = try count("maxProperties", keywords, pointer), map.count > maximum {
      outcome.add(path, "expected at most \(maximum) properties, found \(map.count)")
    }
    if let namesSchema = keywords["propertyNames"] {
      for key in map.keys {
        let keyPath = path.appending(key: key)
        let location = "\(pointer)/propertyNames"
        let nameOutcome = try evaluate(.string(key), at: keyPath, schema: namesSchema, pointer: location)
        for violation in nameOutcome.violations {
          outcome.add(keyPath, "invalid property name \(ChartError.quote(key)): \(violation.message)")
        }
      }
    }
    for (key, dependency) in try schemaMap("dependencies", keywords, pointer) ?? [:] where map[key] != nil {
      if case .list = dependency {
        let location = "\(pointer)/dependencies/\(Self.escape(key))"
        for needed in try strings(dependency, at: location) where map[needed] == nil {
          let reason = "required property is missing (\(ChartError.quote(key)) is present)"
          outcome.add(path.appending(key: needed), reason)
        }
      } else {
        let location = "\(pointer)/dependencies/\(Self.escape(key))"
        outcome.absorb(try evaluate(.map(map), at: path, schema: dependency, pointer: location))
      }
    }
  }

  /// `unknown key; did you mean "type"?`, or the keys allowed when none is close.
  static func unknownKeyMessage(_ key: String, allowed: [String], patterns: [String]) -> String {
    if let suggestion = NearestName.suggestion(for: key, among: allowed) {
      return "unknown key; did you mean \(ChartError.quote(suggestion))?"
    }
    let kinds = allowed.map(ChartError.quote) + patterns.map { "keys matching \(ChartError.quote($0))" }
    if kinds.isEmpty { return "unknown key; no keys are allowed here" }
    return "unknown key; allowed here: \(kinds.joined(separator: ", "))"
  }

  /// A keyword that must be a map (of schemas).
  private func schemaMap(_ keyword: String, _ keywords: Keywords, _ pointer: String) throws(ChartError) -> Keywords? {
    switch keywords[keyword] {
    case nil: return nil
    case .map(let map)?: return map
    default: throw invalid("\(pointer)/\(keyword) must be an object")
    }
  }

  /// A keyword value that must be a list of strings (none when absent).
  private func strings(_ value: Value?, at location: String) throws(ChartError) -> [String] {
    guard let value else { return [] }
    guard case .list(let list) = value else { throw invalid("\(location) must be a list of strings") }
    var out: [String] = []
    for item in list {
      guard case .string(let name) = item else { throw invalid("\(location) must be a list of strings") }
      out.append(name)
    }
    return out
  }

  // MARK: - Combinators

  private mutating func checkCombinators(
    _ value: Value, at path: ValuePath, _ keywords: Keywords, _ pointer: String, into outcome: inout Outcome
  ) throws(ChartError) {
    if let schemas = try schemaList("allOf", keywords, pointer) {
      for (index, schema) in schemas.enumerated() {
        outcome.absorb(try evaluate(value, at: path, schema: schema, pointer: "\(pointer)/allOf/\(index)"))
      }
    }
    for keyword in ["anyOf", "oneOf"] {
      guard let schemas = try schemaList(keyword, keywords, pointer) else { continue }
      var outcomes: [Outcome] = []
      for (index, schema) in schemas.enumerated() {
        outcomes.append(try evaluate(value, at: path, schema: schema, pointer: "\(pointer)/\(keyword)/\(index)"))
      }
      let matching = outcomes.indices.filter { outcomes[$0].isValid }
      if matching.isEmpty {
        // A branch of the value's own type is the one meant: say why it failed, and only that.
        // When every branch wants another type, say which types would do.
        let ofItsType = outcomes.filter { !$0.hasWrongType(at: path) }
        if let closest = ofItsType.min(by: { $0.violations.count < $1.violations.count }) {
          outcome.violations += closest.violations
        } else {
          var types: [String] = []
          for branch in outcomes {
            for violation in branch.violations where violation.path == path {
              for name in violation.expectedTypes ?? [] where !types.contains(name) { types.append(name) }
            }
          }
          var violation = SchemaViolation(path: path, message: Self.typeMessage(expected: types, found: value))
          violation.expectedTypes = types
          outcome.violations.append(violation)
        }
      } else if keyword == "oneOf" && matching.count > 1 {
        let list = matching.map { "\(pointer)/oneOf/\($0)" }.joined(separator: ", ")
        outcome.add(path, "matches \(matching.count) schemas in \(pointer)/oneOf (\(list)), but must match exactly one")
      } else {
        for index in matching { outcome.secrets += outcomes[index].secrets }
      }
    }
    if let negated = keywords["not"],
      try evaluate(value, at: path, schema: negated, pointer: "\(pointer)/not").isValid
    {
      outcome.add(path, "must not match the schema at \(pointer)/not")
    }
    if let condition = keywords["if"] {
      let conditionOutcome = try evaluate(value, at: path, schema: condition, pointer: "\(pointer)/if")
      if conditionOutcome.isValid {
        outcome.secrets += conditionOutcome.secrets
        if let then = keywords["then"] {
          outcome.absorb(try evaluate(value, at: path, schema: then, pointer: "\(pointer)/then"))
        }
      } else if let otherwise = keywords["else"] {
        outcome.absorb(try evaluate(value, at: path, schema: otherwise, pointer: "\(pointer)/else"))
      }
    }
  }

  /// A keyword that must be a non-empty list of schemas.
  private func schemaList(_ keyword: String, _ keywords: Keywords, _ pointer: String) throws(ChartError) -> [Value]? {
    switch keywords[keyword] {
    case nil: return nil
    case .list(let list)? where !list.isEmpty: return list
    default: throw invalid("\(pointer)/\(keyword) must be a non-empty list of schemas")
    }
  }
}

/// Patterns said in words where a user would not read the regular expression: an anchored
/// choice of words (`^(grpc|http)$`, letters possibly as `[Gg]`) is "one of grpc, http", an
/// anchored literal start (`^docker://.`) is "starting with". Others are shown as written.
enum PatternWording {
  /// The message for `text` not matching the pattern `source`.
  static func message(for source: String, found text: String) -> String {
    if let (words, anyCase) = choice(source) {
      return SchemaEvaluator.oneOfMessage(words.map(Value.string), found: .string(text), anyCase: anyCase)
    }
    if let start = literalStart(source) {
      return "expected a string starting with \(ChartError.quote(start)), found \(ChartError.quote(text))"
    }
    return "expected a string matching \(ChartError.quote(source)), found \(ChartError.quote(text))"
  }

  /// The words of `^(a|b|c)$` or `^a$`, and whether any letter was written in both cases.
  static func choice(_ source: String) -> (words: [String], anyCase: Bool)? {
    guard source.hasPrefix("^"), source.hasSuffix("$"), source.count > 2 else { return nil }
    var body = Substring(source.dropFirst().dropLast())
    if body.hasPrefix("("), body.hasSuffix(")") { body = body.dropFirst().dropLast() }
    var words: [String] = []
    var anyCase = false
    for alternative in body.split(separator: "|", omittingEmptySubsequences: false) {
      guard let (word, caseless) = literal(alternative), !word.isEmpty else { return nil }
      words.append(word)
      anyCase = anyCase || caseless
    }
    return (words, anyCase)
  }

  /// The literal text `^` starts, when the rest is nothing, `.`, `.+` or `.*`.
  static func literalStart(_ source: String) -> String? {
    guard source.hasPrefix("^") else { return nil }
    var body = Substring(source.dropFirst())
    for tail in [".+", ".*", "."] where body.hasSuffix(tail) {
      body = body.dropLast(tail.count)
      break
    }
    guard let (word, caseless) = literal(body), !word.isEmpty, !caseless else { return nil }
    return word
  }

  /// A run of literal characters (`\.` escapes one; `[Gg]` is a letter in either case,
  /// written lower case), and whether a letter was caseless; `nil` at any other syntax.
  static func literal(_ text: Substring) -> (String, Bool)? {
    var out = ""
    var caseless = false
    var rest = text
    let special: Set<Character> = [".", "^", "$", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "\\"]
    while let c = rest.first {
      if c == "\\" {
        guard let escaped = rest.dropFirst().first, special.contains(escaped) else { return nil }
        out.append(escaped)
        rest = rest.dropFirst(2)
      } else if c == "[" {
        let pair = Array(rest.prefix(4))
        guard pair.count == 4, pair[3] == "]", pair[1] != pair[2], pair[1].lowercased() == pair[2].lowercased() else { return nil }
        out += pair[1].lowercased()
        caseless = true
        rest = rest.dropFirst(4)
      } else if special.contains(c) {
        return nil
      } else {
        out.append(c)
        rest = rest.dropFirst()
      }
    }
    return (out, caseless)
  }
}
