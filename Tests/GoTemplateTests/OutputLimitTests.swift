import FlowrelValue
import GoTemplate
import Testing

/// One execution writes at most `maxOutputBytes`, and converting a value to plain data builds
/// at most `maxPlainBytes` of it: a loop or shared lists end with a limit error, not exhausted memory.
@Suite struct OutputLimitTests {
  func run(_ text: String, options: ExecutionOptions) throws -> String {
    try render(text, [:], options: options, functions: collectionFunctions())
  }

  @Test func outputPastTheLimitStopsAtTheStatementThatWroteIt() {
    let error = failure { try run("{{ range 1000 }}\n0123456789{{ end }}", options: ExecutionOptions(maxOutputBytes: 1000)) }
    #expect(error?.kind == .limit)
    #expect(error?.message == "template: t:1:9: executing \"t\" at <1000>: the output is longer than 1000 bytes, the most flowrel renders from one template")
  }

  @Test func outputUpToTheLimitIsWritten() throws {
    #expect(try run("{{ range 100 }}0123456789{{ end }}", options: ExecutionOptions(maxOutputBytes: 1000)).utf8.count == 1000)
  }

  @Test func theDefaultLimitIsOneHundredMebibytes() {
    #expect(ExecutionOptions().maxOutputBytes == 100 << 20)
    let error = failure {
      try run(#"{{ range 200 }}{{ printf "%1000000d" 1 }}{{ end }}"#, options: ExecutionOptions())
    }
    #expect(error?.detail == "the output is longer than 100 MiB, the most flowrel renders from one template")
  }

  @Test func anIncludedTemplateIsLimitedWhileItIsBuilt() {
    let text = #"{{ define "big" }}{{ range 1000 }}0123456789{{ end }}{{ end }}{{ $x := include "big" . }}done"#
    let error = failure { try run(text, options: ExecutionOptions(maxOutputBytes: 1000)) }
    #expect(error?.detail.hasSuffix("the output is longer than 1000 bytes, the most flowrel renders from one template") == true)
  }

  /// `list $x $x` doubled 25 times: 2^25 leaves that share one list, built out by the conversion.
  @Test func sharedListsAreNotBuiltPastTheBudget() throws {
    var list = TemplateValue.list(TemplateList([TemplateValue.int(1)]))
    for _ in 0..<25 { list = .list(TemplateList([list, list])) }
    var budget = 1000
    #expect(throws: TemplateValue.tooLargeToConvert) { try list.plainValue(budget: &budget) }
    #expect(TemplateValue.tooLargeToConvert.detail == "the value would be more than 104857600 bytes as JSON, the most flowrel converts")
    #expect(list.plainValue == nil)
  }

  /// `[1]` doubled k times is JSON of 2 * length(k-1) + 3 bytes: a budget of exactly that converts.
  @Test func aBudgetOfTheJSONLengthIsEnough() throws {
    var list = TemplateValue.list(TemplateList([TemplateValue.int(1)]))
    var length = 3
    for _ in 0..<10 {
      list = .list(TemplateList([list, list]))
      length = 2 * length + 3
    }
    var exact = length + 1
    #expect(try list.plainValue(budget: &exact) != nil)
    var short = length - 1
    #expect(throws: TemplateValue.tooLargeToConvert) { try list.plainValue(budget: &short) }
  }
}
