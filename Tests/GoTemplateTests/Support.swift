import FlowrelValue
import ExternalProcess
import Foundation
import GoReferenceData
import GoTemplate
import Testing

/// One differential case: templates (name, text) parsed in order into one set, the one to
/// execute (default: the first), JSON data, and Go's `missingkey` option.
struct DiffCase: Sendable, CustomTestStringConvertible {
  var templates: [(String, String)]
  var execute: String?
  var data: String
  var missingKey: String

  init(_ text: String, data: String = "null", missingKey: String = "", also: [(String, String)] = [], execute: String? = nil) {
    templates = [("t", text)] + also
    self.data = data
    self.missingKey = missingKey
    self.execute = execute
  }

  var testDescription: String { templates[0].1 }

  var json: [String: Any] {
    ["templates": templates.map { [$0.0, $0.1] }, "execute": execute ?? "", "data": data, "missingkey": missingKey]
  }
}

/// What one engine produced: output and error text ("" when none).
struct Outcome: Sendable, Equatable, CustomStringConvertible {
  var output: String
  var error: String
  var description: String { error.isEmpty ? "output \(output.debugDescription)" : "error \(error.debugDescription) after \(output.debugDescription)" }
}

/// A problem running the reference program.
struct ReferenceError: Error, CustomStringConvertible {
  var description: String
}

/// Go's own text/template, through Tests/GoReference/main.go built once per test run.
enum GoReference {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The built reference program, or why it could not be built.
  static let binary: Result<URL, ReferenceError> = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("goreference-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let output = directory.appendingPathComponent("goreference")
    let source = packageRoot.appendingPathComponent("Tests/GoReference/main.go").path
    guard let go = findExecutable("go") else {
      return .failure(ReferenceError(description: "the differential tests need Go (`go` on PATH; apt-get install golang-go)"))
    }
    do {
      let (status, text) = try run(go, ["build", "-o", output.path, source], input: Data())
      if status != 0 { return .failure(ReferenceError(description: "go build failed: \(text)")) }
    } catch {
      return .failure(ReferenceError(description: "go build could not run: \(error)"))
    }
    return .success(output)
  }()

  static func findExecutable(_ name: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
      let path = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
  }

  static func run(_ executable: String, _ arguments: [String], input: Data) throws -> (Int32, String) {
    let output = try ExternalProcess.run(
      executable, arguments, environment: ExternalProcess.goEnvironment, input: input, mergingErrors: true)
    return (output.status, output.text)
  }

  /// Go's outcomes for `cases`, in order.
  static func outcomes(_ cases: [DiffCase]) -> Result<[Outcome], ReferenceError> {
    switch binary {
    case .failure(let error): return .failure(error)
    case .success(let url):
      do {
        let input = try JSONSerialization.data(withJSONObject: cases.map(\.json))
        let (status, text) = try run(url.path, [], input: input)
        guard status == 0, let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: String]]
        else { return .failure(ReferenceError(description: "reference program failed: \(text)")) }
        return .success(array.map { Outcome(output: $0["output"] ?? "", error: $0["error"] ?? "") })
      } catch {
        return .failure(ReferenceError(description: "reference program failed: \(error)"))
      }
    }
  }
}

/// Runs a case through GoTemplate the way the reference program runs it through Go.
func swiftOutcome(_ c: DiffCase) -> Outcome {
  var set = TemplateSet()
  do {
    for (name, text) in c.templates { try set.parse(name, text: text) }
  } catch {
    return Outcome(output: "", error: error.message)
  }
  let data: TemplateValue
  do {
    data = goTyped(try Value(jsonText: c.data))
  } catch {
    return Outcome(output: "", error: "bad data: \(error)")
  }
  var options = ExecutionOptions()
  switch c.missingKey {
  case "zero": options.missingKey = .zero
  case "error": options.missingKey = .error
  default: break
  }
  do {
    return Outcome(output: try set.execute(c.execute ?? c.templates[0].0, data: data, options: options), error: "")
  } catch {
    return Outcome(output: "", error: error.message)
  }
}

/// Renders `text` with `data` and default options (for unit tests).
func render(_ text: String, _ data: TemplateValue = .null, options: ExecutionOptions = ExecutionOptions(), functions: TemplateFunctions = TemplateFunctions()) throws(TemplateError) -> String {
  var set = TemplateSet(functions: functions)
  try set.parse("t", text: text)
  return try set.execute("t", data: data, options: options)
}

/// The template error `body` throws, or nil (recorded as an issue) when it succeeds.
func failure(_ body: () throws -> String, sourceLocation: SourceLocation = #_sourceLocation) -> TemplateError? {
  do {
    let output = try body()
    Issue.record("expected an error, got output \(output.debugDescription)", sourceLocation: sourceLocation)
  } catch let error as TemplateError {
    return error
  } catch {
    Issue.record("expected a TemplateError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
