// Install and upgrade of a Flow of 50 executors x 4 shards x 2 replicas against the project's
// Kubernetes API test server, with the time split into render, store and kubectl.
// Run with `bash Benchmarks/lifecycle.sh` (release build).
import FlowrelActions
import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import KubeTestSupport

/// A Flow with `executors` executors of `shards` shards and `replicas` replicas each.
func flow(executors: Int, shards: Int, replicas: Int) -> Value {
  .map([
    "jtype": "Flow", "with": ["protocol": "http"],
    "executors": .list((0..<executors).map { index in
      ["name": .string("executor\(index)"), "uses": .string("docker://example/encoder:\(index % 5).0"),
       "shards": .int(Int64(shards)), "replicas": .int(Int64(replicas)), "uses_with": ["index": .int(Int64(index))]]
    }),
  ])
}

/// The result of `body` and how long it took, in milliseconds.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
  let start = DispatchTime.now().uptimeNanoseconds
  let result = try body()
  return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
}

let runs = Int(ProcessInfo.processInfo.environment["RUNS"] ?? "3") ?? 3
let server = try KubeTestServer()
defer { server.stop() }
let kube = server.client()
let chart = try Chart.resolve(nil)
print("flow: 50 executors x 4 shards x 2 replicas; \(runs) runs; median ms")
print("| step | render | store | kubectl | total | objects |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")

var results: [String: [[Double]]] = [:]
var objectCounts: [String: Int] = [:]
for run in 0..<runs {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-bench-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  let store = GitReleaseStore(path: folder.path, flowrelVersion: "bench")
  let namespace = "bench\(run)"
  _ = try await kube.ensureNamespace(namespace)
  var previous: [Manifest] = []
  for (step, replicas) in [("install", 2), ("upgrade", 3)] {
    let request = RenderRequest(
      release: ReleaseInfo(name: "bench", namespace: namespace, revision: step == "install" ? 1 : 2),
      values: try UserValues(files: [ValuesFile(name: "flow.yml", value: flow(executors: 50, shards: 4, replicas: replicas))]))
    let ((output, manifests), render) = try timed {
      let output = try chart.render(request)
      return (output, try output.rendered.manifests(release: request.release).map(\.manifest))
    }
    let storeStart = DispatchTime.now().uptimeNanoseconds
    _ = try await store.record(NewRevision(
      release: "bench", namespace: namespace, action: step == "install" ? .install : .upgrade, status: .deployed,
      chart: ChartReference(name: "flow", version: "0.1.0"), values: output.values.user, manifests: manifests,
      notes: output.rendered.notes, description: step))
    let storeTime = Double(DispatchTime.now().uptimeNanoseconds - storeStart) / 1e6
    let start = DispatchTime.now().uptimeNanoseconds
    try await kube.apply(manifests, forceConflicts: false)
    let removed = ChangePlan(from: previous, to: manifests).removed
    if !removed.isEmpty { try await kube.delete(removed) }
    let kubectl = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
    previous = manifests
    results[step, default: []].append([render, storeTime, kubectl, render + storeTime + kubectl])
    objectCounts[step] = manifests.count
  }
}
for step in ["install", "upgrade"] {
  let rows = results[step] ?? []
  let medians = (0..<4).map { column in rows.map { $0[column] }.sorted()[rows.count / 2] }
  print("| \(step) | " + medians.map { String(format: "%.0f", $0) }.joined(separator: " | ") + " | \(objectCounts[step] ?? 0) |")
}
