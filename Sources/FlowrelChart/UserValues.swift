import FlowrelValue
import FlowrelYAML
import OrderedCollections

/// Where one user value came from: a values file, a `--set`-style flag, or a stored revision.
/// Messages use it to point at the user's own file, and Helm-compatible typing rules at where a
/// number was written (Helm types numbers from files, `--set` and `--set-json` differently).
package struct ValueOrigin: Sendable, Hashable, CustomStringConvertible {
  /// The kinds of source.
  package enum Source: Sendable, Hashable {
    /// A `-f` values file (its name as given; `<stdin>` for `-`).
    case valuesFile(String)
    /// One argument of a `--set`-style flag.
    case flag(SetFlag, argument: String)
    /// The values recorded with a revision (`--reuse-values`).
    case stored(revision: Int)
  }

  /// Which file, flag or revision set the value.
  package var source: Source
  /// Where in a values file the value's node starts (`nil` for flags and stored values).
  package var position: YAMLPosition?
  /// The value's text as written in a values file, for a plain scalar on one line (`1e3`, `y`):
  /// what a reader with other typing rules (Jina's PyYAML) would see. `nil` elsewhere.
  package var text: String?
  /// Whether the source is secret as a whole (a SOPS-encrypted values file). Paths a chart's
  /// schema marks secret come with the render (`RenderOutput.secretPaths`).
  package var isSecret: Bool

  /// A message about the value, placed where it came from: `flow.yml:3:7: MESSAGE` for a
  /// values file (as compilers place errors), `MESSAGE (--set a.b=1)` for a flag and
  /// `MESSAGE (values of revision 2)` for stored values.
  package func place(_ message: String) -> String {
    if case .valuesFile = source { return "\(description): \(message)" }
    return "\(message) (\(description))"
  }

  /// `values.yaml:3:7`, `--set a.b=1`, `values of revision 2`.
  package var description: String {
    switch source {
    case .valuesFile(let name): position.map { "\(name):\($0)" } ?? name
    case .flag(let flag, let argument): "\(flag.rawValue) \(argument)"
    case .stored(let revision): "values of revision \(revision)"
    }
  }
}

/// The values a user supplies, resolved once at the command line's boundary: `-f` files, the
/// `--set` family (files already read for `--set-file`) and, for `--reuse-values`, a stored
/// revision's values underneath. Helm applies them in a fixed order whatever their order on the
/// command line: the stored values, every file in order, then each flag kind in
/// `SetFlag.allCases` order, each kind's arguments in order. Every layer is kept, so the origin
/// of any value can be found again (`origin(of:)`).
package struct UserValues: Sendable {
  /// One source of values, as given.
  struct Layer: Sendable {
    enum Kind: Sendable {
      case file(ValuesFile)
      /// A flag argument, with the contents of the files `--set-file` named in it.
      case flag(SetFlag, argument: String, files: [String: String])
      case stored(Value, revision: Int)
    }
    var kind: Kind
    var isSecret: Bool
  }

  /// The merged values (what Helm stores with a release as the user-supplied values).
  package private(set) var value: Value = .emptyMap
  private var layers: [Layer] = []

  /// No values.
  package init() {}

  /// The values of parsed `-f` files, merged in order.
  package init(files: [ValuesFile]) throws(ChartError) {
    for file in files { try add(.file(file), isSecret: false) }
  }

  /// Resolves a command line's values: parsed `-f` files, then each `--set`-style argument in
  /// Helm's order. `readFile` reads the paths `--set-file` names; it is called here only, once
  /// per path, so no later step reads anything.
  package static func resolve(
    files: [ValuesFile], arguments: [SetFlag: [String]], readFile: (String) throws -> String
  ) throws(ChartError) -> UserValues {
    var values = try UserValues(files: files)
    for flag in SetFlag.allCases {
      for argument in arguments[flag] ?? [] {
        var read: [String: String] = [:]
        var scratch = Value.emptyMap
        // Reading once through a recording reader keeps the layer replayable without the files.
        try flag.apply(argument, to: &scratch) { path in
          if let known = read[path] { return known }
          let text = try readFile(path)
          read[path] = text
          return text
        }
        try values.add(.flag(flag, argument: argument, files: read), isSecret: false)
      }
    }
    return values
  }

  /// Whether the command line gave any values (files or flags; stored values do not count).
  package var givesValues: Bool {
    layers.contains { layer in
      if case .stored = layer.kind { return false }
      return true
    }
  }

  /// These values over a revision's stored values (`--reuse-values`): the stored values are
  /// the base every file and flag is applied over, as Helm merges them.
  package func over(stored: Value, revision: Int) throws(ChartError) -> UserValues {
    var out = UserValues()
    try out.add(.stored(stored, revision: revision), isSecret: false)
    for layer in layers { try out.add(layer.kind, isSecret: layer.isSecret) }
    return out
  }

  /// These values with every values file typed by `rules`, the chart's way of reading its
  /// values files (Jina's for the flow chart); flags and stored values keep their types.
  package func typed(as rules: YAMLScalarRules) throws(ChartError) -> UserValues {
    var out = UserValues()
    var changed = false
    for layer in layers {
      if case .file(let file) = layer.kind, let retyped = try file.retyped(as: rules) {
        changed = true
        try out.add(.file(retyped), isSecret: layer.isSecret)
      } else {
        try out.add(layer.kind, isSecret: layer.isSecret)
      }
    }
    return changed ? out : self
  }

  /// Where the value at `path` came from: the last layer that set it (or a map above it).
  package func origin(of path: ValuePath) -> ValueOrigin? { origin(of: path, key: false) }

  /// Where the map entry at `path` came from, placed at its key (in a values file) rather than
  /// its value: for messages about the key itself, such as an unknown key.
  package func origin(ofKey path: ValuePath) -> ValueOrigin? { origin(of: path, key: true) }

  /// The origin of the value at `path` or, when no layer set it, of its nearest ancestor
  /// that was set (a missing required key is placed at the map that lacks it); `nil` when
  /// nothing on the way was the user's.
  package func nearestOrigin(of path: ValuePath) -> ValueOrigin? {
    var components = path.components[...]
    while true {
      if let found = origin(of: ValuePath(Array(components))) { return found }
      // The root is always "set" once any layer exists; it names no useful place.
      guard components.count > 1 else { return nil }
      components = components.dropLast()
    }
  }

  private func origin(of path: ValuePath, key: Bool) -> ValueOrigin? {
    for layer in layers.reversed() {
      switch layer.kind {
      case .file(let file):
        guard file.value.value(at: path) != nil else { continue }
        let located = file.locate(path, key: key)
        return ValueOrigin(source: .valuesFile(file.name), position: located?.position, text: located?.text, isSecret: layer.isSecret)
      case .flag(let flag, let argument, let files):
        var alone = Value.emptyMap
        guard (try? flag.apply(argument, to: &alone, readFile: { files[$0] ?? "" })) != nil,
          alone.value(at: path) != nil
        else { continue }
        return ValueOrigin(source: .flag(flag, argument: argument), position: nil, text: nil, isSecret: layer.isSecret)
      case .stored(let stored, let revision):
        guard stored.value(at: path) != nil else { continue }
        return ValueOrigin(source: .stored(revision: revision), position: nil, text: nil, isSecret: layer.isSecret)
      }
    }
    return nil
  }

  /// Applies one layer over the values so far: files and stored values merge as Helm merges
  /// values files; flag arguments are applied by Helm's `--set` grammar.
  private mutating func add(_ kind: Layer.Kind, isSecret: Bool) throws(ChartError) {
    switch kind {
    case .file(let file):
      value = .map(try Self.merge(file.value, source: file.name, over: value))
    case .stored(let stored, let revision):
      value = .map(try Self.merge(stored, source: "values of revision \(revision)", over: value))
    case .flag(let flag, let argument, let files):
      try flag.apply(argument, to: &value) { path in
        guard let text = files[path] else { throw ChartError.unreadable(path: path, reason: "the file was not read when the values were resolved") }
        return text
      }
    }
    layers.append(Layer(kind: kind, isSecret: isSecret))
  }

  /// Helm's merge of one values file over the previous ones: a map over a map merges key by
  /// key; any other value (a list, a scalar, `null`) replaces what was there.
  private static func merge(_ top: Value, source: String, over base: Value) throws(ChartError) -> OrderedDictionary<String, Value> {
    let baseMap = base.mapValue ?? [:]
    switch top {
    case .null: return baseMap
    case .map(let map): return merge(map, over: baseMap)
    default: throw ChartError.valuesNotAMap(source: source, found: top.kindName)
    }
  }

  static func merge(
    _ top: OrderedDictionary<String, Value>, over base: OrderedDictionary<String, Value>
  ) -> OrderedDictionary<String, Value> {
    var out = base
    for (key, value) in top {
      if case .map(let topMap) = value, case .map(let baseMap)? = out[key] {
        out[key] = .map(merge(topMap, over: baseMap))
      } else {
        out[key] = value
      }
    }
    return out
  }
}
