import GoTemplate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Sprig's string functions (strings.md). Argument order and byte-based slicing follow Go:
// `trunc 5 .s`, `trimSuffix "-" .s`, `contains "sub" .s`.

extension Library {
  mutating func addStrings() {
    add("hello", plain: { _ in .string("Hello!") })
    add("upper", plain: { a in try a.expectCount(1); return .string(mapScalars(try a.string(at: 0), goUpper)) })
    add("lower", plain: { a in try a.expectCount(1); return .string(mapScalars(try a.string(at: 0), goLower)) })
    add("title", plain: { a in try a.expectCount(1); return .string(title(try a.string(at: 0))) })
    add("untitle", plain: { a in try a.expectCount(1); return .string(untitle(try a.string(at: 0))) })
    add("swapcase", plain: { a in try a.expectCount(1); return .string(swapCase(try a.string(at: 0))) })
    add("camelcase", plain: { a in try a.expectCount(1); return .string(camelCase(try a.string(at: 0))) })
    add("snakecase", plain: { a in try a.expectCount(1); return .string(joinedWords(try a.string(at: 0), "_")) })
    add("kebabcase", plain: { a in try a.expectCount(1); return .string(joinedWords(try a.string(at: 0), "-")) })
    add("trim", plain: { a in try a.expectCount(1); return .string(trimSpace(try a.string(at: 0))) })
    add(["trimAll", "trimall"], plain: { a in
      try a.expectCount(2)
      let cutset = Set(try a.string(at: 0).unicodeScalars)
      return .string(trimScalars(try a.string(at: 1)) { cutset.contains($0) })
    })
    add("trimSuffix", plain: { a in
      try a.expectCount(2)
      let suffix = try a.string(at: 0), s = try a.string(at: 1)
      return .string(s.utf8.hasSuffix(suffix.utf8) ? String(decoding: s.utf8.dropLast(suffix.utf8.count), as: UTF8.self) : s)
    })
    add("trimPrefix", plain: { a in
      try a.expectCount(2)
      let prefix = try a.string(at: 0), s = try a.string(at: 1)
      return .string(s.utf8.starts(with: prefix.utf8) ? String(decoding: s.utf8.dropFirst(prefix.utf8.count), as: UTF8.self) : s)
    })
    add("nospace", plain: { a in
      try a.expectCount(1)
      // goutils reads the string byte by byte, each byte as a Latin-1 character: bytes of
      // multi-byte characters come out as Latin-1 characters (`é` becomes `Ã©`), as in Helm.
      var out = String.UnicodeScalarView()
      for byte in try a.string(at: 0).utf8 {
        let scalar = Unicode.Scalar(byte)
        if !scalar.properties.isWhitespace { out.append(scalar) }
      }
      return .string(String(out))
    })
    add("initials", plain: { a in
      try a.expectCount(1)
      let words = try a.string(at: 0).unicodeScalars.split { $0.properties.isWhitespace }
      var out = String.UnicodeScalarView()
      for word in words { if let first = word.first { out.append(first) } }
      return .string(String(out))
    })
    add("trunc", plain: { a in
      try a.expectCount(2)
      let n = try a.int(at: 0)
      let bytes = Array(try a.string(at: 1).utf8)
      if n < 0, Int64(bytes.count) + n > 0 { return .string(String(decoding: bytes[(bytes.count + Int(n))...], as: UTF8.self)) }
      if n >= 0, Int64(bytes.count) > n { return .string(String(decoding: bytes[..<Int(n)], as: UTF8.self)) }
      return .string(String(decoding: bytes, as: UTF8.self))
    })
    add("substr", plain: { a in
      try a.expectCount(3)
      return .string(try substring(Int(try a.int(at: 0)), Int(try a.int(at: 1)), try a.string(at: 2)))
    })
    add("abbrev", plain: { a in
      try a.expectCount(2)
      let width = Int(try a.int(at: 0)), s = try a.string(at: 1)
      return .string(width < 4 ? s : abbreviate(s, offset: 0, width: width))
    })
    add("abbrevboth", plain: { a in
      try a.expectCount(3)
      let left = Int(try a.int(at: 0)), right = Int(try a.int(at: 1)), s = try a.string(at: 2)
      if right < 4 || (left > 0 && right < 7) { return .string(s) }
      return .string(abbreviate(s, offset: left, width: right))
    })
    add("repeat", plain: { a in
      try a.expectCount(2)
      let n = try a.int(at: 0), s = try a.string(at: 1)
      guard n >= 0 else { throw failure("strings: negative Repeat count") }
      try checkOutputSize(n.multipliedReportingOverflow(by: Int64(s.utf8.count)), "repeat")
      return .string(String(repeating: s, count: Int(n)))
    })
    add("wrap", plain: { a in
      try a.expectCount(2)
      return .string(wrap(try a.string(at: 1), width: Int(try a.int(at: 0)), newline: "\n", breakLongWords: false))
    })
    add("wrapWith", plain: { a in
      try a.expectCount(3)
      return .string(wrap(try a.string(at: 2), width: Int(try a.int(at: 0)), newline: try a.string(at: 1), breakLongWords: true))
    })
    add("contains", plain: { a in
      try a.expectCount(2)
      return .bool(containsBytes(try a.string(at: 1), try a.string(at: 0)))
    })
    add("hasPrefix", plain: { a in
      try a.expectCount(2)
      return .bool(try a.string(at: 1).utf8.starts(with: try a.string(at: 0).utf8))
    })
    add("hasSuffix", plain: { a in
      try a.expectCount(2)
      return .bool(try a.string(at: 1).utf8.hasSuffix(try a.string(at: 0).utf8))
    })
    add("quote", plain: { a in .string(a.filter { !$0.isNil }.map { GoFormat.quote(stringValue($0)) }.joined(separator: " ")) })
    add("squote", plain: { a in .string(a.filter { !$0.isNil }.map { "'" + stringValue($0) + "'" }.joined(separator: " ")) })
    add("cat", plain: { a in .string(a.filter { !$0.isNil }.map(goFormat).joined(separator: " ")) })
    add("indent", plain: { a in
      try a.expectCount(2)
      return .string(try indent(try a.string(at: 1), by: try a.int(at: 0)))
    })
    add("nindent", plain: { a in
      try a.expectCount(2)
      return .string("\n" + (try indent(try a.string(at: 1), by: try a.int(at: 0))))
    })
    add("replace", plain: { a in
      try a.expectCount(3)
      return .string(try replaceAll(try a.string(at: 2), try a.string(at: 0), with: try a.string(at: 1)))
    })
    add("plural", plain: { a in
      try a.expectCount(3)
      return .string(try a.int(at: 2) == 1 ? try a.string(at: 0) : try a.string(at: 1))
    })
    add("split", plain: { a in
      try a.expectCount(2)
      return indexedParts(split(try a.string(at: 1), by: try a.string(at: 0), limit: -1))
    })
    add("splitn", plain: { a in
      try a.expectCount(3)
      return indexedParts(split(try a.string(at: 2), by: try a.string(at: 0), limit: Int(try a.int(at: 1))))
    })
    add("splitList", plain: { a in
      try a.expectCount(2)
      return stringList(split(try a.string(at: 1), by: try a.string(at: 0), limit: -1))
    })
    add("join", plain: { a in
      try a.expectCount(2)
      return .string(stringSlice(a[1]).joined(separator: try a.string(at: 0)))
    })
    add("sortAlpha", plain: { a in
      try a.expectCount(1)
      guard listValue(a[0]) != nil else { return stringList([stringValue(a[0])]) }
      return stringList(stringSlice(a[0]).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }))
    })
  }
}

/// `s` with `spaces` spaces before every line (Sprig's `indent`: after every `\n`, even a last one).
/// Copies whole lines at a time: `indent` and `nindent` are among the most called functions.
func indent(_ s: String, by spaces: Int64) throws(HelmFunctionsError) -> String {
  guard spaces >= 0 else { throw failure("strings: negative Repeat count") }
  var text = s
  // Lines are found with memchr: charts indent whole blocks of YAML with this.
  let lineEnds = text.withUTF8 { bytes in
    var ends: [Int] = []
    guard let base = bytes.baseAddress else { return ends }
    var offset = 0
    while let newline = memchr(base + offset, Int32(UInt8(ascii: "\n")), bytes.count - offset) {
      offset = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
      ends.append(offset)
    }
    return ends
  }
  let padding = spaces.multipliedReportingOverflow(by: Int64(lineEnds.count + 1))
  try checkOutputSize(padding, "indent")
  let pad = Int(spaces)
  return text.withUTF8 { bytes in
    // Written straight into the new string's storage.
    String(unsafeUninitializedCapacity: bytes.count + Int(padding.partialValue)) { out in
      var written = 0
      var start = 0
      func writeLine(upTo end: Int) {
        out[written..<written + pad].initialize(repeating: UInt8(ascii: " "))
        written += pad
        _ = UnsafeMutableBufferPointer(rebasing: out[written...]).initialize(fromContentsOf: bytes[start..<end])
        written += end - start
        start = end
      }
      for end in lineEnds { writeLine(upTo: end) }
      writeLine(upTo: bytes.count)
      return written
    }
  }
}

/// The largest string `repeat`, `indent` and `replace` build: as much as one template may
/// write (100 MiB), so that a typo cannot exhaust memory.
let maximumOutputSize = Int64(ExecutionOptions.defaultMaxOutputBytes)

/// Fails when a result of `size` bytes (or an overflowing size) would exceed `maximumOutputSize`.
func checkOutputSize(_ size: (partialValue: Int64, overflow: Bool), _ name: String) throws(HelmFunctionsError) {
  guard !size.overflow, size.partialValue <= maximumOutputSize else {
    throw failure("\(name) would make a string of more than \(maximumOutputSize) bytes")
  }
}

/// Go's `strings.Replace(s, old, new, -1)`, byte-wise: an empty `old` matches between every
/// character and at both ends.
/// Fails when the result would be longer than `maximumOutputSize`.
func replaceAll(_ s: String, _ old: String, with new: String) throws(HelmFunctionsError) -> String {
  let added = Int64(new.utf8.count)
  if old.isEmpty {
    let inserts = Int64(s.unicodeScalars.count + 1)
    try checkOutputSize(inserts.multipliedReportingOverflow(by: added), "replace")
    var out = new
    for ch in s.unicodeScalars { out.unicodeScalars.append(ch); out += new }
    return out
  }
  let parts = split(s, by: old, limit: -1)
  let kept = Int64(s.utf8.count - (parts.count - 1) * old.utf8.count)
  let insertedBytes = Int64(parts.count - 1).multipliedReportingOverflow(by: added)
  try checkOutputSize(insertedBytes.overflow ? insertedBytes : insertedBytes.partialValue.addingReportingOverflow(kept), "replace")
  return parts.joined(separator: new)
}

/// Whether `s` contains `sub` as bytes (Go's `strings.Contains`, no Unicode normalisation).
func containsBytes(_ s: String, _ sub: String) -> Bool {
  sub.isEmpty || byteRange(of: Array(sub.utf8), in: Array(s.utf8), from: 0) != nil
}

/// The first byte offset of `needle` in `haystack` at or after `start`.
func byteRange(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
  guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty ? start : nil }
  var i = start
  while i + needle.count <= haystack.count {
    if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
    i += 1
  }
  return nil
}

/// Go's `strings.SplitN(s, sep, limit)` (`limit` < 0: no limit); an empty `sep` splits into
/// characters (Unicode scalars, as Go splits into runes).
func split(_ s: String, by sep: String, limit: Int) -> [String] {
  if limit == 0 { return [] }
  if sep.isEmpty {
    var scalars = s.unicodeScalars.map { String($0) }
    if limit > 0, scalars.count > limit {
      let rest = scalars[(limit - 1)...].joined()
      scalars = Array(scalars[..<(limit - 1)]) + [rest]
    }
    return scalars
  }
  let bytes = Array(s.utf8), needle = Array(sep.utf8)
  var parts: [String] = []
  var start = 0
  while limit < 0 || parts.count < limit - 1, let found = byteRange(of: needle, in: bytes, from: start) {
    parts.append(String(decoding: bytes[start..<found], as: UTF8.self))
    start = found + needle.count
  }
  parts.append(String(decoding: bytes[start...], as: UTF8.self))
  return parts
}

/// Sprig's `split` result: a `map[string]string` with keys `_0`, `_1`, ...
private func indexedParts(_ parts: [String]) -> TemplateValue {
  var entries: [(String, TemplateValue)] = []
  for (i, part) in parts.enumerated() { entries.append(("_\(i)", .string(part))) }
  return .map(TemplateMap(.init(uniqueKeysWithValues: entries), elementTypeName: "string"))
}

/// Go's `unicode.IsSpace` trimmed from both ends (`strings.TrimSpace`).
func trimSpace(_ s: String) -> String { trimScalars(s) { $0.properties.isWhitespace } }

/// `s` without leading and trailing scalars for which `drop` holds.
func trimScalars(_ s: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
  let scalars = s.unicodeScalars
  guard let first = scalars.firstIndex(where: { !drop($0) }), let last = scalars.lastIndex(where: { !drop($0) }) else {
    return ""
  }
  return String(scalars[first...last])
}

/// Go's `strings.Title`: the first letter of every word in title case.
private func title(_ s: String) -> String {
  var out = ""
  var previous: Unicode.Scalar = " "
  for scalar in s.unicodeScalars {
    out.unicodeScalars.append(isWordSeparator(previous) ? goTitle(scalar) : scalar)
    previous = scalar
  }
  return out
}

/// `strings.Title`'s word boundary: ASCII other than letters, digits and `_`, or Unicode space.
private func isWordSeparator(_ r: Unicode.Scalar) -> Bool {
  if r.isASCII {
    return !(r.properties.isAlphabetic || ("0"..."9").contains(r) || r == "_")
  }
  if r.properties.isAlphabetic || r.properties.numericType == .decimal { return false }
  return r.properties.isWhitespace
}

/// Sprig's `untitle`: the first letter of every whitespace-separated word in lower case.
private func untitle(_ s: String) -> String {
  var out = ""
  var atWordStart = true
  for scalar in s.unicodeScalars {
    if scalar.properties.isWhitespace {
      out.unicodeScalars.append(scalar)
      atWordStart = true
    } else {
      out.unicodeScalars.append(atWordStart ? goLower(scalar) : scalar)
      atWordStart = false
    }
  }
  return out
}

/// Sprig's `swapcase`: upper and title case become lower case, lower case becomes upper case.
private func swapCase(_ s: String) -> String {
  var out = ""
  for scalar in s.unicodeScalars {
    let p = scalar.properties
    if p.isUppercase || p.generalCategory == .titlecaseLetter {
      out.unicodeScalars.append(goLower(scalar))
    } else if p.isLowercase {
      out.unicodeScalars.append(goUpper(scalar))
    } else {
      out.unicodeScalars.append(scalar)
    }
  }
  return out
}

/// Whether `r` joins words in `camelcase` and `snakecase` input (`_`, `-`, spaces).
private func isConnector(_ r: Unicode.Scalar) -> Bool { r == "_" || r == "-" || r.properties.isWhitespace }

/// Sprig's `camelcase` (xstrings): connectors are dropped and the letter after one is upper
/// case, every other letter lower case (`http_server` -> `HttpServer`, `fooBar` -> `Foobar`);
/// connectors at the start, doubled or at the end stay.
private func camelCase(_ s: String) -> String {
  let scalars = Array(s.unicodeScalars)
  var out = String.UnicodeScalarView()
  var i = 0
  while i < scalars.count, isConnector(scalars[i]) { out.append(scalars[i]); i += 1 }
  guard i < scalars.count else { return String(out) }
  var current = goUpper(scalars[i])
  i += 1
  while i < scalars.count {
    let previous = current
    current = scalars[i]
    i += 1
    if isConnector(current) && isConnector(previous) {
      out.append(previous)
    } else if isConnector(previous) {
      current = goUpper(current)
    } else {
      current = goLower(current)
      out.append(previous)
    }
  }
  out.append(current)
  return String(out)
}

/// Sprig's `snakecase` / `kebabcase` (xstrings): lower case, with `separator` between words.
/// A word starts at an upper-case letter after a lower-case letter or a digit, at the last
/// upper-case letter of a run followed by lower case (`HTTPServer`), and at digits followed by
/// lower case (`a1b` -> `a_1b`; other digits stay with the word before); each connector
/// becomes one `separator`, other punctuation stays as it is.
private func joinedWords(_ s: String, _ separator: Unicode.Scalar) -> String {
  let scalars = Array(s.unicodeScalars)
  func isUpper(_ i: Int) -> Bool { i >= 0 && i < scalars.count && scalars[i].properties.isUppercase }
  func isLower(_ i: Int) -> Bool {
    i >= 0 && i < scalars.count && scalars[i].properties.isAlphabetic && !scalars[i].properties.isUppercase
  }
  func isDigit(_ i: Int) -> Bool { i >= 0 && i < scalars.count && scalars[i].properties.numericType == .decimal }
  var out = String.UnicodeScalarView()
  for (i, scalar) in scalars.enumerated() {
    if isConnector(scalar) {
      out.append(separator)
      continue
    }
    var startsWord = false
    if isUpper(i) {
      startsWord = isLower(i - 1) || isDigit(i - 1) || (isUpper(i - 1) && isLower(i + 1))
    } else if isDigit(i), isUpper(i - 1) || isLower(i - 1) {
      var end = i
      while isDigit(end) { end += 1 }
      startsWord = isLower(end)
    }
    if startsWord { out.append(separator) }
    out.append(goLower(scalar))
  }
  return String(out)
}

/// Go's `unicode.ToUpper`: the simple (one-to-one) mapping; characters whose upper case is
/// several characters (`ß`) stay as they are.
func goUpper(_ scalar: Unicode.Scalar) -> Unicode.Scalar { single(scalar.properties.uppercaseMapping) ?? scalar }

/// Go's `unicode.ToLower` (simple mapping).
func goLower(_ scalar: Unicode.Scalar) -> Unicode.Scalar { single(scalar.properties.lowercaseMapping) ?? scalar }

/// Go's `unicode.ToTitle` (simple mapping).
private func goTitle(_ scalar: Unicode.Scalar) -> Unicode.Scalar { single(scalar.properties.titlecaseMapping) ?? scalar }

/// The only scalar of `text`, or `nil` when it has several.
private func single(_ text: String) -> Unicode.Scalar? {
  let scalars = text.unicodeScalars
  return scalars.count == 1 ? scalars.first : nil
}

/// `s` with `transform` applied to every scalar (Go's `strings.Map`).
private func mapScalars(_ s: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar) -> String {
  var out = String.UnicodeScalarView()
  out.append(contentsOf: s.unicodeScalars.map(transform))
  return String(out)
}

/// Go's `s[start:end]` with Sprig's `substr` rules: a negative start means 0..end, an end
/// out of range means start..len. Bad bounds fail with Go's runtime message.
private func substring(_ start: Int, _ end: Int, _ s: String) throws -> String {
  let bytes = Array(s.utf8)
  func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
  func outOfRange(_ bounds: String) -> HelmFunctionsError { failure("runtime error: slice bounds out of range \(bounds)") }
  if start < 0 {
    guard end >= 0, end <= bytes.count else {
      throw outOfRange(end < 0 ? "[:\(end)]" : "[:\(end)] with length \(bytes.count)")
    }
    return text(0..<end)
  }
  if end < 0 || end > bytes.count {
    guard start <= bytes.count else { throw outOfRange("[\(start):\(bytes.count)]") }
    return text(start..<bytes.count)
  }
  guard start <= end else { throw outOfRange("[\(start):\(end)]") }
  return text(start..<end)
}

/// goutils' `AbbreviateFull`: `...` marks what was cut so that the result fits `width` bytes,
/// keeping the text around `offset`.
private func abbreviate(_ s: String, offset: Int, width: Int) -> String {
  let bytes = Array(s.utf8)
  func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
  if bytes.count <= width { return s }
  var offset = min(offset, bytes.count)
  if bytes.count - offset < width - 3 { offset = bytes.count - (width - 3) }
  if offset <= 4 { return text(0..<(width - 3)) + "..." }
  if width < 7 { return s }
  if offset + width - 3 < bytes.count {
    return "..." + abbreviate(text(offset..<bytes.count), offset: 0, width: width - 3)
  }
  return "..." + text((bytes.count - (width - 3))..<bytes.count)
}

/// goutils' `WrapCustom`: lines broken at spaces to at most `width` bytes; words longer than
/// `width` are cut when `breakLongWords`, else left whole.
private func wrap(_ s: String, width: Int, newline: String, breakLongWords: Bool) -> String {
  let bytes = Array(s.utf8)
  if bytes.isEmpty { return "" }
  let newline = newline.isEmpty ? "\n" : newline
  let width = max(1, width)
  func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
  var out = ""
  var offset = 0
  while bytes.count - offset > width {
    if bytes[offset] == UInt8(ascii: " ") {
      offset += 1
      continue
    }
    let window = bytes[offset..<(offset + width + 1)]
    if let space = window.lastIndex(of: UInt8(ascii: " ")) {
      out += text(offset..<space) + newline
      offset = space + 1
    } else if breakLongWords {
      out += text(offset..<(offset + width)) + newline
      offset += width
    } else if let space = bytes[(offset + width)...].firstIndex(of: UInt8(ascii: " ")) {
      out += text(offset..<space) + newline
      offset = space + 1
    } else {
      out += text(offset..<bytes.count)
      offset = bytes.count
    }
  }
  return out + text(offset..<bytes.count)
}

extension String.UTF8View {
  /// Whether the bytes end with `suffix`'s bytes.
  func hasSuffix(_ suffix: String.UTF8View) -> Bool {
    count >= suffix.count && reversed().starts(with: suffix.reversed())
  }
}
