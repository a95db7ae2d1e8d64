import FlowrelValue
import GoTemplate
import Testing

@testable import HelmFunctions

/// The functions with run-to-run results through a `DrawRecorder`: kept from one render to
/// the next, drawn anew for a new call, and `now` still refused.
@Suite struct DrawnFunctionTests {
  static let functions = HelmFunctions.library()

  /// The outputs of the templates `texts` (name → text) rendered with `recorder`.
  func render(_ texts: [String: String], recorder: DrawRecorder?) throws -> [String: String] {
    var set = TemplateSet(functions: Self.functions)
    for (name, text) in texts.sorted(by: { $0.key < $1.key }) { try set.parse(name, text: text) }
    var options = ExecutionOptions.helm()
    options.draws = recorder
    var out: [String: String] = [:]
    for name in texts.keys.sorted() where !name.hasSuffix(".tpl") {
      out[name] = try set.execute(name, data: .map(TemplateMap([:])), options: options)
    }
    return out
  }

  static let chart = [
    "app/templates/_helpers.tpl": #"{{ define "app.password" }}{{ randAlphaNum 16 }}{{ end }}"#,
    "app/templates/secret.yaml": #"a={{ randAlphaNum 16 }} b={{ randAlphaNum 16 }} c={{ include "app.password" . }} u={{ uuidv4 }} n={{ randInt 1 1000000000 }} s={{ shuffle "abcdefghijklmnopqrstuvwxyz" }} r={{ randBytes 12 }}"#,
    "app/templates/other.yaml": #"a={{ randAlphaNum 16 }}"#,
  ]

  /// The `key=value` fields of a rendered line.
  func fields(_ text: String?) -> [String: String] {
    var out: [String: String] = [:]
    for field in (text ?? "").split(separator: " ") {
      let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
      if parts.count == 2 { out[parts[0]] = parts[1] }
    }
    return out
  }

  @Test func eachCallDrawsItsOwnValueAndAnotherRenderWithTheDrawsGivesTheSameText() throws {
    let first = try DrawRecorder(previous: nil)
    let once = try render(Self.chart, recorder: first)
    let secret = fields(once["app/templates/secret.yaml"])
    // The same call twice in a template, and once more through include: three values.
    #expect(Set([secret["a"], secret["b"], secret["c"]]).count == 3, "\(secret)")
    #expect(secret["a"]?.count == 16 && secret["c"]?.count == 16)
    // Another template's call with the same arguments is a draw of its own.
    #expect(fields(once["app/templates/other.yaml"])["a"] != secret["a"])
    #expect(Set(first.drawnAnew) == ["randAlphaNum", "uuidv4", "randInt", "shuffle", "randBytes"])

    let again = try DrawRecorder(previous: first.document)
    #expect(try render(Self.chart, recorder: again) == once)
    #expect(again.drawnAnew.isEmpty)
    #expect(again.document == first.document)
  }

  @Test func aNewCallDrawsAnewAndACallThatIsGoneIsNotKept() throws {
    let first = try DrawRecorder(previous: nil)
    let once = try render(["app/templates/a.yaml": "{{ randAlphaNum 8 }}"], recorder: first)
    let second = try DrawRecorder(previous: first.document)
    let twice = try render(["app/templates/a.yaml": "{{ randAlphaNum 8 }} {{ randAlphaNum 8 }} {{ randAlphaNum 9 }}"], recorder: second)
    let parts = (twice["app/templates/a.yaml"] ?? "").split(separator: " ").map(String.init)
    #expect(parts.count == 3)
    #expect(parts.first == once["app/templates/a.yaml"])
    #expect(parts[1] != parts[0] && parts[2].count == 9)
    #expect(second.drawnAnew == ["randAlphaNum"])
    // The draws of a render are those it used: a third render without the calls keeps none.
    let third = try DrawRecorder(previous: second.document)
    _ = try render(["app/templates/a.yaml": "fixed"], recorder: third)
    #expect(third.document == nil)
  }

  @Test func theDocumentNamesWhereEachValueWasDrawn() throws {
    let recorder = try DrawRecorder(previous: nil)
    let out = try render(["app/templates/a.yaml": "{{ randAlpha 5 }}{{ randAlpha 5 }}"], recorder: recorder)
    let text = out["app/templates/a.yaml"] ?? ""
    let entries = try #require(recorder.document?["draws"]?.listValue)
    #expect(entries.count == 2)
    #expect(entries.map { $0["template"] } == ["app/templates/a.yaml", "app/templates/a.yaml"])
    #expect(entries.map { $0["function"] } == ["randAlpha", "randAlpha"])
    #expect(entries.map { $0["occurrence"] } == [0, 1])
    #expect(entries.map { $0["arguments"] } == [[5], [5]])
    #expect(entries.compactMap { $0["value"]?.stringValue }.joined() == text)
  }

  @Test func nowAndDateStayRefusedWithARecorder() throws {
    let recorder = try DrawRecorder(previous: nil)
    for text in ["{{ now }}", #"{{ date "2006" "x" }}"#] {
      #expect(throws: TemplateError.self) { _ = try render(["app/templates/t.yaml": text], recorder: recorder) }
    }
  }

  @Test func withoutARecorderTheDrawnFunctionsAreRefusedAsBefore() throws {
    #expect {
      _ = try render(["app/templates/t.yaml": "{{ randAlphaNum 3 }}"], recorder: nil)
    } throws: { error in
      "\(error)".contains("randAlphaNum gives a different result on every render")
    }
  }

  @Test func aRecorderDoesNotLeaveTheFlagSetForTheRestOfTheTemplate() throws {
    // The refusal is lifted for the drawn call only: `now` after it is still refused.
    let recorder = try DrawRecorder(previous: nil)
    #expect(throws: TemplateError.self) {
      _ = try render(["app/templates/t.yaml": "{{ randAlphaNum 3 }}{{ now }}"], recorder: recorder)
    }
  }

  @Test func everyRegisteredDrawnFunctionGoesThroughTheRecorder() throws {
    // Names not registered in this build are skipped; those registered are wrapped, so a call
    // of one with a recorder is never refused as run-to-run.
    let registered = HelmFunctions.drawnFunctions.filter { Self.functions[$0] != nil }
    #expect(registered.isSuperset(of: ["randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes", "randInt", "uuidv4", "shuffle"]))
    for name in registered {
      let recorder = try DrawRecorder(previous: nil)
      do {
        _ = try render(["app/templates/t.yaml": "{{ \(name) }}"], recorder: recorder)
      } catch {
        // Wrong arguments or an unsupported function, never the run-to-run refusal.
        #expect(!"\(error)".contains("gives a different result on every render"), "\(name): \(error)")
      }
    }
  }
}
