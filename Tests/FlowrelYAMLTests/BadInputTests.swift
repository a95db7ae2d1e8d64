import FlowrelValue
import FlowrelYAML
import Foundation
import Testing

@Test func invalidUTF8IsAnErrorAtTheByte() {
  // A bad leading byte, a truncated sequence, a bad continuation byte (reported where it is).
  let cases: [([UInt8], Int)] = [([0x61, 0x3A, 0x20, 0xFF], 4), ([0x61, 0x3A, 0x20, 0xC3], 4), ([0x61, 0x3A, 0x20, 0xE2, 0x28, 0xA1], 5)]
  for (bytes, column) in cases {
    #expect {
      try YAML.parse(bytes, file: "bad.yaml")
    } throws: { error in
      let e = error as? YAMLError
      return e?.line == 1 && e?.column == column && e?.message.hasPrefix("the text is not valid UTF-8") == true
    }
  }
  #expect(throws: YAMLError.self) { try YAML.parseDocuments([0x6B, 0x3A, 0x0A, 0x2D, 0x20, 0x80], file: "bad.yaml") }
  // A multi-byte character before the bad byte counts as one column.
  #expect(throws: YAMLError(file: "f", line: 2, column: 4, message: "the text is not valid UTF-8 (invalid leading UTF-8 octet)")) {
    try YAML.parse(Array("x: 1\né: ".utf8) + [0xFF], file: "f")
  }
}

@Test func nulAndControlCharactersAreErrors() throws {
  #expect(throws: YAMLError(file: "f", line: 1, column: 6, message: "control character U+0000 is not allowed in YAML")) {
    try YAML.parse("a: bc\0d", file: "f")
  }
  #expect(throws: YAMLError(file: "f", line: 2, column: 1, message: "control character U+0007 is not allowed in YAML")) {
    try YAML.parse("a: 1\n\u{07}", file: "f")
  }
  // Escaped in double quotes they are fine, and they come back out escaped.
  #expect(try YAML.parse("a: \"\\0\\a\"") == ["a": "\0\u{07}"])
}

@Test func nestingIsCappedWithAClearError() throws {
  let limit = YAML.maximumDepth
  for text in [
    String(repeating: "[", count: 100_000),
    String(repeating: "{a: ", count: 100_000),
    String(repeating: "- ", count: 100_000) + "x",
    (0..<5_000).map { String(repeating: " ", count: $0) + "k:\n" }.joined(),
  ] {
    #expect {
      try YAML.parse(text, file: "deep.yaml")
    } throws: { error in
      (error as? YAMLError)?.message == "maps and lists are nested deeper than \(limit) levels"
    }
  }
  #expect(throws: YAMLError(file: "f", line: 1, column: limit + 1, message: "maps and lists are nested deeper than \(limit) levels")) {
    try YAML.parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1), file: "f")
  }
}

/// A value nested `depth` lists deep, built without recursion.
func nestedLists(_ depth: Int, innermost: Value = "x") -> Value {
  var value = innermost
  for _ in 0..<depth { value = [value] }
  return value
}

@Test func inputAtTheDepthCapStillParsesAndEmits() throws {
  let depth = YAML.maximumDepth
  let flow = String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth)
  let expected = nestedLists(depth)
  #expect(try YAML.parse(flow) == expected)
  var block = ""
  for level in 0..<depth { block += String(repeating: " ", count: level) + "k:\n" }
  block += String(repeating: " ", count: depth) + "v"
  let parsed = try YAML.parseDocument(block)
  var expectedMap: Value = "v"
  for _ in 0..<depth { expectedMap = ["k": expectedMap] }
  #expect(parsed.value == expectedMap)
  #expect(parsed.position(of: ValuePath(Array(repeating: .key("k"), count: depth))) == YAMLPosition(line: depth + 1, column: depth + 1))
  // Emitting at the cap does not recurse, and reads back the same.
  #expect(try YAML.parse(YAML.emit(expected)) == expected)
  #expect(try YAML.parse(YAML.emit(expectedMap, sortedKeys: true)) == expectedMap)
}

/// Parses, emits and re-reads input nested to the cap, comparing emitted texts (not values:
/// `Value`'s `==` recurses), then frees everything: true when all agree.
func deepRoundTripsAgree() -> Bool {
  let depth = YAML.maximumDepth
  let flow = String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth)
  let block = (0..<depth).map { String(repeating: " ", count: $0) + "k:\n" }.joined() + String(repeating: " ", count: depth) + "v"
  for text in [flow, block] {
    guard let document = try? YAML.parseDocument(text) else { return false }
    let emitted = YAML.emit(document.value, sortedKeys: true)
    guard let back = try? YAML.parse(emitted), YAML.emit(back, sortedKeys: true) == emitted else { return false }
  }
  return true
}

@Test func depthCapHoldsOnASmallStack() async {
  // 512 KiB, a secondary thread's stack on macOS: parsing, emitting and freeing values at
  // the depth cap must fit, so no code here recurses per level.
  let agree = await withCheckedContinuation { continuation in
    let thread = Thread { continuation.resume(returning: deepRoundTripsAgree()) }
    thread.stackSize = 512 * 1024
    thread.start()
  }
  #expect(agree)
}

@Test func aliasesCannotNestPastTheCap() {
  let half = YAML.maximumDepth / 2 + 1
  let text = "a: &deep " + String(repeating: "[", count: half) + String(repeating: "]", count: half)
    + "\nb: " + String(repeating: "[", count: half) + "*deep" + String(repeating: "]", count: half) + "\n"
  #expect {
    try YAML.parse(text)
  } throws: { error in
    (error as? YAMLError)?.message.hasPrefix("maps and lists are nested deeper than") == true
  }
}

@Test func billionLaughsIsRefused() {
  var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
  let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
  for (previous, name) in zip(names, names.dropFirst()) {
    text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
  }
  #expect {
    try YAML.parse(text, file: "bomb.yaml")
  } throws: { error in
    (error as? YAMLError)?.message.hasPrefix("the document expands aliases excessively") == true
  }
}

@Test func ordinaryAliasUseIsAllowed() throws {
  // A Kubernetes-style file reusing an anchored block many times.
  var text = "common: &common {cpu: 100m, memory: 128Mi, labels: {app: web, tier: backend}}\nitems:\n"
  for i in 0..<200 { text += "- {name: item\(i), resources: *common}\n" }
  let value = try YAML.parse(text)
  #expect(value["items"]?.listValue?.count == 200)
  #expect(value["items"]?[199]?["resources"]?["labels"]?["tier"] == "backend")
}

@Test func hundredMegabyteScalarParses() throws {
  let size = 100 * 1024 * 1024
  var text = "big: "
  text.reserveCapacity(size + 16)
  text += String(repeating: "1", count: size)
  let value = try YAML.parse(text)
  // go-yaml reads these digits as a float that overflows, so the scalar stays a string.
  #expect(value["big"]?.stringValue?.utf8.count == size)
}

@Test func mutatedInputNeverCrashes() {
  // Byte-level mutations of valid YAML: every result is a value or a YAMLError, and every
  // value survives an emit/parse round trip.
  let seeds = [
    "a: &x {b: [1, 2.5, \"s\", 'q', ~]}\nc: *x\nd:\n  <<: *x\n  e: |\n    text\n  f: >-\n    folded\n---\n- !!binary aGk=\n- ? k\n  : v\n",
    "%YAML 1.1\n--- !!map\n? [complex]\n: {a: b}\n...\n",
    "key: \"\\u00e9\\x41\\N\"\nlist:\n- - x\n  - y\n- {}\n",
  ]
  let pieces: [[UInt8]] = [[0x00], [0xFF], [0xC3], [0x09], [0x0A], [0x0D], Array(":".utf8), Array("- ".utf8), Array("*x".utf8),
    Array("&y ".utf8), Array("[".utf8), Array("}".utf8), Array("\"".utf8), Array("'".utf8), Array("|".utf8), Array("<<: ".utf8),
    Array("!!int ".utf8), Array("---\n".utf8), Array("#".utf8), Array("   ".utf8), Array("é".utf8)]
  var rng = SplitMix64(state: 7)
  var parsed = 0
  for _ in 0..<3_000 {
    var bytes = Array(rng.pick(seeds).utf8)
    for _ in 0..<(1 + rng.below(4)) {
      let at = rng.below(bytes.count + 1)
      switch rng.below(3) {
      case 0: bytes.insert(contentsOf: rng.pick(pieces), at: at)
      case 1: if at < bytes.count { bytes.remove(at: at) }
      default: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: rng.next()) }
      }
    }
    guard let documents = try? YAML.parseDocuments(bytes, file: "fuzz.yaml") else { continue }
    parsed += 1
    for document in documents {
      #expect((try? YAML.parse(YAML.emit(document.value))) == document.value)
    }
  }
  // Some mutations stay valid YAML: the loop did check round trips.
  #expect(parsed > 100)
}
