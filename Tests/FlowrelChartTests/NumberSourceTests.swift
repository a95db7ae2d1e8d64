import FlowrelValue
import FlowrelYAML
import Testing

@testable import FlowrelChart

/// Templates see a number as Helm's templates see one from the same source: a values file's
/// (and `--set-json`'s) as a float64, a `--set` integer as an int64. flowrel prints both as
/// the integers they are.
@Suite struct NumberSourceTests {
  /// A template that prints each value's Go kind and the value.
  static let probe = "{{ range $key, $value := .Values }}{{ $key }}: {{ kindOf $value }} {{ $value }}\n{{ end }}"

  /// The chart's defaults, with a values file and the flags over them, as the command line merges them.
  static func values(defaults: String, file: String, flags: [SetFlag: [String]]) throws -> Value {
    let user = try UserValues.resolve(
      files: [ValuesFile(name: "values-prod.yaml", value: try YAML.parse(file))], arguments: flags, readFile: { _ in "" })
    return try MergedValues(defaults: try YAML.parse(defaults), user: user.value).values
  }

  @Test func aValuesFileNumberIsAFloat64AndASetIntegerAnInt64() throws {
    let chart = try makeChart(["templates/a.yaml": Self.probe])
    let values = try Self.values(
      defaults: "default: 5\n", file: "file: 5\nfloat: 1.5\nbig: 1000000\n",
      flags: [.set: ["set=5,setZero=0,setText=007"], .setJSON: ["json=5"], .setString: ["string=5"]])
    #expect(try render(chart, values: values).templates.map(\.text) == [
      """
      big: float64 1000000
      default: float64 5
      file: float64 5
      float: float64 1.5
      json: float64 5
      set: int64 5
      setText: string 007
      setZero: int64 0
      string: string 5

      """,
    ])
  }

  /// Vault's chart keeps the replicas the user gave only when they are an int64 or a float64:
  /// with integers reflected as `int`, it deployed 3 whatever the user asked for.
  @Test func vaultsReplicaIdiomKeepsTheUsersReplicasFromAFileAndFromSet() throws {
    let chart = try makeChart([
      "templates/a.yaml": """
        {{- if or (kindIs "int64" .Values.replicas) (kindIs "float64" .Values.replicas) }}{{ .Values.replicas }}{{ else }}3{{ end }}
        """,
    ])
    let fromFile = try Self.values(defaults: "replicas: 3\n", file: "replicas: 5\n", flags: [:])
    let fromSet = try Self.values(defaults: "replicas: 3\n", file: "{}", flags: [.set: ["replicas=7"]])
    #expect(try render(chart, values: fromFile).templates.map(\.text) == ["5"])
    #expect(try render(chart, values: fromSet).templates.map(\.text) == ["7"])
  }

  /// A chart whose values are typed as Python reads them (the flow chart's Jina Flow YAML) sees
  /// integers, as Python holds them; its floats stay float64s.
  @Test func aChartWithPythonTypedValuesSeesIntegers() throws {
    for rules in ["pyyaml", "jina"] {
      let chart = try makeChart([
        "Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\nannotations:\n  flowrel.dev/values-yaml: \(rules)\n",
        "templates/a.yaml": Self.probe,
      ])
      let values = try Self.values(defaults: "default: 5\n", file: "file: 5\nfloat: 1.5\nlist: [1]\n", flags: [.setJSON: ["json=5"]])
      #expect(try render(chart, values: values).templates.map(\.text) == [
        "default: int64 5\nfile: int64 5\nfloat: float64 1.5\njson: int64 5\nlist: slice [1]\n",
      ], "\(rules)")
    }
  }
}
