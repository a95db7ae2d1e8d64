import Foundation
import Testing

/// Runs the real `age` tools. A missing tool is a test failure, never a skip: CI installs them.
enum Tool {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The path of `name` on PATH, or a failure naming the package to install.
  static func path(_ name: String) throws -> String {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
    for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
      return "\(directory)/\(name)"
    }
    throw Failure(description: "\(name) is not installed (apt-get install age); these interoperability tests need it")
  }

  /// Runs the tool with `input` on stdin; returns stdout, or throws with stderr on failure.
  @discardableResult
  static func run(_ name: String, _ arguments: [String], input: [UInt8] = []) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try path(name))
    process.arguments = arguments
    // stdin from a file, so large inputs cannot deadlock against a full stdout pipe.
    let inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-age-input-\(UUID().uuidString)")
    try Data(input).write(to: inputFile)
    defer { try? FileManager.default.removeItem(at: inputFile) }
    process.standardInput = try FileHandle(forReadingFrom: inputFile)
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errors = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(description: "\(name) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return Array(output)
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
