import ExternalProcess
import Foundation
import Testing

/// Runs the real `age` tools. A missing tool is a test failure, never a skip: CI installs them.
enum Tool {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The path of `name` on PATH, or a failure naming the package to install.
  static func path(_ name: String) throws -> String {
    if let path = ExternalProcess.find(name) { return path }
    throw Failure(description: "\(name) is not installed (apt-get install age); these interoperability tests need it")
  }

  /// Runs the tool with `input` on stdin; returns stdout, or throws with stderr on failure.
  @discardableResult
  static func run(_ name: String, _ arguments: [String], input: [UInt8] = []) throws -> [UInt8] {
    let output = try ExternalProcess.run(try path(name), arguments, input: Data(input))
    guard output.status == 0 else {
      throw Failure(description: "\(name) \(arguments.joined(separator: " ")) failed: \(String(decoding: output.stderr, as: UTF8.self))")
    }
    return Array(output.stdout)
  }

  /// A fresh temporary directory, removed by the caller.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-age-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}

/// A deterministic byte source for tests that need reproducible output.
struct SeededBytes {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in
      // SplitMix64: good enough spread for test randomness, never for keys in use.
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
  }
}
