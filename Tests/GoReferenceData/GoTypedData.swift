import FlowrelValue
import GoTemplate

/// Test data as the Go reference programs decode it (JSON integers as Go `int`s), for the
/// differential tests: flowrel's renderer gives a values file's integers as float64s
/// (`TemplateValue.wholeFloat`), but the cases compare the engine on Go's own integers.
package func goTyped(_ data: Value) -> TemplateValue {
  switch data {
  case .int(let i), .int64(let i): .int(i)
  case .list(let list): .list(TemplateList(list.map(goTyped)))
  case .map(let map): .map(TemplateMap(map.mapValues(goTyped)))
  default: TemplateValue(data)
  }
}
