import Foundation
import FlowrelValue
import OrderedCollections

/// One of Helm's flags that set values from the command line. `allCases` lists them in the
/// order Helm applies them (after every `-f` file): `--set-json`, `--set`, `--set-string`,
/// `--set-file`, `--set-literal`, so a later kind wins over an earlier one whatever the order
/// on the command line.
package enum SetFlag: String, Sendable, CaseIterable {
  /// `--set-json a.b={"x":1}`: each value is one JSON value; an empty value is `null`.
  case setJSON = "--set-json"
  /// `--set a.b=1,c={x,y}`: values are typed (`true`/`false`, `null`, decimal 64-bit integers).
  case set = "--set"
  /// `--set-string a=1`: values are always strings.
  case setString = "--set-string"
  /// `--set-file a=path`: each value is a path, replaced by the file's contents as a string.
  case setFile = "--set-file"
  /// `--set-literal a=x,y`: the rest of the argument after `=` is the string, unescaped.
  case setLiteral = "--set-literal"

  /// The deepest `a.b.c` nesting Helm accepts in one name (its `MaxNestedNameLevel`).
  package static let maximumNameNesting = 30
  /// The largest list index Helm accepts (its `MaxIndex`); `a[65536]=x` makes a list of 65537.
  package static let maximumIndex = 65536
  /// The deepest `a[0][0]...` list nesting accepted. Helm has no limit; this one keeps hostile
  /// input from exhausting the stack.
  package static let maximumIndexNesting = 100
  /// The most list elements the indices of one argument may add (`a[65536]=1,b[65536]=1,...`
  /// makes a list of 65537 for every name). Helm has no limit; this one keeps a long argument
  /// from filling memory, and allows sixteen lists at the largest index.
  package static let maximumAddedElements = 16 * (maximumIndex + 1)

  /// Applies one argument of this flag to `values` (a map; `null` counts as an empty map),
  /// exactly as Helm's `strvals` parser does, with two deliberate differences: an unterminated
  /// index (`a[1`) is an error instead of being silently dropped, and `a[0].b=` at the very end
  /// sets `b` to `""` instead of losing the assignment.
  ///
  /// `readFile` turns a `--set-file` path into the file's contents; other flags never call it.
  /// On an error `values` is left as it was, even when earlier pairs of the argument parsed.
  package func apply(
    _ argument: String, to values: inout Value, readFile: (String) throws -> String
  ) throws(ChartError) {
    var root: OrderedDictionary<String, Value>
    switch values {
    case .null: root = [:]
    case .map(let map): root = map
    default:
      throw ChartError.invalidSetArgument(
        flag: self, argument: argument, message: "values must be a map, found \(values.kindName)")
    }
    let result = withoutActuallyEscaping(readFile) { reader in
      Result { () throws(ChartError) in
        var parser = SetParser(flag: self, argument: argument, readFile: reader)
        try parser.parse(into: &root)
      }
    }
    try result.get()
    values = .map(root)
  }
}

/// Helm's `--set` grammar over the Unicode scalars of one argument (Go reads runes).
private struct SetParser {
  let flag: SetFlag
  let argument: String
  let scalars: [Unicode.Scalar]
  let readFile: (String) throws -> String
  var position = 0
  /// List elements the indices read so far added (see `SetFlag.maximumAddedElements`).
  var addedElements = 0

  init(flag: SetFlag, argument: String, readFile: @escaping (String) throws -> String) {
    self.flag = flag
    self.argument = argument
    self.scalars = Array(argument.unicodeScalars)
    self.readFile = readFile
  }

  /// Whether parsing goes on after a step, or the argument is used up.
  enum Step { case more, end }

  func fail(_ message: String) -> ChartError {
    ChartError.invalidSetArgument(flag: flag, argument: argument, message: message)
  }

  mutating func parse(into root: inout OrderedDictionary<String, Value>) throws(ChartError) {
    while try key(in: &root, level: 0) == .more {}
  }

  /// Reads up to the first scalar in `stops` (consumed) or the end (`nil`). A backslash takes
  /// the next scalar literally, except in `--set-literal`, which has no escapes.
  mutating func read(until stops: Set<Unicode.Scalar>) -> (text: String, stop: Unicode.Scalar?) {
    var text = String.UnicodeScalarView()
    while position < scalars.count {
      let scalar = scalars[position]
      position += 1
      if stops.contains(scalar) { return (String(text), scalar) }
      if scalar == "\\" && flag != .setLiteral {
        // A trailing backslash escapes nothing and is dropped, as in Helm.
        guard position < scalars.count else { break }
        text.append(scalars[position])
        position += 1
      } else {
        text.append(scalar)
      }
    }
    return (String(text), nil)
  }

  /// One `name...=value` step into `data`.
  mutating func key(in data: inout OrderedDictionary<String, Value>, level: Int) throws(ChartError) -> Step {
    let stops: Set<Unicode.Scalar> = flag == .setLiteral ? ["=", "[", "."] : ["=", "[", ",", "."]
    let (name, stop) = read(until: stops)
    switch stop {
    case nil:
      if name.isEmpty { return .end }
      throw fail("key \(ChartError.quote(name)) has no value")
    case "=":
      Self.set(&data, name, try value())
      return .more
    case ",":
      if name.isEmpty { throw fail("empty key: a \",\" must be followed by name=value") }
      throw fail("key \(ChartError.quote(name)) has no value (a \",\" cannot follow a name without \"=\")")
    case "[":
      let index = try readIndex(after: name)
      var list: [Value]
      switch data[name] {
      case nil: list = []
      case .list(let existing)?: list = existing
      case let other?:
        let found = ChartError.describe(other)
        throw fail("cannot index \(ChartError.quote(name)) with [\(index)]: it is \(found), not a list")
      }
      let step = try listItem(&list, index, level: level, listNesting: 1)
      Self.set(&data, name, .list(list))
      return step
    default:  // "."
      guard level < SetFlag.maximumNameNesting else {
        throw fail("name nests deeper than the maximum of \(SetFlag.maximumNameNesting) levels")
      }
      var inner: OrderedDictionary<String, Value>
      switch data[name] {
      case nil: inner = [:]
      case .map(let existing)?: inner = existing
      case let other?:
        let found = ChartError.describe(other)
        throw fail("cannot set a key inside \(ChartError.quote(name)): it is \(found), not a map")
      }
      let step = try key(in: &inner, level: level + 1)
      if step == .more && inner.isEmpty { throw fail("key map \(ChartError.quote(name)) has no value") }
      if !inner.isEmpty { Self.set(&data, name, .map(inner)) }
      return step
    }
  }

  /// Helm ignores assignments to an empty name (`=1`, `.a=1`, `[0]=1`).
  static func set(_ data: inout OrderedDictionary<String, Value>, _ name: String, _ value: Value) {
    if !name.isEmpty { data[name] = value }
  }

  /// The text between `[` and `]` as a list index (Go's `strconv.Atoi`: optional sign, decimal).
  mutating func readIndex(after name: String) throws(ChartError) -> Int {
    let (text, stop) = read(until: ["]"])
    guard stop != nil else {
      throw fail("unterminated index \(ChartError.quote("[" + text)) after \(ChartError.quote(name))")
    }
    guard let index = Int(text) else {
      throw fail("invalid list index \(ChartError.quote(text)): expected a whole number")
    }
    return index
  }

  /// What follows `[index]`: `=value`, `.name...`, or another `[index]`.
  mutating func listItem(
    _ list: inout [Value], _ index: Int, level: Int, listNesting: Int
  ) throws(ChartError) -> Step {
    guard index >= 0 else { throw fail("negative list index \(index) is not allowed") }
    let (extra, stop) = read(until: ["[", ".", "="])
    if !extra.isEmpty { throw fail("unexpected \(ChartError.quote(extra)) after the list index [\(index)]") }
    switch stop {
    case nil:
      return .end
    case "=":
      let element = try value()
      try setIndex(&list, index, element)
      return .more
    case "[":
      guard listNesting < SetFlag.maximumIndexNesting else {
        throw fail("lists nest deeper than the maximum of \(SetFlag.maximumIndexNesting) levels")
      }
      let next = try readIndex(after: "[\(index)]")
      var inner: [Value] = []
      if index < list.count {
        switch list[index] {
        case .null: break
        case .list(let existing): inner = existing
        case let other:
          throw fail("cannot index element [\(index)] with [\(next)]: it is \(ChartError.describe(other)), not a list")
        }
      }
      let step = try listItem(&inner, next, level: level, listNesting: listNesting + 1)
      try setIndex(&list, index, .list(inner))
      return step
    default:  // "."
      // An element that is not a map is replaced by one, as in Helm (it calls this indices out of order).
      var inner: OrderedDictionary<String, Value> = [:]
      if index < list.count, case .map(let existing) = list[index] { inner = existing }
      let step = try key(in: &inner, level: level)
      if step == .end && inner.isEmpty { return .end }
      try setIndex(&list, index, .map(inner))
      return step
    }
  }

  mutating func setIndex(_ list: inout [Value], _ index: Int, _ value: Value) throws(ChartError) {
    guard index >= 0 else { throw fail("negative list index \(index) is not allowed") }
    guard index <= SetFlag.maximumIndex else {
      throw fail("list index \(index) is greater than the maximum of \(SetFlag.maximumIndex)")
    }
    if list.count <= index {
      addedElements += index + 1 - list.count
      guard addedElements <= SetFlag.maximumAddedElements else {
        throw fail("the list indices add more than \(SetFlag.maximumAddedElements) elements, the most flowrel accepts in one argument")
      }
      list += Array(repeating: .null, count: index + 1 - list.count)
    }
    list[index] = value
  }

  /// The value after `=`, consuming the `,` that ends it.
  mutating func value() throws(ChartError) -> Value {
    switch flag {
    case .setLiteral:
      let rest = String(String.UnicodeScalarView(scalars[position...]))
      position = scalars.count
      return .string(rest)
    case .setJSON:
      skipSpaces()
      if position == scalars.count { return .null }
      if scalars[position] == "," {
        position += 1
        return .null
      }
      let json = try jsonValue()
      skipSpaces()
      if position < scalars.count, scalars[position] == "," { position += 1 }
      return json
    case .set, .setString, .setFile:
      guard position < scalars.count else { return .string("") }
      if scalars[position] == "{" {
        position += 1
        return try list()
      }
      return try convert(read(until: [","]).text)
    }
  }

  /// `{a,b,c}`: each element converted like a single value; a `,` right after `}` is consumed.
  mutating func list() throws(ChartError) -> Value {
    var elements: [Value] = []
    while true {
      let (text, stop) = read(until: [",", "}"])
      guard let stop else { throw fail("list must end with \"}\"") }
      elements.append(try convert(text))
      if stop == "}" { break }
    }
    if position < scalars.count, scalars[position] == "," { position += 1 }
    return .list(elements)
  }

  /// A `--set`, `--set-string` or `--set-file` value from its unescaped text.
  func convert(_ text: String) throws(ChartError) -> Value {
    switch flag {
    case .set: return Self.typed(text)
    case .setFile:
      do {
        return .string(try readFile(text))
      } catch {
        throw fail("cannot read file \(ChartError.quote(text)): \(error)")
      }
    default: return .string(text)
    }
  }

  /// Helm's typing of `--set` values: `true`/`false`/`null` in any case (Go's `EqualFold`),
  /// `0`, and decimal integers that fit in 64 bits and do not start with `0` (so `007`, `0x10`,
  /// `1e3`, `1.5` and `+` stay strings, while `-5` and `+5` become integers). The integers are
  /// Go `int64`s there, not the `float64`s of a values file, and templates see them so.
  static func typed(_ text: String) -> Value {
    if foldsTo(text, "true") { return .bool(true) }
    if foldsTo(text, "false") { return .bool(false) }
    if foldsTo(text, "null") { return .null }
    if text == "0" { return .int64(0) }
    if let first = text.utf8.first, first != UInt8(ascii: "0"), let number = Int64(text) { return .int64(number) }
    return .string(text)
  }

  /// Go's `strings.EqualFold` against a lowercase ASCII word: ASCII case is ignored, and the
  /// two non-ASCII scalars whose simple case folding reaches ASCII letters count as them.
  static func foldsTo(_ text: String, _ word: String) -> Bool {
    let folded = text.unicodeScalars.map { scalar -> Unicode.Scalar in
      switch scalar.value {
      case 0x41...0x5A: Unicode.Scalar(UInt8(scalar.value + 0x20))
      case 0x17F: "s"  // LATIN SMALL LETTER LONG S
      case 0x212A: "k"  // KELVIN SIGN
      default: scalar
      }
    }
    return folded.elementsEqual(word.unicodeScalars)
  }

  mutating func skipSpaces() {
    while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
  }

  /// One JSON value from the current position, as Go's `json.Decoder` reads it: the value ends
  /// where its brackets close, its string closes, or (for a scalar) at a `,` or space.
  mutating func jsonValue() throws(ChartError) -> Value {
    let start = position
    var depth = 0
    var inString = false
    scan: while position < scalars.count {
      let scalar = scalars[position]
      position += 1
      if inString {
        if scalar == "\\" {
          position = min(position + 1, scalars.count)
        } else if scalar == "\"" {
          inString = false
          if depth == 0 { break scan }
        }
        continue
      }
      switch scalar {
      case "\"": inString = true
      case "{", "[": depth += 1
      case "}", "]":
        depth -= 1
        if depth <= 0 { break scan }
      default:
        if depth == 0, scalar == "," || scalar.properties.isWhitespace {
          position -= 1
          break scan
        }
      }
    }
    let text = String(String.UnicodeScalarView(scalars[start..<position]))
    do {
      return try Value(jsonText: text)
    } catch {
      throw fail("invalid JSON value \(ChartError.quote(text)): \(error)")
    }
  }
}
