import FlowrelValue
import OrderedCollections

/// One `-f` values file, already parsed.
public struct ValuesFile: Sendable, Equatable {
  /// How the file is named in messages (its path, `-` for stdin, a URL).
  public var name: String
  /// The parsed document: a map, or `null` for an empty file.
  public var value: Value

  /// A parsed values file.
  public init(name: String, value: Value) {
    self.name = name
    self.value = value
  }
}

/// The values a user supplies on one command line: `-f` files and the `--set` family.
/// Helm applies them in a fixed order whatever their order on the command line: every file
/// in order, then each flag kind in `SetFlag.allCases` order, each kind's arguments in order.
public struct ValueOverrides: Sendable, Equatable {
  /// `-f`/`--values` files, in command-line order.
  public var files: [ValuesFile]
  /// The arguments of each `--set`-style flag, in command-line order.
  public var arguments: [SetFlag: [String]]

  /// Overrides from parsed files and flag arguments.
  public init(files: [ValuesFile] = [], arguments: [SetFlag: [String]] = [:]) {
    self.files = files
    self.arguments = arguments
  }

  /// The user-supplied values (what Helm stores with a release): the files merged in order
  /// (maps merge deeply, everything else, `null` included, replaces), then every `--set`-style
  /// argument applied in Helm's order. `readFile` reads `--set-file` paths.
  public func userValues(readFile: (String) throws -> String = SetFlag.readLocalFile) throws(ChartError) -> Value {
    var merged: OrderedDictionary<String, Value> = [:]
    for file in files {
      switch file.value {
      case .null: continue
      case .map(let map): merged = Self.merge(map, over: merged)
      default: throw ChartError.valuesNotAMap(source: file.name, found: file.value.kindName)
      }
    }
    var values = Value.map(merged)
    for flag in SetFlag.allCases {
      for argument in arguments[flag] ?? [] {
        try flag.apply(argument, to: &values, readFile: readFile)
      }
    }
    return values
  }

  /// Helm's merge of one values file over the previous ones: a map over a map merges key by
  /// key; any other value (a list, a scalar, `null`) replaces what was there.
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

/// A chart's values as templates see them: the user-supplied values coalesced over the
/// chart's defaults, with Helm's rules.
public struct MergedValues: Sendable, Equatable {
  /// What the user supplied (files and flags merged), before the chart's defaults.
  public var user: Value
  /// The values templates see (`.Values`).
  public var values: Value
  /// Conflicts Helm warns about and resolves in favour of the user (a map against a non-map).
  public var warnings: [String]

  /// Coalesces `user` over `defaults` (the chart's `values.yaml`) as Helm 3's
  /// `CoalesceValues` does:
  /// - a key only in the defaults is copied, a key only in the user's values is kept
  ///   (even when it is `null`);
  /// - a user `null` deletes the key, the default included;
  /// - two maps merge recursively; otherwise the user's value wins, and a map against a
  ///   non-`null` non-map is a warning.
  /// Keys keep the defaults' order, then the user's new keys in their order.
  /// Either side may be `null` (no values); anything else that is not a map is an error.
  public init(defaults: Value, user: Value) throws(ChartError) {
    let defaultMap = try Self.map(defaults, source: "values.yaml")
    let userMap = try Self.map(user, source: "user-supplied values")
    var warnings: [String] = []
    self.user = user
    self.values = .map(Self.coalesce(userMap, over: defaultMap, at: .root, warnings: &warnings))
    self.warnings = warnings
  }

  /// The user-supplied values from `overrides`, coalesced over `defaults`.
  public init(
    defaults: Value, overrides: ValueOverrides, readFile: (String) throws -> String = SetFlag.readLocalFile
  ) throws(ChartError) {
    try self.init(defaults: defaults, user: try overrides.userValues(readFile: readFile))
  }

  static func map(_ value: Value, source: String) throws(ChartError) -> OrderedDictionary<String, Value> {
    switch value {
    case .null: return [:]
    case .map(let map): return map
    default: throw ChartError.valuesNotAMap(source: source, found: value.kindName)
    }
  }

  static func coalesce(
    _ user: OrderedDictionary<String, Value>, over defaults: OrderedDictionary<String, Value>,
    at path: ValuePath, warnings: inout [String]
  ) -> OrderedDictionary<String, Value> {
    var out: OrderedDictionary<String, Value> = [:]
    for (key, fallback) in defaults {
      guard let given = user[key] else {
        out[key] = fallback
        continue
      }
      let keyPath = path.appending(key: key)
      switch (given, fallback) {
      case (.null, _):
        continue
      case (.map(let givenMap), .map(let fallbackMap)):
        out[key] = .map(coalesce(givenMap, over: fallbackMap, at: keyPath, warnings: &warnings))
      case (.map, .null):
        out[key] = given
      case (.map, _), (_, .map):
        let kinds = "the chart's default is \(ChartError.describe(fallback)) and the given value \(ChartError.describe(given))"
        warnings.append("\(keyPath): \(kinds); the given value replaces the default")
        out[key] = given
      default:
        out[key] = given
      }
    }
    for (key, given) in user where defaults[key] == nil {
      out[key] = given
    }
    return out
  }
}
