import FlowrelValue
import GoTemplate

/// Helm's template function library: Sprig v3's text-template functions plus Helm's own
/// (`include`, `tpl`, `required`, `toYaml`, `lookup`, ...), for a `TemplateSet`.
///
///     let functions = HelmFunctions.library(yaml: FlowrelYAMLCodec())
///     var set = TemplateSet(functions: functions)
///     let out = try set.execute(name, data: top, options: .helm(flags: [HelmFunctions.allowNondeterministic: true]))
///
/// Behaviour follows Sprig v3.2.3 and Helm 3 (checked against them by the differential
/// tests), with these deliberate differences:
/// - Functions whose output changes from run to run are refused unless the execution flag
///   `allowNondeterministic` is set, or, for the `drawnFunctions`, the execution has a
///   `DrawRecorder`, which keeps their values from render to render; `getHostByName` answers
///   "" unless `enableDNS` is set.
/// - Where Go uses the machine's local time zone (`date`, `toDate`, ...) flowrel uses UTC.
/// - `keys` and `values` list entries in sorted key order (Go's is random).
/// - An integer equals, and orders against, a float of the same value (`eq`, `lt`, `has`,
///   `without`, `uniq`, `deepEqual`): Helm reads every number of a values file as a float,
///   and flowrel keeps integers, so templates written for Helm's floats give Helm's result.
/// - Certificate, key, password and encryption functions and TOML fail with one clear message.
/// - Regular expressions run on GoRegex: Go's RE2 syntax and matching, linear in the text.
package enum HelmFunctions {
  /// The execution flag that lets functions whose output changes from run to run (`now`,
  /// `randAlphaNum`, `uuidv4`, ...) run; without it they fail, because a re-render must not
  /// make a diff (`flowrel --allow-nondeterministic`).
  package static let allowNondeterministic = "allowNondeterministic"

  /// The execution flag that lets `getHostByName` resolve names (Helm's `--enable-dns`);
  /// without it the function returns an empty string, as Helm does.
  package static let enableDNS = "enableDNS"

  /// The name Helm gives the templates that `tpl` parses (its root template's name), so
  /// that error messages read like Helm's (`template: gotpl:1:3: ...`).
  package static let tplTemplateName = "gotpl"

  /// Every function a Helm chart may call. `yaml` provides `fromYaml` and `fromYamlArray`;
  /// without one those functions fail with a clear message.
  package static func library(yaml: (any YAMLCodec)? = nil) -> TemplateFunctions {
    var functions = TemplateFunctions()
    for (name, entry) in Library.standard(yaml: yaml).entries {
      switch entry {
      case .plain(let body): functions.register(name) { arguments, _ in try body(arguments) }
      case .usingExecution(let body): functions.register(name) { arguments, context in try body(arguments, context) }
      }
    }
    return recordingDraws(functions)
  }

  /// The message Helm prints for a failed render: errors raised by `required` become
  /// `execution error at (FILE:LINE:COL): MESSAGE`; every other error keeps Go's message.
  package static func userMessage(for error: TemplateError) -> String {
    let text = error.message
    guard let start = text.range(of: requiredStart), let end = text.range(of: requiredEnd, range: start.upperBound..<text.endIndex)
    else { return text }
    let message = String(text[start.upperBound..<end.lowerBound])
    // Go's message is `template: LOCATION: executing ...`; the location is the second field.
    let fields = text.components(separatedBy: ": ")
    guard fields.count >= 3, fields[0] == "template" else { return "execution error: \(message)" }
    return "execution error at (\(fields[1])): \(message)"
  }

  /// The message a chart's own `required` or `fail` gave, without the engine's decoration;
  /// `nil` when the error came from elsewhere (a missing key, a function given bad input).
  package static func chartMessage(of error: TemplateError) -> String? {
    let text = error.message
    if let start = text.range(of: requiredStart), let end = text.range(of: requiredEnd, range: start.upperBound..<text.endIndex) {
      return String(text[start.upperBound..<end.lowerBound])
    }
    // `fail` inside `include` is decorated once per call level; its message is the innermost.
    guard let failed = text.ranges(of: "error calling fail: ").last else { return nil }
    return String(text[failed.upperBound...])
  }

  /// Markers around `required`'s message so that `userMessage(for:)` can find it inside
  /// the engine's decorated error, as Helm's renderer does.
  static let requiredStart = "HELM_ERR_START"
  static let requiredEnd = "HELM_ERR_END"
}

/// The YAML reader the library's `fromYaml` and `fromYamlArray` use (supplied by the caller,
/// so that this module does not depend on a YAML implementation). The writers (`toYaml`,
/// `toYamlPretty`) are the library's own `HelmYAML`, byte for byte Helm's.
package protocol YAMLCodec: Sendable {
  /// The first document of `text` as a value (`null` for an empty text); throws with a
  /// message a user can act on when the text is not YAML.
  func parse(_ text: String) throws -> Value
}

/// A failure inside one of the library's functions; the engine shows it as
/// `error calling NAME: MESSAGE`.
package struct HelmFunctionsError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, worded as Sprig or Helm words it where they have a message.
  package let message: String
  /// Whether a limit of flowrel's was reached, which even the functions that swallow errors
  /// as Helm does (`toYaml`) pass on.
  package var isLimit = false

  /// An error with `message`.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}
