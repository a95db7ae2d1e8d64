import FlowrelValue
import FlowrelYAML
import OrderedCollections
import Testing

/// A small deterministic PRNG (SplitMix64), so every run checks the same values.
struct SplitMix64 {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Strings that trip YAML writers: words other types claim, indicators, markers, spaces,
/// line breaks of every kind, control characters, non-ASCII.
let nastyStrings: [String] = [
  "", " ", "  ", "\n", "\n\n", " \n", "\t", "on", "yes", "No", "y", "n", "true", "False", "null", "~", "NULL",
  "0755", "0o17", "0x_1F", "0b11", "1e3", "1_000", "+12", "-0", ".5", "+.inf", ".nan", "1:20", "2001-12-14",
  "1.2.3", "=", "<<", "-", "--", "---", "...", "- a", "? a", ": a", "a:", "a: b", "a #b", "#", "&a", "*a",
  "!a", "%a", "@a", "`a", "|", ">", "'", "\"", "[", "]", "{", "}", ",", "a,b", "\\", "\\n", "key: |\n  x",
  " lead", "trail ", "a\nb", "a\n", "a\n\n", "\nlead", "  two\nlines", "tab\tin", "cr\r\nlf", "\r", "\0",
  "\u{07}", "\u{1B}", "\u{7F}", "\u{85}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFE}", "é", "😀",
  "日本語", "a\u{0301}", "--- a", "... a", "!!str", "*", "& a", "0.", "1.", "00", "09", "0x", "1e", "Inf", "NaN",
]

let alphabet: [String] = [
  "a", "b", "Z", " ", " ", "\n", "\t", ":", "#", "-", "?", "'", "\"", "\\", "é", "😀", "\u{85}", "\u{2028}",
  "\u{FEFF}", "\r", "\0", "0", "1", "9", ".", "e", "x", "_", "~", "[", "]", "{", "}", "!", "&", "*", "|", ">",
  "%", "@", "`", ",", "y", "n", "o", "\u{7F}", "\u{A0}", "/", "=", "<",
]

func randomString(_ rng: inout SplitMix64) -> String {
  if rng.below(10) < 4 { return rng.pick(nastyStrings) }
  var s = ""
  for _ in 0..<rng.below(14) { s += rng.pick(alphabet) }
  return s
}

func randomValue(_ rng: inout SplitMix64, depth: Int) -> Value {
  let kinds = depth >= 4 ? 5 : 7
  switch rng.below(kinds) {
  case 0: return .null
  case 1: return .bool(rng.below(2) == 0)
  case 2:
    return .int(rng.pick([0, 1, -1, Int64.max, Int64.min, 493, 1_000_000, Int64(bitPattern: rng.next()), Int64(rng.below(100_000))]))
  case 3:
    let specials: [Double] = [0, -0.0, 2, 0.5, 1e6, 1e21, 1e-7, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1]
    return .double(rng.below(2) == 0 ? rng.pick(specials) : Double(bitPattern: rng.next()))
  case 4: return .string(randomString(&rng))
  case 5: return .list((0..<rng.below(5)).map { _ in randomValue(&rng, depth: depth + 1) })
  default:
    var map = OrderedDictionary<String, Value>()
    for _ in 0..<rng.below(5) { map[randomString(&rng)] = randomValue(&rng, depth: depth + 1) }
    return .map(map)
  }
}

/// The value with every map's keys in byte order, as `emit(sortedKeys: true)` writes them.
func sortedKeys(_ value: Value) -> Value {
  switch value {
  case .list(let items): return .list(items.map(sortedKeys))
  case .map(let map):
    let keys = map.keys.sorted(by: Value.byteOrder)
    return .map(OrderedDictionary(uniqueKeysWithValues: keys.map { ($0, sortedKeys(map[$0] ?? .null)) }))
  default: return value
  }
}

@Test func randomValuesRoundTrip() throws {
  var rng = SplitMix64(state: 0x5EED_F10E)
  var failures: [String] = []
  var stream = ""
  var all: [Value] = []
  for _ in 0..<4_000 {
    let value = randomValue(&rng, depth: 0)
    let text = YAML.emit(value)
    do {
      let back = try YAML.parse(text)
      if back != value { failures.append("\(value) -> \(text.debugDescription) -> \(back)") }
      let sortedText = YAML.emit(value, sortedKeys: true)
      if try YAML.parse(sortedText) != sortedKeys(value) { failures.append("sorted: \(sortedText.debugDescription)") }
    } catch {
      failures.append("\(value) -> \(text.debugDescription) -> \(error)")
    }
    stream += "---\n" + text
    all.append(value)
  }
  #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.first ?? "")")
  // The same values as one multi-document stream.
  #expect(try YAML.parseDocuments(stream).map(\.value) == all)
}

@Test func nastyStringsRoundTripAsKeysAndValues() throws {
  var map = OrderedDictionary<String, Value>()
  for s in nastyStrings { map[s] = .string(s) }
  let value = Value.map(map)
  #expect(try YAML.parse(YAML.emit(value)) == value)
  #expect(try YAML.parse(YAML.emit(.list(nastyStrings.map(Value.string)))) == .list(nastyStrings.map(Value.string)))
}
