import FlowrelValue
import Testing

/// What the chart refuses or corrects, with the message a user sees.
@Suite struct ValidationTests {
  @Test func executorNamesBecomeDNSNamesAsJinaMakesThem() throws {
    let out = try FlowChart.render("executors:\n  - name: test_searcher\n    shards: 2\n  - name: Big_Enc\n")
    #expect(out.names(of: "Deployment") == ["big-enc", "gateway", "test-searcher-0", "test-searcher-1", "test-searcher-head"])
    #expect(FlowChart.pod(out["Deployment/test-searcher-0"])?.at("metadata.labels.jina_deployment_name") == "test_searcher")
    #expect(FlowChart.container(out["Deployment/test-searcher-1"])?.at("args.2") == "test_searcher-1")
  }

  @Test func unnamedExecutorsAndRepeatedNamesAreNamedAsJinaNamesThem() throws {
    let out = try FlowChart.render("executors:\n  - name: enc\n  - {}\n  - name: enc\n")
    #expect(out.names(of: "Deployment") == ["enc", "enc2", "executor1", "gateway"])
    let addresses = try #require(FlowChart.container(out["Deployment/gateway"])?["args"]?.listValue)
    let index = try #require(addresses.firstIndex(of: "--deployments-addresses"))
    #expect(addresses[index + 1] == .string(
      #"{"enc": ["grpc://enc.flow.svc:8080"], "executor1": ["grpc://executor1.flow.svc:8080"], "enc2": ["grpc://enc2.flow.svc:8080"]}"#))
  }

  @Test(arguments: [
    ("executors:\n  - name: Enc\n  - name: enc\n", #"executors[1].name: "Enc" and "enc" both become the Kubernetes name "enc"; rename one of them"#),
    ("executors:\n  - name: a\n    shards: 2\n  - name: a_head\n",
      #"executors[1].name: Executor "a_head" would make objects named "a-head", as Executor "a" does; rename one of them"#),
    ("executors:\n  - name: gateway\n", #"executors[0].name: Executor "gateway" would make objects named "gateway", as the gateway does"#),
    ("executors:\n  - name: gpu-one\n", #"executors[0].name: "gpu-one" is invalid: Jina names follow the Python variable name conventions"#),
    ("executors:\n  - name: 1enc\n", #"executors[0].name: "1enc" is invalid"#),
    ("executors:\n  - shards: 0\n", "executors[0].shards: expected a number >= 1, found 0"),
    ("executors:\n  - replicas: 1.5\n", "executors[0].replicas"),
    // Jina reads the string "2" as 2 (its parse_arg), so a word is the string it refuses.
    ("executors:\n  - replicas: two\n", "executors[0].replicas"),
    ("executors:\n  - uses: jinahub+docker://CLIPImageEncoder\n",
      #"executors[0].uses: "jinahub+docker://CLIPImageEncoder" names a Jina Hub image, which flowrel does not look up"#),
    ("executors:\n  - uses: executor.py\n", #"executors[0].uses: "executor.py" is not a container image"#),
    ("executors:\n  - name: a\n    uses_after: MatchMerger\n", #"executors[0].uses_after: "MatchMerger" is not a container image"#),
    ("executors:\n  - name: a\n    shardz: 2\n", #"executors[0]: unknown key "shardz"; did you mean "shards"?"#),
    ("executors:\n  - name: a\n    uses_wiht: {}\n", #"executors[0]: unknown key "uses_wiht"; did you mean "uses_with"?"#),
    ("executors:\n  - name: a\n    resorces: {}\n", #"executors[0]: unknown key "resorces"; did you mean "resources"?"#),
    ("executors:\n  - name: a\n    zzzzzzzzzzzz: 1\n", #"executors[0]: unknown key "zzzzzzzzzzzz" (the chart README lists the keys)"#),
    ("with:\n  protocl: http\n", #"with: unknown key "protocl"; did you mean "protocol"?"#),
    ("gateway:\n  replica: 2\n", #"gateway: unknown key "replica"; did you mean "replicas"?"#),
    ("defaults:\n  lables: {}\n", #"defaults: unknown key "lables"; did you mean "labels"?"#),
    ("executor:\n  - name: a\n", #"unknown key "executor"; did you mean "executors"?"#),
    ("executors:\n  - name: a\n    needs: b\n", #"executors[0].needs: "b" is not an earlier Executor (or gateway)"#),
    ("executors:\n  - name: a\n    protocol: [grpc, http]\n", "executors[0].protocol: must be one protocol (grpc or http), not a list"),
    // Jina refuses both ("It is not supported to have WEBSOCKET deployment", "... HTTP
    // deployment for Deployments with more than one shard").
    ("executors:\n  - name: a\n    protocol: websocket\n", #"executors[0].protocol: "websocket" is not one Jina runs an Executor with"#),
    ("executors:\n  - name: a\n    protocol: http\n    shards: 2\n", "executors[0].protocol: an http Executor cannot have shards"),
    ("with:\n  protocol: smtp\n", "with.protocol"),
    ("executors:\n  - name: a\n    external: true\n", #"executors[0]: external Executor "a" needs a host"#),
  ])
  func badValuesAreRefusedWithAClearMessage(values: String, message: String) {
    let failure = FlowChart.failure(values)
    #expect(failure.contains(message), "\(failure)")
    #expect(!failure.contains("error calling"), "the message, not the engine's call chain: \(failure)")
  }

  @Test func knownKeysOfEveryKindAreAccepted() throws {
    _ = try FlowChart.render(
      """
      jtype: Flow
      version: '1'
      with: {name: f, port: 12345, protocol: [GRPC, http], retries: 0, timeout_ready: 20000, port_expose: 8080, cors: true, env: {A: b}}
      gateway: {replicas: 2, prefetch: 10, title: t, labels: {a: b}}
      executors:
        - {name: a, uses: 'docker://a:1', workspace: /w, quiet: true, port: 1, host: 0.0.0.0, polling: ALL, uses_requests: {/index: encode}}
      """)
  }

  @Test func anExecutorWithoutUsesIsJinasBaseExecutorOnTheGatewayImage() throws {
    let out = try FlowChart.render("image: my/jina:3.34.0\nexecutors:\n  - name: base\n")
    let container = FlowChart.container(out["Deployment/base"])
    #expect(container?["image"] == "my/jina:3.34.0")
    #expect(container?["args"]?.listValue?.contains("--uses") == false, "Jina passes no --uses for BaseExecutor")
  }

  @Test func replicasWithStorageIsAWarningInTheNotesNotAnError() throws {
    let out = try FlowChart.render("executors:\n  - name: idx\n    replicas: 2\n    volumes: [/data]\n  - name: enc\n    replicas: 2\n")
    #expect(out["StatefulSet/idx"]?.at("spec.replicas") == 2)
    #expect(out.notes.contains(
      "WARNING: executors[0].replicas: idx has 2 replicas and storage: Jina supports replicas > 1 only for stateless Executors"))
    #expect(!out.notes.contains("executors[1]"), "stateless Executors may have replicas")
    let defaults = try FlowChart.render("defaults:\n  storage: {mountPath: /data}\nexecutors:\n  - name: idx\n    replicas: 3\n")
    #expect(defaults.notes.contains("WARNING: executors[0].replicas: idx has 3 replicas and storage"))
  }
}
