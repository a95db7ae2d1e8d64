import FlowrelValue
import Foundation
import Testing

@testable import FlowrelYAML

/// The fast reader's answer for `text` (`nil`: it leaves the text to libyaml).
private func fast(_ text: String) -> Value? {
  var text = text
  return text.withUTF8(BlockReader.read)
}

/// libyaml's reader's answer (`parseDocument` always reads through libyaml), or `nil` for an error.
private func libyaml(_ text: String) -> Value? {
  try? YAML.parseDocument(text).value
}

/// Where the fast reader answers, libyaml's reader answers the same; returns whether it answered.
@discardableResult
private func expectAgreement(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
  guard let value = fast(text) else { return false }
  let reference = libyaml(text)
  #expect(reference == value, "\(text.debugDescription): fast \(value), libyaml \(String(describing: reference))", sourceLocation: sourceLocation)
  return true
}

/// Texts in the shape the fast reader is for: each is read by it, to libyaml's value.
let readTexts: [String] = [
  "", "# only a comment\n", "---\n", "--- # comment\na: 1\n",
  "a: 1\nb: two\nc: 1.5\nd: true\ne: ~\nf:\ng: null\n",
  "a: b c  \nd: e # comment\nf: g#h\ni: http://x:80/y\n",
  "metadata:\n  name: web\n  labels:\n    app: web\n    tier: front\nspec:\n  replicas: 3\n",
  "list:\n- a\n- b\nnext: 1\n",
  "list:\n  - a\n  -   b\n  - 'c'\n",
  "containers:\n- name: x\n  image: y:1\n  ports:\n  - containerPort: 80\n    name: http\n- name: z\n",
  "- a\n- b: 1\n  c: 2\n- [1, 2]\n", "- key:\n  - a\n  other: b\n- key:\n    - c\n",
  "args: [\"--port\",\"8080\",\"--name\",\"a b\"]\nempty: []\nobj: {\"a\":1,\"b\":[true,null],\"c\":{}}\n",
  "flow: [a, -1, 0x1F, 'q''s', \"e\\\"\\\\\\/\\n\\t\\r\\u003c\\u00e9\"]\nmap: {a: 1, \"b\": two}\n",
  "s: 'it''s'\nd: \"tab\\there\"\n\"quoted key\": 1\n'single key': 2\n",
  "1: one\ntrue: yes\n1.5: x\n0x10: hex\n",
  "text: |\n  line 1\n    indented\n\n  line 3\n\nnext: 1\n",
  "text: |-\n  no newline at end\nother: |\n  kept\n",
  "- |\n  in a list\n- |-\n  stripped\n",
  "empty: |\nnext: x\n", "last: |\n  no line break at the end", "- |-\n  x\n- |\n  y",
  "a: |\n  one\n\n  two",

  "  a: 1\n  b: 2\n",
  "a:\n  b:\n    c:\n      d: deep\n",
  "key: value # trailing comment\n# a comment line\n\n   \nother: x\n",
  "port: 8080\nneg: -17\nplus: +12\noctal: 0755\nfloat: 1e3\nname: --port\n",
]

/// Texts the fast reader leaves to libyaml (whether or not they are valid YAML).
let givenUpTexts: [String] = [
  "a: 1\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.1\n---\na: 1\n", "plain scalar\n", "a: &x 1\nb: *x\n",
  "a: !!str 1\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "a: multi\n  line\n", "a: \"multi\n  line\"\n",
  "a: [1,\n  2]\n", "a: >\n  folded\n", "a: |+\n  kept\n", "a: |2\n    x\n", "a:\n- - nested\n",
  "-\n  a: 1\n", "a:\tb\n", "a: b\r\n", "a: é\n", "? complex\n: value\n", "a: b: c\n", "a: b:\n",
  "a: 1\n b: 2\n", "a:\n  1\n", "a: |\n  x\n \n  y\n", "a: |\n  x\n y\n", "a: {b}\n", "a: [b c]\n",
  "a: \"\\x41\"\n", "a: \"\\ud800\"\n", "~: 1\n", "a: @b\n", "key : v\n", "a: [a:b]\n", "- a\nb: 1\n",
]

@Test(arguments: readTexts) func blockReaderReadsAsLibyamlDoes(_ text: String) {
  #expect(expectAgreement(text), "the fast reader gave up on \(text.debugDescription)")
}

@Test(arguments: givenUpTexts) func blockReaderLeavesTheRestToLibyaml(_ text: String) {
  #expect(fast(text) == nil)
}

@Test func blockReaderGivesUpBelowItsDepthLimit() {
  var deep = ""
  for level in 0...BlockReader.maximumDepth { deep += String(repeating: " ", count: level) + "k:\n" }
  #expect(fast(deep) == nil)
  #expect(libyaml(deep) != nil)
  #expect(fast(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) == nil)
}

/// The repository's example releases: every rendered object is read by the fast reader,
/// to libyaml's value; their values files agree where it reads them.
@Test func blockReaderReadsTheExampleReleases() throws {
  let releases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../releases")
  let names = try FileManager.default.contentsOfDirectory(atPath: releases.path).sorted()
  #expect(!names.isEmpty)
  for name in names {
    let folder = releases.appendingPathComponent(name)
    let manifests = try String(contentsOf: folder.appendingPathComponent("manifests.yaml"), encoding: .utf8)
    let documents = YAML.splitDocuments(manifests)
    #expect(documents.count > 3)
    for document in documents {
      #expect(expectAgreement(String(document.text)), "\(name): gave up on the document at line \(document.startLine)")
    }
    expectAgreement(try String(contentsOf: folder.appendingPathComponent("values.yaml"), encoding: .utf8))
  }
}

/// Random values as the emitter writes them.
@Test func blockReaderAgreesOnEmittedValues() {
  var rng = SplitMix64(state: 0xB10C_4EAD)
  var read = 0
  for _ in 0..<3_000 {
    let value = randomValue(&rng, depth: 0)
    if expectAgreement(YAML.emit(value)) { read += 1 }
  }
  // Most of these are scalars at the top or hold control characters or non-ASCII text, all
  // left to libyaml; the comparison still covers a few hundred maps and lists.
  #expect(read > 200)
}

/// Mutated manifests and values (bytes replaced, inserted, removed; lines indented, repeated,
/// removed): the fast reader answers as libyaml does, or leaves the text alone; where libyaml
/// reports an error, it never answers.
@Test func blockReaderAgreesOnMutatedManifests() throws {
  let releases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../releases")
  var documents: [[UInt8]] = []
  for name in try FileManager.default.contentsOfDirectory(atPath: releases.path).sorted() {
    let folder = releases.appendingPathComponent(name)
    let manifests = try String(contentsOf: folder.appendingPathComponent("manifests.yaml"), encoding: .utf8)
    documents += YAML.splitDocuments(manifests).map { Array($0.text.utf8) }
    documents.append(Array(try String(contentsOf: folder.appendingPathComponent("values.yaml"), encoding: .utf8).utf8))
  }
  let pieces = Array(" :-#\"'[]{},|>\n\\&*!?%@.0a~\t".utf8)
  var rng = SplitMix64(state: 0x0DD_B17E)
  var answered = 0, refused = 0
  for _ in 0..<20_000 {
    var bytes = rng.pick(documents)
    for _ in 0...rng.below(3) where !bytes.isEmpty {
      let at = rng.below(bytes.count)
      let lineStart = bytes[..<at].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
      let lineEnd = bytes[at...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
      switch rng.below(6) {
      case 0: bytes[at] = rng.pick(pieces)
      case 1: bytes.insert(rng.pick(pieces), at: at)
      case 2: bytes.remove(at: at)
      case 3: bytes.insert(contentsOf: [0x20, 0x20], at: lineStart)
      case 4: bytes.insert(contentsOf: Array(bytes[lineStart..<lineEnd]), at: lineEnd)
      default: bytes.removeSubrange(lineStart..<lineEnd)
      }
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if expectAgreement(text) { answered += 1 }
    if libyaml(text) == nil {
      refused += 1
      #expect(fast(text) == nil, "answered text libyaml refuses: \(text.debugDescription)")
    }
  }
  #expect(answered > 5_000)
  #expect(refused > 1_000)
}

/// `mayResolveToNonString` covers every first byte with which `resolvePlain` can give
/// something other than a string (the emitter's quoting relies on it).
@Test func onlyTheListedFirstBytesResolveToNonStrings() {
  let tails = ["", "es", "rue", "ull", "alse", "ff", "nf", "1", "0", ".5", "e3", "x1F", "_000", "AN"]
  for first in UInt8(0x21)...UInt8(0x7E) where !ScalarResolver.mayResolveToNonString(first: first) {
    for tail in tails {
      let text = String(decoding: [first], as: UTF8.self) + tail
      guard case .string = ScalarResolver.resolvePlain(text) else {
        Issue.record("\(text.debugDescription) resolves to a non-string")
        continue
      }
    }
  }
  // And the listed ones do begin non-strings.
  for text in ["yes", "true", "no", "false", "on", "off", "~", ".5", "+1", "-1", "7", "Y", "N", "T", "F", "O"] {
    #expect(ScalarResolver.mayResolveToNonString(first: text.utf8.first ?? 0))
  }
}
