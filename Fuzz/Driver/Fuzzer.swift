import FlowrelFuzzTargets
import Foundation

/// The target FLOWREL_FUZZ_TARGET names; the fuzzer stops at once when it names none.
private let target: FuzzTarget = {
  let name = ProcessInfo.processInfo.environment["FLOWREL_FUZZ_TARGET"] ?? ""
  guard let target = FuzzTarget(rawValue: name) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("set FLOWREL_FUZZ_TARGET to one of: \(names)\n".utf8))
    exit(2)
  }
  return target
}()

/// libFuzzer's entry point: one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  target.run(count == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: count)))
  return 0
}
