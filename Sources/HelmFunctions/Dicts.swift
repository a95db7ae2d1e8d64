import GoTemplate
import OrderedCollections

// Sprig's dictionary functions (dicts.md). Dictionaries are `map[string]interface {}`.
// Go iterates maps in random order; flowrel uses sorted keys wherever order shows
// (`keys`, `values`), so that output is deterministic.
//
// Maps are references, as in Go: `set`, `unset`, `merge` and `mergeOverwrite` change their
// first argument in place (`$_ := set $ctx "k" v` changes `$ctx`) and return it.

typealias Entries = OrderedDictionary<String, TemplateValue>

extension Library {
  mutating func addDicts() {
    add("dict", plain: { a in
      var entries = Entries()
      var i = 0
      while i < a.count {
        entries[stringValue(a[i])] = i + 1 < a.count ? a[i + 1] : .string("")
        i += 2
      }
      return .map(TemplateMap(entries))
    })
    add("get", plain: { a in
      try a.expectCount(2)
      return try a.map(at: 0)[try a.string(at: 1)] ?? .string("")
    })
    add("set", plain: { a in
      try a.expectCount(3)
      // Go panics when assigning into a nil map.
      if case .missing = a[0] { throw failure("assignment to entry in nil map") }
      let map = try a.map(at: 0)
      try map.set(try a.string(at: 1), a[2])
      return .map(map)
    })
    add("unset", plain: { a in
      try a.expectCount(2)
      let map = try a.map(at: 0)
      map.remove(try a.string(at: 1))
      return .map(map)
    })
    add("hasKey", plain: { a in
      try a.expectCount(2)
      return .bool(try a.map(at: 0)[try a.string(at: 1)] != nil)
    })
    add("pluck", plain: { a in
      try a.expectCount(atLeast: 1)
      let key = try a.string(at: 0)
      var out: [TemplateValue] = []
      for i in 1..<a.count { if let value = try a.map(at: i)[key] { out.append(value) } }
      return anyList(out)
    })
    add("keys", plain: { a in
      var out: [String] = []
      for i in a.indices { out += try a.map(at: i).sortedKeys }
      return stringList(out)
    })
    add("values", plain: { a in
      try a.expectCount(1)
      let map = try a.map(at: 0)
      return anyList(map.sortedKeys.map { map[$0] ?? .null })
    })
    add("pick", plain: { a in
      try a.expectCount(atLeast: 1)
      let map = try a.map(at: 0), wanted = try a.strings(from: 1)
      return .map(TemplateMap(map.entries.filter { wanted.contains($0.key) }))
    })
    add("omit", plain: { a in
      try a.expectCount(atLeast: 1)
      let map = try a.map(at: 0), unwanted = try a.strings(from: 1)
      return .map(TemplateMap(map.entries.filter { !unwanted.contains($0.key) }))
    })
    add("dig", plain: { a in
      guard a.count >= 3 else { throw failure("dig needs at least three arguments") }
      guard case .map(var map) = a[a.count - 1] else { throw interfaceConversion(a[a.count - 1], "map[string]interface {}") }
      var keys: [String] = []
      for key in a.dropLast(2) {
        guard case .string(let s) = key else { throw interfaceConversion(key, "string") }
        keys.append(s)
      }
      for (n, key) in keys.enumerated() {
        guard let step = map[key] else { return a[a.count - 2] }
        if n == keys.count - 1 { return step }
        guard case .map(let next) = step else { throw interfaceConversion(step, "map[string]interface {}") }
        map = next
      }
      return a[a.count - 2]
    })
    add(["merge", "mustMerge"], plain: { a in
      try a.expectCount(atLeast: 1)
      let destination = try a.map(at: 0)
      for i in 1..<a.count { try merge(into: destination, try a.map(at: i), overwrite: false) }
      return .map(destination)
    })
    add(["mergeOverwrite", "mustMergeOverwrite"], plain: { a in
      try a.expectCount(atLeast: 1)
      let destination = try a.map(at: 0)
      for i in 1..<a.count { try merge(into: destination, try a.map(at: i), overwrite: true) }
      return .map(destination)
    })
    // copystructure's deep copy: new maps all the way down, of the same type (a copy of
    // `.Values` is a `chartutil.Values` too); other objects are kept as they are.
    add(["deepCopy", "mustDeepCopy"], plain: { a in
      try a.expectCount(1)
      if case .object(let values as ValuesObject) = a[0], case .map(let copy)? = TemplateValue.map(values.map).plainValue {
        return .object(ValuesObject(TemplateMap(copy)))
      }
      return a[0].plainValue.map(TemplateValue.init) ?? a[0]
    })
  }
}

/// mergo's merge of maps, as Sprig calls it, in place: nested maps merge key by key (changing
/// the destination's nested maps); otherwise a source value fills a missing or empty destination
/// value, or (with `overwrite`) replaces it, except that a map never replaces a non-empty
/// non-map. A nil source value only ever matters with `overwrite`, where it replaces. A source
/// map put into the destination is the same map, as in Go.
private func merge(into destination: TemplateMap, _ source: TemplateMap, overwrite: Bool) throws(TemplateError) {
  for (key, value) in source.entries {
    let existing = destination[key]
    if value.isNil {
      if overwrite { try destination.set(key, .null) }
      continue
    }
    if case .map(let sourceMap) = value, case .map(let destinationMap)? = existing {
      try merge(into: destinationMap, sourceMap, overwrite: overwrite)
      continue
    }
    let destinationIsEmpty = existing.map(isEmptyValue) ?? true
    // mergo never replaces a non-empty value with a map, even when overwriting.
    if case .map = value, !destinationIsEmpty { continue }
    if overwrite || destinationIsEmpty { try destination.set(key, value) }
  }
}

/// Go's failed type assertion, which Sprig's `dig` lets panic.
private func interfaceConversion(_ value: TemplateValue, _ expected: String) -> HelmFunctionsError {
  failure("interface conversion: interface {} is \(value.isNil ? "nil" : value.goTypeName), not \(expected)")
}
