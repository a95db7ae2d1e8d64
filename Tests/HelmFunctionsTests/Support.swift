import FlowrelValue
import GoTemplate
import Testing

@testable import HelmFunctions

/// A stand-in for the running execution: options, named templates for `include`, and a
/// `render` that substitutes `{{ . }}` (enough to see what `tpl` passes on).
final class FakeEnvironment: FunctionEnvironment {
  let options: ExecutionOptions
  var templates: [String: String] = [:]
  var renderError: TemplateError?
  var rendered: [(text: String, name: String)] = []

  init(options: ExecutionOptions = ExecutionOptions(), templates: [String: String] = [:]) {
    self.options = options
    self.templates = templates
  }

  func executeTemplate(named name: String, data: TemplateValue) throws(TemplateError) -> String {
    guard let text = templates[name] else { throw TemplateError(.execution, "no such template \"\(name)\"") }
    return text.replacingOccurrences(of: "{{ . }}", with: goFormat(data))
  }

  func render(text: String, name: String, data: TemplateValue) throws(TemplateError) -> String {
    rendered.append((text, name))
    if let renderError { throw renderError }
    return text.replacingOccurrences(of: "{{ . }}", with: goFormat(data))
  }
}

/// A YAML codec good enough to see what the YAML functions do with it: it writes JSON (which
/// is YAML) after a line naming the style, and reads JSON; the text `bad` does not parse.
struct FakeYAML: YAMLCodec {
  struct Failure: Error, CustomStringConvertible {
    var description: String { "yaml: line 1: did not find expected key" }
  }

  func parse(_ text: String) throws -> Value {
    if text == "bad" { throw Failure() }
    if text.isEmpty { return .null }
    return try Value(jsonText: text)
  }
}

let library = Library.standard(yaml: FakeYAML())

/// Calls library function `name` with `arguments`, as a template would.
func call(
  _ name: String, _ arguments: TemplateValue..., environment: FakeEnvironment = FakeEnvironment()
) throws -> TemplateValue {
  guard let body = library.bodies[name] else { throw HelmFunctionsError("no function \(name)") }
  return try body(TemplateArguments(functionName: name, values: arguments), environment)
}

/// `%v` of the result of `name` (Go's rendering of it into a template).
func show(_ name: String, _ arguments: TemplateValue..., environment: FakeEnvironment = FakeEnvironment()) throws -> String {
  guard let body = library.bodies[name] else { throw HelmFunctionsError("no function \(name)") }
  return goFormat(try body(TemplateArguments(functionName: name, values: arguments), environment))
}

/// `%T` of the result of `name`.
func type(_ name: String, _ arguments: TemplateValue...) throws -> String {
  guard let body = library.bodies[name] else { throw HelmFunctionsError("no function \(name)") }
  return try body(TemplateArguments(functionName: name, values: arguments), FakeEnvironment()).goTypeName
}

/// The message `name` fails with, or `nil` when it succeeds.
func failure(
  _ name: String, _ arguments: TemplateValue..., environment: FakeEnvironment = FakeEnvironment()
) -> String? {
  guard let body = library.bodies[name] else { return "no function \(name)" }
  do {
    _ = try body(TemplateArguments(functionName: name, values: arguments), environment)
    return nil
  } catch {
    return "\(error)"
  }
}

/// An environment whose options carry `flags`.
func environment(flags: [String: Value]) -> FakeEnvironment {
  FakeEnvironment(options: ExecutionOptions(flags: flags))
}
