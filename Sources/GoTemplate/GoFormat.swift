import FlowrelValue
import Foundation

/// Go's `fmt` formatting of template values (`Sprint`, `Sprintf`, `Sprintln`, `%v`), byte for
/// byte as Go prints the same data: `map[a:1 b:2]` with sorted keys, `[a b]`, `<nil>`, floats in
/// Go's shortest form (`1e+06`), and Go's error notes (`%!d(string=x)`, `%!s(MISSING)`,
/// `%!(EXTRA int=1)`). Function libraries use it for `toString`, `cat`, `join`, ...
package enum GoFormat {
  /// `fmt.Sprint`: operands in `%v`, with a space between two operands when neither is a string.
  package static func sprint(_ args: [TemplateValue]) -> String {
    var printer = Printer()
    var previousIsString = false
    for (i, arg) in args.enumerated() {
      let isString: Bool = if case .string = arg { true } else { false }
      if i > 0 && !isString && !previousIsString { printer.out += " " }
      printer.printArg(arg, verb: "v")
      previousIsString = isString
    }
    return printer.out
  }

  /// `fmt.Sprintln`: operands in `%v` separated by spaces, and a newline.
  package static func sprintln(_ args: [TemplateValue]) -> String {
    var printer = Printer()
    for (i, arg) in args.enumerated() {
      if i > 0 { printer.out += " " }
      printer.printArg(arg, verb: "v")
    }
    printer.out += "\n"
    return printer.out
  }

  /// `fmt.Sprintf`: verbs `%v %s %d %q %x %X %f %F %e %E %g %G %t %T %c %o %O %b %U %%`, flags
  /// `-+# 0`, width, precision, `*` and `[n]` argument indexes.
  package static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
    var printer = Printer()
    printer.printf(Array(format.utf8), args)
    return printer.out
  }

  /// `%v` of one value (`fmt.Sprint(x)`).
  package static func string(_ value: TemplateValue) -> String {
    if case .string(let s) = value { return s }
    var printer = Printer()
    printer.printArg(value, verb: "v")
    return printer.out
  }

  /// Appends `value` formatted with `verb` and no flags to `out`.
  static func writeValue(_ value: TemplateValue, verb: UInt8, into out: inout String) {
    var printer = Printer()
    swap(&printer.out, &out)
    printer.printArg(value, verb: Unicode.Scalar(verb))
    swap(&printer.out, &out)
  }

  /// `strconv.Quote`: a double-quoted Go string literal.
  package static func quote(_ s: String) -> String {
    var out = "\""
    appendQuoted(s, quote: "\"", asciiOnly: false, into: &out)
    out += "\""
    return out
  }

  /// The zero value of a Go map element type named `typeName` (for `missingkey=zero`).
  static func zeroValue(ofType typeName: String) -> TemplateValue {
    switch typeName {
    case "string": .string("")
    case "int": .int(0)
    case "int64": .int64(0)
    case "float64": .double(0)
    case "bool": .bool(false)
    default: .null
    }
  }

  /// Go's `%#U`: `U+0041 'A'`.
  static func unicodeNotation(_ scalar: Unicode.Scalar) -> String {
    var printer = Printer()
    printer.sharp = true
    printer.fmtUnicode(UInt64(scalar.value))
    return printer.out
  }

  /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
  static func isPrint(_ s: Unicode.Scalar) -> Bool {
    if s.value < 0x80 { return s.value >= 0x20 && s.value < 0x7F }
    switch s.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator,
      .spaceSeparator:
      return false
    default:
      return true
    }
  }

  static let lowerHex = Array("0123456789abcdefx".utf8)
  static let upperHex = Array("0123456789ABCDEFX".utf8)

  static func appendQuoted(_ s: String, quote: Unicode.Scalar, asciiOnly: Bool, into out: inout String) {
    // Most strings are printable ASCII without quotes or backslashes: copy them whole.
    let q = UInt8(quote.value)
    if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != q && $0 != UInt8(ascii: "\\") }) {
      out += s
      return
    }
    for scalar in s.unicodeScalars {
      appendQuotedScalar(scalar, quote: quote, asciiOnly: asciiOnly, into: &out)
    }
  }

  static func appendQuotedScalar(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, asciiOnly: Bool, into out: inout String) {
    if scalar == quote || scalar == "\\" {
      out += "\\"
      out.unicodeScalars.append(scalar)
      return
    }
    if asciiOnly ? (scalar.value < 0x80 && isPrint(scalar)) : isPrint(scalar) {
      out.unicodeScalars.append(scalar)
      return
    }
    switch scalar {
    case "\u{07}": out += "\\a"
    case "\u{08}": out += "\\b"
    case "\u{0C}": out += "\\f"
    case "\n": out += "\\n"
    case "\r": out += "\\r"
    case "\t": out += "\\t"
    case "\u{0B}": out += "\\v"
    default:
      let v = scalar.value
      if v < 0x20 || v == 0x7F {
        out += "\\x" + hex(UInt64(v), width: 2)
      } else if v < 0x10000 {
        out += "\\u" + hex(UInt64(v), width: 4)
      } else {
        out += "\\U" + hex(UInt64(v), width: 8)
      }
    }
  }

  static func hex(_ v: UInt64, width: Int) -> String {
    let digits = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}

/// One formatting run: the output, and the flags of the verb being printed.
struct Printer {
  var out = ""
  var plus = false, minus = false, sharp = false, space = false, zero = false
  /// `%#v`: Go-syntax output.
  var sharpV = false
  var width = 0, widthPresent = false
  var precision = 0, precisionPresent = false

  mutating func clearFlags() {
    plus = false; minus = false; sharp = false; space = false; zero = false
    sharpV = false
    width = 0; widthPresent = false; precision = 0; precisionPresent = false
  }

  // MARK: Padding

  mutating func writePadding(_ n: Int) {
    guard n > 0 else { return }
    out += String(repeating: zero ? "0" : " ", count: n)
  }

  mutating func pad(_ s: String) {
    guard widthPresent && width != 0 else { out += s; return }
    let fill = width - s.unicodeScalars.count
    if minus {
      out += s
      writePadding(fill)
    } else {
      writePadding(fill)
      out += s
    }
  }

  func truncate(_ s: String) -> String {
    guard precisionPresent else { return s }
    let scalars = s.unicodeScalars
    if scalars.count <= precision { return s }
    return String(String.UnicodeScalarView(scalars.prefix(precision)))
  }

  // MARK: Values

  mutating func printArg(_ arg: TemplateValue, verb: Unicode.Scalar) {
    switch arg {
    case .missing, .null:
      switch verb {
      case "T", "v": pad("<nil>")
      default: badVerb(verb, arg)
      }
      return
    default: break
    }
    if verb == "T" {
      pad(truncate(arg.goTypeName))
      return
    }
    printValue(arg, verb: verb, depth: 0)
  }

  mutating func badVerb(_ verb: Unicode.Scalar, _ arg: TemplateValue) {
    out += "%!"
    out.unicodeScalars.append(verb)
    out += "("
    if arg.isNil {
      out += "<nil>"
    } else {
      // Go prints the value with the flags of the failed verb still set.
      out += arg.goTypeName + "="
      printValue(arg, verb: "v", depth: 0)
    }
    out += ")"
  }

  mutating func printValue(_ value: TemplateValue, verb: Unicode.Scalar, depth: Int) {
    if depth > TemplateValue.maxNesting, value.isCollection {
      // Only `set` in a loop builds such chains; Go would print on until its stack ran out.
      out += "<nested too deep>"
      return
    }
    switch value {
    case .missing, .null:
      if depth == 0 {
        printArg(value, verb: verb)
      } else {
        // A nil element: written as it is, without padding (Go's printValue).
        out += sharpV ? "interface {}(nil)" : "<nil>"
      }
    case .bool(let b):
      if verb == "t" || verb == "v" { pad(b ? "true" : "false") } else { badVerb(verb, value) }
    case .int(let i), .int64(let i):
      fmtInteger(UInt64(bitPattern: i), signed: true, verb: verb, value)
    case .wholeFloat(let i):
      // Printed as the integer it is (flowrel's documented difference from Go's `1e+06`),
      // also by `%d`, which Go refuses for a float; the float verbs see the float64.
      if verb == "v" || verb == "d" {
        fmtInteger(UInt64(bitPattern: i), signed: true, verb: verb, value)
      } else {
        fmtFloat(Double(i), verb: verb, value)
      }
    case .uint(let u):
      fmtInteger(u, signed: false, verb: verb, value)
    case .double(let d):
      fmtFloat(d, verb: verb, value)
    case .string(let s):
      switch verb {
      case "v": if sharpV { fmtQ(s) } else { pad(truncate(s)) }
      case "s": pad(truncate(s))
      case "x": fmtSx(s, GoFormat.lowerHex)
      case "X": fmtSx(s, GoFormat.upperHex)
      case "q": fmtQ(s)
      default: badVerb(verb, value)
      }
    case .list(let list):
      if sharpV {
        out += value.goTypeName + "{"
        for (i, element) in list.enumerated() {
          if i > 0 { out += ", " }
          printValue(element, verb: verb, depth: depth + 1)
        }
        out += "}"
      } else {
        out += "["
        for (i, element) in list.enumerated() {
          if i > 0 { out += " " }
          printValue(element, verb: verb, depth: depth + 1)
        }
        out += "]"
      }
    case .map(let map):
      out += sharpV ? value.goTypeName + "{" : "map["
      for (i, key) in map.sortedKeys.enumerated() {
        if i > 0 { out += sharpV ? ", " : " " }
        printValue(.string(key), verb: verb, depth: depth + 1)
        out += ":"
        printValue(map[key] ?? .null, verb: verb, depth: depth + 1)
      }
      out += sharpV ? "}" : "]"
    case .object(let object):
      pad(object.formatted)
    case .function(let function):
      _ = function
      pad("0x0")
    }
  }

  // MARK: Numbers

  mutating func fmtInteger(_ v: UInt64, signed: Bool, verb: Unicode.Scalar, _ value: TemplateValue) {
    switch verb {
    case "v":
      if sharpV && !signed {
        let saved = sharp
        sharp = true
        formatInteger(v, base: 16, signed: false, verb: "x", digits: GoFormat.lowerHex)
        sharp = saved
      } else {
        formatInteger(v, base: 10, signed: signed, verb: verb, digits: GoFormat.lowerHex)
      }
    case "d": formatInteger(v, base: 10, signed: signed, verb: verb, digits: GoFormat.lowerHex)
    case "b": formatInteger(v, base: 2, signed: signed, verb: verb, digits: GoFormat.lowerHex)
    case "o", "O": formatInteger(v, base: 8, signed: signed, verb: verb, digits: GoFormat.lowerHex)
    case "x": formatInteger(v, base: 16, signed: signed, verb: verb, digits: GoFormat.lowerHex)
    case "X": formatInteger(v, base: 16, signed: signed, verb: verb, digits: GoFormat.upperHex)
    case "c": pad(String(Self.rune(v)))
    case "q":
      var quoted = "'"
      GoFormat.appendQuotedScalar(Self.rune(v), quote: "'", asciiOnly: plus, into: &quoted)
      pad(quoted + "'")
    case "U": fmtUnicode(v)
    default: badVerb(verb, value)
    }
  }

  static func rune(_ v: UInt64) -> Unicode.Scalar {
    if v <= 0x10FFFF, let s = Unicode.Scalar(UInt32(v)) { return s }
    return Unicode.Scalar("\u{FFFD}")
  }

  mutating func formatInteger(_ value: UInt64, base: UInt64, signed: Bool, verb: Unicode.Scalar, digits: [UInt8]) {
    let negative = signed && Int64(bitPattern: value) < 0
    var u = negative ? 0 &- value : value
    var minDigits = 0
    if precisionPresent {
      minDigits = precision
      if precision == 0 && u == 0 {
        let saved = zero
        zero = false
        writePadding(width)
        zero = saved
        return
      }
    } else if zero && widthPresent {
      minDigits = width
      if negative || plus || space { minDigits -= 1 }
    }
    var buffer: [UInt8] = []
    repeat {
      buffer.append(digits[Int(u % base)])
      u /= base
    } while u > 0
    while buffer.count < minDigits { buffer.append(UInt8(ascii: "0")) }
    if sharp {
      switch base {
      case 2: buffer.append(UInt8(ascii: "b")); buffer.append(UInt8(ascii: "0"))
      case 8: if buffer.last != UInt8(ascii: "0") { buffer.append(UInt8(ascii: "0")) }
      case 16: buffer.append(digits[16]); buffer.append(UInt8(ascii: "0"))
      default: break
      }
    }
    if verb == "O" { buffer.append(UInt8(ascii: "o")); buffer.append(UInt8(ascii: "0")) }
    if negative {
      buffer.append(UInt8(ascii: "-"))
    } else if plus {
      buffer.append(UInt8(ascii: "+"))
    } else if space {
      buffer.append(UInt8(ascii: " "))
    }
    let saved = zero
    zero = false
    buffer.reverse()
    pad(String(decoding: buffer, as: UTF8.self))
    zero = saved
  }

  mutating func fmtUnicode(_ u: UInt64) {
    var text = String(u, radix: 16, uppercase: true)
    let minimum = precisionPresent && precision > 4 ? precision : 4
    if text.count < minimum { text = String(repeating: "0", count: minimum - text.count) + text }
    text = "U+" + text
    if sharp, u <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(u)), GoFormat.isPrint(scalar) {
      text += " '"
      text.unicodeScalars.append(scalar)
      text += "'"
    }
    let saved = zero
    zero = false
    pad(text)
    zero = saved
  }

  mutating func fmtFloat(_ v: Double, verb: Unicode.Scalar, _ value: TemplateValue) {
    switch verb {
    case "v": formatFloat(v, verb: "g", precision: -1)
    case "b", "g", "G", "x", "X": formatFloat(v, verb: verb, precision: -1)
    case "f", "e", "E": formatFloat(v, verb: verb, precision: 6)
    case "F": formatFloat(v, verb: "f", precision: 6)
    default: badVerb(verb, value)
    }
  }

  mutating func formatFloat(_ v: Double, verb: Unicode.Scalar, precision defaultPrecision: Int) {
    let prec = precisionPresent ? precision : defaultPrecision
    var num = Array(("+" + Self.strconvFloat(v, verb: verb, precision: prec)).utf8)
    if num[1] == UInt8(ascii: "-") || num[1] == UInt8(ascii: "+") { num.removeFirst() }
    if space && num[0] == UInt8(ascii: "+") && !plus { num[0] = UInt8(ascii: " ") }
    if num[1] == UInt8(ascii: "I") || num[1] == UInt8(ascii: "N") {
      let saved = zero
      zero = false
      if num[1] == UInt8(ascii: "N") && !space && !plus { num.removeFirst() }
      pad(String(decoding: num, as: UTF8.self))
      zero = saved
      return
    }
    if sharp && verb != "b" {
      var digits = 0
      switch verb {
      case "v", "g", "G", "x": digits = prec == -1 ? 6 : prec
      default: break
      }
      var tail: [UInt8] = []
      var hasPoint = false
      var sawNonzero = false
      var i = 1
      while i < num.count {
        let c = num[i]
        if c == UInt8(ascii: ".") {
          hasPoint = true
        } else if c == UInt8(ascii: "p") || c == UInt8(ascii: "P")
          || ((c == UInt8(ascii: "e") || c == UInt8(ascii: "E")) && verb != "x" && verb != "X")
        {
          tail = Array(num[i...])
          num.removeSubrange(i...)
          break
        } else {
          if c != UInt8(ascii: "0") { sawNonzero = true }
          if sawNonzero { digits -= 1 }
        }
        i += 1
      }
      if !hasPoint {
        if num.count == 2 && num[1] == UInt8(ascii: "0") { digits -= 1 }
        num.append(UInt8(ascii: "."))
      }
      while digits > 0 {
        num.append(UInt8(ascii: "0"))
        digits -= 1
      }
      num += tail
    }
    if plus || num[0] != UInt8(ascii: "+") {
      if zero && widthPresent && width > num.count {
        out.unicodeScalars.append(Unicode.Scalar(num[0]))
        writePadding(width - num.count)
        out += String(decoding: num[1...], as: UTF8.self)
        return
      }
      pad(String(decoding: num, as: UTF8.self))
      return
    }
    pad(String(decoding: num[1...], as: UTF8.self))
  }

  /// `strconv.FormatFloat(v, verb, precision, 64)` (`-1` is the shortest precision).
  static func strconvFloat(_ v: Double, verb: Unicode.Scalar, precision: Int) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-Inf" : "+Inf" }
    let upper = verb == "E" || verb == "G" || verb == "X"
    var text: String
    switch verb {
    case "x", "X":
      text = hexFloat(v, precision: precision)
    case "b":
      let exponent = Int(v.exponent) - 52
      let mantissa = v == 0 ? 0 : (v.significandBitPattern | (1 << 52))
      text = (v.sign == .minus ? "-" : "") + "\(mantissa)p" + (exponent >= 0 ? "+" : "") + "\(exponent)"
    case "e", "E":
      if precision < 0 {
        text = ShortestDecimal(v).exponentForm
      } else {
        text = String(format: "%.\(precision)e", v)
      }
    case "f", "F":
      if precision < 0 {
        text = ShortestDecimal(v).fixedForm
      } else {
        text = String(format: "%.\(precision)f", v)
      }
    default:
      if precision < 0 {
        text = ShortestDecimal(v).generalForm
      } else {
        text = generalFloat(v, precision: precision)
      }
    }
    return upper ? text.uppercased().replacingOccurrences(of: "INF", with: "Inf") : text
  }

  /// Go's `%g` with an explicit precision: `precision` significant digits, trailing zeros
  /// dropped, `%e` when the exponent is below -4 or at least the precision.
  static func generalFloat(_ v: Double, precision: Int) -> String {
    let prec = precision == 0 ? 1 : precision
    // C's %e rounds the exact binary value correctly, as Go's strconv does.
    let e = String(format: "%.\(prec - 1)e", v)
    var negative = false
    var mantissa = Substring(e)
    if mantissa.first == "-" {
      negative = true
      mantissa = mantissa.dropFirst()
    }
    guard let eIndex = mantissa.firstIndex(of: "e"), let exponent = Int(mantissa[mantissa.index(after: eIndex)...])
    else { return e }
    var digits = Array(mantissa[..<eIndex].utf8.filter { $0 != UInt8(ascii: ".") })
    while digits.count > 1 && digits.last == UInt8(ascii: "0") { digits.removeLast() }
    if digits == [UInt8(ascii: "0")] {
      return (negative ? "-" : "") + "0"
    }
    let dp = exponent + 1
    var eprec = prec
    if eprec > digits.count && digits.count >= dp { eprec = digits.count }
    var out = negative ? "-" : ""
    if exponent < -4 || exponent >= eprec {
      let p = min(prec, digits.count)
      out.unicodeScalars.append(Unicode.Scalar(digits[0]))
      if p > 1 {
        out += "."
        out += String(decoding: digits[1..<p], as: UTF8.self)
      }
      out += exponent < 0 ? "e-" : "e+"
      out += abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
      return out
    }
    var p = prec
    if p > dp { p = digits.count }
    let decimals = max(p - dp, 0)
    // Integer part.
    if dp > 0 {
      for i in 0..<dp { out.unicodeScalars.append(Unicode.Scalar(i < digits.count ? digits[i] : UInt8(ascii: "0"))) }
    } else {
      out += "0"
    }
    if decimals > 0 {
      out += "."
      for i in 0..<decimals {
        let index = dp + i
        out.unicodeScalars.append(
          Unicode.Scalar(index >= 0 && index < digits.count ? digits[index] : UInt8(ascii: "0")))
      }
    }
    return out
  }

  /// Go's `%x` of a float: `0x1.8p+01`.
  static func hexFloat(_ v: Double, precision: Int) -> String {
    let c = precision < 0 ? String(format: "%a", v) : String(format: "%.\(precision)a", v)
    guard let p = c.firstIndex(of: "p") else { return c }
    let head = c[..<p]
    var exponent = c[c.index(after: p)...]
    var sign = "+"
    if let first = exponent.first, first == "+" || first == "-" {
      sign = String(first)
      exponent = exponent.dropFirst()
    }
    return head + "p" + sign + (exponent.count < 2 ? "0" + exponent : String(exponent))
  }

  // MARK: Strings

  mutating func fmtQ(_ s: String) {
    let t = truncate(s)
    if sharp && !t.contains("`") && t.unicodeScalars.allSatisfy({ $0 == "\t" || GoFormat.isPrint($0) || $0.value >= 0x80 }) {
      pad("`" + t + "`")
      return
    }
    var quoted = "\""
    GoFormat.appendQuoted(t, quote: "\"", asciiOnly: plus, into: &quoted)
    pad(quoted + "\"")
  }

  mutating func fmtSx(_ s: String, _ digits: [UInt8]) {
    var bytes = Array(s.utf8)
    if precisionPresent && precision < bytes.count { bytes = Array(bytes.prefix(precision)) }
    var total = 2 * bytes.count
    if total > 0 {
      if space {
        if sharp { total *= 2 }
        total += bytes.count - 1
      } else if sharp {
        total += 2
      }
    } else {
      if widthPresent { writePadding(width) }
      return
    }
    if widthPresent && width > total && !minus { writePadding(width - total) }
    var text: [UInt8] = []
    if sharp { text += [UInt8(ascii: "0"), digits[16]] }
    for (i, c) in bytes.enumerated() {
      if space && i > 0 {
        text.append(UInt8(ascii: " "))
        if sharp { text += [UInt8(ascii: "0"), digits[16]] }
      }
      text.append(digits[Int(c >> 4)])
      text.append(digits[Int(c & 0xF)])
    }
    out += String(decoding: text, as: UTF8.self)
    if widthPresent && width > total && minus { writePadding(width - total) }
  }

  // MARK: Printf

  static func parseNumber(_ f: [UInt8], _ start: Int, _ end: Int) -> (Int, Bool, Int) {
    var i = start
    var n = 0
    var found = false
    while i < end, f[i] >= 0x30, f[i] <= 0x39 {
      if n > 1_000_000 { return (0, false, end) }
      n = n * 10 + Int(f[i] - 0x30)
      found = true
      i += 1
    }
    return (n, found, i)
  }

  /// `[n]` at `i`: the new argument number, index after it, and whether one was found.
  mutating func argumentIndex(
    _ argNum: Int, _ f: [UInt8], _ i: Int, _ count: Int, reordered: inout Bool, good: inout Bool
  ) -> (Int, Int, Bool) {
    guard i < f.count, f[i] == UInt8(ascii: "[") else { return (argNum, i, false) }
    reordered = true
    // Go's parseArgNumber.
    var index = 0
    var width = 1
    var ok = false
    if f.count - i >= 3 {
      var j = i + 1
      while j < f.count {
        if f[j] == UInt8(ascii: "]") {
          let (n, found, next) = Printer.parseNumber(f, i + 1, j)
          if !found || next != j {
            width = j - i + 1
            ok = false
          } else {
            index = n - 1
            width = j - i + 1
            ok = true
          }
          break
        }
        j += 1
      }
    }
    if ok && index >= 0 && index < count { return (index, i + width, true) }
    good = false
    return (argNum, i + width, ok)
  }

  static func intFromArgument(_ args: [TemplateValue], _ argNum: Int) -> (Int, Bool, Int) {
    guard argNum < args.count else { return (0, false, argNum) }
    var n = 0
    var isInt = false
    switch args[argNum] {
    case .int(let i), .int64(let i):
      n = Int(i)
      isInt = true
    case .uint(let u) where u <= UInt64(Int.max):
      n = Int(u)
      isInt = true
    default: break
    }
    if n > 1_000_000 || n < -1_000_000 {
      n = 0
      isInt = false
    }
    return (n, isInt, argNum + 1)
  }

  mutating func printf(_ f: [UInt8], _ args: [TemplateValue]) {
    let end = f.count
    var argNum = 0
    var afterIndex = false
    var reordered = false
    var i = 0
    while i < end {
      var good = true
      let last = i
      while i < end && f[i] != UInt8(ascii: "%") { i += 1 }
      if i > last { out += String(decoding: f[last..<i], as: UTF8.self) }
      if i >= end { break }
      i += 1
      clearFlags()
      flags: while i < end {
        switch f[i] {
        case UInt8(ascii: "#"): sharp = true
        case UInt8(ascii: "0"): zero = !minus
        case UInt8(ascii: "+"): plus = true
        case UInt8(ascii: "-"): minus = true; zero = false
        case UInt8(ascii: " "): space = true
        default: break flags
        }
        i += 1
      }
      (argNum, i, afterIndex) = argumentIndex(argNum, f, i, args.count, reordered: &reordered, good: &good)
      if i < end && f[i] == UInt8(ascii: "*") {
        i += 1
        (width, widthPresent, argNum) = Printer.intFromArgument(args, argNum)
        if !widthPresent { out += "%!(BADWIDTH)" }
        if width < 0 {
          width = -width
          minus = true
          zero = false
        }
        afterIndex = false
      } else {
        (width, widthPresent, i) = Printer.parseNumber(f, i, end)
        if afterIndex && widthPresent { good = false }
      }
      if i + 1 < end && f[i] == UInt8(ascii: ".") {
        i += 1
        if afterIndex { good = false }
        (argNum, i, afterIndex) = argumentIndex(argNum, f, i, args.count, reordered: &reordered, good: &good)
        if i < end && f[i] == UInt8(ascii: "*") {
          i += 1
          (precision, precisionPresent, argNum) = Printer.intFromArgument(args, argNum)
          if precision < 0 {
            precision = 0
            precisionPresent = false
          }
          if !precisionPresent { out += "%!(BADPREC)" }
          afterIndex = false
        } else {
          (precision, precisionPresent, i) = Printer.parseNumber(f, i, end)
          if !precisionPresent {
            precision = 0
            precisionPresent = true
          }
        }
      }
      if !afterIndex {
        (argNum, i, afterIndex) = argumentIndex(argNum, f, i, args.count, reordered: &reordered, good: &good)
      }
      if i >= end {
        out += "%!(NOVERB)"
        break
      }
      // The verb (one scalar).
      var verbLength = 1
      var verb = Unicode.Scalar(f[i])
      if f[i] >= 0x80 {
        var iterator = f[i...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&iterator) {
          verb = s
          verbLength = s.utf8.count
        } else {
          verb = Unicode.Scalar("\u{FFFD}")
        }
      }
      i += verbLength
      if verb == "%" {
        out += "%"
      } else if !good {
        out += "%!"
        out.unicodeScalars.append(verb)
        out += "(BADINDEX)"
      } else if argNum >= args.count {
        out += "%!"
        out.unicodeScalars.append(verb)
        out += "(MISSING)"
      } else {
        if verb == "v" {
          sharpV = sharp
          sharp = false
          plus = false
        }
        printArg(args[argNum], verb: verb)
        argNum += 1
      }
    }
    if !reordered && argNum < args.count {
      clearFlags()
      out += "%!(EXTRA "
      for (n, arg) in args[argNum...].enumerated() {
        if n > 0 { out += ", " }
        if arg.isNil {
          out += "<nil>"
        } else {
          out += arg.goTypeName + "="
          printArg(arg, verb: "v")
        }
      }
      out += ")"
    }
  }
}
