import Foundation
import Testing

/// `releases/<name>/manifests.yaml` is `flowrel template <name> -f releases/<name>/values.yaml -n <name>`,
/// byte for byte; `FLOWREL_REGENERATE=1 swift test --filter TemplateCommandTests` rewrites them.
@Suite struct TemplateCommandTests {
  static let examples = ["index-flow", "search-flow", "postgres-index", "production-flow"]

  @Test(arguments: examples)
  func bundledExamplesRenderToTheirCommittedManifests(name: String) throws {
    let result = try FlowrelProcess.run(["template", name, "-f", "releases/\(name)/values.yaml", "-n", name])
    #expect(result.status == 0, "\(result.stderr)")
    let golden = FlowrelProcess.repository.appendingPathComponent("releases/\(name)/manifests.yaml")
    if ProcessInfo.processInfo.environment["FLOWREL_REGENERATE"] == "1" {
      try Data(result.stdout.utf8).write(to: golden)
    }
    #expect(result.stdout == (try String(contentsOf: golden, encoding: .utf8)))
  }

  @Test func renderingIsDeterministic() throws {
    let first = try FlowrelProcess.run(["template", "search-flow", "-f", "releases/search-flow/values.yaml"])
    let second = try FlowrelProcess.run(["template", "search-flow", "-f", "releases/search-flow/values.yaml"])
    #expect(first.status == 0)
    #expect(first.stdout == second.stdout)
  }

  @Test func valuesComeFromStandardInputAndSetFlags() throws {
    let result = try FlowrelProcess.run(
      ["template", "demo", "-f", "-", "--set", "executors[0].replicas=3", "--show-only", "templates/executors.yaml"],
      input: "executors:\n  - name: enc\n    uses: docker://enc:1.0\n")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("name: enc\n"))
    #expect(result.stdout.contains("replicas: 3\n"))
    #expect(!result.stdout.contains("gateway"), "--show-only keeps only the executors' template")
  }

  @Test func rawShowsTheEngineOutputOfEachTemplateInNameOrder() throws {
    let folder = try TemporaryFolder([
      "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
      "demo/templates/_helpers.tpl": "{{ define \"x\" }}X{{ end }}partial text",
      "demo/templates/NOTES.txt": "notes",
      "demo/templates/b.yaml": "b: {{ template \"x\" }}",
      "demo/templates/a/z.yaml": "z: 1 # not parsed: {{ \"{\" }}",
      "demo/templates/empty.yaml": "  \n",
    ])
    let result = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--raw"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout == "---\n# Source: demo/templates/a/z.yaml\nz: 1 # not parsed: {\n---\n# Source: demo/templates/b.yaml\nb: X\n")
  }

  @Test func outputDirGetsOneFilePerObject() throws {
    let folder = try TemporaryFolder()
    let result = try FlowrelProcess.run(["template", "index-flow", "-f", "releases/index-flow/values.yaml", "--output-dir", folder.path("out")])
    #expect(result.status == 0, "\(result.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("out")).sorted()
    #expect(files == [
      "configmap-executor0-configmap.yaml", "configmap-gateway-configmap.yaml", "deployment-executor0.yaml",
      "deployment-gateway.yaml", "service-executor0.yaml", "service-gateway.yaml",
    ])
    #expect(result.stdout.isEmpty)
  }

  /// Two objects that one file name cannot tell apart (kinds differing in case) are refused
  /// instead of the second file replacing the first.
  @Test func outputDirRefusesObjectsThatWouldShareAFile() throws {
    let folder = try TemporaryFolder([
      "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
      "demo/templates/a.yaml": "apiVersion: v1\nkind: Foo\nmetadata: {name: a}\n---\napiVersion: v1\nkind: foo\nmetadata: {name: a}\n",
    ])
    let result = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--output-dir", folder.path("out")])
    #expect(result.status != 0)
    #expect(result.stderr.contains("would both be written to foo-a.yaml"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.path("out")))
  }

  @Test(arguments: [
    ([String: String](), "no Chart.yaml"),
    (["Chart.yaml": "apiVersion: v2\nname: bad\nversion: 1.x\n"], "Chart.yaml: version: \"1.x\" is not a semantic version"),
    (["templates/a.yaml": "{{ if }}"], "template: bad/templates/a.yaml:1: missing value for if"),
    (["templates/a.yaml": "a: [1\n"], "bad/templates/a.yaml: the output is not valid YAML at line 2"),
    (["templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"],
      "bad/templates/a.yaml:4: ConfigMap default/x is also defined at bad/templates/a.yaml:1"),
    (["templates/a.yaml": "kind: ConfigMap\nmetadata: {name: x}\n"], "bad/templates/a.yaml:1: object has no apiVersion"),
    (["templates/a.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: Web_1}\n"], "is not a valid DNS-1035 label"),
  ])
  func badChartsGiveOneClearMessageAndExitCodeOne(files: [String: String], message: String) throws {
    var layout = ["Chart.yaml": "apiVersion: v2\nname: bad\nversion: 1.0.0\n"]
    if files.isEmpty { layout = [:] }
    for (path, text) in files { layout[path] = text }
    layout["README.md"] = "a chart folder needs at least one file"
    let folder = try TemporaryFolder(layout.reduce(into: [:]) { $0["bad/" + $1.key] = $1.value })
    let result = try FlowrelProcess.run(["template", "r", folder.path("bad")])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.hasPrefix("Error: "))
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "one message: \(result.stderr)")
  }

  @Test func kubeVersionAndSchemaAreChecked() throws {
    let folder = try TemporaryFolder([
      "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\nkubeVersion: \">=1.30.0-0\"\n",
      "demo/values.yaml": "replicas: 1\n",
      "demo/values.schema.json": #"{"type": "object", "properties": {"replicas": {"type": "integer", "minimum": 1}}, "required": ["replicas"]}"#,
      "demo/templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {r: \"{{ .Values.replicas }}\"}\n",
    ])
    let old = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--kube-version", "v1.29.3"])
    #expect(old.status == 1)
    #expect(old.stderr.contains("kubeVersion: the chart needs Kubernetes >=1.30.0-0, which v1.29.3 is not"))
    #expect(try FlowrelProcess.run(["template", "r", folder.path("demo"), "--kube-version", "1.31.0"]).status == 0)
    let bad = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--set", "replicas=0"])
    #expect(bad.status == 1)
    // One value at fault: one line, naming the flag that gave it.
    #expect(bad.stderr == "Error: replicas: expected a number >= 1, found 0 (--set replicas=0)\n", "\(bad.stderr)")
  }

  @Test func debugShowsTheRenderedTextOfAYAMLError() throws {
    let folder = try TemporaryFolder(["bad/Chart.yaml": "apiVersion: v2\nname: bad\nversion: 1.0.0\n", "bad/templates/a.yaml": "x: {{ \"[1\" }}\n"])
    let result = try FlowrelProcess.run(["template", "r", folder.path("bad"), "--debug"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("x: [1"))
  }

  @Test func usageErrorsExitWithOne() throws {
    let result = try FlowrelProcess.run(["template"])
    #expect(result.status == 1)
    #expect(result.stderr == "Error: name a release (or give --generate-name)\n")
  }

  @Test func helpAndVersionGoToStandardOutput() throws {
    let help = try FlowrelProcess.run(["--help"])
    #expect(help.status == 0)
    // Helm's global flags come before the verb too.
    #expect(help.stdout.contains("USAGE: flowrel [--namespace <namespace>] [--kubeconfig <file>] [--kube-context <name>] [--debug] <subcommand>"))
    #expect(help.stdout.contains("GLOBAL OPTIONS:"))
    for verb in ["template", "lint", "show", "create"] { #expect(help.stdout.contains("  \(verb) ")) }
    let version = try FlowrelProcess.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout == "0.1.0\n")
  }
}
