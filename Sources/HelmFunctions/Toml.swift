import FlowrelValue
import GoTemplate
import TOMLKit

// Helm's `toToml` (BurntSushi/toml's encoder, its errors returned as the text), written with
// TOMLKit (toml++). The document means what Helm's means; its layout differs in places (README,
// "Differences from Helm"). Like Helm, keys with no value (nil) are left out.

extension Library {
  mutating func addToml() {
    add("toToml", plain: { a in
      try a.expectCount(1)
      var budget = TemplateValue.maxPlainBytes + 1
      guard let value = try a[0].plainValue(budget: &budget) else {
        throw failure("toToml: the value holds an object or a function, which TOML cannot hold")
      }
      guard case .map(let entries) = value else { return "toml: top-level values must be Go maps or structs" }
      do throws(TomlProblem) {
        let text = try tomlTable(entries, depth: 0).convert(to: .toml, options: [.indentSubTables, .allowUnicodeStrings])
        // BurntSushi's encoder ends every line, the last one too.
        return .string(text.isEmpty ? "" : text + "\n")
      } catch {
        switch error {
        case .text(let message): return .string(message)
        case .tooDeep: throw failure("toToml: the value is nested more than \(maximumTomlDepth) levels deep, the most flowrel writes")
        }
      }
    })
  }
}

/// How deep maps and lists may nest in a `toToml` value (toml++ writes recursively).
private let maximumTomlDepth = 200

/// Why a value cannot be written: Helm's text for it, or flowrel's depth limit.
private enum TomlProblem: Error {
  case text(String)
  case tooDeep
}

/// The map as a TOML table; nil entries are left out, as BurntSushi's encoder does.
private func tomlTable(_ entries: some Sequence<(key: String, value: Value)>, depth: Int, inline: Bool = false) throws(TomlProblem)
  -> TOMLTable
{
  guard depth < maximumTomlDepth else { throw .tooDeep }
  let table = TOMLTable(inline: inline)
  for (key, value) in entries {
    guard let converted = try tomlValue(value, depth: depth + 1) else { continue }
    table[key] = converted
  }
  return table
}

/// A value as TOML, or `nil` for nil.
private func tomlValue(_ value: Value, depth: Int) throws(TomlProblem) -> (any TOMLValueConvertible)? {
  switch value {
  case .null: return nil
  case .bool(let b): return b
  case .int(let i), .int64(let i): return Int(i)
  case .double(let d): return d
  case .string(let s): return s
  case .map(let m): return try tomlTable(m.lazy.map { (key: $0.key, value: $0.value) }, depth: depth)
  case .list(let elements):
    guard depth < maximumTomlDepth else { throw .tooDeep }
    let array = TOMLArray()
    for element in elements {
      guard let converted = try tomlValue(element, depth: depth + 1) else {
        throw .text("toml: cannot encode array with nil element")
      }
      array.append(converted)
    }
    return array
  }
}
