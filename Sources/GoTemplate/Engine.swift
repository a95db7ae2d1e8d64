// Placeholder so the public API compiles while the engine is written.
final class Tree: Sendable {
  let name: String
  let isEmpty: Bool
  init(name: String) { self.name = name; self.isEmpty = true }
}

enum Parser {
  static func parse(name: String, text: String, functions: TemplateFunctions) throws(TemplateError) -> [Tree] {
    throw TemplateError(.parse, "not implemented yet")
  }
}

extension TemplateContext {
  func run(_ name: String, data: TemplateValue, into output: inout [UInt8]) throws(TemplateError) {
    throw TemplateError(.execution, "not implemented yet")
  }
}
