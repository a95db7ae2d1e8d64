import Testing

@testable import HelmFunctions

/// Sprig's regex.md, with Go's RE2 meaning of each pattern.
@Suite struct RegexTests {
  @Test func documentedExamples() throws {
    #expect(try show("regexMatch", "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[A-Za-z]{2,}$", "test@acme.com") == "true")
    #expect(try show("regexFindAll", "[2,4,6,8]", "123456789", -1) == "[2 4 6 8]")
    #expect(try show("regexFindAll", "[2,4,6,8]", "123456789", 2) == "[2 4]")
    #expect(try show("regexFind", "[a-zA-Z][1-9]", "abcd1234") == "d1")
    #expect(try show("regexReplaceAll", "a(x*)b", "-ab-axxb-", "${1}W") == "-W-xxW-")
    #expect(try show("regexReplaceAllLiteral", "a(x*)b", "-ab-axxb-", "${1}") == "-${1}-${1}-")
    #expect(try show("regexSplit", "z+", "pizza", -1) == "[pi a]")
    #expect(try show("regexSplit", "z+", "pizza", 1) == "[pizza]")
    #expect(try show("regexQuoteMeta", "1.2.3") == "1\\.2\\.3")
  }

  @Test func replacementExpansionFollowsGo() throws {
    // `$1W` names group "1W", which does not exist: Go expands it to nothing.
    #expect(try show("regexReplaceAll", "a(x*)b", "-ab-axxb-", "$1W") == "---")
    #expect(try show("regexReplaceAll", "(?P<word>\\w+)", "hi there", "<$word>") == "<hi> <there>")
    #expect(try show("regexReplaceAll", "(?P<word>\\w+)", "hi", "${word}!") == "hi!")
    #expect(try show("regexReplaceAll", "b", "abc", "$$") == "a$c")
    #expect(try show("regexReplaceAll", "b", "abc", "${") == "a${c")
    #expect(try show("regexReplaceAll", "b", "abc", "$") == "a$c")
  }

  @Test func goMeaningsOfClassesAnchorsAndDot() throws {
    #expect(try show("regexMatch", "^\\d+$", "١٢٣") == "false")
    #expect(try show("regexMatch", "^\\w+$", "héllo") == "false")
    #expect(try show("regexMatch", "a$", "a\n") == "false")
    #expect(try show("regexMatch", "(?m)a$", "a\nb") == "true")
    #expect(try show("regexFind", "a.c", "a\rc") == "a\rc")
    #expect(try show("regexFind", "[[]x", "a[x") == "[x")
    #expect(try show("regexFind", "[]a]+", "]a]b") == "]a]")
    #expect(try show("regexFind", "[^]a]+", "]ab") == "b")
    #expect(try show("regexFind", "[a&&b]+", "a&&b") == "a&&b")
    #expect(try show("regexFind", "a{,2}", "a{,2}") == "a{,2}")
    #expect(try show("regexFind", "a{2}", "aaa") == "aa")
    #expect(try show("regexFind", "[[:digit:]]+", "ab12") == "12")
    #expect(try show("regexFind", "\\bfoo\\b", "a foo b") == "foo")
    #expect(try show("regexFind", "(?i)HELLO", "say hello") == "hello")
  }

  @Test func emptyMatchesAfterAMatchAreSkippedAsInGo() throws {
    #expect(try show("regexFindAll", "a*", "baaac", -1) == "[ aaa ]")
    #expect(try show("regexReplaceAll", "a*", "baaac", "-") == "-b-c-")
    #expect(try show("regexSplit", "", "abc", -1) == "[a b c]")
    #expect(try show("regexSplit", "x", "", -1) == "[]")
    #expect(try show("regexSplit", "a", "banana", 0) == "[]")
    #expect(try show("regexFindAll", "a", "banana", 0) == "[]")
  }

  @Test func whatRE2RejectsFails() {
    // The plain forms panic in regexp.MustCompile, whose message names the pattern.
    #expect(failure("regexFind", "(?=x)", "x") == "regexp: Compile(`(?=x)`): error parsing regexp: invalid or unsupported Perl syntax: `(?=`")
    // Since Go 1.22 `(?<` starts a name, so look-behind is an invalid name.
    #expect(failure("mustRegexFind", "(?<!x)", "x") == "error parsing regexp: invalid named capture: `(?<!x)`")
    #expect(failure("mustRegexFind", "(a)\\1", "aa") == "error parsing regexp: invalid escape sequence: `\\1`")
    #expect(failure("mustRegexFind", "(a", "a") == "error parsing regexp: missing closing ): `(a`")
    #expect(failure("mustRegexFind", "a)", "a") == "error parsing regexp: unexpected ): `a)`")
    #expect(failure("mustRegexFind", "*a", "a") == "error parsing regexp: missing argument to repetition operator: `*`")
    #expect(failure("mustRegexFind", "a**", "a") == "error parsing regexp: invalid nested repetition operator: `**`")
    #expect(failure("mustRegexFind", "[a", "a") == "error parsing regexp: missing closing ]: `[a`")
    #expect(failure("mustRegexFindAll", "(", "a", -1)?.hasPrefix("error parsing regexp:") == true)
    #expect(failure("regexReplaceAll", "(", "a", "b") == "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`")
  }

  @Test func regexMatchIgnoresBadPatternsButMustRegexMatchFails() throws {
    #expect(try show("regexMatch", "(", "a") == "false")
    #expect(failure("mustRegexMatch", "(", "a")?.hasPrefix("error parsing regexp:") == true)
    #expect(try show("mustRegexMatch", "^a", "abc") == "true")
  }

  @Test func resultsAreStringSlices() throws {
    #expect(try type("regexFindAll", "a", "aa", -1) == "[]string")
    #expect(try type("regexSplit", "a", "bab", -1) == "[]string")
  }

  @Test func quoteMetaEscapesEverySpecialCharacter() throws {
    #expect(try show("regexQuoteMeta", "\\.+*?()|[]{}^$x") == "\\\\\\.\\+\\*\\?\\(\\)\\|\\[\\]\\{\\}\\^\\$x")
  }
}
