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

  @Test func nestingAtTheParsersLimitInsideRecursionEndsWithTheDepthError() {
    // Blocks and parentheses open around the recursive call both count towards the depth.
    let blocks = String(repeating: "{{ with . }}", count: 299) + #"{{ include "loop" . }}"# + String(repeating: "{{ end }}", count: 299)
    let parens = "{{ print " + String(repeating: "(print ", count: 299) + #"(include "loop" .)"# + String(repeating: ")", count: 299) + " }}"
    for body in [blocks, parens] {
      let error = failure {
        try render(#"{{ define "loop" }}"# + body + #"{{ end }}{{ include "loop" 1 }}"#, [:], functions: collectionFunctions())
      }
      #expect(error?.kind == .limit)
      #expect(error?.detail.hasSuffix("exceeded maximum template depth (1000)") == true)
    }
  }
}
