import FlowrelArchive
import FlowrelValue
import FlowrelYAML
import Testing
@testable import FlowrelChart

/// A chart from in-memory files; `archives` are `.tgz` files whose entries are given as text.
func makeTree(_ files: [String: String], archives: [String: [String: String]] = [:], source: String = "shop") throws -> Chart {
  var all = files.map { ChartFile(path: $0.key, contents: Array($0.value.utf8)) }
  for (path, entries) in archives {
    let archive = try Tar.writeGzipped(entries.sorted { $0.key < $1.key }.map { ArchiveEntry(path: $0.key, contents: Array($0.value.utf8)) })
    all.append(ChartFile(path: path, contents: archive))
  }
  return try Chart(files: all.sorted { $0.path < $1.path }, source: source)
}

/// Renders for release `rel` in `ns` with `values` as a user's values file.
func renderTree(_ chart: Chart, values: Value = .emptyMap) throws -> RenderOutput {
  try chart.render(RenderRequest(
    release: ReleaseInfo(name: "rel", namespace: "ns"), values: UserValues(files: [ValuesFile(name: "user.yaml", value: values)])))
}

/// The texts of the rendered templates by name.
func texts(_ output: RenderOutput) -> [String: String] {
  Dictionary(uniqueKeysWithValues: output.rendered.templates.map { ($0.name, $0.text) })
}

/// A parent in the style of public charts: a library chart like Bitnami's `common` (written
/// here from scratch), one archived subchart used twice under two aliases, a folder subchart
/// behind a tag, conditions, both `import-values` forms and globals. The expected outputs follow
/// Helm 3's rules (pkg/chartutil dependencies.go and coalesce.go, pkg/engine engine.go).
enum ShopChart {
  static let parentChart = """
    apiVersion: v2
    name: shop
    version: 1.0.0
    dependencies:
      - name: common
        version: 2.x.x
        repository: file://../common
      - name: cache
        version: ~0.3.0
        repository: file://../cache
        alias: sessions
        condition: sessions.enabled
        import-values:
          - data
      - name: cache
        version: ~0.3.0
        repository: file://../cache
        alias: pages
        condition: pages.enabled
        tags: [frontend]
        import-values:
          - child: settings
            parent: pageSettings
      - name: metrics
        version: 1.0.0
        tags: [monitoring]
    """
  static let parentValues = """
    global:
      region: eu
    sessions:
      port: 7000
    pages:
      enabled: false
    pageSettings:
      size: 5
    tags:
      monitoring: false
    """
  static let parentTemplate = """
    kind: ConfigMap
    name: {{ include "common.fullname" . }}
    cachePort: {{ .Values.cachePort }}
    pageSettings: {{ toJson .Values.pageSettings }}
    subcharts: {{ keys .Subcharts | sortAlpha | join "," }}
    sessionsPort: {{ .Subcharts.sessions.Values.port }}
    root: {{ .Chart.IsRoot }}
    dependencies: {{ range .Chart.Dependencies }}{{ .Name }} {{ end }}
    """
  static let commonFiles = [
    "charts/common/Chart.yaml": "apiVersion: v2\nname: common\nversion: 2.1.0\ntype: library\n",
    "charts/common/templates/_names.tpl": """
      {{- define "common.fullname" -}}
      {{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
      {{- end -}}
      {{- define "common.labels" -}}
      app.kubernetes.io/name: {{ .Chart.Name }}
      helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
      {{- end -}}
      """,
    // A library chart's files that are not partials are neither parsed nor rendered.
    "charts/common/templates/configmap.yaml": "kind: {{ .ThisWouldFail",
  ]
  static let cacheArchive = [
    "cache/Chart.yaml": "apiVersion: v2\nname: cache\nversion: 0.3.1\n",
    "cache/values.yaml": "enabled: true\nport: 6379\nexports:\n  data:\n    cachePort: 6379\nsettings:\n  ttl: 60\nglobal:\n  region: nowhere\n  zone: a\n",
    "cache/templates/svc.yaml": """
      apiVersion: v1
      kind: Service
      metadata:
        name: {{ include "common.fullname" . }}
        labels:
          {{- include "common.labels" . | nindent 4 }}
      data:
        port: {{ .Values.port }}
        region: {{ .Values.global.region }}
        zone: {{ .Values.global.zone }}
        template: {{ .Template.Name }}
        base: {{ .Template.BasePath }}
        root: {{ .Chart.IsRoot }}
      """,
    "cache/templates/NOTES.txt": "cache notes are not shown",
  ]
  static let metricsFiles = [
    "charts/metrics/Chart.yaml": "apiVersion: v2\nname: metrics\nversion: 1.0.0\n",
    "charts/metrics/values.yaml": "interval: 30s\n",
    "charts/metrics/config/scrape.txt": "scrape everything",
    "charts/metrics/templates/config.yaml": """
      interval: {{ .Values.interval }}
      region: {{ .Values.global.region }}
      file: {{ .Files.Get "config/scrape.txt" }}
      chart: {{ .Chart.Name }}-{{ .Chart.Version }}
      """,
  ]

  static func chart() throws -> Chart {
    var files = commonFiles.merging(metricsFiles) { a, _ in a }
    files["Chart.yaml"] = parentChart
    files["values.yaml"] = parentValues
    files["templates/app.yaml"] = parentTemplate
    files["templates/NOTES.txt"] = "shop notes"
    return try makeTree(files, archives: ["charts/cache-0.3.1.tgz": cacheArchive])
  }

  static func sessions(port: Int, region: String, name: String = "sessions") -> String {
    """
    apiVersion: v1
    kind: Service
    metadata:
      name: rel-\(name)
      labels:
        app.kubernetes.io/name: \(name)
        helm.sh/chart: \(name)-0.3.1
    data:
      port: \(port)
      region: \(region)
      zone: a
      template: shop/charts/\(name)/templates/svc.yaml
      base: shop/charts/\(name)/templates
      root: false
    """
  }
}

@Suite struct SubchartTests {
  /// Defaults only: `pages` is off by its condition, `metrics` by its tag; `sessions` is on
  /// through its own `enabled: true`, takes the parent's port and the parent's global region
  /// over its own, and exports `cachePort` to the parent.
  @Test func rendersTheEnabledSubchartsWithScopedValues() throws {
    let output = try renderTree(try ShopChart.chart())
    #expect(texts(output) == [
      "shop/templates/app.yaml": """
        kind: ConfigMap
        name: rel-shop
        cachePort: 6379
        pageSettings: {"size":5}
        subcharts: common,sessions
        sessionsPort: 7000
        root: true
        dependencies: common sessions 
        """,
      "shop/charts/sessions/templates/svc.yaml": ShopChart.sessions(port: 7000, region: "eu"),
    ])
    #expect(output.rendered.notes == "shop notes")
  }

  /// The user's values switch `pages` on by its condition and `metrics` by its tag; `pages`
  /// imports its `settings` map under `pageSettings`, where the parent's own keys win; the user's
  /// global reaches every subchart.
  @Test func userValuesSwitchSubchartsOnAndGlobalsFlowDown() throws {
    let values: Value = ["tags": ["monitoring": true], "pages": ["enabled": true], "global": ["region": "us"]]
    let output = try renderTree(try ShopChart.chart(), values: values)
    #expect(texts(output) == [
      "shop/templates/app.yaml": """
        kind: ConfigMap
        name: rel-shop
        cachePort: 6379
        pageSettings: {"size":5,"ttl":60}
        subcharts: common,metrics,pages,sessions
        sessionsPort: 7000
        root: true
        dependencies: common sessions pages metrics 
        """,
      "shop/charts/sessions/templates/svc.yaml": ShopChart.sessions(port: 7000, region: "us"),
      "shop/charts/pages/templates/svc.yaml": ShopChart.sessions(port: 6379, region: "us", name: "pages"),
      "shop/charts/metrics/templates/config.yaml": """
        interval: 30s
        region: us
        file: scrape everything
        chart: metrics-1.0.0
        """,
    ])
  }

  /// A condition that holds a boolean decides over the tags; tags that are all false disable.
  @Test func conditionsOverrideTags() throws {
    let chart = try ShopChart.chart()
    let on = try renderTree(chart, values: ["tags": ["frontend": false], "pages": ["enabled": true]])
    #expect(texts(on)["shop/charts/pages/templates/svc.yaml"] != nil)
    let off = try renderTree(chart, values: ["tags": ["frontend": false], "pages": ["enabled": "yes"]])
    #expect(texts(off)["shop/charts/pages/templates/svc.yaml"] == nil)
    #expect(off.values.warnings.contains("condition pages.enabled of subchart pages is not true or false; it is ignored"))
  }

  /// The values templates see: each subchart's under its name, with `global` given to each.
  @Test func theParentSeesEverySubchartsValues() throws {
    let output = try renderTree(try ShopChart.chart())
    let values = output.values.values
    func json(_ value: Value?) throws -> String { try (value ?? .null).jsonText(JSONEncodingOptions()) }
    #expect(try json(values["sessions"]) == #"{"enabled":true,"exports":{"data":{"cachePort":6379}},"global":{"region":"eu","zone":"a"},"port":7000,"settings":{"ttl":60}}"#)
    #expect(try json(values["common"]) == #"{"global":{"region":"eu"}}"#)
    // A switched-off subchart's defaults are not merged in: only what the parent set is there.
    #expect(try json(values["pages"]) == #"{"enabled":false}"#)
  }

  @Test func aLibraryChartCannotBeRenderedItself() throws {
    let chart = try makeTree(["Chart.yaml": "apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n"], source: "lib")
    #expect {
      _ = try renderTree(chart)
    } throws: { error in
      "\(error)" == "lib/Chart.yaml: type: library charts are not installable; a library chart is used as a subchart of another chart"
    }
    #expect(chart.lint(RenderRequest(release: ReleaseInfo(name: "rel", namespace: "ns"))) == [])
  }

  @Test func aListedDependencyMissingFromChartsIsAnError() throws {
    let chart = try makeTree([
      "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: db\n    version: 1.x\n    repository: file://../db\n",
    ], source: "app")
    #expect {
      _ = try renderTree(chart)
    } throws: { error in
      "\(error)" == "app/Chart.yaml: dependencies: found in Chart.yaml, but missing in charts/ directory: db (flowrel dependency build puts file:// dependencies there)"
    }
  }

  /// A subchart that `dependencies` does not list is always rendered, under its own name.
  @Test func anUnlistedSubchartIsRendered() throws {
    let chart = try makeTree([
      "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
      "charts/extra/Chart.yaml": "apiVersion: v2\nname: extra\nversion: 0.1.0\n",
      "charts/extra/values.yaml": "a: 1\n",
      "charts/extra/templates/x.yaml": "a: {{ .Values.a }} b: {{ .Values.b }}",
      "values.yaml": "extra:\n  b: 2\n",
    ], source: "app")
    #expect(texts(try renderTree(chart)) == ["app/charts/extra/templates/x.yaml": "a: 1 b: 2"])
  }

  /// All charts' templates are one set parsed deepest first, so a parent's `define` wins over a
  /// subchart's of the same name, in the subchart's templates too; a switched-off subchart's
  /// definitions are not there at all.
  @Test func definitionsAreSharedAcrossChartsAndTheParentsWin() throws {
    let files = [
      "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: sub\n    condition: sub.on\n",
      "templates/_h.tpl": "{{ define \"who\" }}parent{{ end }}",
      "templates/a.yaml": "a: {{ include \"who\" . }}{{ if .Values.useOnlySub }} {{ include \"onlySub\" . }}{{ end }}",
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
      "charts/sub/values.yaml": "on: true\n",
      "charts/sub/templates/_h.tpl": "{{ define \"who\" }}sub{{ end }}{{ define \"onlySub\" }}from sub{{ end }}",
      "charts/sub/templates/b.yaml": "b: {{ include \"who\" . }}",
    ]
    let chart = try makeTree(files, source: "app")
    #expect(texts(try renderTree(chart, values: ["useOnlySub": true])) == [
      "app/templates/a.yaml": "a: parent from sub", "app/charts/sub/templates/b.yaml": "b: parent",
    ])
    #expect {
      _ = try renderTree(chart, values: ["useOnlySub": true, "sub": ["on": false]])
    } throws: { error in
      "\(error)".contains("no template \"onlySub\"")
    }
  }

  /// Each subchart's schema checks the values it sees, as Helm checks them.
  @Test func aSubchartsSchemaChecksItsValues() throws {
    let chart = try makeTree([
      "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
      "charts/sub/values.yaml": "port: 80\n",
      "charts/sub/values.schema.json": #"{"type": "object", "properties": {"port": {"type": "integer"}}}"#,
    ], source: "app")
    _ = try renderTree(chart)
    #expect {
      _ = try renderTree(chart, values: ["sub": ["port": "eighty"]])
    } throws: { error in
      "\(error)".hasPrefix("values do not match app/charts/sub/values.schema.json:") && "\(error)".contains("port")
    }
  }

  /// A null from the parent removes a subchart's default, as in Helm's coalescing.
  @Test func aParentNullRemovesASubchartDefault() throws {
    let chart = try makeTree([
      "Chart.yaml": "apiVersion: v2\nname: app\nversion: 1.0.0\n",
      "charts/extra/Chart.yaml": "apiVersion: v2\nname: extra\nversion: 0.1.0\n",
      "charts/extra/values.yaml": "a: 1\nb: 2\n",
      "charts/extra/templates/x.yaml": "{{ toJson .Values }}",
    ], source: "app")
    #expect(texts(try renderTree(chart, values: ["extra": ["a": nil]])) == ["app/charts/extra/templates/x.yaml": #"{"b":2,"global":{}}"#])
  }

  /// An `apiVersion: v1` chart lists its dependencies in requirements.yaml; a missing
  /// apiVersion reads as v1; Helm's lenient versions (`v1.2.3`, `1.2`) are accepted and shown
  /// as written.
  @Test func helm2ChartsAndLenientVersions() throws {
    let chart = try makeTree([
      "Chart.yaml": "name: old\nversion: v1.2.3\nengine: gotpl\n",
      "requirements.yaml": "dependencies:\n  - name: dep\n    version: \"1.2\"\n    condition: dep.on\n",
      "values.yaml": "dep:\n  on: true\n",
      "charts/dep/Chart.yaml": "apiVersion: v1\nname: dep\nversion: 1.2\n",
      "charts/dep/templates/a.yaml": "{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.APIVersion }}",
      "templates/b.yaml": "{{ .Chart.Version }} {{ .Chart.APIVersion }} {{ range .Chart.Dependencies }}{{ .Condition }}{{ end }}",
    ], source: "old")
    #expect(chart.metadata.apiVersion == "v1")
    #expect(texts(try renderTree(chart)) == [
      "old/templates/b.yaml": "v1.2.3 v1 dep.on",
      "old/charts/dep/templates/a.yaml": "dep 1.2 v1",
    ])
    // Switched off, the entry is gone from .Chart.Dependencies as well, as in Helm.
    #expect(texts(try renderTree(chart, values: ["dep": ["on": false]])) == ["old/templates/b.yaml": "v1.2.3 v1 "])
    // Helm reads an unquoted number into text as Go formats the float: 1.10 is "1.1", 1.0 is "1".
    let unquoted = try makeTree(["Chart.yaml": "apiVersion: v2\nname: n\nversion: 1.10\nappVersion: 1.0\n"], source: "n")
    #expect(unquoted.metadata.version.original == "1.1")
    #expect(unquoted.metadata.appVersion == "1")
  }

  @Test func aliasesMustBeNamesAndUnique() {
    func metadata(_ dependencies: Value) throws -> ChartMetadata {
      try ChartMetadata(["apiVersion": "v2", "name": "a", "version": "1.0.0", "dependencies": dependencies])
    }
    #expect {
      _ = try metadata([["name": "x", "alias": "a.b"]])
    } throws: { "\($0)".contains("\"a.b\" has characters an alias may not have") }
    #expect {
      _ = try metadata([["name": "x", "alias": "y"], ["name": "y"]])
    } throws: { "\($0)".contains("more than one dependency with name or alias \"y\"") }
  }

  /// Nested archives share one budget: a tree of archives cannot unpack past it.
  @Test func nestedArchivesShareOneSizeBudget() throws {
    let big = String(repeating: "x", count: 3 << 20)
    let inner = try Tar.writeGzipped([
      ArchiveEntry(path: "inner/Chart.yaml", contents: Array("apiVersion: v2\nname: inner\nversion: 1.0.0\n".utf8)),
      ArchiveEntry(path: "inner/big.txt", contents: Array(big.utf8)),
    ])
    var entries = [ArchiveEntry(path: "outer/Chart.yaml", contents: Array("apiVersion: v2\nname: outer\nversion: 1.0.0\n".utf8))]
    for index in 0..<40 { entries.append(ArchiveEntry(path: "outer/charts/inner\(index).tgz", contents: inner)) }
    let outer = try Tar.writeGzipped(entries)
    #expect {
      _ = try Chart(files: [
        ChartFile(path: "Chart.yaml", contents: Array("apiVersion: v2\nname: top\nversion: 1.0.0\n".utf8)),
        ChartFile(path: "charts/outer.tgz", contents: outer),
      ], source: "top")
    } throws: { error in
      "\(error)".hasPrefix("top/charts/outer.tgz/charts/inner") && "\(error)".contains(" more than ")
    }
  }
}

/// `lint` warns when `Chart.lock` was not made for the chart's `dependencies`. The reference is
/// Helm's own test chart issue-7214 (helm/helm cmd/helm/testdata): its dependency entry and the
/// digest Helm wrote into its Chart.lock.
@Suite struct ChartLockLintTests {
  static let lock = """
    dependencies:
    - name: postgresql
      repository: https://kubernetes-charts.storage.googleapis.com
      version: 6.5.9
    digest: sha256:bc78b47b5a97f33923d7e3f1582bc2fb246f08783cb2d004142de93b0023ea4c
    generated: "2020-04-12T00:42:43.331577986+05:30"
    """

  func lockFindings(condition: String) throws -> [String] {
    let chart = try makeTree([
      "Chart.yaml": """
        apiVersion: v2
        name: chrt-7214
        version: 0.1.0
        dependencies:
          - name: postgresql
            version: 6.5.9
            repository: https://kubernetes-charts.storage.googleapis.com
            condition: \(condition)
        """,
      "Chart.lock": Self.lock,
      "charts/postgresql/Chart.yaml": "apiVersion: v2\nname: postgresql\nversion: 6.5.9\n",
    ], source: "chrt")
    return chart.lint(RenderRequest(release: ReleaseInfo(name: "rel", namespace: "ns"))).filter { $0.place.hasSuffix("Chart.lock") }.map(\.description)
  }

  @Test func helmsDigestMatches() throws {
    #expect(try lockFindings(condition: "postgresql.enabled") == [])
  }

  @Test func aChangedEntryIsOutOfSync() throws {
    #expect(try lockFindings(condition: "db.enabled") == [
      "[WARNING] chrt/Chart.lock: is out of sync with the dependencies in Chart.yaml; run flowrel dependency update",
    ])
  }
}
