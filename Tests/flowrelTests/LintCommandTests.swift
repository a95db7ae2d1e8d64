import Foundation
import Testing

@Suite struct LintCommandTests {
  @Test func theBuiltInFlowChartLintsClean() throws {
    let result = try FlowrelProcess.run(["lint"])
    #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
    #expect(result.stdout.isEmpty)
    let withExample = try FlowrelProcess.run(["lint", "flow", "-f", "releases/search-flow/values.yaml"])
    #expect(withExample.status == 0, "\(withExample.stdout)")
  }

  @Test func findingsNameFileAndLineAndOnlyErrorsFail() throws {
    let folder = try TemporaryFolder([
      "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\n",
      "demo/templates/web.yaml": """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: {{ .Values.podLabel }}
            spec:
              containers:
                - name: web
                  image: nginx
                - name: side
                  image: registry:5000/side:latest
                - name: pinned
                  image: registry:5000/side:1.2
        """,
      "demo/values.yaml": "podLabel: web\n",
    ])
    let warnings = try FlowrelProcess.run(["lint", folder.path("demo")])
    #expect(warnings.status == 0)
    #expect(warnings.stdout == """
      [WARNING] demo/templates/web.yaml:16: image "nginx" has no tag, so every pull may get a different image; name a version
      [WARNING] demo/templates/web.yaml:18: image "registry:5000/side:latest" uses the tag latest, so every pull may get a different image; name a version

      """)
    let errors = try FlowrelProcess.run(["lint", folder.path("demo"), "--set", "podLabel=api"])
    #expect(errors.status == 1)
    #expect(errors.stdout.hasPrefix(
      "[ERROR] demo/templates/web.yaml:8: Deployment web: selector app=web does not match the pod template's labels"))
  }

  @Test func chartWarningsInTheNotesAreLintWarnings() throws {
    let folder = try TemporaryFolder([
      "demo/Chart.yaml": "apiVersion: v2\nname: demo\nversion: 1.0.0\n",
      "demo/templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
      "demo/templates/NOTES.txt": "Hello.\n{{ if .Values.risky }}WARNING: risky is on; it works but is slow\n{{ end }}",
    ])
    let quiet = try FlowrelProcess.run(["lint", folder.path("demo")])
    #expect(quiet.stdout.isEmpty)
    let warned = try FlowrelProcess.run(["lint", folder.path("demo"), "--set", "risky=true"])
    #expect(warned.status == 0)
    #expect(warned.stdout == "[WARNING] demo/templates/NOTES.txt: risky is on; it works but is slow\n")
    let rendered = try FlowrelProcess.run(["template", "r", folder.path("demo"), "--set", "risky=true"])
    #expect(rendered.stderr == "WARNING: risky is on; it works but is slow\n")
  }
}
