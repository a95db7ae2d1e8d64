import GoTemplate

extension HelmFunctions {
  /// The functions whose results change from run to run but may be kept: when the execution
  /// has a `DrawRecorder`, a call gives what an earlier render of the release drew for it, or
  /// draws anew (past the `allowNondeterministic` refusal) and is recorded. `now` and `date`
  /// are not among them: a time kept from the first render would not be the time.
  package static let drawnFunctions: Set<String> = [
    "randAlphaNum", "randAlpha", "randNumeric", "randAscii", "randBytes", "randInt", "uuidv4", "shuffle",
    "genPrivateKey", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert",
    "genSignedCertWithKey", "encryptAES", "bcrypt", "htpasswd",
  ]

  /// The object types drawn functions return, which a recorder restores as themselves.
  package static let recordedObjectTypes: [any RecordedObject.Type] = []

  /// `functions` with each drawn function that is registered going through the execution's
  /// recorder, when it has one.
  static func recordingDraws(_ functions: TemplateFunctions) -> TemplateFunctions {
    var functions = functions
    for name in drawnFunctions.sorted() {
      guard let original = functions[name] else { continue }
      functions.register(name, goTypeName: original.goTypeName) { arguments, context in
        guard let recorder = context.options.draws else { return try original.body(arguments, context) }
        return try recorder.value(template: context.executedTemplate, function: name, arguments: arguments.values) {
          try context.withFlag(HelmFunctions.allowNondeterministic) { try original.body(arguments, context) }
        }
      }
    }
    return functions
  }
}
