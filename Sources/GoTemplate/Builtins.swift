import Foundation

/// Go's builtin template functions.
enum Builtin: String {
  case and, or, not, len, index, slice, print, printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery, call

  /// Fixed parameters and whether more may follow (Go's signature of the builtin).
  var signature: (fixed: Int, variadic: Bool) {
    switch self {
    case .and, .or, .index, .slice, .printf, .eq, .call: (1, true)
    case .print, .println, .html, .js, .urlquery: (0, true)
    case .not, .len: (1, false)
    case .ne, .lt, .le, .gt, .ge: (2, false)
    }
  }
}

/// A builtin's failure, before the executor adds `error calling NAME:`.
struct BuiltinError: Error {
  let message: String
  init(_ message: String) { self.message = message }
}

extension TemplateContext {
  func callBuiltin(
    _ builtin: Builtin, _ dot: TemplateValue, _ boxed: Bool, node: Expr, command: any Located, args: [Expr]?,
    final: TemplateValue?
  ) throws(TemplateError) -> TemplateValue {
    let name = node.name
    let words = (args?.count ?? 1) - 1
    let count = words + (final == nil ? 0 : 1)
    let (fixed, variadic) = builtin.signature
    if variadic {
      if count < fixed { throw fail("wrong number of args for \(name): want at least \(fixed) got \(words)") }
    } else if count != fixed {
      throw fail("wrong number of args for \(name): want \(fixed) got \(count)")
    }
    // The command's words, the builtin's name first.
    let nodes = args ?? []
    let operands = nodes.indices.dropFirst()
    try step()

    // and/or evaluate their arguments only as far as needed.
    if builtin == .and || builtin == .or {
      var value: TemplateValue = .missing
      for i in operands {
        value = try evalArg(dot, boxed, nodes, at: i)
        if value.isTruthy == (builtin == .or) { return value }
      }
      if let final { value = final }
      return value
    }

    var values: [TemplateValue] = []
    values.reserveCapacity(count)
    var interfaceIndexes: [Bool] = []
    let first = operands.first.map { nodes[$0] }
    if builtin == .printf, let first, first.kind == .string {
      // A literal format (the usual case) is scanned from bytes prepared by the parser.
      at(first)
      for i in operands.dropFirst() { values.append(try evalArg(dot, boxed, nodes, at: i)) }
      if let final { values.append(final) }
      var printer = Printer()
      printer.printf(first.utf8, values)
      return .string(printer.out)
    }
    if builtin == .printf {
      if let first {
        values.append(.string(try formatArgument(dot, boxed, first)))
      } else if let final {
        guard case .string = final else { throw fail(TemplateArguments.typeError(final, expected: "string").detail) }
      }
      for i in operands.dropFirst() { values.append(try evalArg(dot, boxed, nodes, at: i)) }
    } else if builtin == .slice {
      // Go's slice does not look inside interface values: an index read from a map or list
      // (a Go `interface {}`) is refused whatever it holds.
      for i in operands {
        let (value, isBoxed) = try evalArgKeepingType(dot, boxed, nodes[i])
        values.append(value)
        interfaceIndexes.append(isBoxed)
      }
    } else {
      // Builtins take reflect.Value parameters: a nil literal arrives as the invalid value.
      for i in operands {
        if nodes[i].kind == .nil {
          at(nodes[i])
          values.append(.missing)
        } else {
          values.append(try evalArg(dot, boxed, nodes, at: i))
        }
      }
    }
    if let final { values.append(final) }

    if builtin == .call, case .function(let function) = values[0] {
      do {
        return try function.body(TemplateArguments(functionName: name, values: Array(values.dropFirst())), self)
      } catch let error as TemplateError {
        at(command)
        throw fail(error.kind == .limit ? .limit : .execution, "error calling call: \(error.message)")
      } catch {
        at(command)
        throw fail("error calling call: \(String(describing: error))")
      }
    }
    do {
      return try Self.apply(builtin, values, interfaceIndexes: interfaceIndexes)
    } catch {
      at(command)
      throw fail("error calling \(name): \(error.message)")
    }
  }

  /// printf's format, a Go `string` parameter: literals must be strings, values must hold one.
  func formatArgument(_ dot: TemplateValue, _ boxed: Bool, _ node: Expr) throws(TemplateError) -> String {
    at(node)
    switch node.kind {
    case .nil: throw fail("cannot assign nil to string")
    case .bool, .number: throw fail("expected string; found \(node.rendered)")
    case .string: return node.name
    default:
      let value = try evalArg(dot, boxed, node)
      if case .string(let s) = value { return s }
      at(node)
      throw fail(TemplateArguments.typeError(value, expected: "string").detail)
    }
  }

  /// Runs `builtin` on evaluated arguments; `interfaceIndexes` marks `slice` arguments that Go
  /// holds as `interface {}` (the final pipeline value, if any, is never one).
  static func apply(
    _ builtin: Builtin, _ values: [TemplateValue], interfaceIndexes: [Bool]
  ) throws(BuiltinError) -> TemplateValue {
    switch builtin {
    case .and, .or: return values.last ?? .missing
    case .not: return .bool(!values[0].isTruthy)
    case .len: return try length(values[0].collectionView)
    case .index: return try index(values[0].collectionView, values.dropFirst())
    case .print: return .string(GoFormat.sprint(values))
    case .println: return .string(GoFormat.sprintln(values))
    case .printf:
      guard case .string(let format) = values[0] else { return .string("") }
      return .string(GoFormat.sprintf(format, Array(values.dropFirst())))
    case .eq: return .bool(try equal(values[0], values.dropFirst()))
    case .ne: return .bool(!(try equal(values[0], values[1...])))
    case .lt: return .bool(try less(values[0], values[1]))
    case .le:
      if try less(values[0], values[1]) { return .bool(true) }
      return .bool(try equal(values[0], values[1...]))
    case .gt:
      if try less(values[0], values[1]) { return .bool(false) }
      return .bool(!(try equal(values[0], values[1...])))
    case .ge: return .bool(!(try less(values[0], values[1])))
    case .html: return .string(htmlEscape(escaperInput(values)))
    case .js: return .string(jsEscape(escaperInput(values)))
    case .urlquery: return .string(queryEscape(escaperInput(values)))
    case .slice:
      return try slice(values[0].collectionView, values.dropFirst(), interfaceIndexes: interfaceIndexes.dropFirst())
    case .call:
      // Function values are called by callBuiltin, which has the context they need.
      if values[0].isNil { throw BuiltinError("call of nil") }
      throw BuiltinError("non-function of type \(values[0].goTypeName)")
    }
  }

  // MARK: len, index, slice

  static func length(_ value: TemplateValue) throws(BuiltinError) -> TemplateValue {
    switch value {
    case .string(let s): return .int(Int64(s.utf8.count))
    case .list(let l): return .int(Int64(l.count))
    case .map(let m): return .int(Int64(m.count))
    case .missing: throw BuiltinError("reflect: call of reflect.Value.Type on zero Value")
    case .null: throw BuiltinError("len of nil pointer")
    default: throw BuiltinError("len of type \(value.goTypeName)")
    }
  }

  /// An index argument as Go's `indexArg` reads it (`cap` is the largest accepted).
  static func indexArgument(_ value: TemplateValue, cap: Int) throws(BuiltinError) -> Int {
    let x: Int64
    switch value {
    case .int(let i), .int64(let i), .wholeFloat(let i): x = i
    case .uint(let u): x = Int64(bitPattern: u)
    case .missing, .null: throw BuiltinError("cannot index slice/array with nil")
    default: throw BuiltinError("cannot index slice/array with type \(value.goTypeName)")
    }
    if x < 0 || x > Int64(cap) { throw BuiltinError("index out of range: \(x)") }
    return Int(x)
  }

  static func index(_ item: TemplateValue, _ indexes: ArraySlice<TemplateValue>) throws(BuiltinError) -> TemplateValue {
    var item = item
    if item.isNil { throw BuiltinError("index of untyped nil") }
    var first = true
    for index in indexes {
      if !first, case .null = item { throw BuiltinError("index of nil pointer") }
      first = false
      switch item.collectionView {
      case .list(let list):
        let x = try indexArgument(index, cap: list.count)
        if x == list.count { throw BuiltinError("reflect: slice index out of range") }
        item = list[x]
      case .string(let s):
        let bytes = s.utf8
        let x = try indexArgument(index, cap: bytes.count)
        if x == bytes.count { throw BuiltinError("reflect: string index out of range") }
        item = .uint(UInt64(bytes[bytes.index(bytes.startIndex, offsetBy: x)]))
      case .map(let map):
        switch index {
        case .string(let key): item = map[key] ?? GoFormat.zeroValue(ofType: map.elementTypeName)
        case .missing, .null: throw BuiltinError("value is nil; should be of type string")
        default: throw BuiltinError("value has type \(index.goTypeName); should be string")
        }
      default:
        throw BuiltinError("can't index item of type \(item.goTypeName)")
      }
    }
    return item
  }

  /// Go's `slice`; `interfaceIndexes` marks indexes Go holds as `interface {}`, which it refuses.
  static func slice(
    _ item: TemplateValue, _ indexes: ArraySlice<TemplateValue>, interfaceIndexes: ArraySlice<Bool>
  ) throws(BuiltinError) -> TemplateValue {
    if item.isNil { throw BuiltinError("slice of untyped nil") }
    if indexes.count > 3 { throw BuiltinError("too many slice indexes: \(indexes.count)") }
    let length: Int
    switch item {
    case .string(let s):
      if indexes.count == 3 { throw BuiltinError("cannot 3-index slice a string") }
      length = s.utf8.count
    case .list(let l): length = l.count
    default: throw BuiltinError("can't slice item of type \(item.goTypeName)")
    }
    var bounds = [0, length, length]
    for (i, index) in indexes.enumerated() {
      if interfaceIndexes.dropFirst(i).first == true {
        throw BuiltinError("cannot index slice/array with type interface {}")
      }
      bounds[i] = try indexArgument(index, cap: length)
    }
    if bounds[0] > bounds[1] { throw BuiltinError("invalid slice index: \(bounds[0]) > \(bounds[1])") }
    if indexes.count == 3 && bounds[1] > bounds[2] {
      throw BuiltinError("invalid slice index: \(bounds[1]) > \(bounds[2])")
    }
    switch item {
    case .string(let s):
      let bytes = Array(s.utf8)[bounds[0]..<bounds[1]]
      return .string(String(decoding: bytes, as: UTF8.self))
    case .list(let l):
      return .list(TemplateList(Array(l.elements[bounds[0]..<bounds[1]]), elementTypeName: l.elementTypeName))
    default:
      throw BuiltinError("can't slice item of type \(item.goTypeName)")
    }
  }

  // MARK: Comparison

  enum BasicKind { case invalid, bool, int, uint, float, string }

  static func basicKind(_ v: TemplateValue) -> BasicKind {
    switch v {
    case .bool: .bool
    case .int, .int64, .wholeFloat: .int
    case .uint: .uint
    case .double: .float
    case .string: .string
    default: .invalid
    }
  }

  static func signedValue(_ v: TemplateValue) -> Int64 {
    switch v {
    case .int(let i), .int64(let i), .wholeFloat(let i): i
    default: 0
    }
  }

  static func unsignedValue(_ v: TemplateValue) -> UInt64 {
    switch v {
    case .uint(let u): u
    default: 0
    }
  }

  static func equal(_ a: TemplateValue, _ others: ArraySlice<TemplateValue>) throws(BuiltinError) -> Bool {
    if others.isEmpty { throw BuiltinError("missing argument for comparison") }
    let k1 = basicKind(a)
    for b in others {
      let k2 = basicKind(b)
      var truth = false
      if k1 != k2 {
        if k1 == .int && k2 == .uint {
          truth = signedValue(a) >= 0 && UInt64(signedValue(a)) == unsignedValue(b)
        } else if k1 == .uint && k2 == .int {
          truth = signedValue(b) >= 0 && unsignedValue(a) == UInt64(signedValue(b))
        } else if let order = NumericOrder(a, b) {
          truth = order == .equal
        } else if !a.isNil && !b.isNil {
          throw BuiltinError("incompatible types for comparison")
        }
      } else {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): truth = x == y
        case (.double(let x), .double(let y)): truth = x == y
        case (.string(let x), .string(let y)): truth = x == y
        default:
          switch k1 {
          case .int: truth = signedValue(a) == signedValue(b)
          case .uint: truth = unsignedValue(a) == unsignedValue(b)
          default:
            // Neither is a basic value: nil against anything, or two composites.
            if a.isNil || b.isNil {
              truth = a.isNil && b.isNil
            } else if a.goKindName != b.goKindName {
              throw BuiltinError(
                "non-comparable types \(GoFormat.sprintf("%s", [a])): \(a.goTypeName), \(b.goTypeName): \(GoFormat.string(b))")
            } else {
              switch b {
              case .list, .map, .function:
                throw BuiltinError("non-comparable type \(GoFormat.sprintf("%s", [b])): \(b.goTypeName)")
              default:
                truth = false
              }
            }
          }
        }
      }
      if truth { return true }
    }
    return false
  }

  static func less(_ a: TemplateValue, _ b: TemplateValue) throws(BuiltinError) -> Bool {
    let k1 = basicKind(a)
    if k1 == .invalid { throw BuiltinError("invalid type for comparison") }
    let k2 = basicKind(b)
    if k2 == .invalid { throw BuiltinError("invalid type for comparison") }
    if k1 != k2 {
      if k1 == .int && k2 == .uint { return signedValue(a) < 0 || UInt64(signedValue(a)) < unsignedValue(b) }
      if k1 == .uint && k2 == .int { return signedValue(b) >= 0 && unsignedValue(a) < UInt64(signedValue(b)) }
      if let order = NumericOrder(a, b) { return order == .less }
      throw BuiltinError("incompatible types for comparison")
    }
    switch (a, b) {
    case (.bool, .bool): throw BuiltinError("invalid type for comparison")
    case (.double(let x), .double(let y)): return x < y
    case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
    default:
      return k1 == .int ? signedValue(a) < signedValue(b) : unsignedValue(a) < unsignedValue(b)
    }
  }

  // MARK: Escapers

  /// The text html/js/urlquery escape: a lone string as it is, else `fmt.Sprint` of the
  /// arguments with missing values printed as `<no value>`.
  static func escaperInput(_ values: [TemplateValue]) -> String {
    if values.count == 1, case .string(let s) = values[0] { return s }
    let printable = values.map { $0.isNil ? TemplateValue.string("<no value>") : $0 }
    return GoFormat.sprint(printable)
  }

  static func htmlEscape(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 == 0x22 || $0 == 0x27 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0 })
    else { return s }
    var out = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\0": out += "\u{FFFD}"
      case "\"": out += "&#34;"
      case "'": out += "&#39;"
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func jsEscape(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "'": out += "\\'"
      case "\"": out += "\\\""
      case "<": out += "\\u003C"
      case ">": out += "\\u003E"
      case "&": out += "\\u0026"
      case "=": out += "\\u003D"
      default:
        if scalar.value < 0x20 {
          out += "\\u00" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 2)
        } else if scalar.value >= 0x80 && !GoFormat.isPrint(scalar) {
          out += "\\u" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  static func queryEscape(_ s: String) -> String {
    var out = ""
    let hex = Array("0123456789ABCDEF".utf8)
    for b in s.utf8 {
      switch b {
      case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
        UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(b))
      case UInt8(ascii: " "): out += "+"
      default:
        out += "%"
        out.unicodeScalars.append(Unicode.Scalar(hex[Int(b >> 4)]))
        out.unicodeScalars.append(Unicode.Scalar(hex[Int(b & 0xF)]))
      }
    }
    return out
  }
}

extension String {
  func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

/// The order of an integer and a float, or `unordered` when the float is NaN.
///
/// Helm reads every number of a values file as a float, so templates written for Helm
/// compare values with floats (`gt .Values.replicas 1.0`, `has 2.0 .Values.ports`); flowrel
/// keeps integers as integers, where Go would call the pair incompatible or unequal. They
/// compare exactly, not through a conversion that could round.
package enum NumericOrder: Equatable, Sendable {
  case less, equal, greater, unordered

  /// How `a` compares with `b`, or `nil` unless one is an integer and the other a float.
  package init?(_ a: TemplateValue, _ b: TemplateValue) {
    switch (a, b) {
    case (.int(let i), .double(let d)), (.int64(let i), .double(let d)), (.wholeFloat(let i), .double(let d)):
      self.init(i, d)
    case (.uint(let u), .double(let d)): self.init(u, d)
    case (.double, .int), (.double, .int64), (.double, .wholeFloat), (.double, .uint):
      guard let order = NumericOrder(b, a) else { return nil }
      self = order.reversed
    default: return nil
    }
  }

  /// The order of `i` against `d`.
  init(_ i: Int64, _ d: Double) {
    if i < 0 {
      // -|i| against d is |i| against -d, the other way round.
      self = NumericOrder(UInt64(i.magnitude), -d).reversed
    } else {
      self = NumericOrder(UInt64(i), d)
    }
  }

  /// The order of `u` against `d`.
  init(_ u: UInt64, _ d: Double) {
    if d.isNaN {
      self = .unordered
    } else if d < 0 {
      self = .greater
    } else if d >= 18446744073709551616.0 {
      self = .less
    } else {
      let whole = d.rounded(.towardZero)
      let integer = UInt64(whole)
      if u != integer {
        self = u < integer ? .less : .greater
      } else {
        self = d > whole ? .less : .equal
      }
    }
  }

  /// The order seen from the other side.
  var reversed: NumericOrder {
    switch self {
    case .less: .greater
    case .greater: .less
    default: self
    }
  }
}
