import GoTemplate

// Sprig's defaults and flow helpers (defaults.md): Go's notion of an empty value decides.

extension Library {
  mutating func addDefaults() {
    add("default", plain: { a in
      try a.expectCount(atLeast: 1)
      guard a.count > 1, !isEmptyValue(a[1]) else { return a[0] }
      return a[1]
    })
    add("empty", plain: { a in try a.expectCount(1); return .bool(isEmptyValue(a[0])) })
    add("coalesce", plain: { a in a.first(where: { !isEmptyValue($0) }) ?? .null })
    add("all", plain: { a in .bool(a.allSatisfy { !isEmptyValue($0) }) })
    add("any", plain: { a in .bool(a.contains { !isEmptyValue($0) }) })
    add("ternary", plain: { a in
      try a.expectCount(3)
      return try a.bool(at: 2) ? a[0] : a[1]
    })
  }
}
