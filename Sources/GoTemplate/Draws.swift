import FlowrelValue
import OrderedCollections
import Synchronization

/// The values that functions with run-to-run results (`randAlphaNum`, `uuidv4`, `genCA`, ...)
/// drew during one render, and those drawn by the render before it, so that a release renders
/// the same on every revision: a call that a previous render made gets that render's value
/// again; a call new to the chart draws anew.
///
/// A draw is keyed by the top-level template it happened in (`chart/templates/secret.yaml`;
/// calls inside `include` and `tpl` count for the template that runs them), the function, its
/// arguments (as canonical JSON) and its occurrence: the n-th call with the same function and
/// arguments in that template. So `{{ randAlphaNum 16 }}` twice in one file gives two values,
/// each kept.
///
/// Stored as a document (`document`, read back by `init(previous:)`), which the release store
/// keeps encrypted with the revision:
///
///     draws:
///     - template: chart/templates/secret.yaml
///       function: randAlphaNum
///       occurrence: 0
///       arguments: [16]
///       value: Xk3...
///       type: sprig.certificate     # only for an object, such as genCA's
package final class DrawRecorder: Sendable {
  /// One drawn value.
  package struct Draw: Sendable, Hashable {
    /// The top-level template the call ran in.
    package var template: String
    /// The function called.
    package var function: String
    /// Which call with the same function and arguments in that template (from 0).
    package var occurrence: Int
    /// The arguments, as plain data (an object as its recorded fields).
    package var arguments: Value
    /// The result, as plain data (an object as its recorded fields).
    package var value: Value
    /// The Go type name of an object result (`value` holds its fields), else nil.
    package var type: String?
  }

  /// The identity of a draw: where and how the function was called.
  struct Key: Hashable {
    var template: String
    var function: String
    var arguments: String
    var occurrence: Int
  }

  struct State {
    /// The previous render's draws, by key.
    var previous: [Key: Draw] = [:]
    /// Calls seen so far in this render, by key without the occurrence.
    var calls: [Key: Int] = [:]
    /// The draws this render used (kept or new), by key.
    var used: [Key: Draw] = [:]
    /// The functions that drew a new value in this render, in the order of their first draw.
    var drawnAnew: OrderedSet<String> = []
  }

  private let state: Mutex<State>

  /// Object types a drawn function may return, by Go type name, so that a stored draw comes
  /// back as the same object (Sprig's `certificate` from `genCA` is passed on to `genSignedCert`).
  private let objectTypes: [String: any RecordedObject.Type]

  /// A recorder that reuses the draws of `previous` (a `document`, or nil for none) and
  /// restores objects of `objectTypes`.
  package init(previous: Value?, objectTypes: [any RecordedObject.Type] = []) throws(TemplateError) {
    var state = State()
    for draw in try Self.draws(in: previous) {
      state.previous[Self.key(of: draw)] = draw
    }
    self.state = Mutex(state)
    var types: [String: any RecordedObject.Type] = [:]
    for type in objectTypes { types[type.recordedTypeName] = type }
    self.objectTypes = types
  }

  /// The value of the call of `function` with `arguments` in `template`: the previous render's,
  /// when it made the same call, else what `draw` gives (recorded).
  package func value(
    template: String, function: String, arguments: [TemplateValue], draw: () throws -> TemplateValue
  ) throws -> TemplateValue {
    let plainArguments = Value.list(try arguments.map { argument throws(TemplateError) in try Self.recorded(argument).value })
    let key = state.withLock { state in
      var key = Key(template: template, function: function, arguments: Self.canonical(plainArguments), occurrence: 0)
      key.occurrence = state.calls[key, default: 0]
      state.calls[Key(template: template, function: function, arguments: key.arguments, occurrence: 0)] = key.occurrence + 1
      return key
    }
    if let kept = state.withLock({ $0.previous[key] }) {
      let value = try restore(kept)
      state.withLock { $0.used[key] = kept }
      return value
    }
    let value = try draw()
    let stored = try Self.recorded(value)
    let drawn = Draw(
      template: template, function: function, occurrence: key.occurrence, arguments: plainArguments, value: stored.value,
      type: stored.type)
    state.withLock { state in
      state.used[key] = drawn
      state.drawnAnew.append(function)
    }
    return value
  }

  /// The draws this render used, kept and new, as the store records them; nil when none.
  package var document: Value? {
    let used = state.withLock { $0.used }
    guard !used.isEmpty else { return nil }
    let sorted = used.sorted { a, b in
      (a.key.template, a.key.function, a.key.arguments, a.key.occurrence)
        < (b.key.template, b.key.function, b.key.arguments, b.key.occurrence)
    }
    return .map(["draws": .list(sorted.map { Self.entry($0.value) })])
  }

  /// The functions that drew new values in this render (none when every call was kept).
  package var drawnAnew: [String] { state.withLock { Array($0.drawnAnew) } }

  // MARK: Stored form

  private static func entry(_ draw: Draw) -> Value {
    var map: OrderedDictionary<String, Value> = [
      "template": .string(draw.template), "function": .string(draw.function), "occurrence": .int(Int64(draw.occurrence)),
      "arguments": draw.arguments, "value": draw.value,
    ]
    if let type = draw.type { map["type"] = .string(type) }
    return .map(map)
  }

  /// The draws of a stored document.
  static func draws(in document: Value?) throws(TemplateError) -> [Draw] {
    guard let document, !document.isNull else { return [] }
    guard case .list(let entries)? = document["draws"] else { throw damaged("no list 'draws'") }
    var out: [Draw] = []
    for (index, entry) in entries.enumerated() {
      guard let template = entry["template"]?.stringValue, let function = entry["function"]?.stringValue,
        let occurrence = entry["occurrence"]?.intValue, occurrence >= 0, case .list? = entry["arguments"],
        let arguments = entry["arguments"], let value = entry["value"]
      else { throw damaged("entry \(index) lacks template, function, occurrence, arguments or value") }
      let type = entry["type"]?.stringValue
      out.append(Draw(template: template, function: function, occurrence: Int(occurrence), arguments: arguments, value: value, type: type))
    }
    return out
  }

  private static func damaged(_ problem: String) -> TemplateError {
    TemplateError(.execution, "the stored draws cannot be read (\(problem)): upgrade with --regenerate to draw them anew")
  }

  private static func key(of draw: Draw) -> Key {
    Key(template: draw.template, function: draw.function, arguments: canonical(draw.arguments), occurrence: draw.occurrence)
  }

  /// Arguments as one comparable text: JSON with sorted keys (the text of the value where
  /// JSON cannot carry it, such as a NaN).
  private static func canonical(_ arguments: Value) -> String {
    (try? arguments.jsonText()) ?? String(describing: arguments)
  }

  /// A template value as plain data: an object of a recorded type as its fields and type name.
  static func recorded(_ value: TemplateValue) throws(TemplateError) -> (value: Value, type: String?) {
    if case .object(let object) = value, let recorded = object as? any RecordedObject {
      return (recorded.recordedFields, type(of: recorded).recordedTypeName)
    }
    guard let plain = value.plainValue else {
      throw TemplateError(.execution, "a drawn value of type \(value.goTypeName) cannot be recorded")
    }
    return (plain, nil)
  }

  /// A kept draw as the value the function gave.
  private func restore(_ draw: Draw) throws(TemplateError) -> TemplateValue {
    guard let type = draw.type else { return TemplateValue(draw.value) }
    guard let objectType = objectTypes[type], let object = objectType.init(recordedFields: draw.value) else {
      throw TemplateError(
        .execution,
        "the value \(draw.function) drew in \(draw.template) is a \(type), which this flowrel cannot restore: "
          + "upgrade with --regenerate to draw it anew")
    }
    return .object(object)
  }
}

/// An object a drawn function returns (Sprig's `certificate` from `genCA`), recorded as its
/// fields and restored as the same object, so that it can be passed on as before.
package protocol RecordedObject: TemplateObject {
  /// The name the store records the type under (its Go type name, `sprig.certificate`).
  static var recordedTypeName: String { get }
  /// The object's fields as plain data.
  var recordedFields: Value { get }
  /// The object with `fields`, or nil when they are not its fields.
  init?(recordedFields: Value)
}
