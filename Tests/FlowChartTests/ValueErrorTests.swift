import FlowrelChart
import FlowrelValue
import Testing

/// Errors about a user's value name the user's values file, line and column (issue 15, item
/// 2), or the `--set` flag that gave it, in one message; lint places its findings the same way.
@Suite struct ValueErrorTests {
  /// The Flow of the issue's example: the misspelt `shard` is at line 12, column 5.
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

  /// The message rendering `text`, read as the values file `flow.yml`, fails with.
  static func failure(_ text: String, set: [String] = []) throws -> String {
    let chart = try FlowChart.chart.get()
    let file = try ValuesFile.read(name: "flow.yml", bytes: Array(text.utf8), scalars: chart.metadata.valuesScalarRules)
    let values = try UserValues.resolve(files: [file], arguments: set.isEmpty ? [:] : [.set: set]) { _ in "" }
    do {
      _ = try chart.render(RenderRequest(release: ReleaseInfo(name: "flow", namespace: "flow"), values: values))
    } catch {
      return error.description
    }
    Issue.record("rendered, but should have failed: \(text)")
    return ""
  }

  @Test func theIssuesExampleIsPlacedAtTheMisspeltKey() throws {
    #expect(try Self.failure(Self.flow) == #"flow.yml:12:5: executors[0]: unknown key "shard"; did you mean "shards"?"#)
  }

  @Test(arguments: [
    // The chart's own checks (templates), at the value at fault.
    ("executors:\n  - name: a\n    bogus: 1\n",
      #"flow.yml:3:5: executors[0]: unknown key "bogus" (the chart README lists the keys)"#),
    ("executors:\n  - name: a\n    gpu: 1\n", #"flow.yml:3:5: executors[0]: unknown key "gpu"; did you mean "gpus"?"#),
    ("executor:\n  - name: a\n", #"flow.yml:1:1: unknown key "executor"; did you mean "executors"?"#),
    ("with:\n  protocl: http\n", #"flow.yml:2:3: with: unknown key "protocl"; did you mean "protocol"?"#),
    ("executors:\n  - name: 1exec\n",
      #"flow.yml:2:11: executors[0].name: "1exec" is invalid: Jina names follow the Python variable name conventions (letters, digits and _, not starting with a digit), e.g. "exec1""#),
    ("executors:\n  - name: gpu-one\n",
      #"flow.yml:2:11: executors[0].name: "gpu-one" is invalid: Jina names follow the Python variable name conventions (letters, digits and _, not starting with a digit), e.g. "gpu_one""#),
    ("executors:\n  - name: 4 2\n",
      #"flow.yml:2:11: executors[0].name: "4 2" is invalid: Jina names follow the Python variable name conventions (letters, digits and _, not starting with a digit), e.g. "executor0""#),
    ("executors:\n  - name: _enc_\n",
      #"flow.yml:2:11: executors[0].name: "_enc_" becomes the Kubernetes name "-enc-", which Kubernetes refuses (names start and end with a letter or digit), e.g. "enc""#),
    ("executors:\n  - name: Enc\n  - name: enc\n",
      #"flow.yml:3:11: executors[1].name: "Enc" and "enc" both become the Kubernetes name "enc"; rename one of them"#),
    ("with:\n  shards: 0\nexecutors:\n  - name: a\n", "flow.yml:2:11: with.shards: must be 1 or more, not 0"),
    ("with:\n  shards: 1.5\nexecutors:\n  - name: a\n", "flow.yml:2:11: with.shards: must be a whole number, 1 or more, not 1.5"),
    ("executors:\n  - name: a\n    uses: executor.py\n",
      #"flow.yml:3:11: executors[0].uses: "executor.py" is not a container image: on Kubernetes every Executor runs in a container, so write docker://IMAGE"#),
    ("with:\n  uses_after: MatchMerger\nexecutors:\n  - name: a\n",
      #"flow.yml:2:15: with.uses_after: "MatchMerger" is not a container image: on Kubernetes every Executor runs in a container, so write docker://IMAGE"#),
    ("executors:\n  - name: a\n  - name: b\n    needs: [a, c]\n",
      #"flow.yml:4:12: executors[1].needs: "c" is not an earlier Executor (or gateway); the Executors before "b" are: a"#),
    ("executors:\n  - name: a\n    needs: a\n", #"flow.yml:3:12: executors[0].needs: an Executor cannot need itself ("a"), as Jina says"#),
    ("executors:\n  - name: a\n    protocol: websocket\n",
      #"flow.yml:3:15: executors[0].protocol: "websocket" is not one Jina runs an Executor with: grpc or http (websocket is for the gateway)"#),
    ("gateway:\n  protocol: [grpc, smtp]\n", #"flow.yml:2:20: gateway.protocol[1]: "smtp" is not one of grpc, http, websocket"#),
    ("executors:\n  - name: a\n    external: true\n", #"flow.yml:2:5: executors[0]: external Executor "a" needs a host"#),
    ("gateway:\n  tlsSecret: tls\n",
      "flow.yml:2:14: gateway.tlsSecret: needs ssl_certfile and ssl_keyfile (in with or gateway): the paths to mount the certificate and key at"),
    ("defaults:\n  storage: {size: 1Gi}\nexecutors:\n  - name: a\n",
      "flow.yml:2:12: defaults.storage: needs a mountPath (where the volume is mounted in the container)"),
    ("serviceAccount:\n  create: true\n", "flow.yml:2:11: serviceAccount.create: needs serviceAccount.name"),
    ("jobs:\n  - name: reindex\n    uses: reindex.py\n",
      #"flow.yml:3:11: jobs[0].uses: expected a string starting with "docker://", found "reindex.py""#),
    // The chart's schema, with what was expected in words.
    ("with:\n  protocol: smtp\n", #"flow.yml:2:13: with.protocol: expected one of grpc, http, websocket (in any case), found "smtp""#),
    ("with:\n  protocol: grcp\n",
      #"flow.yml:2:13: with.protocol: expected one of grpc, http, websocket (in any case), found "grcp"; did you mean "grpc"?"#),
    ("executors:\n  - name: a\n    shards: 0\n", "flow.yml:3:13: executors[0].shards: expected a number >= 1, found 0"),
    ("executors:\n  - name: a\n    replicas: two\n", "flow.yml:3:15: executors[0].replicas: expected integer, found string"),
    ("executors:\n  - name: a\n    imagePullPolicy: always\n",
      #"flow.yml:3:22: executors[0].imagePullPolicy: expected one of Always, IfNotPresent, Never, found "always"; did you mean "Always"?"#),
    ("gateway:\n  service:\n    typ: NodePort\n", #"flow.yml:3:5: gateway.service.typ: unknown key; did you mean "type"?"#),
    ("gateway:\n  uses: my/gateway\n", #"flow.yml:2:9: gateway.uses: expected a string starting with "docker://", found "my/gateway""#),
    ("with:\n  protocol: 7\n", "flow.yml:2:13: with.protocol: expected string or array, found integer"),
    ("jobs:\n  - uses: docker://a:1\n", "flow.yml:2:5: jobs[0].name: required property is missing"),
  ])
  func aBadValueIsNamedAtItsLineAndColumn(values: String, message: String) throws {
    let found = try Self.failure(values)
    #expect(found == message)
  }

  @Test func severalSchemaViolationsAreListedEachAtItsLine() throws {
    let chart = try FlowChart.chart.get()
    let found = try Self.failure("executors:\n  - name: a\n    shards: 0\n    replicas: x\n")
    #expect(found == """
      values do not match \(chart.source)/values.schema.json:
      - flow.yml:4:15: executors[0].replicas: expected integer, found string
      - flow.yml:3:13: executors[0].shards: expected a number >= 1, found 0
      """)
  }

  @Test func aValueFromSetNamesTheFlag() throws {
    #expect(try Self.failure("executors:\n  - name: a\n", set: ["executors[0].shard=2"])
      == #"executors[0]: unknown key "shard"; did you mean "shards"? (--set executors[0].shard=2)"#)
    #expect(try Self.failure("executors:\n  - name: a\n", set: ["with.protocol=smtp"])
      == #"with.protocol: expected one of grpc, http, websocket (in any case), found "smtp" (--set with.protocol=smtp)"#)
  }

  @Test func lintPlacesTheChartsWarningsAndErrorsAtTheValues() throws {
    let chart = try FlowChart.chart.get()
    func findings(_ text: String) throws -> [String] {
      let file = try ValuesFile.read(name: "flow.yml", bytes: Array(text.utf8), scalars: chart.metadata.valuesScalarRules)
      let request = RenderRequest(release: ReleaseInfo(name: "flow", namespace: "flow"), values: try UserValues(files: [file]))
      return chart.lint(request).map(\.description)
    }
    #expect(try findings("executors:\n  - name: idx\n    uses: docker://idx:1\n    replicas: 2\n    volumes: [/data]\n") == [
      "[WARNING] flow.yml:4:15: executors[0].replicas: idx has 2 replicas and storage: Jina supports replicas > 1 only for stateless Executors; each replica gets its own volume and they do not share data.",
    ])
    #expect(try findings("with:\n  replicas: 3\nexecutors:\n  - name: idx\n    uses: docker://idx:1\n    volumes: [/data]\n") == [
      "[WARNING] flow.yml:2:13: with.replicas: idx has 3 replicas and storage: Jina supports replicas > 1 only for stateless Executors; each replica gets its own volume and they do not share data.",
    ])
    #expect(try findings(Self.flow) == [#"[ERROR] flow.yml:12:5: executors[0]: unknown key "shard"; did you mean "shards"?"#])
    #expect(try findings("with:\n  protocol: smtp\n") == [
      #"[ERROR] flow.yml:2:13: with.protocol: expected one of grpc, http, websocket (in any case), found "smtp""#,
    ])
  }
}
