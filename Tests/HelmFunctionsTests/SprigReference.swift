import FlowrelValue
import ExternalProcess
import Foundation
import GoReferenceData
import GoTemplate
import OrderedCollections

@testable import HelmFunctions

/// One differential case: a template and its data as JSON, its integers of the same Go type on both sides.
struct SprigCase: Sendable, CustomStringConvertible {
  /// Where the data's numbers come from, which decides the Go type of its integers.
  enum Numbers: String, Sendable {
    /// Go `int`s, as template literals and functions make them (flowrel: `TemplateValue.int`).
    case goInts = "int"
    /// Every number a float64, as Helm reads a values file (flowrel: its integers `wholeFloat`,
    /// which print as integers and reflect as float64).
    case valuesFile = "float64"
    /// Integers as Helm reads them from `--set`: `int64`.
    case setFlag = "int64"
  }

  var template: String
  var data: String = "{}"
  /// Go checks argument types before the call and names the argument; GoTemplate checks them
  /// in the call and names the function. For such cases only the
  /// message after `at <...>: ` is compared.
  var argumentError = false
  var numbers = Numbers.goInts
  /// The data has Helm's shape: its `Values`, and each of its `Subcharts`' `Values`, are
  /// Helm's `chartutil.Values` (Tests/SprigReference/chartutil stands in for Helm's type);
  /// give it `numbers: .valuesFile`, as the values are.
  var helmValues = false
  var description: String { "\(template) with \(data)" }
}

/// What rendering gave: the output, and the error message if it failed.
struct SprigOutcome: Equatable, CustomStringConvertible {
  var output: String
  var error: String
  /// The error without Go's `template: NAME:L:C: executing "NAME" at <NODE>: ` prefix.
  var errorDetail: String {
    guard let range = error.range(of: ">: ") else { return error }
    return String(error[range.upperBound...])
  }
  var description: String { error.isEmpty ? "output \(output.debugDescription)" : "error \(error.debugDescription)" }
}

/// Go's text/template with the real Sprig v3.2.3 (Tests/SprigReference/main.go), built once
/// per test run in GOPATH mode from Debian's golang-github-masterminds-sprig-dev.
enum SprigReference {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let gocode = "/usr/share/gocode/src"

  /// The built reference program, or why it could not be built.
  static let binary: Result<URL, HelmFunctionsError> = {
    let fileManager = FileManager.default
    let directory = fileManager.temporaryDirectory.appendingPathComponent("sprigreference-\(getpid())")
    guard let go = ["/usr/bin/go", "/usr/local/go/bin/go", "/usr/lib/go/bin/go"].first(where: fileManager.isExecutableFile) else {
      return .failure(HelmFunctionsError("the Sprig differential tests need Go: apt-get install golang-go"))
    }
    guard fileManager.fileExists(atPath: gocode + "/github.com/Masterminds/sprig/functions.go") else {
      return .failure(
        HelmFunctionsError("the Sprig differential tests need Sprig's source: apt-get install golang-github-masterminds-sprig-dev"))
    }
    // Helm's YAML writers: sigs.k8s.io/yaml (over go-yaml v2) and go-yaml v3.
    // And Helm's TOML encoder and bcrypt, for the checks of the generator functions.
    for (path, package) in [
      ("sigs.k8s.io/yaml/yaml.go", "golang-k8s-sigs-yaml-dev"), ("gopkg.in/yaml.v3/yaml.go", "golang-gopkg-yaml.v3-dev"),
      ("github.com/BurntSushi/toml/encode.go", "golang-github-burntsushi-toml-dev"),
      ("golang.org/x/crypto/bcrypt/bcrypt.go", "golang-golang-x-crypto-dev"),
    ]
    where !fileManager.fileExists(atPath: gocode + "/" + path) {
      return .failure(HelmFunctionsError("the Sprig differential tests need Go packages: apt-get install \(package)"))
    }
    // Debian installs the v3 modules without their /v3 suffix; a GOPATH of links adds it.
    let gopath = directory.appendingPathComponent("gopath")
    do {
      for module in ["sprig", "semver"] {
        let parent = gopath.appendingPathComponent("src/github.com/Masterminds/\(module)")
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        let link = parent.appendingPathComponent("v3")
        if !fileManager.fileExists(atPath: link.path) {
          try fileManager.createSymbolicLink(atPath: link.path, withDestinationPath: "\(gocode)/github.com/Masterminds/\(module)")
        }
      }
      let chartutil = gopath.appendingPathComponent("src/chartutil")
      if !fileManager.fileExists(atPath: chartutil.path) {
        try fileManager.createSymbolicLink(
          atPath: chartutil.path, withDestinationPath: packageRoot.appendingPathComponent("Tests/SprigReference/chartutil").path)
      }
    } catch {
      return .failure(HelmFunctionsError("could not prepare a GOPATH: \(error)"))
    }
    let output = directory.appendingPathComponent("sprigreference")
    let environment = [
      "GO111MODULE": "off", "GOPATH": "\(gopath.path):/usr/share/gocode",
      "GOCACHE": directory.appendingPathComponent("cache").path, "PATH": "/usr/bin:/bin",
    ]
    let source = packageRoot.appendingPathComponent("Tests/SprigReference/main.go").path
    switch run(go, ["build", "-o", output.path, source], environment: environment, input: Data()) {
    case .success((0, _)): return .success(output)
    case .success((_, let text)): return .failure(HelmFunctionsError("go build failed: \(text)"))
    case .failure(let error): return .failure(error)
    }
  }()

  /// Runs `executable` with `input` on stdin; its exit status and combined output.
  static func run(
    _ executable: String, _ arguments: [String], environment: [String: String], input: Data
  ) -> Result<(Int32, String), HelmFunctionsError> {
    do {
      let output = try ExternalProcess.run(executable, arguments, environment: environment, input: input, mergingErrors: true)
      return .success((output.status, output.text))
    } catch {
      return .failure(HelmFunctionsError("\(executable) could not run: \(error)"))
    }
  }

  /// Go's outcomes for `cases`, in order (times shown in UTC, as flowrel shows them).
  static func outcomes(_ cases: [SprigCase]) -> Result<[SprigOutcome], HelmFunctionsError> {
    let url: URL
    switch binary {
    case .failure(let error): return .failure(error)
    case .success(let built): url = built
    }
    let json: [[String: Any]] = cases.map { ["template": $0.template, "data": $0.data, "numbers": $0.numbers.rawValue, "helmValues": $0.helmValues] }
    guard let input = try? JSONSerialization.data(withJSONObject: json) else {
      return .failure(HelmFunctionsError("cases do not encode as JSON"))
    }
    switch run(url.path, [], environment: ["TZ": "UTC"], input: input) {
    case .failure(let error): return .failure(error)
    case .success((let status, let text)):
      // Read with flowrel's JSON reader: Foundation's drops byte-order marks inside strings.
      guard status == 0, case .list(let array)? = try? Value(jsonText: text) else {
        return .failure(HelmFunctionsError("reference program failed: \(text)"))
      }
      var outcomes: [SprigOutcome] = []
      for item in array {
        guard case .map(let fields) = item, case .string(let output)? = fields["output"], case .string(let error)? = fields["error"]
        else { return .failure(HelmFunctionsError("reference program wrote an unexpected outcome: \(item)")) }
        outcomes.append(SprigOutcome(output: output, error: error))
      }
      return .success(outcomes)
    }
  }

  /// flowrel's outcome for `testCase`, with Go's default options as the reference uses them.
  static func flowrel(_ testCase: SprigCase) -> SprigOutcome {
    let functions = HelmFunctions.library(yaml: FakeYAML())
    var set = TemplateSet(functions: functions)
    do {
      let data = try Value(jsonText: testCase.data)
      try set.parse("t", text: testCase.template)
      let top =
        if testCase.helmValues {
          helmShaped(data)
        } else {
          switch testCase.numbers {
          case .goInts: goTyped(data)
          case .valuesFile: TemplateValue(data)
          // How the renderer gives a `--set` integer (`SetFlag` reads it as `Value.int64`).
          case .setFlag: TemplateValue(data.integersAsInt64)
          }
        }
      return SprigOutcome(output: try set.execute("t", data: top), error: "")
    } catch {
      return SprigOutcome(output: "", error: "\(error)")
    }
  }

  /// `data` as flowrel's renderer gives a top-level object: its `Values`, and each of its
  /// `Subcharts`' `Values`, are `chartutil.Values` objects.
  static func helmShaped(_ data: Value) -> TemplateValue {
    guard case .map(var top) = data else { return TemplateValue(data) }
    var object = OrderedDictionary<String, TemplateValue>()
    if case .map(let values)? = top.removeValue(forKey: "Values") { object["Values"] = .object(ValuesObject(TemplateMap(values))) }
    if case .map(let subcharts)? = top.removeValue(forKey: "Subcharts") {
      object["Subcharts"] = .map(TemplateMap(subcharts.mapValues(helmShaped)))
    }
    for (key, value) in top { object[key] = TemplateValue(value) }
    return .map(TemplateMap(object))
  }
}
