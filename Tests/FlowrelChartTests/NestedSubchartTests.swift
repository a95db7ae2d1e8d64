import FlowrelValue
import Testing
@testable import FlowrelChart

/// Subcharts of subcharts, switched on and off as Helm 3's `processDependencyEnabled`
/// (pkg/chartutil/dependencies.go) does: before it looks at a chart's dependencies it coalesces
/// that chart's defaults into the top-level values, then reads `tags` from the top level and
/// each `condition` at the chart's own path (`mid.` + the condition).
@Suite struct NestedSubchartTests {
  /// root → mid → {docs (tag docs), extras (tag extras), probe (condition probe.enabled)}.
  /// `mid`'s values.yaml gives defaults for the tags of its own subcharts.
  static func chart() throws -> Chart {
    let leaf = { (name: String) in "apiVersion: v2\nname: \(name)\nversion: 1.0.0\n" }
    let config = { (name: String) in "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\n" }
    return try makeTree([
      "Chart.yaml": "apiVersion: v2\nname: root\nversion: 1.0.0\ndependencies:\n  - name: mid\n    version: 1.0.0\n",
      "values.yaml": "tags:\n  docs: false\n",
      "charts/mid/Chart.yaml": """
        apiVersion: v2
        name: mid
        version: 1.0.0
        dependencies:
          - name: docs
            version: 1.0.0
            tags: [docs]
          - name: extras
            version: 1.0.0
            tags: [extras]
          - name: probe
            version: 1.0.0
            condition: probe.enabled
        """,
      "charts/mid/values.yaml": "tags:\n  docs: true\n  extras: false\nprobe:\n  enabled: true\n",
      "charts/mid/templates/cm.yaml": config("mid"),
      "charts/mid/charts/docs/Chart.yaml": leaf("docs"),
      "charts/mid/charts/docs/templates/cm.yaml": config("docs"),
      "charts/mid/charts/extras/Chart.yaml": leaf("extras"),
      "charts/mid/charts/extras/templates/cm.yaml": config("extras"),
      "charts/mid/charts/probe/Chart.yaml": leaf("probe"),
      "charts/mid/charts/probe/templates/cm.yaml": config("probe"),
    ], source: "root")
  }

  /// The subcharts of `mid` that render with `values`.
  func rendered(_ values: Value) throws -> [String] {
    let names = texts(try renderTree(try Self.chart(), values: values)).keys
    return ["docs", "extras", "probe"].filter { names.contains("root/charts/mid/charts/\($0)/templates/cm.yaml") }
  }

  /// The root's tags win over `mid`'s defaults for them; `mid`'s defaults fill in the rest.
  @Test func aSubchartsDefaultsGiveTheTagsOfItsSubchartsUnderTheRoots() throws {
    // docs: the root's false wins over mid's true; extras: mid's default false.
    #expect(try rendered(.emptyMap) == ["probe"])
    #expect(try rendered(["tags": ["extras": true]]) == ["extras", "probe"])
    #expect(try rendered(["tags": ["docs": true]]) == ["docs", "probe"])
    // Tags under the subchart's own key are its values, not the top level's tags.
    #expect(try rendered(["mid": ["tags": ["extras": true]]]) == ["probe"])
  }

  /// A condition is read at the chart's path: `probe.enabled` of `mid` is `mid.probe.enabled`.
  @Test func aNestedConditionIsReadBelowItsChart() throws {
    #expect(try rendered(["mid": ["probe": ["enabled": false]]]) == [])
    #expect(try rendered(["probe": ["enabled": false]]) == ["probe"])
  }

  /// A condition that is no boolean is ignored with a warning, which lint reports.
  @Test func aConditionThatIsNoBooleanIsAWarning() throws {
    let output = try renderTree(try Self.chart(), values: ["mid": ["probe": ["enabled": "yes"]]])
    #expect(output.values.warnings == ["condition probe.enabled of subchart probe is not true or false; it is ignored"])
    let findings = try Self.chart().lint(RenderRequest(
      release: ReleaseInfo(name: "rel", namespace: "ns"),
      values: UserValues(files: [ValuesFile(name: "user.yaml", value: ["mid": ["probe": ["enabled": "yes"]]])])))
    #expect(findings.contains { $0.severity == .warning && $0.message == output.values.warnings.first }, "\(findings)")
  }
}

/// `.Values` is Helm's `chartutil.Values` in every chart of a render, nested maps are plain
/// maps, and `.Chart.Version` is the version as Chart.yaml writes it.
@Suite struct ValuesObjectRenderTests {
  @Test func eachChartsValuesIsAChartutilValues() throws {
    let chart = try makeTree([
      "Chart.yaml": "apiVersion: v2\nname: root\nversion: v0.0.0\n",
      "values.yaml": "a:\n  b: 1\nsub:\n  port: 80\n",
      "templates/cm.yaml": """
        kind: ConfigMap
        types: {{ typeOf .Values }} {{ kindOf .Values }} {{ typeOf .Values.a }} {{ typeOf .Subcharts.sub.Values }}
        version: {{ .Chart.Version }}
        set: {{ $_ := set .Values "c" 2 }}{{ .Values.c }}
        """,
      "templates/a-later.yaml": "kind: Secret\nseen: {{ .Values.c }}\n",
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
      "charts/sub/templates/cm.yaml": "kind: ConfigMap\ntypes: {{ typeOf .Values }} {{ .Values.port }}\n",
    ], source: "root")
    let out = texts(try renderTree(chart))
    #expect(out["root/templates/cm.yaml"] == """
      kind: ConfigMap
      types: chartutil.Values map map[string]interface {} chartutil.Values
      version: v0.0.0
      set: 2
      """)
    // `set` changed the one map: templates rendered later (Helm goes in reverse name order) see it.
    #expect(out["root/templates/a-later.yaml"] == "kind: Secret\nseen: 2\n")
    #expect(out["root/charts/sub/templates/cm.yaml"] == "kind: ConfigMap\ntypes: chartutil.Values 80\n")
  }
}
