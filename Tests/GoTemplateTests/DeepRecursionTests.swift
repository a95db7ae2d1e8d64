import GoTemplate
import Testing

/// Recursion ends with the depth error whatever the caller's stack: executions run on a
/// thread with a large stack. These run in debug builds on Swift Testing's threads.
@Suite struct DeepRecursionTests {
  @Test(arguments: [ExecutionOptions(), ExecutionOptions.helm()])
  func recursiveIncludeAtTheDefaultDepthEndsWithTheDepthError(_ options: ExecutionOptions) {
    let error = failure {
      try render(#"{{ define "loop" }}{{ include "loop" . }}{{ end }}{{ include "loop" . }}"#, [:], options: options, functions: collectionFunctions())
    }
    #expect(error?.kind == .limit)
    #expect(error?.detail == "error calling include: exceeded maximum template depth (1000)")
  }

  @Test func recursiveTplAndTemplateEndWithTheDepthError() {
    let tpl = failure {
      try render(#"{{ define "loop" }}{{ tpl "{{ include \"loop\" . }}" . }}{{ end }}{{ include "loop" . }}"#, [:], functions: collectionFunctions())
    }
    #expect(tpl?.kind == .limit)
    #expect(tpl?.detail.hasSuffix("exceeded maximum template depth (1000)") == true)
    let template = failure { try render(#"{{ define "loop" }}{{ with . }}{{ template "loop" . }}{{ end }}{{ end }}{{ template "loop" 1 }}"#) }
    #expect(template?.detail == "exceeded maximum template depth (1000)")
  }

  @Test func nestingAtTheParsersLimitExecutes() throws {
    let blocks = String(repeating: "{{ if 1 }}", count: 300) + "in" + String(repeating: "{{ end }}", count: 300)
    #expect(try render(blocks) == "in")
    let parens = "{{ print " + String(repeating: "(print ", count: 299) + "1" + String(repeating: ")", count: 299) + " }}"
    #expect(try render(parens) == "1")
  }

  /// Fuzzing found (issue 18) that every `{{if}}` counted as a depth level, so 600 levels of
  /// `include` under an `if` failed. Only calls count, as in Go and Helm.
  @Test func includeRecursionUnderBlocksCountsOnlyTheCalls() throws {
    let text = #"{{ define "r" }}{{ if . }}{{ with . }}{{ include "r" (slice . 1) }}{{ end }}{{ end }}{{ end }}{{ include "r" . }}"#
    #expect(try render(text, .string(String(repeating: "x", count: 600)), functions: collectionFunctions()) == "")
    // The top-level template is one call and N characters make N + 1 includes: 998 make 1000.
    #expect(try render(text, .string(String(repeating: "x", count: 998)), functions: collectionFunctions()) == "")
    let error = failure { try render(text, .string(String(repeating: "x", count: 999)), functions: collectionFunctions()) }
    #expect(error?.kind == .limit)
    #expect(error?.message == #"template: t:1:41: executing "r" at <include "r" (slice . 1)>: error calling include: exceeded maximum template depth (1000)"#)
  }

  /// The depth error names the call that went past the limit, also when it is the first
  /// action inside a block of the called template (it named no line there).
  @Test func depthErrorNamesTheCallInsideABlock() {
    let error = failure { try render(#"{{ define "r" }}{{ if 1 }}{{ template "r" . }}{{ end }}{{ end }}{{ template "r" . }}"#) }
    #expect(error?.kind == .limit)
    #expect(error?.message == #"template: t:1:38: executing "r" at <{{template "r" .}}>: exceeded maximum template depth (1000)"#)
  }

  /// With the depth limit out of the way, the stack check ends the recursion with an error
  /// before the execution's stack overflows.
  @Test func stackCheckEndsRecursionTheDepthLimitAllows() {
    let error = failure {
      try render(
        #"{{ define "r" }}{{ if 1 }}{{ include "r" . }}{{ end }}{{ end }}{{ include "r" . }}"#, [:],
        options: ExecutionOptions(maxDepth: 1_000_000), functions: collectionFunctions())
    }
    #expect(error?.kind == .limit)
    #expect(error?.detail.hasSuffix("blocks and template calls nested too deep for the execution stack") == true)
  }

  @Test func nestingAtTheParsersLimitInsideRecursionEndsWithALimitError() {
    // Blocks and parentheses around the recursive call do not count towards the depth, but
    // they use the stack: in a debug build about 3 KiB a level against 19 KiB a call, so 299
    // of them in each call use the 256 MiB before 1000 calls. Either limit may come first.
    let blocks = String(repeating: "{{ with . }}", count: 299) + #"{{ include "loop" . }}"# + String(repeating: "{{ end }}", count: 299)
    let parens = "{{ print " + String(repeating: "(print ", count: 299) + #"(include "loop" .)"# + String(repeating: ")", count: 299) + " }}"
    for body in [blocks, parens] {
      let error = failure {
        try render(#"{{ define "loop" }}"# + body + #"{{ end }}{{ include "loop" 1 }}"#, [:], functions: collectionFunctions())
      }
      #expect(error?.kind == .limit)
      let detail = error?.detail ?? ""
      #expect(
        detail.hasSuffix("exceeded maximum template depth (1000)")
          || detail.hasSuffix("blocks and template calls nested too deep for the execution stack"), "\(detail)")
    }
  }
}
