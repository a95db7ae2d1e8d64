import GoTemplate

// Sprig's reflection functions (reflection.md): Go's type names (`%T`) and kinds.

extension Library {
  mutating func addReflection() {
    add("typeOf", plain: { a in try a.expectCount(1); return .string(a[0].goTypeName) })
    add("typeIs", plain: { a in try a.expectCount(2); return .bool(try a.string(at: 0) == a[1].goTypeName) })
    add("typeIsLike", plain: { a in
      try a.expectCount(2)
      let target = try a.string(at: 0), type = a[1].goTypeName
      return .bool(target == type || "*" + target == type)
    })
    add("kindOf", plain: { a in try a.expectCount(1); return .string(kindName(a[0])) })
    add("kindIs", plain: { a in try a.expectCount(2); return .bool(try a.string(at: 0) == kindName(a[1])) })
    add("deepEqual", plain: { a in try a.expectCount(2); return .bool(deepEqual(a[0], a[1])) })
  }
}
