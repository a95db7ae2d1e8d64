// Measures FlowrelYAML's parse and emit speed on a Kubernetes manifest stream.
//
//   YAMLBenchmark generate FILE [MB]   write a deterministic stream of about MB megabytes (default 1)
//   YAMLBenchmark run FILE [RUNS]      parse and emit it RUNS times (default 7); print the medians
//
// Benchmarks/yaml.sh runs both and compares with PyYAML's libyaml-based loader and dumper.
import FlowrelValue
import FlowrelYAML
import Foundation

/// One release's worth of objects for executor `i`: a Deployment, its Service and ConfigMap,
/// shaped like what the flow chart renders (labels, probes, resources, env, a config file).
func manifests(_ i: Int) -> [Value] {
  let name = Value.string("executor-\(i)")
  let labels: Value = [
    "app.kubernetes.io/name": name, "app.kubernetes.io/instance": "search-flow",
    "app.kubernetes.io/managed-by": "flowrel", "jina.ai/shard": .string(String(i % 4)),
  ]
  let checksum = String(repeating: String(i * 2_654_435_761 % 0xFFFF_FFFF, radix: 16), count: 8).prefix(64)
  let deployment: Value = [
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": ["name": name, "namespace": "search", "labels": labels, "annotations": ["checksum/config": .string(String(checksum))]],
    "spec": [
      "replicas": .int(Int64(i % 5 + 1)),
      "selector": ["matchLabels": labels],
      "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1, "maxUnavailable": 0]],
      "template": [
        "metadata": ["labels": labels],
        "spec": [
          "containers": [[
            "name": "executor", "image": .string("jinaai/jina:3.\(i % 30).\(i % 7)-py38-standard"),
            "imagePullPolicy": "IfNotPresent", "command": ["jina"],
            "args": ["executor", "--uses", "config.yml", "--port", "8080", "--shards", .string(String(i % 3 + 1))],
            "ports": [["containerPort": 8080, "name": "grpc", "protocol": "TCP"]],
            "env": [
              ["name": "JINA_LOG_LEVEL", "value": "INFO"], ["name": "JINA_DEPLOYMENT_NAME", "value": name],
              ["name": "POD_UID", "valueFrom": ["fieldRef": ["fieldPath": "metadata.uid"]]],
              ["name": "FEATURE_FLAG", "value": "on"], ["name": "TIMEOUT", "value": "0755"],
            ],
            "envFrom": [["secretRef": ["name": "search-flow-secrets", "optional": true]]],
            "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["cpu": "1", "memory": "1Gi"]],
            "readinessProbe": [
              "exec": ["command": ["jina", "ping", "executor", "127.0.0.1:8080"]],
              "initialDelaySeconds": 5, "periodSeconds": 10, "timeoutSeconds": 2.5,
            ],
            "volumeMounts": [["name": "config", "mountPath": "/workspace/config.yml", "subPath": "config.yml"]],
          ]],
          "volumes": [["name": "config", "configMap": ["name": name]]],
        ],
      ],
    ],
  ]
  let service: Value = [
    "apiVersion": "v1", "kind": "Service",
    "metadata": ["name": name, "namespace": "search", "labels": labels],
    "spec": [
      "type": "ClusterIP", "selector": labels,
      "ports": [["name": "grpc", "port": 8080, "targetPort": 8080, "protocol": "TCP"], ["name": "monitoring", "port": 9090]],
    ],
  ]
  let config = """
    jtype: Executor\(i)
    with:
      dim: \(128 << (i % 3))
      metric: cosine
      # comment kept as text
    metas:
      workspace: /data/executor-\(i)
      py_modules:
        - executor.py

    """
  let configMap: Value = [
    "apiVersion": "v1", "kind": "ConfigMap",
    "metadata": ["name": name, "namespace": "search", "labels": labels],
    "data": ["config.yml": .string(config), "replicas": .string(String(i % 5 + 1)), "debug": "false"],
  ]
  return [deployment, service, configMap]
}

func generate(path: String, megabytes: Double) throws {
  var text = ""
  var i = 0
  while Double(text.utf8.count) < megabytes * 1_000_000 {
    for document in manifests(i) { text += "---\n# Source: flow/templates/executor.yaml\n" + YAML.emit(document) }
    i += 1
  }
  try text.write(toFile: path, atomically: true, encoding: .utf8)
}

func median(_ values: [Double]) -> Double {
  let sorted = values.sorted()
  return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func run(path: String, runs: Int) throws {
  let text = try String(contentsOfFile: path, encoding: .utf8)
  let megabytes = Double(text.utf8.count) / 1_000_000
  let clock = ContinuousClock()
  var documents: [YAMLDocument] = []
  var parseRates: [Double] = [], emitRates: [Double] = []
  for _ in 0..<runs {
    documents = []  // freeing the last run's documents is not parsing
    let start = clock.now
    documents = try YAML.parseDocuments(text, file: path)
    parseRates.append(megabytes / seconds(clock.now - start))
  }
  var emitted = 0
  for _ in 0..<runs {
    let start = clock.now
    var out = ""
    for document in documents { out += "---\n" + YAML.emit(document.value) }
    let elapsed = seconds(clock.now - start)
    emitted = out.utf8.count
    emitRates.append(Double(emitted) / 1_000_000 / elapsed)
  }
  print("documents \(documents.count)")
  print("bytes \(text.utf8.count)")
  print("parse \(String(format: "%.1f", median(parseRates)))")
  print("emit \(String(format: "%.1f", median(emitRates)))")
}

let arguments = CommandLine.arguments
do {
  switch (arguments.count > 2 ? arguments[1] : "", arguments.count > 2 ? arguments[2] : "") {
  case ("generate", let path):
    try generate(path: path, megabytes: arguments.count > 3 ? Double(arguments[3]) ?? 1 : 1)
  case ("run", let path):
    try run(path: path, runs: arguments.count > 3 ? max(1, Int(arguments[3]) ?? 7) : 7)
  default:
    FileHandle.standardError.write(Data("usage: YAMLBenchmark generate FILE [MB] | run FILE [RUNS]\n".utf8))
    exit(2)
  }
} catch {
  FileHandle.standardError.write(Data("YAMLBenchmark: \(error)\n".utf8))
  exit(1)
}
