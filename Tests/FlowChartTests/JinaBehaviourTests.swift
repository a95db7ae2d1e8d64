import FlowrelValue
import Testing

/// What Jina's own export does, reproduced (or fixed, where the chart README says so).
@Suite struct JinaBehaviourTests {
  /// The value after `flag` in a container's arguments.
  static func argument(_ object: Value?, _ flag: String, container: Int = 0) -> String? {
    guard let args = FlowChart.container(object, container)?["args"]?.listValue, let index = args.firstIndex(of: .string(flag)),
      index + 1 < args.count
    else { return nil }
    return args[index + 1].stringValue
  }

  @Test func theGatewayGraphFollowsNeedsFloatingAndConditions() throws {
    let out = try FlowChart.render(
      """
      executors:
        - name: a
        - name: b
          needs: gateway
        - name: joiner
          needs: [b, a]
          when: {tags__x: {$eq: 1}}
        - name: logger
          floating: true
          needs: gateway
          grpc_metadata: {k: v}
          no_reduce: true
      """)
    let gateway = out["Deployment/gateway"]
    #expect(Self.argument(gateway, "--graph-description")
      == #"{"a": ["joiner"], "start-gateway": ["a", "b", "logger"], "b": ["joiner"], "joiner": ["end-gateway"], "logger": []}"#)
    #expect(Self.argument(gateway, "--graph-conditions") == #"{"joiner": {"tags__x": {"$eq": 1}}}"#)
    #expect(Self.argument(gateway, "--deployments-metadata") == #"{"logger": {"k": "v"}}"#)
    #expect(Self.argument(gateway, "--deployments-no-reduce") == #"["logger"]"#)
    #expect(FlowChart.container(out["Deployment/logger"])?["args"]?.listValue?.contains("--floating") == true)
  }

  @Test func runtimeParametersArePassedOnAsJinaArguments() throws {
    let out = try FlowChart.render(
      """
      executors:
        - name: enc
          gpus: 1
          timeout_send: 5000
          uses_requests: {/index: encode}
          py_modules: [a.py, b.py]
          tracing: true
          traces_exporter_port: 4317
          quiet_error: false
      """)
    let args = FlowChart.container(out["Deployment/enc"])?["args"]?.listValue ?? []
    #expect(Self.argument(out["Deployment/enc"], "--gpus") == "1")
    #expect(Self.argument(out["Deployment/enc"], "--timeout-send") == "5000")
    #expect(Self.argument(out["Deployment/enc"], "--uses-requests") == #"{"/index": "encode"}"#)
    #expect(args.split(separator: "--py-modules").dropFirst().first?.prefix(2) == ["a.py", "b.py"])
    #expect(args.contains("--tracing"))
    #expect(Self.argument(out["Deployment/enc"], "--traces-exporter-port") == "4317")
    #expect(!args.contains("--quiet-error"), "a false flag is left out")
  }

  @Test func aFlowWithoutExecutorsHasNoGraph() throws {
    let out = try FlowChart.render("with: {protocol: http}\n")
    #expect(out.names(of: "Deployment") == ["gateway"])
    #expect(Self.argument(out["Deployment/gateway"], "--graph-description") == nil)
    #expect(Self.argument(out["Deployment/gateway"], "--uses") == "HTTPGateway")
  }

  @Test func externalExecutorsAreOnlyAnAddress() throws {
    let out = try FlowChart.render("executors:\n  - name: ext\n    external: true\n    host: ext.example.com\n    port: 443\n    tls: true\n")
    #expect(out.names(of: "Deployment") == ["gateway"])
    #expect(Self.argument(out["Deployment/gateway"], "--deployments-addresses") == #"{"ext": ["grpcs://ext.example.com:443"]}"#)
  }

  @Test func severalProtocolsGetOnePortAndServiceEach() throws {
    let out = try FlowChart.render("with:\n  protocol: [grpc, http, websocket]\n")
    #expect(out.names(of: "Service") == ["gateway", "gateway-1-http", "gateway-2-websocket"])
    #expect(out["Service/gateway-2-websocket"]?.at("spec.ports.0.port") == 8082)
    let args = FlowChart.container(out["Deployment/gateway"])?["args"]?.listValue ?? []
    #expect(args.suffix(10) == ["--port", "8080", "8081", "8082", "--protocol", "GRPC", "HTTP", "WEBSOCKET", "--port-monitoring", "9090"])
    #expect(Self.argument(out["Deployment/gateway"], "--uses") == "CompositeGateway")
  }

  @Test func usesBeforeAndAfterKeepAHeadEvenWithOneShard() throws {
    let out = try FlowChart.render("executors:\n  - name: enc\n    uses: docker://enc:1\n    uses_before: docker://pre:1\n")
    #expect(out.names(of: "Deployment") == ["enc", "enc-head", "gateway"])
    let head = out["Deployment/enc-head"]
    #expect(FlowChart.container(head, 1)?["name"] == "uses-before")
    #expect(FlowChart.container(head, 1)?["image"] == "pre:1")
    #expect(Self.argument(head, "--uses-before-address") == "127.0.0.1:8078")
    #expect(Self.argument(head, "--connection-list") == #"{"0": "enc.flow.svc:8080"}"#)
    #expect(Self.argument(out["Deployment/gateway"], "--deployments-addresses") == #"{"enc": ["grpc://enc-head.flow.svc:8080"]}"#)
  }

  @Test func envGoesToTheConfigMapAndEnvFromSecretToTheMainContainer() throws {
    let out = try FlowChart.render(
      "with:\n  env: {FLOW: x}\nexecutors:\n  - name: enc\n    shards: 2\n    env: {A: 1, B: true}\n    env_from_secret: {PW: {name: s, key: k}}\n")
    for unit in ["enc-head", "enc-0", "enc-1"] {
      #expect(out["ConfigMap/\(unit)-configmap"]?["data"] ≡ [
        "pythonunbuffered": "1", "worker_class": "uvicorn.workers.UvicornH11Worker", "A": "1", "B": "True",
      ])
    }
    #expect(out["ConfigMap/gateway-configmap"]?.at("data.FLOW") == "x")
    #expect(FlowChart.container(out["Deployment/enc-1"])?["env"]?.listValue?.last ≡ [
      "name": "PW", "valueFrom": ["secretKeyRef": ["name": "s", "key": "k"]],
    ])
  }

  @Test func monitoringAddsThePortAndAServiceMonitorPerUnit() throws {
    let out = try FlowChart.render("with:\n  monitoring: true\nexecutors:\n  - name: enc\n")
    #expect(out.names(of: "ServiceMonitor") == ["enc", "gateway"])
    #expect(out["Service/enc"]?.at("spec.ports.1") ≡ ["name": "monitoring", "port": 9090, "targetPort": 9090, "protocol": "TCP"])
    #expect(out["ServiceMonitor/enc"]?.at("spec.namespaceSelector.matchNames") == ["flow"])
    #expect(FlowChart.container(out["Deployment/enc"])?["args"]?.listValue?.contains("--monitoring") == true)
  }

  @Test(arguments: [(nil, 120), (7000, 3), (20000, 4), (-1, 120)] as [(Int?, Int64)])
  func startupProbesWaitAsLongAsTimeoutReady(timeout: Int?, threshold: Int64) throws {
    let values = "executors:\n  - name: enc\n" + (timeout.map { "    timeout_ready: \($0)\n" } ?? "")
    let out = try FlowChart.render(values)
    #expect(FlowChart.container(out["Deployment/enc"])?.at("startupProbe.failureThreshold") == .int(threshold))
  }

  @Test func httpExecutorsPingOverHTTP() throws {
    // Jina refuses http with shards; a head comes with uses_after (flowrel keeps it).
    let out = try FlowChart.render("executors:\n  - name: enc\n    protocol: http\n    uses_after: docker://x/merger:1\n")
    #expect(FlowChart.container(out["Deployment/enc"])?.at("startupProbe.exec.command.3") == "http://127.0.0.1:8080")
    #expect(FlowChart.container(out["Deployment/enc-head"])?.at("livenessProbe.exec.command.3") == "http://127.0.0.1:8080")
    #expect(Self.argument(out["Deployment/enc"], "--protocol") == "HTTP")
    #expect(Self.argument(out["Deployment/gateway"], "--deployments-addresses") == #"{"enc": ["http://enc-head.flow.svc:8080"]}"#)
  }

  /// gateway.tlsSecret puts the certificate and key where ssl_certfile and ssl_keyfile say.
  @Test func tlsSecretIsMountedAtTheSSLPaths() throws {
    let out = try FlowChart.render(
      "with:\n  protocol: http\n  ssl_certfile: /certs/tls.crt\n  ssl_keyfile: /keys/tls.key\ngateway:\n  tlsSecret: gateway-tls\n")
    let gateway = out["Deployment/gateway"]
    #expect(FlowChart.pod(gateway)?.at("spec.volumes") ≡ [["name": "gateway-tls", "secret": ["secretName": "gateway-tls"]]])
    #expect(FlowChart.container(gateway)?.at("volumeMounts") ≡ [
      ["name": "gateway-tls", "mountPath": "/certs/tls.crt", "subPath": "tls.crt", "readOnly": true],
      ["name": "gateway-tls", "mountPath": "/keys/tls.key", "subPath": "tls.key", "readOnly": true],
    ])
    #expect(Self.argument(gateway, "--ssl-certfile") == "/certs/tls.crt")
    #expect(FlowChart.failure("gateway:\n  tlsSecret: gateway-tls\n").contains("values.yaml:2:14: gateway.tlsSecret: needs ssl_certfile and ssl_keyfile"))
  }

  /// Values are typed as Jina types a Flow YAML (a quoted "true" or "5432" is read again as a
  /// boolean or a number), yet flowrel's maps of strings still get the text.
  @Test func stringMapsKeepTheirTextUnderJinasTyping() throws {
    let out = try FlowChart.render("""
      namespace: {create: true, labels: {inject: "true"}}
      secrets: {db: {stringData: {port: "5432", N: on}}}
      defaults: {nodeSelector: {gpu: "true"}}
      executors:
        - name: enc
          env: {X: y, B: on, Z: 1e3}
      """)
    #expect(out["Namespace/flow"]?.at("metadata.labels.inject") == "true")
    #expect(out["Secret/db"]?.at("stringData") ≡ ["port": "5432", "N": "on"])
    #expect(FlowChart.pod(out["Deployment/enc"])?.at("spec.nodeSelector.gpu") == "true")
    // Jina passes str(value): y and on stay text, 1e3 is the float 1000.0.
    #expect(out["ConfigMap/enc-configmap"]?.at("data.X") == "y")
    #expect(out["ConfigMap/enc-configmap"]?.at("data.B") == "on")
    #expect(out["ConfigMap/enc-configmap"]?.at("data.Z") == "1000.0")
  }
}
