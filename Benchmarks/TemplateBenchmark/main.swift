import FlowrelValue
import Foundation
import GoTemplate

// Parse + execute of the chart-like template set in a folder (every *.tpl, main.tpl executed
// with values.json), timed over several runs; prints the median per rendered document.
//
//   TemplateBenchmark DIR [RUNS] [OUTPUT]

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
  FileHandle.standardError.write(Data("usage: TemplateBenchmark DIR [RUNS] [OUTPUT]\n".utf8))
  exit(2)
}
let directory = URL(fileURLWithPath: arguments[1])
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 7 : 7

do {
  let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
    .filter { $0.hasSuffix(".tpl") }.sorted()
  let texts = try names.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
  let values = TemplateValue(
    try Value(jsonText: String(contentsOf: directory.appendingPathComponent("values.json"), encoding: .utf8)))

  // Process CPU time, which the load of a shared machine disturbs less than wall time.
  func cpuMicroseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1e6 + Double(spec.tv_nsec) / 1000
  }

  var times: [Double] = []
  var cpuTimes: [Double] = []
  var output = ""
  for _ in 0..<runs {
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = cpuMicroseconds()
    var set = TemplateSet()
    for (name, text) in zip(names, texts) { try set.parse(name, text: text) }
    output = try set.execute("main.tpl", data: values)
    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1000)
    cpuTimes.append(cpuMicroseconds() - cpuStart)
  }
  times.sort()
  cpuTimes.sort()
  let median = times[times.count / 2]
  let cpuMedian = cpuTimes[cpuTimes.count / 2]
  let documents = output.components(separatedBy: "---\n").count - 1
  print(String(format: "swift %d documents, median %.1f ms, %.2f us/document, cpu %.2f us/document", documents,
    median / 1000, median / Double(documents), cpuMedian / Double(documents)))
  if arguments.count > 3 { try output.write(toFile: arguments[3], atomically: true, encoding: .utf8) }
} catch {
  FileHandle.standardError.write(Data("\(error)\n".utf8))
  exit(1)
}
