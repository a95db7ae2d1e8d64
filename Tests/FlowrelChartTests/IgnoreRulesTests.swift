import Testing
@testable import FlowrelChart

@Suite struct IgnoreRulesTests {
  @Test(arguments: [
    ("*.txt", "notes.txt", false, true), ("*.txt", "docs/notes.txt", false, true), ("*.txt", "notes.txt.bak", false, false),
    ("docs/*.md", "docs/a.md", false, true), ("docs/*.md", "x/docs/a.md", false, false), ("docs/*.md", "docs/sub/a.md", false, false),
    ("/values-*.yaml", "values-dev.yaml", false, true), ("tmp/", "tmp", true, true), ("tmp/", "tmp", false, false),
    ("file?.yaml", "file1.yaml", false, true), ("file?.yaml", "file10.yaml", false, false),
    ("[a-c]*.yaml", "b.yaml", false, true), ("[^a-c]*.yaml", "b.yaml", false, false), ("[^a-c]*.yaml", "d.yaml", false, true),
    ("\\*.yaml", "*.yaml", false, true), ("\\*.yaml", "a.yaml", false, false), ("# comment", "# comment", false, false),
    ("  .git  ", ".git", true, true), ("*", "anything", false, true), ("*", ".", true, false),
  ])
  func rulesMatchAsHelmDoes(rule: String, path: String, isDirectory: Bool, ignored: Bool) throws {
    #expect(try IgnoreRules(parsing: rule).ignores(path, isDirectory: isDirectory) == ignored)
  }

  @Test func firstMatchingRuleWinsAndNegationKeepsHelmsMeaning() throws {
    let rules = try IgnoreRules(parsing: "*.bak\n!*.yaml\n")
    #expect(rules.ignores("a.bak", isDirectory: false))
    // Helm ignores whatever does not match a `!` rule...
    #expect(rules.ignores("README.md", isDirectory: false))
    // ...and lets what matches it go on to later rules.
    #expect(!rules.ignores("values.yaml", isDirectory: false))
  }

  @Test func defaultsIgnoreDotFilesInTemplates() throws {
    let rules = IgnoreRules().withDefaults()
    #expect(rules.ignores("templates/.swp", isDirectory: false))
    #expect(!rules.ignores("templates/a.yaml", isDirectory: false))
    #expect(!rules.ignores(".helmignore", isDirectory: false))
  }

  @Test(arguments: [("a/**/b", 2, "double-star"), ("[a-", 3, "syntax error"), ("x\\", 1, "syntax error"), ("[]", 1, "syntax error")])
  func badRulesNameTheirLine(rule: String, line: Int, reason: String) {
    let text = String(repeating: "ok\n", count: line - 1) + rule
    #expect {
      _ = try IgnoreRules(parsing: text)
    } throws: { error in
      guard case .badIgnoreRule(".helmignore", line, _, let why)? = error as? ChartError else { return false }
      return why.contains(reason)
    }
  }
}
