import FlowrelValue
import GoTemplate

/// What a function may ask of the running execution. `TemplateContext` provides it; tests
/// provide a stand-in, so that every function can be called without a template.
protocol FunctionEnvironment: AnyObject {
  /// The execution's options (strict mode, flags).
  var options: ExecutionOptions { get }
  /// Executes a named template of the set (`include`).
  func executeTemplate(named name: String, data: TemplateValue) throws(TemplateError) -> String
  /// Parses and executes `text` as template `name` (`tpl`).
  func render(text: String, name: String, data: TemplateValue) throws(TemplateError) -> String
}

extension TemplateContext: FunctionEnvironment {}

/// The library as a table of Swift bodies, before it becomes a `TemplateFunctions`.
struct Library: Sendable {
  typealias Body = @Sendable (_ arguments: TemplateArguments, _ environment: any FunctionEnvironment) throws -> TemplateValue
  typealias PlainBody = @Sendable (_ arguments: TemplateArguments) throws -> TemplateValue

  /// A function as added: of its arguments only, or needing the execution. Kept apart so
  /// that `HelmFunctions.library` calls a plain function with no extra closure in between.
  enum Entry: Sendable {
    case plain(PlainBody)
    case usingExecution(Body)
  }

  private(set) var entries: [String: Entry] = [:]

  /// Every function as a body that takes the execution (tests call them through this).
  var bodies: [String: Body] {
    entries.mapValues { entry in
      switch entry {
      case .plain(let body): { arguments, _ in try body(arguments) }
      case .usingExecution(let body): body
      }
    }
  }

  /// Every function: Sprig's set, less what Helm removes (`env`, `expandenv`), plus Helm's own.
  static func standard(yaml: (any YAMLCodec)?) -> Library {
    var library = Library()
    library.addStrings()
    library.addConversions()
    library.addMath()
    library.addDefaults()
    library.addLists()
    library.addDicts()
    library.addEncodings()
    library.addRegex()
    library.addSemVer()
    library.addPaths()
    library.addURLs()
    library.addReflection()
    library.addDates()
    library.addRandom()
    library.addCertificates()
    library.addAES()
    library.addPasswords()
    library.addToml()
    library.addUnsupported()
    library.addHelm(yaml: yaml)
    return library
  }

  /// Adds `name`, a function that needs the execution (its options, or the template set).
  mutating func addUsingExecution(_ name: String, _ body: @escaping Body) { entries[name] = .usingExecution(body) }

  /// Adds `name`, a function of its arguments only.
  mutating func add(_ name: String, plain body: @escaping PlainBody) {
    entries[name] = .plain(body)
  }

  /// Adds `name` under each of `names` (Sprig's aliases such as `push` for `append`).
  mutating func add(_ names: [String], plain body: @escaping PlainBody) {
    for name in names { add(name, plain: body) }
  }

  /// Adds `name`, whose output changes from run to run: refused unless the execution allows it.
  mutating func addNondeterministic(_ name: String, _ body: @escaping PlainBody) {
    entries[name] = .usingExecution { arguments, environment in
      guard environment.options.flag(HelmFunctions.allowNondeterministic) else {
        throw HelmFunctionsError(
          "\(name) gives a different result on every render, so flowrel refuses it: a re-render must not "
            + "make a diff (pass --allow-nondeterministic to allow it)")
      }
      return try body(arguments)
    }
  }
}

/// Shorthand for a function failure.
func failure(_ message: String) -> HelmFunctionsError { HelmFunctionsError(message) }
