import GoTemplate

// Sprig's list functions (lists.md). They accept any Go slice and return `[]interface {}`;
// a value that is not a list fails with Sprig's message (the `must` forms fail the same way,
// since a template cannot tell a panic from an error).

extension Library {
  mutating func addLists() {
    add(["list", "tuple"], plain: { a in anyList(a.values) })
    add(["append", "push", "mustAppend", "mustPush"], plain: { a in
      try a.expectCount(2)
      // Appended in place: `+` would copy the elements once more.
      var list = try elements(a[0], "Cannot push on type")
      list.append(a[1])
      return anyList(list)
    })
    add(["prepend", "mustPrepend"], plain: { a in
      try a.expectCount(2)
      return anyList([a[1]] + (try elements(a[0], "Cannot prepend on type")))
    })
    add(["first", "mustFirst"], plain: { a in
      try a.expectCount(1)
      return try elements(a[0], "Cannot find first on type").first ?? .null
    })
    add(["last", "mustLast"], plain: { a in
      try a.expectCount(1)
      return try elements(a[0], "Cannot find last on type").last ?? .null
    })
    // Of an empty list, Sprig returns a nil []interface {}: it prints as [] but toJson writes null.
    add(["rest", "mustRest"], plain: { a in
      try a.expectCount(1)
      let list = try elements(a[0], "Cannot find rest on type")
      return list.isEmpty ? .list(.nilSlice()) : anyList(Array(list.dropFirst()))
    })
    add(["initial", "mustInitial"], plain: { a in
      try a.expectCount(1)
      let list = try elements(a[0], "Cannot find initial on type")
      return list.isEmpty ? .list(.nilSlice()) : anyList(Array(list.dropLast()))
    })
    add(["reverse", "mustReverse"], plain: { a in
      try a.expectCount(1)
      return anyList(try elements(a[0], "Cannot find reverse on type").reversed())
    })
    add(["uniq", "mustUniq"], plain: { a in
      try a.expectCount(1)
      var out: [TemplateValue] = []
      for item in try elements(a[0], "Cannot find uniq on type") where !out.contains(where: { deepEqual($0, item) }) {
        out.append(item)
      }
      return anyList(out)
    })
    add(["without", "mustWithout"], plain: { a in
      try a.expectCount(atLeast: 1)
      let omit = a.dropFirst()
      return anyList(try elements(a[0], "Cannot find without on type").filter { item in !omit.contains { deepEqual($0, item) } })
    })
    add(["has", "mustHas"], plain: { a in
      try a.expectCount(2)
      if a[1].isNil { return false }
      let needle = a[0]
      return .bool(try elements(a[1], "Cannot find has on type").contains { deepEqual($0, needle) })
    })
    add(["compact", "mustCompact"], plain: { a in
      try a.expectCount(1)
      return anyList(try elements(a[0], "Cannot compact on type").filter { !isEmptyValue($0) })
    })
    add(["slice", "mustSlice"], plain: { a in
      try a.expectCount(atLeast: 1)
      guard let list = listValue(a[0]) else {
        throw failure("list should be type of slice or array but \(kindName(a[0]))")
      }
      if list.isEmpty { return .null }
      let start = a.count > 1 ? Int(castInt64(a[1])) : 0
      let end = a.count > 2 ? Int(castInt64(a[2])) : list.count
      guard start >= 0, start <= end, end <= list.count else { throw failure("reflect.Value.Slice: slice index out of bounds") }
      return .list(TemplateList(Array(list.elements[start..<end]), elementTypeName: list.elementTypeName))
    })
    add(["chunk", "mustChunk"], plain: { a in
      try a.expectCount(2)
      let size = Int(try a.int(at: 0))
      let list = try elements(a[1], "Cannot chunk type")
      guard size > 0 else { throw failure("chunk size must be positive, got \(size)") }
      let chunks = stride(from: 0, to: list.count, by: size).map { start in
        anyList(Array(list[start..<min(start + size, list.count)]))
      }
      return .list(TemplateList(chunks, elementTypeName: "[]interface {}"))
    })
    add("concat", plain: { a in
      var out: [TemplateValue] = []
      for list in a {
        guard let items = listElements(list) else {
          if list.isNil { throw nilDereference }
          throw failure("Cannot concat type \(kindName(list)) as list")
        }
        out += items
      }
      // Go appends to a nil slice: no elements at all leave it nil.
      return out.isEmpty ? .list(.nilSlice()) : anyList(out)
    })
  }
}

/// Go's panic when Sprig reflects on a nil list.
let nilDereference = failure("runtime error: invalid memory address or nil pointer dereference")

/// The elements of `value`, or Sprig's error `"\(message) KIND"` when it is not a list.
private func elements(_ value: TemplateValue, _ message: String) throws(HelmFunctionsError) -> [TemplateValue] {
  if let list = listElements(value) { return list }
  if value.isNil { throw nilDereference }
  throw failure("\(message) \(kindName(value))")
}
