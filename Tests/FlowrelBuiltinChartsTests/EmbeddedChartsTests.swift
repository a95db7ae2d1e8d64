import Foundation
import Testing
import FlowrelBuiltinCharts

/// The generated source must match the repository's `templates/` folder byte for byte.
/// `FLOWREL_REGENERATE=1 swift test --filter EmbeddedChartsTests` rewrites it.
@Suite struct EmbeddedChartsTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let generatedFile = repository.appendingPathComponent("Sources/FlowrelBuiltinCharts/BuiltinCharts+Generated.swift")

  @Test func generatedSourceMatchesTheTemplatesFolder() throws {
    let expected = try EmbeddedSource.render(chartsFolder: Self.repository.appendingPathComponent("templates"))
    if ProcessInfo.processInfo.environment["FLOWREL_REGENERATE"] == "1" {
      try Data(expected.utf8).write(to: Self.generatedFile)
    }
    let actual = try String(contentsOf: Self.generatedFile, encoding: .utf8)
    #expect(actual == expected, "templates/ changed: run FLOWREL_REGENERATE=1 swift test --filter EmbeddedChartsTests")
  }

  @Test func embeddedFilesReadBackAsTheirText() throws {
    let folder = Self.repository.appendingPathComponent("templates")
    for name in BuiltinCharts.names {
      for file in try #require(BuiltinCharts.files(of: name)) {
        let onDisk = try String(contentsOf: folder.appendingPathComponent(name).appendingPathComponent(file.path), encoding: .utf8)
        #expect(file.text == onDisk, "\(name)/\(file.path)")
      }
    }
    #expect(BuiltinCharts.names.contains("flow"))
  }

  @Test func literalsEscapeEverythingSwiftWouldReadDifferently() {
    #expect(EmbeddedSource.literal("a\"b\\c\n\t\r\u{1}é{{ .x }}\\(y)") == #""a\"b\\c\n\t\r\u{1}é{{ .x }}\\(y)""#)
  }
}

/// Writes the generated Swift file for every chart folder under `templates/`.
enum EmbeddedSource {
  static func render(chartsFolder: URL) throws -> String {
    let manager = FileManager.default
    let charts = try manager.contentsOfDirectory(atPath: chartsFolder.path).filter {
      var isDirectory: ObjCBool = false
      return manager.fileExists(atPath: chartsFolder.appendingPathComponent($0).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }.sorted()
    var out = """
      // Generated from the repository's templates/ folder by EmbeddedChartsTests
      // (FLOWREL_REGENERATE=1 swift test --filter EmbeddedChartsTests). Do not edit.

      extension BuiltinCharts {
        static let generated: [String: [File]] = [

      """
    for chart in charts {
      out += "    \(literal(chart)): [\n"
      let root = chartsFolder.appendingPathComponent(chart)
      guard let walker = manager.enumerator(atPath: root.path) else { continue }
      var paths: [String] = []
      while let path = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory), !isDirectory.boolValue {
          paths.append(path)
        }
      }
      for path in paths.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        guard let text = String(data: data, encoding: .utf8) else {
          throw CocoaError(.fileReadInapplicableStringEncoding, userInfo: [NSFilePathErrorKey: path])
        }
        out += "      File(path: \(literal(path)), text: \(literal(text))),\n"
      }
      out += "    ],\n"
    }
    out += "  ]\n}\n"
    return out
  }

  /// A Swift string literal for `text`, on one line.
  static func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
