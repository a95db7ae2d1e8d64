import FlowrelValue
import GoTemplate
import Testing

@testable import HelmFunctions

/// The functions whose output changes from run to run (uuid.md, the random strings of
/// strings.md, randInt, randBytes, now, ago, shuffle): refused without the flag, working with it.
@Suite struct NondeterministicTests {
  let allowed = environment(flags: [HelmFunctions.allowNondeterministic: true])

  static let calls: [(String, [TemplateValue])] = [
    ("now", []), ("ago", [0]), ("uuidv4", []), ("randAlphaNum", [8]), ("randAlpha", [8]), ("randNumeric", [8]),
    ("randAscii", [8]), ("randInt", [1, 10]), ("randBytes", [8]), ("shuffle", ["abc"]),
  ]

  @Test(arguments: calls.map(\.0)) func refusedWithoutTheFlag(_ name: String) throws {
    let arguments = Self.calls.first { $0.0 == name }?.1 ?? []
    let body = try #require(library.bodies[name])
    #expect {
      _ = try body(TemplateArguments(functionName: name, values: arguments), FakeEnvironment())
    } throws: { error in
      "\(error)"
        == "\(name) gives a different result on every render, so flowrel refuses it: a re-render must not make a diff (pass --allow-nondeterministic to allow it)"
    }
    // A flag set to something other than true does not allow it either.
    let wrongFlag = environment(flags: [HelmFunctions.allowNondeterministic: "yes"])
    #expect(throws: HelmFunctionsError.self) {
      _ = try body(TemplateArguments(functionName: name, values: arguments), wrongFlag)
    }
  }

  @Test func randomStringsHaveTheRequestedLengthAndAlphabet() throws {
    let alphaNum = try show("randAlphaNum", 40, environment: allowed)
    #expect(alphaNum.count == 40 && alphaNum.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
    let alpha = try show("randAlpha", 40, environment: allowed)
    #expect(alpha.count == 40 && alpha.allSatisfy { $0.isASCII && $0.isLetter })
    let numeric = try show("randNumeric", 40, environment: allowed)
    #expect(numeric.count == 40 && numeric.allSatisfy { $0.isASCII && $0.isNumber })
    let ascii = try show("randAscii", 40, environment: allowed)
    #expect(ascii.unicodeScalars.count == 40 && ascii.unicodeScalars.allSatisfy { (32...126).contains($0.value) })
    #expect(try show("randAlphaNum", 0, environment: allowed) == "")
    #expect(try show("randAlphaNum", -1, environment: allowed) == "")
  }

  @Test func randIntStaysInItsRange() throws {
    for _ in 0..<50 {
      let value = try call("randInt", 3, 5, environment: allowed)
      #expect(goFormat(value) == "3" || goFormat(value) == "4")
    }
    #expect(failure("randInt", 5, 5, environment: allowed) == "invalid argument to Intn")
  }

  @Test func randBytesIsBase64OfThatManyBytes() throws {
    let text = try show("randBytes", 12, environment: allowed)
    guard case .success(let bytes) = Base.base64.decode(text) else {
      Issue.record("randBytes gave \(text)")
      return
    }
    #expect(bytes.count == 12)
  }

  @Test func uuidv4IsAVersion4UUID() throws {
    let uuid = try show("uuidv4", environment: allowed)
    #expect(uuid.count == 36)
    #expect(uuid == uuid.lowercased())
    #expect(Array(uuid)[14] == "4")
  }

  @Test func nowIsATimeAndShufflePermutes() throws {
    #expect(try call("now", environment: allowed).goTypeName == "time.Time")
    #expect(try show("shuffle", "aabbc", environment: allowed).sorted() == Array("aabbc"))
    #expect(try show("ago", try call("now", environment: allowed), environment: allowed).hasSuffix("s"))
  }

  @Test func dateOfSomethingOtherThanATimeReadsTheClockSoNeedsTheFlag() throws {
    #expect(failure("date", "2006", "not a time")?.contains("formats the current time") == true)
    #expect(failure("htmlDate", nil)?.contains("pass a time, or --allow-nondeterministic") == true)
    #expect(try show("date", "2006", "not a time", environment: allowed).count == 4)
    #expect(try show("date", "2006", 0) == "1970")
  }
}

/// Sprig's network.md: `getHostByName` answers "" unless DNS is enabled, as in Helm.
@Suite struct NetworkTests {
  @Test func withoutTheFlagTheAnswerIsEmpty() throws {
    #expect(try show("getHostByName", "localhost") == "")
  }

  @Test func withTheFlagLocalhostResolves() throws {
    let dns = environment(flags: [HelmFunctions.enableDNS: true])
    let address = try show("getHostByName", "localhost", environment: dns)
    #expect(address == "127.0.0.1" || address == "::1")
  }
}

/// Sprig's flow_control.md and os.md as Helm ships them.
@Suite struct FlowControlTests {
  @Test func failFailsWithTheMessage() {
    #expect(failure("fail", "Please accept the end user license agreement") == "Please accept the end user license agreement")
    #expect(failure("fail", 1) == "wrong type for value; expected string; got int")
  }

  @Test func helmRemovesEnvAndExpandenv() {
    #expect(library.bodies["env"] == nil)
    #expect(library.bodies["expandenv"] == nil)
    #expect(HelmFunctions.library().names.contains("env") == false)
  }

  @Test func theLibraryHasEveryFunctionOfTheUsageRanking() {
    let names = Set(HelmFunctions.library().names)
    let goBuiltins: Set = ["and", "or", "not", "eq", "ne", "lt", "le", "gt", "ge", "len", "index", "print", "printf", "println", "call", "html", "js", "urlquery", "slice"]
    let ranked = [
      "include", "nindent", "dict", "quote", "toYaml", "indent", "default", "list", "trunc", "trimSuffix", "empty", "b64enc", "tpl",
      "contains", "ternary", "omit", "int", "semverCompare", "replace", "hasKey", "sha256sum", "append", "dig", "toString",
      "coalesce", "required", "join", "trim", "fail", "mergeOverwrite", "fromYaml", "genSignedCert", "set", "randAlphaNum",
      "upper", "genCA", "until", "kindIs", "without", "regexFind", "lower", "has", "int64", "add", "deepCopy", "concat", "sub",
      "merge", "typeIs", "mustMergeOverwrite", "mul", "trimAll", "toJson", "pick", "trimPrefix", "splitList", "typeOf",
      "lookup", "get", "first",
    ]
    for name in ranked where !goBuiltins.contains(name) {
      #expect(names.contains(name), "missing \(name)")
    }
  }
}
