// Renders the built-in flow chart for two large Flows and prints the in-process time of each
// (values merged and checked, templates rendered, objects read, completed and emitted as
// canonical YAML). Run through Benchmarks/flow-chart.sh, which also times whole
// `flowrel template` processes on the values files this program writes.
//
//   FlowChartBenchmark [--write-values DIR] [--iterations N]

import FlowrelChart
import FlowrelManifest
import Foundation

/// A Flow of `executors` Executors with `shards` shards of `replicas` replicas each, as the
/// values file a Jina user would write.
func flowValues(executors: Int, shards: Int, replicas: Int) -> String {
  var text = "jtype: Flow\nwith:\n  protocol: http\nexecutors:\n"
  for index in 0..<executors {
    text += """
        - name: executor_\(index)
          uses: docker://registry.example.com/executor-\(index):1.0
          shards: \(shards)
          replicas: \(replicas)
          uses_with: {table: table_\(index), dim: 512}
          env: {LOG_LEVEL: INFO}

      """
  }
  return text
}

let cases = [
  ("50x4x2", flowValues(executors: 50, shards: 4, replicas: 2)),
  ("200x1", flowValues(executors: 200, shards: 1, replicas: 1)),
]

var iterations = 30
var valuesFolder: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--iterations": iterations = Int(arguments.popFirst() ?? "") ?? iterations
  case "--write-values": valuesFolder = arguments.popFirst()
  default:
    FileHandle.standardError.write(Data("unknown argument \(argument)\n".utf8))
    exit(2)
  }
}

if let valuesFolder {
  for (name, values) in cases {
    try Data(values.utf8).write(to: URL(fileURLWithPath: valuesFolder).appendingPathComponent("flow-\(name).yaml"))
  }
}

/// CPU time of the whole process (all threads: templates run on a thread of their own).
func processCPUTime() -> Duration {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
}

let chart = try Chart.resolve("flow")
let clock = ContinuousClock()
for (name, values) in cases {
  let release = ReleaseInfo(name: "bench", namespace: "bench")
  let request = RenderRequest(
    release: release, values: try UserValues(files: [try ValuesFile.read(name: "flow-\(name).yaml", bytes: Array(values.utf8))]))
  var times: [Duration] = []
  // Median wall-clock time of each phase: render (values and templates) and read back
  // (objects parsed, completed and emitted as canonical YAML, on all processors); and the
  // CPU time of the whole (all threads), which the machine's other jobs disturb less.
  var cpu: [Duration] = []
  var phases: [[Duration]] = [[], []]
  var objects = 0
  var bytes = 0
  for _ in 0..<iterations {
    let start = clock.now
    let startCPU = processCPUTime()
    let rendered = try chart.render(request).rendered
    let renderedAt = clock.now
    let manifests = try rendered.manifests(release: release)
    let text = manifests.map(\.canonicalYAML).joined()
    let end = clock.now
    cpu.append(processCPUTime() - startCPU)
    times.append(end - start)
    phases[0].append(renderedAt - start)
    phases[1].append(end - renderedAt)
    objects = manifests.count
    bytes = text.utf8.count
  }
  func milliseconds(_ durations: [Duration]) -> String {
    let median = durations.sorted()[durations.count / 2]
    let value = Double(median.components.attoseconds) / 1e15 + Double(median.components.seconds) * 1000
    return String(format: "%.1f", value)
  }
  print(
    "\(name): \(objects) objects, \(bytes) bytes, in-process median \(milliseconds(times)) ms over \(iterations) runs"
      + " (render \(milliseconds(phases[0])), read back and emit \(milliseconds(phases[1]))); CPU \(milliseconds(cpu)) ms")
}
