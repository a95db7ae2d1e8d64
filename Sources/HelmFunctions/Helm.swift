import FlowrelValue
import GoTemplate
import OrderedCollections

// Helm's own functions (pkg/engine/funcs.go and engine.go): include, tpl, required, fail,
// lookup, and the YAML and JSON functions with Helm's error handling (decode errors go into
// the result, encode errors give "").

extension Library {
  mutating func addHelm(yaml: (any YAMLCodec)?) {
    addUsingExecution("include") { a, environment in
      try a.expectCount(2)
      return .string(try environment.executeTemplate(named: try a.string(at: 0), data: a[1]))
    }
    addUsingExecution("tpl") { a, environment in
      try a.expectCount(2)
      let text = try a.string(at: 0)
      do throws(TemplateError) {
        return .string(try environment.render(text: text, name: HelmFunctions.tplTemplateName, data: a[1]))
      } catch where error.kind == .limit {
        throw error
      } catch where error.kind == .parse {
        throw HelmFunctionsError("cannot parse template \(GoFormat.quote(text)): \(error.message)")
      } catch {
        throw HelmFunctionsError("error during tpl function execution for \(GoFormat.quote(text)): \(error.message)")
      }
    }
    add("required", plain: { a in
      try a.expectCount(2)
      let message = try a.string(at: 0)
      if a[1].isNil || a[1].stringValue == "" {
        throw HelmFunctionsError(HelmFunctions.requiredStart + message + HelmFunctions.requiredEnd)
      }
      return a[1]
    })
    add("fail", plain: { a in
      try a.expectCount(1)
      throw HelmFunctionsError(try a.string(at: 0))
    })
    // The execution's cluster, when it has one (install, upgrade, a server-side dry run);
    // without one (`template`, a client dry run, `--no-apply`) lookups find nothing, as in Helm.
    addUsingExecution("lookup") { a, environment in
      try a.expectCount(4)
      let query = try a.strings(from: 0)
      guard let cluster = environment.options.lookup else { return .map(TemplateMap(Entries())) }
      let found: Value
      do {
        found = try cluster.lookup(apiVersion: query[0], kind: query[1], namespace: query[2], name: query[3])
      } catch let error as TemplateError {
        throw error
      } catch {
        throw failure("\(error)")
      }
      // As Helm hands it over: decoded by Kubernetes' JSON reader, so a number written as an
      // integer is an `int64` and any other a `float64`.
      return TemplateValue(found.integersAsInt64)
    }

    addJSON()

    // Helm swallows the writer's errors (the result is then ""); mustToYaml fails with them.
    let writers: [(String, @Sendable (Value) throws(HelmFunctionsError) -> String)] = [("toYaml", HelmYAML.marshal), ("toYamlPretty", HelmYAML.pretty)]
    for (name, writer) in writers {
      add(name, plain: { a in
        try a.expectCount(1)
        guard let value = try jsonCompatible(a[0]) else { return "" }
        let text: String
        do throws(HelmFunctionsError) { text = try writer(value) } catch {
          if error.isLimit { throw TemplateError(.limit, error.message) }
          return ""
        }
        return .string(text.hasSuffix("\n") ? String(text.dropLast()) : text)
      })
    }
    add("mustToYaml", plain: { a in
      try a.expectCount(1)
      guard let value = try jsonCompatible(a[0]) else {
        throw failure("error marshaling into JSON: json: unsupported type: \(a[0].goTypeName)")
      }
      let text = try HelmYAML.marshal(value)
      return .string(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    })
    add("fromYaml", plain: { a in
      try a.expectCount(1)
      let codec = try requireCodec(yaml, "fromYaml")
      do {
        return decodedMap(try codec.parse(try a.string(at: 0)), fromYAML: true)
      } catch let error as TemplateError {
        throw error
      } catch {
        return .map(TemplateMap(["Error": .string("\(error)")]))
      }
    })
    add("fromYamlArray", plain: { a in
      try a.expectCount(1)
      let codec = try requireCodec(yaml, "fromYamlArray")
      do {
        return decodedList(try codec.parse(try a.string(at: 0)), fromYAML: true)
      } catch let error as TemplateError {
        throw error
      } catch {
        return anyList([.string("\(error)")])
      }
    })
  }

  private mutating func addJSON() {
    let compact = JSONEncodingOptions(), pretty = JSONEncodingOptions(indent: "  ")
    let raw = JSONEncodingOptions(escapeHTML: false)
    for (name, options) in [("toJson", compact), ("toPrettyJson", pretty), ("toRawJson", raw)] {
      add(name, plain: { a in
        try a.expectCount(1)
        // Helm drops the encoder's errors; flowrel's own limits still stop the render.
        do throws(TemplateError) {
          return .string(try jsonText(a[0], options))
        } catch {
          if error.kind == .limit { throw error }
          return ""
        }
      })
      add("must" + name.prefix(1).uppercased() + name.dropFirst(), plain: { a in
        try a.expectCount(1)
        return .string(try jsonText(a[0], options))
      })
    }
    add("fromJson", plain: { a in
      try a.expectCount(1)
      let text = try a.string(at: 0)
      do throws(JSONError) { return decodedMap(try Value(jsonText: text)) } catch {
        return .map(TemplateMap(["Error": .string(error.description)]))
      }
    })
    add("fromJsonArray", plain: { a in
      try a.expectCount(1)
      let text = try a.string(at: 0)
      do throws(JSONError) { return decodedList(try Value(jsonText: text)) } catch {
        return anyList([.string(error.description)])
      }
    })
    add("mustFromJson", plain: { a in
      try a.expectCount(1)
      let text = try a.string(at: 0)
      do throws(JSONError) { return TemplateValue(try Value(jsonText: text)) } catch { throw failure(error.description) }
    })
  }
}

/// The codec, or a clear error when the caller built the library without one.
private func requireCodec(_ codec: (any YAMLCodec)?, _ name: String) throws(HelmFunctionsError) -> any YAMLCodec {
  guard let codec else { throw failure("\(name) needs a YAML codec, and this function library was built without one") }
  return codec
}

/// The value as Go's `encoding/json` sees it: plain data, times as RFC 3339 text and
/// versions as their text (their `MarshalJSON`); `nil` for anything else (functions, objects).
/// Maps and lists nested deeper than `TemplateValue.maxNesting`, and values that would be
/// more JSON than `TemplateValue.maxPlainBytes` (shared lists built out), are a limit error.
func jsonCompatible(_ value: TemplateValue) throws(TemplateError) -> Value? {
  var budget = TemplateValue.maxPlainBytes + 1
  return try jsonCompatible(value, depth: 0, tryPlain: true, budget: &budget)
}

/// `jsonCompatible` at nesting `depth`. `plainValue` is tried first when `tryPlain`: it is fast
/// for chart data, but it walks the whole value before it can fail, so the elements of a
/// collection it failed for are converted without asking it again (asking at every level
/// walked the deep part of a value once per level, quadratic in the nesting).
private func jsonCompatible(_ value: TemplateValue, depth: Int, tryPlain: Bool, budget: inout Int) throws(TemplateError) -> Value? {
  budget -= TemplateValue.leastJSONBytes(value)
  guard budget >= 0 else { throw TemplateValue.tooLargeToConvert }
  switch value {
  case .object(let object as TimeObject): return .string(object.time.format("2006-01-02T15:04:05.999999999Z07:00"))
  case .object(let object as VersionObject): return .string(object.version.description)
  case .object(let object):
    // A Go map or slice type with methods (Helm's Values) marshals as its map or slice.
    if let map = object.underlyingMap { return try jsonCompatible(.map(map), depth: depth, tryPlain: true, budget: &budget) }
    if let list = object.underlyingList { return try jsonCompatible(.list(list), depth: depth, tryPlain: true, budget: &budget) }
    return nil
  case .list(let list):
    if list.isNilSlice { return .null }
    if tryPlain, let plain = try plainValue(value, budget: &budget) { return plain }
    try checkNesting(depth)
    var out: [Value] = []
    out.reserveCapacity(list.count)
    for element in list {
      guard let converted = try jsonCompatible(element, depth: depth + 1, tryPlain: false, budget: &budget) else { return nil }
      out.append(converted)
    }
    return .list(out)
  case .map(let map):
    if tryPlain, let plain = try plainValue(value, budget: &budget) { return plain }
    try checkNesting(depth)
    var out = OrderedDictionary<String, Value>()
    for (key, element) in map.entries {
      guard let converted = try jsonCompatible(element, depth: depth + 1, tryPlain: false, budget: &budget) else { return nil }
      out[key] = converted
    }
    return .map(out)
  default: return value.plainValue
  }
}

/// The collection `value` as plain data, or nil when it holds something that is not; a failed
/// attempt gives its budget back, since the caller converts the same elements again.
private func plainValue(_ value: TemplateValue, budget: inout Int) throws(TemplateError) -> Value? {
  // The collection's own brackets were counted by the caller.
  var attempt = budget + TemplateValue.leastJSONBytes(value)
  guard let plain = try value.plainValue(budget: &attempt) else { return nil }
  budget = attempt
  return plain
}

/// Fails when a map or list at `depth` is deeper than `TemplateValue.maxNesting` allows.
private func checkNesting(_ depth: Int) throws(TemplateError) {
  guard depth < TemplateValue.maxNesting else {
    throw TemplateError(.limit, "maps and lists nested deeper than \(TemplateValue.maxNesting) levels, the most flowrel converts")
  }
}

/// JSON text of a template value, failing as `json.Marshal` does, or with a limit error when
/// the value is nested too deep or the text would be too long.
private func jsonText(_ value: TemplateValue, _ options: JSONEncodingOptions) throws(TemplateError) -> String {
  guard let plain = try jsonCompatible(value) else { throw .failure("json: unsupported type: \(value.goTypeName)") }
  do { return try plain.jsonText(options) } catch {
    throw error.isLimit ? TemplateError(.limit, error.message) : .failure(error.message)
  }
}

/// The name `encoding/json` gives a value's JSON type in its unmarshal errors.
private func jsonTypeName(_ value: Value) -> String {
  switch value {
  case .null: "null"
  case .bool: "bool"
  case .int, .int64, .double: "number"
  case .string: "string"
  case .list: "array"
  case .map: "object"
  }
}

/// How sigs.k8s.io/yaml (Helm's YAML reader, which goes through JSON) words a type mismatch.
private let yamlDecodePrefix = "error unmarshaling JSON: while decoding JSON: "

/// Helm's decode into `map[string]interface {}`: a map, `{}` for null, else `{"Error": ...}`.
private func decodedMap(_ value: Value, fromYAML: Bool = false) -> TemplateValue {
  switch value {
  case .map: return TemplateValue(value)
  case .null: return .map(TemplateMap(Entries()))
  default:
    let message =
      (fromYAML ? yamlDecodePrefix : "") + "json: cannot unmarshal \(jsonTypeName(value)) into Go value of type map[string]interface {}"
    return .map(TemplateMap(["Error": .string(message)]))
  }
}

/// Helm's decode into `[]interface {}`: a list, `[]` for null, else `[message]`.
private func decodedList(_ value: Value, fromYAML: Bool = false) -> TemplateValue {
  switch value {
  case .list: return TemplateValue(value)
  case .null: return anyList([])
  default: return anyList([.string((fromYAML ? yamlDecodePrefix : "") + "json: cannot unmarshal \(jsonTypeName(value)) into Go value of type []interface {}")])
  }
}
