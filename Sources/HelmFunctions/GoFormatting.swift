import FlowrelValue
import GoTemplate

/// Go's `%v` of a value: `<nil>`, `[a b]`, `map[a:1 b:2]`, floats in `%g` form (`1e+06`).
func goFormat(_ value: TemplateValue) -> String {
  switch value {
  case .missing, .null: return "<nil>"
  case .bool(let b): return b ? "true" : "false"
  case .int(let i), .int64(let i): return String(i)
  case .uint(let u): return String(u)
  case .double(let d): return goFloat(d)
  case .string(let s): return s
  case .list(let list): return "[" + list.map(goFormat).joined(separator: " ") + "]"
  case .map(let map):
    return "map[" + map.sortedKeys.map { "\($0):\(goFormat(map[$0] ?? .null))" }.joined(separator: " ") + "]"
  case .object(let object): return object.formatted
  case .function: return "0x0"
  }
}

/// Go's `%v` of a float64.
func goFloat(_ d: Double) -> String {
  if d.isNaN { return "NaN" }
  if d.isInfinite { return d > 0 ? "+Inf" : "-Inf" }
  return ShortestDecimal(d).generalForm
}
