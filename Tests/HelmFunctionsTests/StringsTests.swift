import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's strings.md: the documented examples, then Go's edge cases.
@Suite struct StringsTests {
  @Test func documentedExamples() throws {
    #expect(try show("trim", "   hello    ") == "hello")
    #expect(try show("trimAll", "$", "$5.00") == "5.00")
    #expect(try show("trimSuffix", "-", "hello-") == "hello")
    #expect(try show("trimPrefix", "-", "-hello") == "hello")
    #expect(try show("upper", "hello") == "HELLO")
    #expect(try show("lower", "HELLO") == "hello")
    #expect(try show("title", "hello world") == "Hello World")
    #expect(try show("untitle", "Hello World") == "hello world")
    #expect(try show("repeat", 3, "hello") == "hellohellohello")
    #expect(try show("substr", 0, 5, "hello world") == "hello")
    #expect(try show("nospace", "hello w o r l d") == "helloworld")
    // Sprig's nospace works on bytes read as Latin-1, so it mangles non-ASCII text.
    #expect(try show("nospace", "é x") == "Ã©x")
    #expect(try show("trunc", 5, "hello world") == "hello")
    #expect(try show("trunc", -5, "hello world") == "world")
    #expect(try show("abbrev", 5, "hello world") == "he...")
    #expect(try show("abbrevboth", 5, 10, "1234 5678 9123") == "...5678...")
    #expect(try show("initials", "First Try") == "FT")
    #expect(try show("wrapWith", 5, "\t", "Hello World") == "Hello\tWorld")
    #expect(try show("contains", "cat", "catch") == "true")
    #expect(try show("hasPrefix", "cat", "catch") == "true")
    #expect(try show("hasSuffix", "cat", "catch") == "false")
    #expect(try show("quote", "hello") == "\"hello\"")
    #expect(try show("squote", "hello") == "'hello'")
    #expect(try show("cat", "hello", "beautiful", "world") == "hello beautiful world")
    #expect(try show("replace", " ", "-", "I Am Henry VIII") == "I-Am-Henry-VIII")
    #expect(try show("plural", "one anchovy", "many anchovies", 1) == "one anchovy")
    #expect(try show("plural", "one anchovy", "many anchovies", 2) == "many anchovies")
    #expect(try show("snakecase", "FirstName") == "first_name")
    #expect(try show("camelcase", "http_server") == "HttpServer")
    #expect(try show("kebabcase", "FirstName") == "first-name")
    #expect(try show("swapcase", "This Is A.Test") == "tHIS iS a.tEST")
  }

  @Test func truncIsByteBasedAndToleratesLongLengths() throws {
    #expect(try show("trunc", 63, "short") == "short")
    #expect(try show("trunc", -63, "short") == "short")
    #expect(try show("trunc", 0, "abc") == "")
    #expect(failure("trunc", 5, nil) == "wrong type for value; expected string; got interface {}")
    #expect(failure("trunc", 5, .missing) == "invalid value; expected string")
    #expect(failure("trunc", "5", "abc") == "wrong type for value; expected int; got string")
  }

  @Test func indentPadsEveryLineIncludingAfterATrailingNewline() throws {
    #expect(try show("indent", 2, "a\nb") == "  a\n  b")
    #expect(try show("nindent", 2, "a\nb\n") == "\n  a\n  b\n  ")
    #expect(try show("indent", 0, "a") == "a")
    #expect(failure("indent", -1, "a") == "strings: negative Repeat count")
  }

  @Test func quoteTakesSeveralArgumentsSkipsNilAndEscapesLikeGo() throws {
    #expect(try show("quote", "a", 1, true) == "\"a\" \"1\" \"true\"")
    #expect(try show("quote", nil, "x") == "\"x\"")
    #expect(try show("quote") == "")
    #expect(try show("quote", "say \"hi\"\n\t\\") == "\"say \\\"hi\\\"\\n\\t\\\\\"")
    #expect(try show("quote", "\u{7}\u{7F}é\u{A0}") == "\"\\a\\x7fé\\u00a0\"")
    #expect(try show("squote", nil, 1.5, "b") == "'1.5' 'b'")
    #expect(try show("quote", 1_000_000.0) == "\"1e+06\"")
  }

  @Test func catSkipsNilAndPrintsValuesWithPercentV() throws {
    #expect(try show("cat", "a", nil, 2, ["x", "y"]) == "a 2 [x y]")
    #expect(try show("cat") == "")
  }

  @Test func replaceWithEmptyOldInsertsEverywhere() throws {
    #expect(try show("replace", "", "-", "ab") == "-a-b-")
    #expect(try show("replace", "x", "y", "") == "")
  }

  @Test func substrFollowsSprigsBoundsRules() throws {
    #expect(try show("substr", -1, 3, "hello") == "hel")
    #expect(try show("substr", 2, 99, "hello") == "llo")
    #expect(try show("substr", 2, -1, "hello") == "llo")
    #expect(failure("substr", 9, 10, "hello") == "runtime error: slice bounds out of range [9:5]")
    #expect(failure("substr", 3, 1, "hello") == "runtime error: slice bounds out of range [3:1]")
    #expect(failure("substr", -1, 9, "hello") == "runtime error: slice bounds out of range [:9] with length 5")
    #expect(failure("substr", -1, -2, "hello") == "runtime error: slice bounds out of range [:-2]")
  }

  @Test func splitFunctions() throws {
    #expect(try show("split", "$", "foo$bar$baz") == "map[_0:foo _1:bar _2:baz]")
    #expect(try type("split", "$", "foo$bar$baz") == "map[string]string")
    #expect(try show("splitList", "$", "foo$bar$baz") == "[foo bar baz]")
    #expect(try type("splitList", ",", "a") == "[]string")
    #expect(try show("splitn", "$", 2, "foo$bar$baz") == "map[_0:foo _1:bar$baz]")
    #expect(try show("splitList", "", "héj") == "[h é j]")
    #expect(try show("splitList", ",", "") == "[]")
    #expect(try call("splitList", ",", "").goTypeName == "[]string")
    #expect(try show("splitn", ",", 0, "a,b") == "map[]")
  }

  @Test func joinAcceptsMixedListsAndSkipsNil() throws {
    #expect(try show("join", "-", ["a", 1, nil, true, 2.5]) == "a-1-true-2.5")
    #expect(try show("join", ",", "single") == "single")
    #expect(try show("join", ",", nil) == "")
    #expect(try show("join", ", ", [["a"], ["k": 1]]) == "[a], map[k:1]")
  }

  @Test func sortAlphaSortsStringsByteWise() throws {
    #expect(try show("sortAlpha", ["b", "a", "B", 10, 9]) == "[10 9 B a b]")
    #expect(try show("sortAlpha", 42) == "[42]")
  }

  @Test func titleAndCaseConversionsOnMixedInput() throws {
    #expect(try show("title", "hello-world foo_bar") == "Hello-World Foo_bar")
    #expect(try show("camelcase", "hello world-foo") == "HelloWorldFoo")
    #expect(try show("snakecase", "HTTPServer") == "http_server")
    #expect(try show("snakecase", "simple test") == "simple_test")
    #expect(try show("kebabcase", "fooBar-baz") == "foo-bar-baz")
  }

  @Test func wrapBreaksAtSpacesAndKeepsLongWords() throws {
    #expect(try show("wrap", 10, "The quick brown fox jumps") == "The quick\nbrown fox\njumps")
    #expect(try show("wrap", 3, "abcdefgh ij") == "abcdefgh\nij")
    #expect(try show("wrapWith", 3, "|", "abcdefgh") == "abc|def|gh")
  }

  @Test func abbrevNeedsAWidthOfAtLeastFour() throws {
    #expect(try show("abbrev", 3, "hello world") == "hello world")
    #expect(try show("abbrev", 20, "hello world") == "hello world")
    #expect(try show("abbrevboth", 0, 6, "abcdefghij") == "abc...")
  }

  @Test func repeatRejectsNegativeCounts() {
    #expect(failure("repeat", -1, "x") == "strings: negative Repeat count")
  }

  @Test func hugeResultsAreRefusedInsteadOfExhaustingMemory() {
    #expect(failure("repeat", .int(Int64.max), "ab") == "repeat would make a string of more than 104857600 bytes")
    #expect(failure("repeat", 2_000_000_000, "x") == "repeat would make a string of more than 104857600 bytes")
    #expect(failure("indent", 2_000_000_000, "a") == "indent would make a string of more than 104857600 bytes")
    #expect(failure("nindent", .int(Int64.max), "a\nb") == "indent would make a string of more than 104857600 bytes")
  }

  @Test func typedParametersRejectOtherTypesAsGoDoes() {
    #expect(failure("upper", 3) == "wrong type for value; expected string; got int")
    #expect(failure("upper", "a", "b") == "wrong number of args for upper: want 1 got 2")
    #expect(failure("contains", "a", nil) == "wrong type for value; expected string; got interface {}")
  }

  @Test func helloGreets() throws {
    #expect(try show("hello") == "Hello!")
  }
}
