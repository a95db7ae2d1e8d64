import FlowrelValue
import FlowrelYAML
import GoTemplate
import HelmFunctions
import Testing
@testable import FlowrelChart

/// The YAML reader of the template library, for tests that render without the full pipeline.
struct TestYAMLCodec: YAMLCodec {
  func parse(_ text: String) throws -> Value { try YAML.parse(text) }
}

/// A chart made of in-memory files.
func makeChart(_ files: [String: String], name: String = "demo") throws -> Chart {
  var all = files
  all["Chart.yaml"] = all["Chart.yaml"] ?? "apiVersion: v2\nname: \(name)\nversion: 1.0.0\nappVersion: \"2.1\"\n"
  return try Chart(
    files: all.sorted { $0.key < $1.key }.map { ChartFile(path: $0.key, contents: Array($0.value.utf8)) }, source: name)
}

func render(_ chart: Chart, values: Value = .emptyMap, strict: Bool = false) throws -> RenderedChart {
  try chart.render(
    values: values, functions: HelmFunctions.library(yaml: TestYAMLCodec()), emitYAML: { YAML.emit($0, sortedKeys: true) },
    options: RenderOptions(release: ReleaseInfo(name: "rel", namespace: "ns", revision: 3, isInstall: false, isUpgrade: true), strict: strict))
}

@Suite struct RendererTests {
  @Test func templatesSeeHelmsObjects() throws {
    let chart = try makeChart([
      "templates/a.yaml": """
        name: {{ .Release.Name }} ns: {{ .Release.Namespace }} rev: {{ .Release.Revision }} \
        install: {{ .Release.IsInstall }} upgrade: {{ .Release.IsUpgrade }} service: {{ .Release.Service }}
        chart: {{ .Chart.Name }}-{{ .Chart.Version }} app: {{ .Chart.AppVersion }}
        template: {{ .Template.Name }} base: {{ .Template.BasePath }}
        kube: {{ .Capabilities.KubeVersion.Version }} {{ .Capabilities.KubeVersion.Major }}.{{ .Capabilities.KubeVersion.Minor }}
        apps: {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }} nope: {{ .Capabilities.APIVersions.Has "x/v9" }}
        value: {{ .Values.replicas }}
        """,
    ])
    let output = try render(chart, values: ["replicas": 3])
    #expect(output.templates.map(\.text) == [
      """
      name: rel ns: ns rev: 3 install: false upgrade: true service: flowrel
      chart: demo-1.0.0 app: 2.1
      template: demo/templates/a.yaml base: demo/templates
      kube: v1.32.0 1.32
      apps: true nope: false
      value: 3
      """,
    ])
  }

  @Test func partialsAndNotesAreRenderedButHoldNoManifests() throws {
    let chart = try makeChart([
      "templates/_helpers.tpl": "{{ define \"demo.name\" }}{{ .Release.Name }}-demo{{ end }}ignored text",
      "templates/sub/svc.yaml": "kind: {{ include \"demo.name\" . }}",
      "templates/NOTES.txt": "Installed {{ include \"demo.name\" . }}.",
      "templates/b.yaml": "b",
    ])
    let output = try render(chart)
    #expect(output.templates.map(\.name) == ["demo/templates/b.yaml", "demo/templates/sub/svc.yaml"])
    #expect(output.templates.last?.text == "kind: rel-demo")
    #expect(output.notes == "Installed rel-demo.")
  }

  @Test func deeperTemplatesAreParsedFirstSoShallowerDefinitionsWin() throws {
    let chart = try makeChart([
      "templates/x/_deep.tpl": "{{ define \"who\" }}deep{{ end }}",
      "templates/_top.tpl": "{{ define \"who\" }}top{{ end }}",
      "templates/a.yaml": "{{ template \"who\" }}",
    ])
    #expect(try render(chart).templates.map(\.text) == ["top"])
  }

  @Test func whatATemplateSetsIsSeenByTheFilesRenderedAfterIt() throws {
    // Helm renders deeper paths first, then in reverse name order: b.yaml before a.yaml.
    let chart = try makeChart([
      "templates/b.yaml": "{{ $_ := set .Values \"fromB\" \"yes\" }}{{ $_ := set $ \"shared\" 1 }}b",
      "templates/a.yaml": "a sees {{ .Values.fromB }} and {{ .shared }}",
    ])
    #expect(try render(chart).templates.map(\.text) == ["a sees yes and 1", "b"])
  }

  @Test func missingValuesAreEmptyUnlessStrict() throws {
    let chart = try makeChart(["templates/a.yaml": "x: {{ .Values.nope }}"])
    #expect(try render(chart).templates.map(\.text) == ["x: "])
    #expect {
      _ = try render(chart, strict: true)
    } throws: { error in
      guard case .template(let template)? = error as? ChartError else { return false }
      return template.message.contains("demo/templates/a.yaml:1:") && template.message.contains("map has no entry for key \"nope\"")
    }
  }

  @Test func templateErrorsNameTheTemplateAndPosition() throws {
    let chart = try makeChart(["templates/a.yaml": "ok\n{{ .Values.a.b.c }}"])
    #expect {
      _ = try render(chart, values: ["a": 1])
    } throws: { error in
      "\(error)".hasPrefix("template: demo/templates/a.yaml:2:")
    }
  }

  @Test func filesAreReachableButOnlyInsideTheChart() throws {
    let chart = try makeChart([
      "files/a.conf": "alpha\nbeta\n", "files/b.conf": "bee", "files/sub/c.txt": "sea",
      "templates/a.yaml": """
        get: {{ .Files.Get "files/a.conf" | quote }}
        missing: {{ .Files.Get "../Chart.yaml" | quote }} {{ .Files.Get "values.yaml" | quote }} {{ .Files.Get "templates/a.yaml" | quote }}
        lines: {{ range .Files.Lines "files/a.conf" }}[{{ . }}]{{ end }}
        glob: {{ range $path, $_ := .Files.Glob "files/*.conf" }}{{ $path }} {{ end }}
        deep: {{ range $path, $_ := .Files.Glob "files/**" }}{{ $path }} {{ end }}
        braces: {{ range $path, $_ := .Files.Glob "files/{a,sub/c}.*" }}{{ $path }} {{ end }}
        config: {{ (.Files.Glob "files/*.conf").AsConfig | quote }}
        secrets: {{ (.Files.Glob "files/b.conf").AsSecrets | quote }}
        bytes: {{ len (.Files.GetBytes "files/b.conf") }}
        """,
      "values.yaml": "x: 1\n",
    ])
    let text = try #require(try render(chart).templates.first?.text)
    #expect(text == """
      get: "alpha\\nbeta\\n"
      missing: "" "" ""
      lines: [alpha][beta]
      glob: files/a.conf files/b.conf 
      deep: files/a.conf files/b.conf files/sub/c.txt 
      braces: files/a.conf files/sub/c.txt 
      config: "a.conf: |\\n  alpha\\n  beta\\nb.conf: bee"
      secrets: "b.conf: YmVl"
      bytes: 3
      """)
  }
}

/// Objects read while the templates render (`RenderedChart.readAhead`) are the objects read
/// from the finished text.
@Suite struct ReadAheadTests {
  static let chart = """
    {{- range $i := until 5 }}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: c{{ $i }}
    data:
      index: {{ $i | quote }}
    {{- end }}
    ---
    # a comment-only document
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: s}
    """

  func withoutReadAhead(_ rendered: RenderedChart) -> RenderedChart {
    var copy = rendered
    copy.readAhead = nil
    return copy
  }

  func describe(_ manifests: [RenderedManifest]) -> [String] {
    manifests.map { "\($0.template):\($0.source.startLine) \($0.canonicalYAML)" }
  }

  @Test func objectsReadAheadEqualObjectsReadAfterwards() throws {
    let rendered = try render(makeChart(["templates/a.yaml": Self.chart, "templates/b.yaml": "kind: Namespace\napiVersion: v1\nmetadata: {name: ns1}\n"]))
    let release = ReleaseInfo(name: "rel", namespace: "ns", revision: 3, isInstall: false, isUpgrade: true)
    #expect(rendered.readAhead?.templates.keys.sorted() == ["demo/templates/a.yaml", "demo/templates/b.yaml"])
    let ahead = try rendered.manifests(release: release)
    let after = try withoutReadAhead(rendered).manifests(release: release)
    #expect(ahead.count == 7)
    #expect(describe(ahead) == describe(after))
    // Another release, or a changed text, is read again.
    let other = ReleaseInfo(name: "other", namespace: "ns2")
    #expect(describe(try rendered.manifests(release: other)) == describe(try withoutReadAhead(rendered).manifests(release: other)))
    var changed = rendered
    changed.templates[0].text += "\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: added}\n"
    #expect(try changed.manifests(release: release).count == 8)
  }

  @Test func errorsAreThoseOfTheWholeText() throws {
    let bad = Self.chart + "\n---\nkind: [unclosed\n"
    let rendered = try render(makeChart(["templates/a.yaml": bad]))
    let release = ReleaseInfo(name: "rel", namespace: "ns", revision: 3, isInstall: false, isUpgrade: true)
    #expect(rendered.readAhead?.templates["demo/templates/a.yaml"] != nil)
    let ahead = #expect(throws: ChartError.self) { try rendered.manifests(release: release) }
    let after = #expect(throws: ChartError.self) { try withoutReadAhead(rendered).manifests(release: release) }
    #expect(ahead?.description == after?.description)
    // The unclosed list is on line 44 of the template's whole output (after five ConfigMaps).
    #expect(ahead?.description.contains("(while parsing a flow sequence at line 44, column 7)") == true)
  }

  @Test func aTemplateWithADirectiveIsReadFromItsWholeText() throws {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n...\n%YAML 1.1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
    let rendered = try render(makeChart(["templates/a.yaml": text]))
    #expect(rendered.readAhead?.templates["demo/templates/a.yaml"] == nil)
    let release = ReleaseInfo(name: "rel", namespace: "ns")
    #expect(try rendered.manifests(release: release).map(\.manifest.identity.name) == ["a", "b"])
  }
}
