import FlowrelValue
import Foundation
import GoTemplate
import OrderedCollections
import Testing

@testable import HelmFunctions

/// Sprig's key, certificate, encryption and password functions and Helm's `toToml`, checked
/// against Go: random output is compared by what Go reads in it (Tests/SprigReference's
/// `keyInfo`, `certInfo`, `bcryptVerify`, `tomlToJson` describe flowrel's output and Sprig's
/// alike), fixed output by equality.
@Suite struct SprigCryptoTests {
  /// flowrel's outcome for `template` with `data`, nondeterministic functions allowed.
  static func flowrel(_ template: String, data: String = "{}") -> SprigOutcome {
    var set = TemplateSet(functions: HelmFunctions.library(yaml: FakeYAML()))
    do {
      try set.parse("t", text: template)
      let output = try set.execute(
        "t", data: TemplateValue(try Value(jsonText: data)), options: .helm(flags: [HelmFunctions.allowNondeterministic: true]))
      return SprigOutcome(output: output, error: "")
    } catch {
      return SprigOutcome(output: "", error: "\(error)")
    }
  }

  /// Go's outcomes for `cases`, one for each (the test fails when Go gives none).
  static func go(_ cases: [SprigCase]) throws -> [SprigOutcome] {
    switch SprigReference.outcomes(cases) {
    case .failure(let error):
      Issue.record("no reference outcomes: \(error)")
      throw error
    case .success(let outcomes):
      try #require(outcomes.count == cases.count, "Go gave \(outcomes.count) outcomes for \(cases.count) cases")
      return outcomes
    }
  }

  /// `fields` as a JSON object, the data of a Go case.
  static func json(_ fields: [String: String]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self)
  }

  static let generators = [
    "genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert",
    "genSignedCertWithKey", "encryptAES", "bcrypt", "htpasswd",
  ]

  @Test func generatorsAreRefusedWithoutTheFlagAndTheFixedOnesAreNot() throws {
    for name in Self.generators {
      let body = try #require(library.bodies[name])
      #expect(throws: HelmFunctionsError.self, "\(name)") {
        _ = try body(TemplateArguments(functionName: name, values: ["x"]), FakeEnvironment())
      }
      #expect(
        failure(name, "x")
          == "\(name) gives a different result on every render, so flowrel refuses it: a re-render must not make a diff (pass --allow-nondeterministic to allow it)"
      )
    }
    #expect(try show("decryptAES", "k", "") == "")
    let toml = try show("toToml", .map(TemplateMap(["a": .int(1)] as OrderedDictionary<String, TemplateValue>)))
    #expect(toml == "a = 1\n", "\(toml.debugDescription)")
    #expect(try show("derivePassword", 1, "nope", "p", "u", "s") == "cannot find password template nope")
    #expect(failure("fromToml", "a = 1") == "flowrel does not support fromToml (it reads TOML): use fromYaml or fromJson")
  }

  /// Each key type: Go's reading of flowrel's key (kind, size, consistency, and whether Go
  /// writes the same PEM for it) equals its reading of Sprig's.
  @Test(arguments: ["ecdsa", "ed25519", "rsa", "", "dsa"]) func keysReadInGoAsSprigsDo(_ type: String) throws {
    let ours = Self.flowrel("{{ genPrivateKey \(GoFormat.quote(type)) }}")
    try #require(ours.error.isEmpty, "\(ours.error)")
    let outcomes = try Self.go([
      SprigCase(template: "{{ keyInfo .key }}", data: try Self.json(["key": ours.output])),
      SprigCase(template: "{{ keyInfo (genPrivateKey \(GoFormat.quote(type))) }}"),
    ])
    #expect(outcomes[0] == outcomes[1])
    #expect(outcomes[0].output.contains("valid true") || outcomes[0].output.contains("on curve true") || type == "ed25519")
  }

  @Test func unknownKeyTypesAreNamedAsSprigNamesThem() throws {
    let cases = [SprigCase(template: #"{{ genPrivateKey "foo" }}"#)]
    let expected = try Self.go(cases)
    #expect(Self.flowrel(cases[0].template) == expected[0])
  }

  /// How each scenario makes `$c` (the certificate) and `$ca` (the certificate it is checked
  /// against: its CA, or itself).
  static let certificateScenarios = [
    #"{{ $ca := genCA "my-ca" 365 }}{{ $c := $ca }}"#,
    #"{{ $ca := genCA "ca" 10 }}{{ $c := genSignedCert "bar" (list "10.0.0.1" "::1" "::ffff:1.2.3.4") (list "a.example" "b.example") 30 $ca }}"#,
    #"{{ $c := genSelfSignedCert "self" (list "127.0.0.1") (list "localhost") 1 }}{{ $ca := $c }}"#,
    #"{{ $c := genSelfSignedCert "" nil nil 5 }}{{ $ca := $c }}"#,
    #"{{ $ca := genCAWithKey "ec-ca" 30 (genPrivateKey "ecdsa") }}{{ $c := genSignedCertWithKey "leaf" nil (list "x.example") 7 $ca (genPrivateKey "ed25519") }}"#,
    #"{{ $c := genSelfSignedCertWithKey "ed" (list "192.168.0.1") (list "e.example") 3 (genPrivateKey "ed25519") }}{{ $ca := $c }}"#,
    #"{{ $ca := genCAWithKey "ed-ca" 2 (genPrivateKey "ed25519") }}{{ $c := genSignedCert "" nil (list "only.example") 2 $ca }}"#,
  ]

  /// Go's reading of flowrel's certificate (fields, extensions, validity, chain to the CA for
  /// every name, key pair) equals its reading of Sprig's from the same calls.
  @Test(arguments: certificateScenarios) func certificatesVerifyInGoAsSprigsDo(_ scenario: String) throws {
    let ours = Self.flowrel(scenario + #"{{ toJson (dict "cert" $c.Cert "ca" $ca.Cert "key" $c.Key) }}"#)
    try #require(ours.error.isEmpty, "\(ours.error)")
    let outcomes = try Self.go([
      SprigCase(template: "{{ certInfo .cert .ca .key }}", data: ours.output),
      SprigCase(template: scenario + "{{ certInfo $c.Cert $ca.Cert $c.Key }}"),
    ])
    #expect(outcomes[0] == outcomes[1])
    #expect(outcomes[0].output.contains("verify") && !outcomes[0].output.contains("x509:"), "\(outcomes[0].output)")
  }

  @Test func certificateArgumentsFailAsSprigsDo() throws {
    let cases = [
      #"{{ genSelfSignedCert "x" (list "bad") nil 1 }}"#, #"{{ genSelfSignedCert "x" (list 1) nil 1 }}"#,
      #"{{ genSelfSignedCert "x" nil (list 2) 1 }}"#, #"{{ genCAWithKey "x" 1 "nope" }}"#,
      #"{{ genCAWithKey "x" 1 "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n" }}"#,
      #"{{ genCAWithKey "x" 1 "-----BEGIN X PRIVATE KEY-----\nAAAA\n-----END X PRIVATE KEY-----\n" }}"#,
      #"{{ genSelfSignedCert "x" nil (list "bücher.example") 1 }}"#,
    ].map { SprigCase(template: $0) }
    let expected = try Self.go(cases)
    for (testCase, reference) in zip(cases, expected) {
      #expect(!reference.error.isEmpty, "Go accepted \(testCase.template)")
      #expect(Self.flowrel(testCase.template).errorDetail == reference.errorDetail, "\(testCase.template)")
    }
  }

  @Test func buildCustomCertChecksAsSprigDoes() throws {
    let made = try Self.go([SprigCase(template: #"{{ $ca := genCA "c" 1 }}{{ toJson (dict "cert" ($ca.Cert | b64enc) "key" ($ca.Key | b64enc)) }}"#)])
    let data = made[0].output
    let templates = [
      #"{{ $c := buildCustomCert .cert .key }}{{ $c.Cert }}{{ $c.Key }}"#, #"{{ buildCustomCert "!" .key }}"#,
      #"{{ buildCustomCert .cert "!" }}"#, #"{{ buildCustomCert ("nothing" | b64enc) .key }}"#,
      #"{{ buildCustomCert .cert ("nothing" | b64enc) }}"#,
    ]
    let cases = templates.map { SprigCase(template: $0, data: data) }
    let expected = try Self.go(cases)
    for (testCase, reference) in zip(cases, expected) {
      let ours = Self.flowrel(testCase.template, data: data)
      #expect(ours.output == reference.output && ours.errorDetail == reference.errorDetail, "\(testCase.template)")
    }
  }

  static let aesCases: [(password: String, plaintext: String)] = [
    ("secret", "hello world"), ("k", "0123456789abcdef"), ("", "grüße ✓"),
    ("a password longer than thirty-two bytes, cut by Sprig", String(repeating: "x", count: 100)), ("k", "")
  ]

  @Test func aesDecryptsSprigsAndSprigDecryptsOurs() throws {
    let encryptions = Self.aesCases.map {
      SprigCase(template: "{{ encryptAES .p .t }}", data: (try? Self.json(["p": $0.password, "t": $0.plaintext])) ?? "")
    }
    let sprigCiphertexts = try Self.go(encryptions)
    var decryptions: [SprigCase] = []
    for ((password, plaintext), sprig) in zip(Self.aesCases, sprigCiphertexts) {
      // flowrel (without the flag: decryption is deterministic) reads Sprig's ciphertext.
      #expect(try show("decryptAES", .string(password), .string(sprig.output)) == plaintext)
      let ours = Self.flowrel("{{ encryptAES .p .t }}", data: try Self.json(["p": password, "t": plaintext]))
      #expect(ours.error.isEmpty && ours.output != sprig.output || plaintext.isEmpty)
      decryptions.append(SprigCase(template: "{{ decryptAES .p .c }}", data: try Self.json(["p": password, "c": ours.output])))
    }
    for (outcome, aes) in zip(try Self.go(decryptions), Self.aesCases) {
      #expect(outcome == SprigOutcome(output: aes.plaintext, error: ""))
    }
  }

  @Test func decryptAESFailsAsSprigDoes() throws {
    let cases = [
      #"{{ decryptAES "k" "!!!" }}"#, #"{{ decryptAES "k" "AAAA" }}"#, #"{{ decryptAES "k" "AAAAAAAAAAAAAAAAAAAAAAAAAAA=" }}"#,
      #"{{ decryptAES "k" "AAAAAAAAAAAAAAAAAAAAAA==" }}"#, #"{{ decryptAES "k" "" }}"#,
    ].map { SprigCase(template: $0) }
    for (testCase, reference) in zip(cases, try Self.go(cases)) {
      let ours = SprigReference.flowrel(testCase)
      #expect(ours.output == reference.output && ours.errorDetail == reference.errorDetail, "\(testCase.template)")
    }
  }

  static let passwords = ["pw", "", "grüße ✓", String(repeating: "long password ", count: 6)]

  /// Go's bcrypt verifies flowrel's hashes (and rejects another password) as it does Sprig's.
  @Test func bcryptHashesVerifyWithGo() throws {
    var cases: [SprigCase] = []
    for password in Self.passwords {
      let ours = Self.flowrel("{{ bcrypt .p }}", data: try Self.json(["p": password]))
      try #require(ours.error.isEmpty, "\(ours.error)")
      for tried in [password, password + "x"] {
        cases.append(SprigCase(template: "{{ bcryptVerify .h .p }}", data: try Self.json(["h": ours.output, "p": tried])))
        cases.append(SprigCase(template: "{{ bcryptVerify (bcrypt .p) .t }}", data: try Self.json(["p": password, "t": tried])))
      }
    }
    let outcomes = try Self.go(cases)
    for pair in stride(from: 0, to: outcomes.count, by: 2) {
      #expect(outcomes[pair] == outcomes[pair + 1], "\(cases[pair].data)")
    }
    #expect(outcomes[0].output == "ok, cost 10, prefix $2a$")
  }

  @Test func htpasswdIsTheUserAndABcryptHash() throws {
    let ours = Self.flowrel(#"{{ htpasswd "admin" "s3cret" }}"#)
    #expect(ours.output.hasPrefix("admin:$2a$10$"))
    let hash = String(ours.output.dropFirst("admin:".count))
    let cases = [
      SprigCase(template: #"{{ bcryptVerify .h "s3cret" }}"#, data: try Self.json(["h": hash])),
      SprigCase(template: #"{{ bcryptVerify (htpasswd "admin" "s3cret" | trimPrefix "admin:") "s3cret" }}"#),
      SprigCase(template: #"{{ htpasswd "a:b" "pw" }}"#),
    ]
    let outcomes = try Self.go(cases)
    #expect(outcomes[0] == outcomes[1])
    #expect(Self.flowrel(cases[2].template) == outcomes[2])
  }

  @Test func derivePasswordIsSprigs() throws {
    let cases = [
      #"{{ derivePassword 1 "long" "password" "user" "example.com" }}"#,
      #"{{ derivePassword 4294967295 "maximum" "pässwörd" "üser" "site" }}"#,
      #"{{ derivePassword 2 "medium" "" "" "" }}"#, #"{{ derivePassword 3 "basic" "p" "u" "s" }}"#,
      #"{{ derivePassword 1 "short" "p" "u" "s" }}{{ derivePassword 1 "pin" "p" "u" "s" }}"#,
      #"{{ derivePassword 1 "nope" "p" "u" "s" }}"#,
    ].map { SprigCase(template: $0) }
    for (testCase, reference) in zip(cases, try Self.go(cases)) {
      #expect(SprigReference.flowrel(testCase) == reference, "\(testCase.template)")
    }
  }

  static let tomlValues = [
    #"{"a": 1, "b": "x", "c": true, "d": 2.5}"#,
    #"{"z": {"y": {"x": 1, "w": [1, 2]}, "v": "u"}, "a": 0}"#,
    #"{"list": [1, 2, 3], "strings": ["a", "b"], "mixed": [1, "a", 2.5], "nested": [[1, 2], ["x"]]}"#,
    #"{"tables": [{"h": 1}, {"h": 2, "i": {"j": "k"}}], "after": 1}"#,
    #"{"a": null, "b": 1, "c": {"d": null}}"#,
    #"{"escapes": "a\"b\\c\nd\te\u0001", "unicode": "grüße ✓", "empty": ""}"#,
    #"{"a b": 1, "a.b": 2, "": 3, "ü": 4, "1": 5, "-_": 6}"#,
    #"{}"#, #"{"a": {}, "b": []}"#,
    #"{"big": 9223372036854775807, "neg": -42, "float": 1e20, "small": 0.1, "whole": 3.0}"#,
  ]

  /// flowrel's TOML means what Helm's means: Go's TOML reader reads the same data from both
  /// (the layout differs; README, "Differences from Helm"); Helm's error texts are the same.
  @Test func toTomlMeansWhatHelmsMeans() throws {
    var cases: [SprigCase] = []
    for value in Self.tomlValues {
      let ours = Self.flowrel("{{ toToml .v }}", data: #"{"v": "# + value + "}")
      try #require(ours.error.isEmpty, "\(ours.error)")
      cases.append(SprigCase(template: "{{ tomlToJson .t }}", data: try Self.json(["t": ours.output])))
      cases.append(SprigCase(template: "{{ tomlToJson (toToml .v) }}", data: #"{"v": "# + value + "}"))
    }
    let outcomes = try Self.go(cases)
    for pair in stride(from: 0, to: outcomes.count, by: 2) {
      #expect(outcomes[pair] == outcomes[pair + 1], "\(cases[pair + 1].data)")
      #expect(!outcomes[pair].output.hasPrefix("toml error"), "\(cases[pair].data)")
    }
    let errors = [#"{{ toToml (list 1 2) }}"#, #"{{ toToml "x" }}"#, #"{{ toToml (dict "x" (list 1 nil)) }}"#].map {
      SprigCase(template: $0)
    }
    for (testCase, reference) in zip(errors, try Self.go(errors)) {
      #expect(SprigReference.flowrel(testCase) == reference, "\(testCase.template)")
    }
  }

  /// Where the layouts agree (flat tables of scalars), the text is Helm's.
  @Test func toTomlWritesHelmsTextForPlainTables() throws {
    let cases = [
      #"{{ toToml (dict "a" 1 "b" "x" "c" true) }}"#, #"{{ toToml (dict "name" "web" "port" 80 "on" false) }}"#,
    ].map { SprigCase(template: $0) }
    for (testCase, reference) in zip(cases, try Self.go(cases)) {
      #expect(SprigReference.flowrel(testCase) == reference, "\(testCase.template)")
    }
  }
}
