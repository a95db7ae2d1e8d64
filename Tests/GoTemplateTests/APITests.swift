import FlowrelValue
import GoTemplate
import Testing

@Test func plainValuesConvertBackUnchanged() {
  let value: Value = ["a": [1, "x", nil], "b": 2.5]
  #expect(TemplateValue(value).plainValue == value)
}
