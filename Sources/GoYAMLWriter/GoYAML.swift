import FlowrelValue
import OrderedCollections

// go-yaml's output, byte for byte: v2 as Helm's `toYaml` reaches it (sigs.k8s.io/yaml's
// `Marshal`: the value written as JSON, read back and written by go-yaml v2), v3 as its encoder
// writes a value (Helm's `toYamlPretty` with an indent of 2, sops's files with 4). Both are
// libyaml's emitter as go-yaml ports it; this module follows their rules (which keys come
// first, which strings need quotes and which quotes, where long lines fold) but writes the
// tree directly instead of through a stream of events. flowrel's own canonical YAML
// (FlowrelYAML) is a different writer and is not affected.

/// go-yaml's writers.
package enum GoYAML {
  /// `value` as one document (no `---`), ending with a newline. Fails where Go fails: in v2
  /// for NaN and infinities (JSON has no form for them) and text that go-yaml refuses to read
  /// back (control characters); in both for nesting deeper than `maximumDepth`.
  /// Text longer than `options.maximumBytes` is a limit error (`isLimit`): indentation grows
  /// with the nesting, so a small value nested deep can be far more YAML than JSON.
  package static func text(_ value: Value, _ options: GoYAMLOptions) throws(GoYAMLError) -> String {
    var writer = GoYAMLWriter(dialect: options.dialect, indent: options.indent, literalHeaderBreak: options.literalHeaderBreak)
    writer.maximumBytes = options.maximumBytes
    writer.document(try GoYAMLNode(value, options: options, depth: 0))
    guard writer.out.count <= options.maximumBytes else {
      var error = GoYAMLError("the YAML text would be longer than \(options.maximumBytes) bytes, the most flowrel writes")
      error.isLimit = true
      throw error
    }
    return String(decoding: writer.out, as: UTF8.self)
  }

  /// The default `GoYAMLOptions.maximumBytes`: 100 MiB, as much as `toJson` writes.
  package static let defaultMaximumBytes = 100 << 20

  /// The deepest nesting the writer accepts, so that a hostile value cannot exhaust the stack.
  package static let maximumDepth = Value.maximumJSONDepth
}

/// How go-yaml writes a document.
package struct GoYAMLOptions: Sendable {
  /// v2 (through JSON) or v3. v2 folds long lines after column 80 and writes lists under a
  /// key at the key's column; v3 never folds and indents them.
  package var dialect: GoYAMLDialect
  /// Spaces per level (v3's `SetIndent`; go-yaml v2 always uses 2). Outside 2...9 it is 2.
  package var indent: Int
  /// Whether map keys are written in go-yaml's sorted order (as for a Go map) or as given
  /// (as for a `yaml.Node` or `MapSlice`, which sops writes).
  package var sortKeys: Bool
  /// v3 only: whether a literal block's header ends with its own line break, so that text
  /// starting with a line break shows a blank line first. go.yaml.in/yaml/v3 (the maintained
  /// fork, which sops builds with) does; gopkg.in/yaml.v3 3.0.1 (Helm's `toYamlPretty`) lets
  /// the text's first break end the header.
  package var literalHeaderBreak: Bool
  /// The longest text written; a longer one is an error (see `GoYAML.text`).
  package var maximumBytes: Int

  /// Options for `dialect` with `indent` spaces, keys sorted unless `sortKeys` is false.
  package init(
    dialect: GoYAMLDialect, indent: Int = 2, sortKeys: Bool = true, literalHeaderBreak: Bool = false,
    maximumBytes: Int = GoYAML.defaultMaximumBytes
  ) {
    self.dialect = dialect
    self.indent = indent
    self.sortKeys = sortKeys
    self.literalHeaderBreak = literalHeaderBreak
    self.maximumBytes = maximumBytes
  }
}

/// Why go-yaml (or the JSON step before go-yaml v2) refuses a value.
package struct GoYAMLError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, worded as Go words it where it has a message.
  package let message: String
  /// Whether a limit of flowrel's was reached (Go would have written the text).
  package var isLimit = false

  /// An error with `message`.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}

/// Which go-yaml writes: v2 (through JSON, Helm's `toYaml`) or v3.
package enum GoYAMLDialect: Sendable {
  case v2, v3
}

/// A scalar's style as go-yaml's encoder asks for it (the emitter may still change it).
enum GoYAMLStyle {
  case plain, singleQuoted, doubleQuoted, literal
}

/// A scalar's text as go-yaml writes it, and the style its encoder asks for.
struct GoYAMLScalar {
  var text: [UInt8]
  var style: GoYAMLStyle
}

/// The tree the writer walks: scalars already turned into go-yaml's text, map keys in go-yaml's order.
indirect enum GoYAMLNode {
  case scalar(GoYAMLScalar)
  case sequence([GoYAMLNode])
  case mapping([(key: GoYAMLScalar, value: GoYAMLNode)])

  init(_ value: Value, options: GoYAMLOptions, depth: Int) throws(GoYAMLError) {
    guard depth <= GoYAML.maximumDepth else {
      throw GoYAMLError("the value is nested more than \(GoYAML.maximumDepth) levels deep")
    }
    let dialect = options.dialect
    switch value {
    case .null: self = .scalar(GoYAMLScalar(text: Array("null".utf8), style: .plain))
    case .bool(let b): self = .scalar(GoYAMLScalar(text: Array((b ? "true" : "false").utf8), style: .plain))
    case .int(let i), .int64(let i): self = .scalar(GoYAMLScalar(text: Array(String(i).utf8), style: .plain))
    case .double(let d): self = .scalar(GoYAMLScalar(text: Array(try GoYAMLScalars.float(d, dialect: dialect).utf8), style: .plain))
    case .string(let s): self = .scalar(try GoYAMLScalars.string(s, dialect: dialect))
    case .list(let items):
      var nodes: [GoYAMLNode] = []
      nodes.reserveCapacity(items.count)
      for item in items { nodes.append(try GoYAMLNode(item, options: options, depth: depth + 1)) }
      self = .sequence(nodes)
    case .map(let entries):
      var keys = entries.keys.map { (key: $0, scalars: Array($0.unicodeScalars)) }
      if options.sortKeys { keys.sort { GoYAMLScalars.keyPrecedes($0.scalars, $1.scalars, dialect: dialect) } }
      var pairs: [(key: GoYAMLScalar, value: GoYAMLNode)] = []
      pairs.reserveCapacity(keys.count)
      for key in keys {
        if dialect == .v2 { try GoYAMLScalars.checkJSONKey(key.scalars) }
        let scalar = try GoYAMLScalars.string(key.key, dialect: dialect)
        pairs.append((scalar, try GoYAMLNode(entries[key.key] ?? .null, options: options, depth: depth + 1)))
      }
      self = .mapping(pairs)
    }
  }
}

/// go-yaml's encoder decisions for scalars: number text, which strings must be quoted, key order.
package enum GoYAMLScalars {
  /// A double's text. v2 sees the number as `encoding/json` wrote it and reads that text back
  /// as YAML: an integer text stays an integer (`-0` becomes `0`), anything else is a float
  /// printed as `strconv.FormatFloat(f, 'g', -1, 64)`. v3 prints the float directly.
  static func float(_ d: Double, dialect: GoYAMLDialect) throws(GoYAMLError) -> String {
    switch dialect {
    case .v3:
      if d.isNaN { return ".nan" }
      if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
      return ShortestDecimal(d).generalForm
    case .v2:
      let json: String
      do { json = try Value.double(d).jsonText() } catch { throw GoYAMLError("error marshaling into JSON: \(error.message)") }
      if let integer = Int64(json) { return String(integer) }
      if !json.hasPrefix("-"), let integer = UInt64(json) { return String(integer) }
      return ShortestDecimal(d).generalForm
    }
  }

  /// The node go-yaml's encoder makes of a string: a literal block when it holds a line feed,
  /// plain when reading it back unquoted gives the same string, double-quoted otherwise.
  static func string(_ original: String, dialect: GoYAMLDialect) throws(GoYAMLError) -> GoYAMLScalar {
    let s = dialect == .v2 ? try throughJSON(original) : original
    let bytes = Array(s.utf8)
    if bytes.contains(UInt8(ascii: "\n")) { return GoYAMLScalar(text: bytes, style: .literal) }
    let plain = GoYAMLResolver.isString(bytes, dialect: dialect) && !GoYAMLResolver.isBase60Float(bytes)
    return GoYAMLScalar(text: bytes, style: plain ? .plain : .doubleQuoted)
  }

  /// The string go-yaml v2 reads back from `encoding/json`'s text of `s`. JSON escapes
  /// control characters but leaves DEL, the C1 controls, U+FFFE and U+FFFF raw, which
  /// go-yaml's reader refuses; and it leaves NEL raw, which YAML takes for a line break
  /// inside the double-quoted scalar and folds with the spaces around it (one break becomes
  /// a space, `n` breaks become `n - 1` line feeds).
  static func throughJSON(_ s: String) throws(GoYAMLError) -> String {
    guard s.unicodeScalars.contains(where: { $0.value >= 0x7F }) else { return s }
    var out = String.UnicodeScalarView()
    var pendingSpaces = 0
    var breaks = 0
    func flush() {
      if breaks > 0 {
        out.append(contentsOf: breaks == 1 ? [" "] : Array(repeating: "\n", count: breaks - 1))
        breaks = 0
      }
      out.append(contentsOf: Array(repeating: " ", count: pendingSpaces))
      pendingSpaces = 0
    }
    for c in s.unicodeScalars {
      switch c.value {
      case 0x85:
        // Spaces before the first break are dropped; spaces between breaks too.
        pendingSpaces = 0
        breaks += 1
      case 0x20:
        if breaks == 0 { pendingSpaces += 1 }
      case 0x7F...0x9F, 0xFFFE, 0xFFFF:
        throw GoYAMLError("error converting JSON to YAML: yaml: control characters are not allowed")
      default:
        flush()
        out.append(c)
      }
    }
    flush()
    return String(out)
  }

  /// Fails for a map key that go-yaml v2 cannot read back from the JSON text: its reader
  /// gives up on a key that spans lines (a raw NEL) or runs over 1024 characters with its
  /// quotes, as `encoding/json` escapes it.
  static func checkJSONKey(_ key: [Unicode.Scalar]) throws(GoYAMLError) {
    var length = 0
    for c in key {
      switch c.value {
      case 0x85: throw GoYAMLError("error converting JSON to YAML: yaml: a map key holds a NEL line break")
      case 0x22, 0x5C, 0x0A, 0x0D, 0x09: length += 2
      case 0..<0x20, 0x3C, 0x3E, 0x26, 0x2028, 0x2029: length += 6
      default: length += 1
      }
    }
    if length > 1022 {
      throw GoYAMLError("error converting JSON to YAML: yaml: a map key is longer than go-yaml reads (1024 characters)")
    }
  }

  /// go-yaml's map key order for string keys: compared character by character; where they
  /// differ, letters come after everything else and runs of digits compare as numbers.
  static func keyPrecedes(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], dialect: GoYAMLDialect) -> Bool {
    var digits = false
    var i = 0
    while i < a.count && i < b.count {
      if a[i] == b[i] {
        digits = isDigit(a[i])
        i += 1
        continue
      }
      let aLetter = isLetter(a[i]), bLetter = isLetter(b[i])
      if aLetter && bLetter { return a[i].value < b[i].value }
      // v3 puts a letter first after a run of equal digits; v2 always puts it last.
      if aLetter || bLetter { return dialect == .v3 && digits ? aLetter : bLetter }
      var aNumber: Int64 = 0, bNumber: Int64 = 0
      if a[i] == "0" || b[i] == "0" {
        // A zero after a non-zero digit run is part of that number, not a leading zero.
        var j = i - 1
        while j >= 0 && isDigit(a[j]) {
          if a[j] != "0" {
            aNumber = 1
            bNumber = 1
            break
          }
          j -= 1
        }
      }
      var aEnd = i, bEnd = i
      while aEnd < a.count && isDigit(a[aEnd]) {
        aNumber = aNumber &* 10 &+ (Int64(a[aEnd].value) &- 48)
        aEnd += 1
      }
      while bEnd < b.count && isDigit(b[bEnd]) {
        bNumber = bNumber &* 10 &+ (Int64(b[bEnd].value) &- 48)
        bEnd += 1
      }
      if aNumber != bNumber { return aNumber < bNumber }
      if aEnd != bEnd { return aEnd < bEnd }
      return a[i].value < b[i].value
    }
    return a.count < b.count
  }

  /// Go's `unicode.IsLetter`.
  static func isLetter(_ c: Unicode.Scalar) -> Bool {
    switch c.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: true
    default: false
    }
  }

  /// Go's `unicode.IsDigit` (any decimal digit, not only ASCII).
  package static func isDigit(_ c: Unicode.Scalar) -> Bool {
    c.properties.generalCategory == .decimalNumber
  }
}
