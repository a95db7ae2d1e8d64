import Foundation
import Testing

/// Failed commands say what went wrong in words a user can act on: never a Swift backtrace or
/// runtime failure, never the name of one of flowrel's types or Foundation's error domains.
@Suite struct ErrorMessageTests {
  /// Text that only a crash or a leaked internal description prints.
  static let forbidden = [
    "Fatal error", "Backtrace", "Thread 0", "Crashed", "Error Domain=", "NSCocoaErrorDomain", "NSPOSIXErrorDomain", "UserInfo=",
    "Swift.", "Foundation.", "Optional(", "(code:", "ChartError", "StoreError", "ActionError", "GitError", "TemplateError",
    "YAMLError", "JSONError", "ArchiveError", "SOPSError", "AgeError", "KubeError", "FlowrelChart.", "FlowrelStore.", "FlowrelGit.",
    "FlowrelActions.", "FlowrelYAML.", "FlowrelValue.", "GoTemplate.", "HelmFunctions.", "FlowrelArchive.",
  ]

  static let chart = [
    "Chart.yaml": "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: {{ .Values.a | quote }}\n",
  ]

  /// Runs a command that must fail and checks what it printed.
  func expectCleanFailure(_ arguments: [String], in folder: TemporaryFolder, mentions: String) throws {
    let result = try FlowrelProcess.run(arguments, in: folder.url)
    #expect(result.status != 0, "\(arguments) succeeded")
    // lint prints its findings on stdout, as Helm's does; other commands fail on stderr.
    #expect((result.stderr + result.stdout).contains(mentions), "\(arguments): \(result.stderr)\(result.stdout)")
    for text in Self.forbidden {
      #expect(!result.stderr.contains(text) && !result.stdout.contains(text), "\(arguments) printed \(text): \(result.stderr)")
    }
  }

  @Test func chartsThatCannotBeRead() throws {
    var files = ["bad.tgz": "not an archive"]
    for (path, text) in Self.chart { files["c/" + path] = text }
    let folder = try TemporaryFolder(files)
    try expectCleanFailure(["template", "r", folder.path("bad.tgz")], in: folder, mentions: "bad.tgz")
    try expectCleanFailure(["template", "r", folder.path("missing")], in: folder, mentions: "missing")
    try FileManager.default.createSymbolicLink(atPath: folder.path("c/templates/passwd.yaml"), withDestinationPath: "/etc/passwd")
    try expectCleanFailure(["template", "r", folder.path("c")], in: folder, mentions: "outside the chart")
    try expectCleanFailure(["lint", folder.path("c")], in: folder, mentions: "outside the chart")
  }

  @Test func valuesThatCannotBeRead() throws {
    let folder = try TemporaryFolder(Self.chart.merging(["values/x.yaml": "a: [1\n"]) { a, _ in a })
    try expectCleanFailure(["template", "r", folder.url.path, "-f", folder.path("nope.yaml")], in: folder, mentions: "nope.yaml")
    try expectCleanFailure(["template", "r", folder.url.path, "-f", folder.path("values")], in: folder, mentions: "values")
    try expectCleanFailure(["template", "r", folder.url.path, "-f", folder.path("values/x.yaml")], in: folder, mentions: "x.yaml")
    try expectCleanFailure(["template", "r", folder.url.path, "--set-file", "a=" + folder.path("nope.txt")], in: folder, mentions: "nope.txt")
    try expectCleanFailure(["template", "r", folder.url.path, "--set", "a[99999999]=1"], in: folder, mentions: "99999999")
    try expectCleanFailure(["template", "r", folder.url.path, "--set-json", "a={"], in: folder, mentions: "--set-json")
  }

  @Test func templatesThatFail() throws {
    var files = Self.chart
    files["templates/loop.yaml"] = #"{{- define "x" }}{{ include "x" . }}{{ end }}{{ include "x" . }}"#
    let folder = try TemporaryFolder(files)
    try expectCleanFailure(["template", "r", folder.url.path], in: folder, mentions: "loop.yaml")
  }

  @Test func storesThatCannotBeUsed() throws {
    let folder = try TemporaryFolder(["file.txt": "x"])
    let long = folder.path(String(repeating: "s", count: 300))
    try expectCleanFailure(["init", long], in: folder, mentions: "300 bytes long")
    try expectCleanFailure(["history", "web", "--store", long], in: folder, mentions: "300 bytes long")
    try expectCleanFailure(["list", "--store", folder.path("file.txt")], in: folder, mentions: "file.txt")
    try expectCleanFailure(["history", "web", "--store", ""], in: folder, mentions: "--store")
  }
}
