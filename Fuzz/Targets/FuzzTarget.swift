import FlowrelAge
import FlowrelArchive
import FlowrelChart
import FlowrelManifest
import FlowrelSOPS
import FlowrelStore
import FlowrelValue
import FlowrelYAML
import Foundation
import GoRegex
import GoYAMLWriter
import Synchronization

/// One input parser of flowrel, driven from arbitrary bytes. The fuzzers (Fuzz/Package.swift,
/// built with libFuzzer) and the replay tests (`FuzzReplayTests`, plain `swift test`) call the
/// same `run`, so an input that crashed a fuzzer crashes the test suite the same way.
///
/// `run` returns normally whether the input was accepted or refused; a refused input must be
/// refused with an error, and only a crash, a hang or a memory blowup is a finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// YAML streams through FlowrelYAML (the block reader and libyaml), emitted back.
  case yaml
  /// A `-f` values file, merged over a chart's defaults, in Helm's and in Jina's typing.
  case values
  /// `--set`-style arguments: one per line, the first byte of a line picks the flag.
  case set
  /// A chart template, parsed, executed with Helm's functions and read as manifests.
  case template
  /// A chart archive: gzip then tar (a first byte of 0 reads plain tar), then as a chart.
  case archive
  /// `Chart.yaml`, alone and as the metadata of a chart.
  case chart
  /// `values.schema.json` (before the first NUL byte) checked against values (after it).
  case schema
  /// A SOPS file, decrypted with the fuzz identity; its recipients read.
  case sops
  /// An age file (binary or armored) decrypted with the fuzz identity; identity files parsed.
  case age
  /// A Go regular expression (before the first NUL byte) run on a text (after it).
  case regex
  /// JSON text read into a value and written back.
  case json
  /// A values file for the built-in Jina Flow chart, rendered into manifests.
  case flow
  /// Store paths: a `--store` folder, a release name, a namespace and objects, one a line,
  /// recorded in a git store made for the input and read back.
  case store

  /// Runs one input; errors are the expected outcome of most inputs and are ignored.
  public func run(_ input: [UInt8]) {
    switch self {
    case .yaml: Self.yaml(input)
    case .values: Self.values(input)
    case .set: Self.set(input)
    case .template: Self.template(input)
    case .archive: Self.archive(input)
    case .chart: Self.chart(input)
    case .schema: Self.schema(input)
    case .sops: Self.sops(input)
    case .age: Self.age(input)
    case .regex: Self.regex(input)
    case .json: Self.json(input)
    case .flow: Self.flow(input)
    case .store: Self.store(input)
    }
  }

  // MARK: Targets

  private static func yaml(_ input: [UInt8]) {
    guard let documents = try? YAML.parseDocuments(input, file: "fuzz.yaml") else { return }
    for document in documents {
      _ = YAML.emit(document.value, sortedKeys: true)
      _ = try? GoYAML.text(document.value, GoYAMLOptions(dialect: .v3))
    }
    _ = try? YAML.parse(input, file: "fuzz.yaml", scalars: .pyyaml)
  }

  private static func values(_ input: [UInt8]) {
    for rules in [YAMLScalarRules.helm, .pyyaml] {
      guard let file = try? ValuesFile.read(name: "fuzz.yaml", bytes: input, scalars: rules) else { continue }
      _ = try? MergedValues(defaults: defaults, user: file.value)
      _ = try? UserValues(files: [file]).typed(as: rules == .helm ? .pyyaml : .helm)
    }
  }

  private static func set(_ input: [UInt8]) {
    var values = Value.emptyMap
    for line in input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      guard let selector = line.first else { continue }
      let flag = SetFlag.allCases[Int(selector) % SetFlag.allCases.count]
      let argument = String(decoding: line.dropFirst(), as: UTF8.self)
      try? flag.apply(argument, to: &values) { path in "contents of \(path)" }
    }
    _ = try? MergedValues(defaults: defaults, user: values)
  }

  private static func template(_ input: [UInt8]) {
    let files = [
      ChartFile(path: "Chart.yaml", contents: Array("apiVersion: v2\nname: fuzz\nversion: 1.0.0\n".utf8)),
      ChartFile(path: "values.yaml", contents: Array(defaultsText.utf8)),
      ChartFile(path: "files/a.txt", contents: Array("a file\nof two lines\n".utf8)),
      ChartFile(path: "templates/_helpers.tpl", contents: Array(helpersText.utf8)),
      ChartFile(path: "templates/fuzz.yaml", contents: input),
    ]
    render(files)
  }

  private static func archive(_ input: [UInt8]) {
    if input.first == 0 {
      _ = try? Tar.read(Array(input.dropFirst()))
      return
    }
    guard let files = try? ChartFiles.loadArchive(input, name: "fuzz.tgz") else { return }
    render(files)
  }

  private static func chart(_ input: [UInt8]) {
    if let document = try? YAML.parseDocument(input, file: "Chart.yaml"), let metadata = try? ChartMetadata(document) {
      _ = metadata.templateValue
      _ = metadata.valuesScalarRules
    }
    let files = [
      ChartFile(path: "Chart.yaml", contents: input),
      ChartFile(path: "templates/a.yaml", contents: Array("kind: ConfigMap\napiVersion: v1\nmetadata: {name: {{ .Chart.Name | quote }}}\n".utf8)),
    ]
    render(files)
  }

  private static func schema(_ input: [UInt8]) {
    let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    guard let schema = try? ValuesSchema(jsonText: String(decoding: parts[0], as: UTF8.self)) else { return }
    var values = defaults
    if parts.count > 1, let given = try? YAML.parse(Array(parts[1]), file: "values.yaml") { values = given }
    _ = try? schema.violations(of: values)
    _ = try? schema.check(values)
  }

  private static func sops(_ input: [UInt8]) {
    let text = String(decoding: input, as: UTF8.self)
    _ = SOPSFile.isEncrypted(text)
    _ = try? SOPSFile.recipients(of: text)
    if let identity, let document = try? SOPSFile.decrypt(text: text, identities: [identity]) {
      _ = YAML.emit(document)
    }
  }

  private static func age(_ input: [UInt8]) {
    _ = Age.isArmored(input)
    if let identity { _ = try? Age.decrypt(input, identities: [identity]) }
    let text = String(decoding: input, as: UTF8.self)
    _ = try? AgeIdentity.parseFile(text)
    _ = try? AgeRecipient(parsing: text)
  }

  private static func regex(_ input: [UInt8]) {
    let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    guard let regex = try? GoRegex(String(decoding: parts[0], as: UTF8.self)) else { return }
    let text = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : ""
    _ = regex.matches(text)
    _ = regex.firstMatch(in: text)
    _ = regex.allMatches(in: text)
    _ = regex.replacingAll(in: text, with: "<$1${name}$$>")
    _ = regex.split(text, limit: 3)
    _ = GoRegex.quoteMeta(text)
  }

  private static func json(_ input: [UInt8]) {
    guard let value = try? Value(jsonText: String(decoding: input, as: UTF8.self)) else { return }
    _ = try? value.jsonText()
    _ = try? value.jsonText(JSONEncodingOptions(sortedKeys: false, escapeHTML: false, indent: "  "))
  }

  private static func flow(_ input: [UInt8]) {
    guard let chart = try? Chart.builtin(Chart.defaultName), let file = try? ValuesFile.read(name: "flow.yaml", bytes: input),
      let values = try? UserValues(files: [file])
    else { return }
    let release = ReleaseInfo(name: "fuzz", namespace: "default")
    guard let output = try? chart.render(RenderRequest(release: release, values: values)) else { return }
    _ = try? output.rendered.manifests(release: release)
  }

  /// Line 1 is the store folder (inside a scratch folder: `..` parts and leading `/` are
  /// dropped, so nothing is written elsewhere), line 2 the release, line 3 the namespace, each
  /// further line an object: kind, name, namespace and apiVersion separated by tabs (an empty
  /// namespace: none). Every object's file name must be one name a file system takes; a
  /// recorded revision must read back with the same objects, each in its file.
  private static func store(_ input: [UInt8]) {
    let lines = input.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
      String(decoding: $0, as: UTF8.self)
    }
    guard lines.count >= 3, let scratch = storeScratch else { return }
    let folder = lines[0].split(separator: "/").filter { $0 != ".." }.joined(separator: "/")
    let (release, namespace) = (lines[1], lines[2])
    var manifests: [Manifest] = []
    for line in lines.dropFirst(3) {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard fields.count >= 2 else { continue }
      let metadata: Value =
        fields.count > 2 && !fields[2].isEmpty
        ? ["name": .string(fields[1]), "namespace": .string(fields[2])] : ["name": .string(fields[1])]
      let content: Value = [
        "apiVersion": .string(fields.count > 3 ? fields[3] : "v1"), "kind": .string(fields[0]), "metadata": metadata, "data": ["k": "v"],
      ]
      guard let manifest = try? Manifest(content: content) else { continue }
      let file = manifest.identity.fileName(releaseNamespace: namespace)
      // A violated invariant is a finding: the trap makes libFuzzer keep the input.
      precondition(
        file.utf8.count <= 255 && !file.utf8.contains(UInt8(ascii: "/")) && !file.utf8.contains(0) && file.hasSuffix(".yaml"),
        "object file name \(file) is not one file name a file system takes")
      manifests.append(manifest)
    }
    defer {
      for entry in (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? [] {
        try? FileManager.default.removeItem(atPath: scratch + "/" + entry)
      }
    }
    let path = folder.isEmpty ? scratch : scratch + "/" + folder
    let store = GitReleaseStore(
      path: path, flowrelVersion: "fuzz", environment: [
        "GIT_AUTHOR_NAME": "fuzz", "GIT_AUTHOR_EMAIL": "fuzz@example.com", "GIT_COMMITTER_NAME": "fuzz",
        "GIT_COMMITTER_EMAIL": "fuzz@example.com",
      ],
      clock: { Date(timeIntervalSince1970: 1_700_000_000) })
    let revision = NewRevision(
      release: release, namespace: namespace, action: .install, status: .recorded, chart: ChartReference(name: "fuzz", version: "1.0.0"),
      values: .emptyMap, manifests: manifests, description: "Install complete")
    let recorded = waiting { try await store.record(revision) }
    guard recorded != nil else { return }
    let stored = try? store.revision(release: release, namespace: namespace, number: nil)
    precondition(
      stored.map { Set($0.manifests.map(\.identity)) == Set(manifests.map(\.identity)) } == true,
      "a recorded revision does not read back with its objects")
    for manifest in manifests {
      let file = path + "/" + namespace + "/" + release + "/manifests/" + manifest.identity.fileName(releaseNamespace: namespace)
      precondition(FileManager.default.fileExists(atPath: file), "a recorded object has no file at \(file)")
    }
    _ = try? store.history(release: release, namespace: namespace, max: nil)
    _ = try? store.releases(namespace: nil)
  }

  /// The result of `body`, run to its end from synchronous code; `nil` when it throws. The
  /// body runs on a queue of its own, not on the shared pool the caller may be blocking
  /// (the replay tests call targets from that pool).
  private static func waiting<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) -> T? {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task(executorPreference: QueueExecutor.shared) {
      let value = try? await body()
      result.withLock { $0 = value }
      done.signal()
    }
    done.wait()
    return result.withLock { $0 }
  }

  /// Runs jobs on one serial dispatch queue (see `waiting`).
  private final class QueueExecutor: TaskExecutor {
    static let shared = QueueExecutor()
    private let queue = DispatchQueue(label: "flowrel-fuzz-store")

    func enqueue(_ job: consuming ExecutorJob) {
      let job = UnownedJob(job)
      queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
  }

  /// The folder the `store` target writes in (emptied after each input), outside any git repository.
  private static let storeScratch: String? = {
    let path = NSTemporaryDirectory() + "flowrel-fuzz-store-\(getpid())"
    return (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)) == nil ? nil : path
  }()

  // MARK: Shared inputs

  /// Renders a chart made of `files` and reads its manifests.
  private static func render(_ files: [ChartFile]) {
    guard let chart = try? Chart(files: files, source: "fuzz") else { return }
    let release = ReleaseInfo(name: "fuzz", namespace: "default")
    guard let output = try? chart.render(RenderRequest(release: release)) else { return }
    _ = try? output.rendered.manifests(release: release)
  }

  /// The default values the values, `--set`, schema and template targets work against.
  private static let defaultsText = """
    replicas: 2
    name: fuzz
    list: [1, two, 3.5, null, true]
    nested: {a: {b: {c: [x, {y: z}]}}}
    text: "a\\nb"

    """

  private static let defaults: Value = (try? YAML.parse(defaultsText)) ?? .emptyMap

  /// Named templates the fuzzed template can call.
  private static let helpersText = """
    {{- define "fuzz.name" -}}{{ .Values.name | default "x" | trunc 63 }}{{- end -}}
    {{- define "fuzz.labels" -}}app: {{ include "fuzz.name" . }}{{- end -}}

    """

  /// The key the SOPS and age targets decrypt with (made for fuzzing, protects nothing).
  public static let identityText = "AGE-SECRET-KEY-1U3T6JZ842D02X8LD3D059KF6SSACVDH86UV45J9UDXQT40YTQ03Q6DYQUA"

  private static let identity = try? AgeIdentity(parsing: identityText)
}
