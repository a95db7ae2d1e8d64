import FlowrelValue
import Testing
@testable import FlowrelChart

/// A chart's `required`/`fail` messages that start with a values path are shown at the user's
/// value; any other message keeps Helm's form.
@Suite struct ValuePlacementTests {
  static let chart = Result { () throws in
    try makeChart([
      "templates/a.yaml": """
        {{- if eq .Values.mode "bad" }}{{ fail "mode: must not be bad" }}{{ end -}}
        {{- if .Values.db.port }}{{ if lt (int .Values.db.port) 1024 }}{{ required "db.port: must be 1024 or more" nil }}{{ end }}{{ end -}}
        {{- range $key, $_ := .Values.db }}{{ if not (has $key (list "port" "host")) }}{{ required (printf "db: unknown key %q" $key) nil }}{{ end }}{{ end -}}
        {{- if .Values.odd }}{{ required "odd is set" nil }}{{ end -}}
        {{- if .Values.strictDb }}{{ required "db: needs a host" .Values.db.host }}{{ end -}}
        {{- if .Values.list }}{{ required (printf "list[1][\\"a.b\\"]: wrong") nil }}{{ end -}}
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: x}
        """,
      "values.yaml": "mode: good\ndb: {}\nopts: {a: 1}\n",
    ])
  }

  static func failure(_ text: String, set: [String] = []) throws -> String {
    let file = try ValuesFile.read(name: "prod.yaml", bytes: Array(text.utf8))
    let values = try UserValues.resolve(files: [file], arguments: set.isEmpty ? [:] : [.set: set]) { _ in "" }
    do {
      _ = try chart.get().render(RenderRequest(release: ReleaseInfo(name: "r", namespace: "n"), values: values))
    } catch {
      return "\(error)"
    }
    Issue.record("rendered: \(text)")
    return ""
  }

  @Test func failAndRequiredMessagesArePlacedAtTheValue() throws {
    #expect(try Self.failure("# prod\nmode: bad\n") == "prod.yaml:2:7: mode: must not be bad")
    #expect(try Self.failure("db:\n  host: x\n  port: 80\n") == "prod.yaml:3:9: db.port: must be 1024 or more")
    #expect(try Self.failure("db:\n  host: x\n  prot: 80\n") == #"prod.yaml:3:3: db: unknown key "prot""#)
    #expect(try Self.failure("list:\n  - {}\n  - {a.b: 1}\n") == #"prod.yaml:3:11: list[1]["a.b"]: wrong"#)
    #expect(try Self.failure("", set: ["mode=bad"]) == "mode: must not be bad (--set mode=bad)")
  }

  @Test func theLayerThatSetTheValueIsNamed() throws {
    let base = try ValuesFile.read(name: "base.yaml", bytes: Array("mode: bad\ndb: {host: h}\n".utf8))
    let prod = try ValuesFile.read(name: "prod.yaml", bytes: Array("db:\n  port: 80\n".utf8))
    let request = { (values: UserValues) in RenderRequest(release: ReleaseInfo(name: "r", namespace: "n"), values: values) }
    func message(_ values: UserValues) throws -> String {
      do { _ = try Self.chart.get().render(request(values)) } catch { return "\(error)" }
      return "rendered"
    }
    // `mode` comes from the first file, though the second one is applied over it.
    #expect(try message(UserValues(files: [base, prod])) == "base.yaml:1:7: mode: must not be bad")
    #expect(try message(UserValues(files: [prod]).over(stored: ["mode": "bad"], revision: 2))
      == "mode: must not be bad (values of revision 2)")
  }

  @Test func messagesAboutNoValueOfTheUsersKeepHelmsForm() throws {
    // Not a values path followed by ": ".
    let odd = try Self.failure("odd: true\n")
    #expect(odd.hasPrefix("execution error at (demo/templates/a.yaml:4:") && odd.hasSuffix("): odd is set"), "\(odd)")
    // About the chart's default (`db: {}`), not a value of the user's: the template's place.
    let db = try Self.failure("strictDb: true\n")
    #expect(db.hasPrefix("execution error at (demo/templates/a.yaml:5:") && db.hasSuffix("): db: needs a host"), "\(db)")
  }

  @Test(arguments: [
    ("executors[0]: unknown key \"shard\"; did you mean", ValuePath([.key("executors"), .index(0), .key("shard")]), true),
    ("unknown key \"executor\"", ValuePath([.key("executor")]), true),
    ("with.shards: must be 1 or more", ValuePath([.key("with"), .key("shards")]), false),
    ("a[\"x.y\"][2].b: bad", ValuePath([.key("a"), .key("x.y"), .index(2), .key("b")]), false),
    ("db: unknown key \"say \\\"hi\\\"\"", ValuePath([.key("db"), .key("say \"hi\"")]), true),
  ])
  func theSubjectOfAMessageIsReadFromItsStart(message: String, path: ValuePath, isKey: Bool) {
    let subject = UserValues.subject(of: message)
    #expect(subject?.path == path)
    #expect(subject?.isKey == isKey)
  }

  @Test(arguments: ["odd is set", "a.: b", "a[x]: b", ": b", "(root): x"])
  func aMessageThatStartsWithNoPathHasNoSubject(message: String) {
    #expect(UserValues.subject(of: message) == nil)
  }

  @Test func lintPlacesAValueThatReplacesADefaultOfAnotherKind() throws {
    let file = try ValuesFile.read(name: "prod.yaml", bytes: Array("mode: good\nopts: 5\n".utf8))
    let findings = try Self.chart.get().lint(RenderRequest(release: ReleaseInfo(name: "r", namespace: "n"), values: try UserValues(files: [file])))
    #expect(findings.map(\.description) == [
      "[WARNING] prod.yaml:2:7: opts: the chart's default is a map and the given value an int; the given value replaces the default",
    ])
  }

  @Test func aKeyIsPlacedAtItsKeyAndAMissingKeyAtItsMap() throws {
    let file = try ValuesFile.read(name: "v.yaml", bytes: Array("a:\n  bb:   1\n".utf8))
    let values = try UserValues(files: [file])
    let path = ValuePath([.key("a"), .key("bb")])
    #expect(values.origin(of: path)?.description == "v.yaml:2:9")
    #expect(values.origin(ofKey: path)?.description == "v.yaml:2:3")
    #expect(values.nearestOrigin(of: ValuePath([.key("a"), .key("cc")]))?.description == "v.yaml:2:3")
    #expect(values.nearestOrigin(of: ValuePath([.key("z")])) == nil)
  }
}
