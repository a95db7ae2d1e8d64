import Foundation
import Testing

/// A bad value in a Flow YAML is one message at the user's file:line:column, and a non-zero
/// exit, from `template`, `install --dry-run` and `lint` alike.
@Suite struct ValueErrorCommandTests {
  static let flow = """
    jtype: Flow
    version: '1'
    with:
      protocol: grpc
      port: 8080
      monitoring: true
    gateway:
      replicas: 2
    executors:
      - name: indexer
        uses: docker://jinaai/indexer:1.0
        shard: 2

    """

  @Test func aMisspeltKeyIsOneMessageAtItsLineAndColumn() throws {
    let folder = try TemporaryFolder(["flow.yml": Self.flow])
    let message = #"flow.yml:12:5: executors[0]: unknown key "shard"; did you mean "shards"?"#
    let template = try FlowrelProcess.run(["template", "search", "-f", "flow.yml"], in: folder.url)
    #expect(template.status == 1)
    #expect(template.stdout.isEmpty)
    #expect(template.stderr == "Error: \(message)\n")
    let lint = try FlowrelProcess.run(["lint", "-f", "flow.yml"], in: folder.url)
    #expect(lint.status == 1)
    #expect(lint.stdout.hasPrefix("[ERROR] \(message)\n"), "\(lint.stdout)")
  }

  @Test func aSchemaViolationSaysWhatIsExpectedAtItsLine() throws {
    let folder = try TemporaryFolder(["flow.yml": "executors:\n  - name: a\n    imagePullPolicy: always\n"])
    let template = try FlowrelProcess.run(["template", "search", "-f", "flow.yml"], in: folder.url)
    #expect(template.status == 1)
    #expect(template.stderr == #"""
      Error: flow.yml:3:22: executors[0].imagePullPolicy: expected one of Always, IfNotPresent, Never, found "always"; did you mean "Always"?

      """#)
  }

  @Test func aValueFromTheCommandLineNamesItsFlag() throws {
    let template = try FlowrelProcess.run(["template", "search", "--set", "executors[0].name=1exec"])
    #expect(template.status == 1)
    #expect(template.stderr == #"""
      Error: executors[0].name: "1exec" is invalid: Jina names follow the Python variable name conventions (letters, digits and _, not starting with a digit), e.g. "exec1" (--set executors[0].name=1exec)

      """#)
  }

  @Test func lintWarningsNameTheValuesLine() throws {
    let folder = try TemporaryFolder([
      "flow.yml": "executors:\n  - name: idx\n    uses: docker://idx:1.0\n    replicas: 2\n    volumes: [/data]\n",
    ])
    let lint = try FlowrelProcess.run(["lint", "-f", "flow.yml"], in: folder.url)
    #expect(lint.status == 0)
    #expect(lint.stdout == """
      [WARNING] flow.yml:4:15: executors[0].replicas: idx has 2 replicas and storage: Jina supports replicas > 1 only for stateless Executors; each replica gets its own volume and they do not share data.

      """)
  }
}
