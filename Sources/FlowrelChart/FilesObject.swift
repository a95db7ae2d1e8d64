import Foundation
import FlowrelValue
import GoTemplate
import OrderedCollections

/// `.Files`: the chart's files other than its templates and its own definition files, as
/// Helm exposes them to templates. Only files inside the chart can be reached.
struct FilesObject: TemplateObject {
  /// Path to bytes, sorted by path.
  let files: OrderedDictionary<String, [UInt8]>
  /// Writes YAML for `AsConfig`/`AsSecrets` (sorted keys, as Helm's `toYaml`).
  let emitYAML: @Sendable (Value) throws -> String

  var goTypeName: String { "files.Files" }
  var goKindName: String { "map" }
  var formatted: String {
    "map[" + files.map { "\($0.key):[\($0.value.map(String.init).joined(separator: " "))]" }.joined(separator: " ") + "]"
  }

  /// Helm's `Files` is a Go map from paths to bytes: `range $path, $bytes := .Files.Glob "x/*"`,
  /// `len`, `index` and truth see these entries.
  var underlyingMap: TemplateMap? {
    TemplateMap(OrderedDictionary(uniqueKeysWithValues: files.map { path, bytes in (path, Self.byteList(bytes)) }))
  }

  /// The files Helm leaves out of `.Files`: the chart's own definition files and its templates.
  static func isExposed(_ path: String) -> Bool {
    let definitionFiles: Set<String> = ["Chart.yaml", "Chart.lock", "values.yaml", "values.schema.json", "requirements.yaml", "requirements.lock"]
    return !definitionFiles.contains(path) && !path.hasPrefix("templates/") && !path.hasPrefix("charts/")
  }

  init(chartFiles: [ChartFile], emitYAML: @escaping @Sendable (Value) throws -> String) {
    var files = OrderedDictionary<String, [UInt8]>()
    for file in chartFiles where Self.isExposed(file.path) { files[file.path] = file.contents }
    self.init(files: files, emitYAML: emitYAML)
  }

  init(files: OrderedDictionary<String, [UInt8]>, emitYAML: @escaping @Sendable (Value) throws -> String) {
    self.files = files
    self.emitYAML = emitYAML
  }

  func member(named name: String) -> TemplateMember? {
    switch name {
    case "Get":
      return method("func(string) string") { files, arguments in
        .string(files.text(try arguments.string(at: 0)) ?? "")
      }
    case "GetBytes":
      return method("func(string) []uint8") { files, arguments in
        Self.byteList(files.files[try arguments.string(at: 0)] ?? [])
      }
    case "Lines":
      return method("func(string) []string") { files, arguments in
        // As Helm: one trailing newline does not start another line. (Helm crashes on an
        // empty file here; flowrel gives no lines.)
        // Bytes, not Characters: Swift reads "\r\n" as one Character, Go splits it at "\n".
        guard var bytes = files.files[try arguments.string(at: 0)]?[...], !bytes.isEmpty else {
          return .list(TemplateList([], elementTypeName: "string"))
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
          .map { TemplateValue.string(String(decoding: $0, as: UTF8.self)) }
        return .list(TemplateList(lines, elementTypeName: "string"))
      }
    case "Glob":
      return method("func(string) files.Files") { files, arguments in
        let text = try arguments.string(at: 0)
        let pattern: PathPattern
        do {
          pattern = try PathPattern(text, dialect: .glob)
        } catch {
          throw TemplateError.failure("syntax error in glob pattern \"\(text)\"")
        }
        return .object(FilesObject(files: files.files.filter { pattern.matches($0.key) }, emitYAML: files.emitYAML))
      }
    case "AsConfig":
      return method("func() string") { files, _ in
        .string(try files.asYAML { .string(String(decoding: $0, as: UTF8.self)) })
      }
    case "AsSecrets":
      return method("func() string") { files, _ in
        .string(try files.asYAML { .string(Data($0).base64EncodedString()) })
      }
    default:
      return nil
    }
  }

  /// Bytes as Go's `[]byte` shows them to templates.
  static func byteList(_ bytes: [UInt8]) -> TemplateValue {
    .list(TemplateList(bytes.map { .int(Int64($0)) }, elementTypeName: "uint8"))
  }

  /// The file as text, or `nil` when there is no such file.
  private func text(_ path: String) -> String? {
    files[path].map { String(decoding: $0, as: UTF8.self) }
  }

  /// A YAML map from base names to contents, as `AsConfig`/`AsSecrets` give; empty for no files.
  private func asYAML(_ encode: ([UInt8]) -> Value) throws -> String {
    guard !files.isEmpty else { return "" }
    var map = OrderedDictionary<String, Value>()
    for (path, bytes) in files {
      map[String(path.split(separator: "/").last ?? Substring(path))] = encode(bytes)
    }
    var text = try emitYAML(.map(map))
    if text.hasSuffix("\n") { text.removeLast() }
    return text
  }

  /// A method of this object with Go signature `type`; its body gets the object and the arguments.
  private func method(_ type: String, _ body: @escaping @Sendable (FilesObject, TemplateArguments) throws -> TemplateValue) -> TemplateMember {
    let files = self
    let takesPath = type.hasPrefix("func(string)")
    return .method(TemplateFunction(goTypeName: type) { arguments, _ in
      try arguments.expectCount(takesPath ? 1 : 0)
      return try body(files, arguments)
    })
  }
}
