import FlowrelValue
import Foundation
import OrderedCollections
import Synchronization

// Lists and maps as templates see them. Maps are references, as Go's maps are: Sprig's `set`,
// `unset` and `merge` change their first argument, and charts rely on every holder of the map
// (a variable, `.Values`, a list or map it sits in) seeing the change. Chart data is wrapped
// as it is: a nested map or list gets its own reference the first time it is read, kept in
// its parent so that the next read returns the same one; reading never copies the data.

/// Guards the contents of every map and list reference. An execution runs on one thread, but
/// chart data may be shared by executions on several; each critical section is one lookup or
/// one change and never takes the lock again. (A `Mutex`: taken for every map and list access
/// of a render, where NSLock's calls into Foundation showed in profiles.)
let referenceLock = Mutex<Void>(())

/// `body` with `referenceLock` held.
@inline(__always) func withReferenceLock<T>(_ body: () -> T) -> T {
  referenceLock.withLock { _ in body() }
}

/// A list as templates see it: chart data wrapped as it is, or elements built by a function.
/// Lists are values (Sprig's `append` returns a new list); maps inside them are references.
package struct TemplateList: Sendable, RandomAccessCollection {
  enum Storage: Sendable {
    case values(ListBox)
    case elements([TemplateValue])
    /// Elements of a Go element type other than `interface {}` (e.g. `[]string`).
    case typed(Typed<[TemplateValue]>)
  }

  let storage: Storage

  /// Whether this is Go's nil slice, which prints and counts as an empty list but which
  /// `encoding/json` writes as `null` (Sprig's `rest` and `initial` of an empty list).
  package private(set) var isNilSlice = false

  /// Go's nil slice of `elementTypeName` elements (`[]interface {}` by default).
  package static func nilSlice(of elementTypeName: String = "interface {}") -> TemplateList {
    var list = TemplateList([] as [TemplateValue], elementTypeName: elementTypeName)
    list.isNilSlice = true
    return list
  }

  /// A list over plain data, without copying it.
  package init(_ values: [Value]) {
    storage = .values(ListBox(values))
  }

  /// A list of template values (which may hold objects); `elementTypeName` is the Go element
  /// type for `%T`, e.g. `"string"` for a `[]string` result.
  package init(_ elements: [TemplateValue], elementTypeName: String = "interface {}") {
    MapBox.markHeld(in: elements)
    storage =
      elementTypeName == "interface {}"
      ? .elements(elements) : .typed(Typed(elements, elementTypeName: elementTypeName))
  }

  /// The Go element type name for `%T` (`interface {}` unless a function said e.g. `string`).
  package var elementTypeName: String {
    if case .typed(let typed) = storage { return typed.elementTypeName }
    return "interface {}"
  }

  /// Whether the elements are Go `interface {}` values (which changes the type errors name).
  var holdsInterfaces: Bool {
    if case .typed = storage { return false }
    return true
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int {
    switch storage {
    case .values(let box): box.values.count
    case .elements(let e): e.count
    case .typed(let t): t.contents.count
    }
  }

  package subscript(position: Int) -> TemplateValue {
    switch storage {
    case .values(let box): box.element(at: position)
    case .elements(let e): e[position]
    case .typed(let t): t.contents[position]
    }
  }

  /// The elements as template values (wrapping them when the list holds plain data).
  package var elements: [TemplateValue] {
    switch storage {
    case .values(let box): box.values.indices.map(box.element(at:))
    case .elements(let e): e
    case .typed(let t): t.contents
    }
  }

  /// The list as plain data (with the changes made to maps inside it), or `nil` when an
  /// element is an object or function (see `TemplateValue.plainValue`).
  package var plainValue: Value? { TemplateValue.list(self).plainValue }

  /// `plainValue` within a budget (see `TemplateValue.plainValue(budget:)`).
  package func plainValue(budget: inout Int) throws(TemplateError) -> Value? {
    try TemplateValue.list(self).plainValue(budget: &budget)
  }

  func plain(depth: Int, budget: inout Int) -> Value? {
    if case .values(let box) = storage {
      let changed = box.changedChildren()
      if changed.isEmpty { return .list(box.values) }
      var out = box.values
      for (index, child) in changed {
        guard let plain = child.plain(depth: depth, budget: &budget) else { return nil }
        out[index] = plain
      }
      return .list(out)
    }
    var out: [Value] = []
    out.reserveCapacity(count)
    for element in self {
      guard let plain = element.plain(depth: depth, budget: &budget) else { return nil }
      out.append(plain)
    }
    return .list(out)
  }

  /// The maps and lists this list holds directly.
  var heldCollections: [TemplateValue] {
    switch storage {
    case .values(let box): box.children()
    case .elements(let e): e.filter(\.isCollection)
    case .typed(let t): t.contents.filter(\.isCollection)
    }
  }
}

/// Plain list data and the references handed out for the maps and lists in it.
final class ListBox: @unchecked Sendable {
  let values: [Value]
  /// Guarded by `referenceLock`, which also makes access exclusive (so it is not checked again).
  @exclusivity(unchecked) private var wrapped: [Int: TemplateValue] = [:]

  init(_ values: [Value]) { self.values = values }

  deinit {
    if !wrapped.isEmpty { Teardown.release(takeAll()) }
  }

  /// Empties the references handed out (for `Teardown`, on a box nobody else holds).
  func takeAll() -> [TemplateValue] {
    defer { wrapped = [:] }
    return Array(wrapped.values)
  }

  func element(at index: Int) -> TemplateValue {
    let value = values[index]
    guard value.isCollection else { return TemplateValue(value) }
    return withReferenceLock {
      if let child = wrapped[index] { return child }
      let child = TemplateValue(value)
      child.markHeldWithLock()
      wrapped[index] = child
      return child
    }
  }

  func children() -> [TemplateValue] {
    withReferenceLock { Array(wrapped.values) }
  }

  /// The wrapped elements that no longer equal their plain data, by index.
  func changedChildren() -> [(Int, TemplateValue)] {
    let snapshot = withReferenceLock { wrapped }
    return snapshot.filter { !$0.value.isUnchangedData }.map { ($0.key, $0.value) }
  }

  /// Whether no map inside has been changed.
  var isUnchanged: Bool { changedChildren().isEmpty }
}

/// Contents of a list or map whose Go element type is not `interface {}`, kept out of line so
/// that the common case stays one pointer wide.
final class Typed<Contents: Sendable>: Sendable {
  let contents: Contents
  let elementTypeName: String
  init(_ contents: Contents, elementTypeName: String) {
    self.contents = contents
    self.elementTypeName = elementTypeName
  }
}

/// A map with string keys as templates see it: a reference to chart data (wrapped as it is)
/// or to entries built by a function. Like a Go map, every copy of a `TemplateMap` is the same
/// map: `set(_:_:)` and `remove(_:)` change it for all holders. Keys keep insertion order;
/// `sortedKeys` gives Go's order (range, `%v`).
package struct TemplateMap: Sendable {
  let box: MapBox

  /// A map over plain data, without copying it.
  package init(_ values: OrderedDictionary<String, Value>) {
    box = MapBox(plain: values)
  }

  /// A new map of template values (which may hold objects); `elementTypeName` is the Go
  /// element type for `%T` (e.g. `"string"` for a `map[string]string` result).
  package init(_ entries: OrderedDictionary<String, TemplateValue>, elementTypeName: String = "interface {}") {
    box = MapBox(built: entries, elementTypeName: elementTypeName)
  }

  /// The Go element type name for `%T` (`interface {}` unless a function said otherwise).
  package var elementTypeName: String { box.elementTypeName }

  /// Whether the entries are Go `interface {}` values (which changes the type errors name).
  var holdsInterfaces: Bool { box.holdsInterfaces }

  /// Whether `other` is this same map (Go's map identity), not merely equal to it.
  package func isIdentical(to other: TemplateMap) -> Bool { box === other.box }

  /// The entry for `key`, or `nil` when there is none. A map or list read from chart data is
  /// the same reference on every read.
  package subscript(key: String) -> TemplateValue? { box.entry(key) }

  /// Sets the entry for `key` to `value` in place (Sprig's `set`): every holder of this map
  /// sees the change. Fails when `value` holds this map, since such a map could never be
  /// printed or serialized.
  package func set(_ key: String, _ value: TemplateValue) throws(TemplateError) {
    // Only a map that some collection holds can be reached from inside `value`; the walk is
    // skipped for the rest (such as a new `dict` being filled), since `value` may be big.
    let reachable: Bool
    if case .map(let map) = value, map.box === box {
      reachable = true
    } else {
      reachable = box.mayBeHeld && value.holds(box)
    }
    if reachable {
      throw TemplateError.failure("a map cannot hold itself (setting key \(GoFormat.quote(key)))")
    }
    box.set(key, value)
  }

  /// Removes the entry for `key` in place (Sprig's `unset`) and returns it, if there was one.
  @discardableResult
  package func remove(_ key: String) -> TemplateValue? { box.remove(key) }

  /// The number of entries.
  package var count: Int { box.count }

  /// Whether the map has no entries.
  package var isEmpty: Bool { count == 0 }

  /// The keys in insertion order.
  package var keys: [String] { box.keys }

  /// The keys in Go's order (byte-wise), as `range` and `%v` visit them.
  package var sortedKeys: [String] { keys.sorted(by: Value.byteOrder) }

  /// A snapshot of the entries; maps in it are the same references as the map's own.
  package var entries: OrderedDictionary<String, TemplateValue> { box.entries }

  /// The map as plain data (with every change made to it or to maps inside it), or `nil`
  /// when an entry is an object or function (see `TemplateValue.plainValue`).
  package var plainValue: Value? { TemplateValue.map(self).plainValue }

  /// `plainValue` within a budget (see `TemplateValue.plainValue(budget:)`).
  package func plainValue(budget: inout Int) throws(TemplateError) -> Value? {
    try TemplateValue.map(self).plainValue(budget: &budget)
  }

  func plain(depth: Int, budget: inout Int) -> Value? {
    switch box.plainState() {
    case .plain(let values, let changed):
      if changed.isEmpty { return .map(values) }
      var out = values
      for (key, child) in changed {
        guard let plain = child.plain(depth: depth, budget: &budget) else { return nil }
        out[key] = plain
      }
      return .map(out)
    case .built(let entries):
      var out = OrderedDictionary<String, Value>(minimumCapacity: entries.count)
      for (key, value) in entries {
        guard let plain = value.plain(depth: depth, budget: &budget) else { return nil }
        out[key] = plain
      }
      return .map(out)
    }
  }
}

/// The shared contents of a map: chart data with the references handed out for its nested
/// maps and lists, until the first change turns it into built entries. All state is guarded
/// by `referenceLock`, which also makes access exclusive (so it is not checked again).
final class MapBox: @unchecked Sendable {
  let elementTypeName: String
  /// Whether `elementTypeName` is `interface {}`, known once instead of compared on every read.
  let holdsInterfaces: Bool
  /// The chart data, while `built` is nil.
  @exclusivity(unchecked) private var plain: OrderedDictionary<String, Value>
  /// References handed out for maps and lists in `plain`, by key.
  @exclusivity(unchecked) private var wrapped: [String: TemplateValue] = [:]
  /// The entries, once the map was built by a function or changed.
  @exclusivity(unchecked) private var built: OrderedDictionary<String, TemplateValue>?
  /// Whether a map or list has held this map (set once, never cleared): if not, no value can
  /// reach it through a collection, and `set` need not look for it there.
  @exclusivity(unchecked) private var isHeld = false

  init(plain: OrderedDictionary<String, Value>) {
    self.plain = plain
    elementTypeName = "interface {}"
    holdsInterfaces = true
  }

  init(built: OrderedDictionary<String, TemplateValue>, elementTypeName: String) {
    plain = [:]
    self.built = built
    self.elementTypeName = elementTypeName
    holdsInterfaces = elementTypeName == "interface {}"
    Self.markHeld(in: built.values)
  }

  var mayBeHeld: Bool { locked { isHeld } }

  /// Marks the maps among `values` as held by a collection.
  static func markHeld(in values: some Collection<TemplateValue>) {
    guard values.contains(where: \.isMap) else { return }
    withReferenceLock { for value in values { value.markHeldWithLock() } }
  }

  /// Marks this map as held; the lock is held.
  func markHeldWithLock() { isHeld = true }

  deinit {
    if built != nil || !wrapped.isEmpty { Teardown.release(takeAll()) }
  }

  /// Empties the map of the maps and lists it holds (for `Teardown`, on a box nobody else holds).
  func takeAll() -> [TemplateValue] {
    defer {
      built = nil
      wrapped = [:]
    }
    return built.map { $0.values.filter(\.isCollection) } ?? Array(wrapped.values)
  }

  private func locked<T>(_ body: () -> T) -> T { withReferenceLock(body) }

  /// The entry for `key` of the plain data; the lock is held.
  private func plainEntry(_ key: String, _ value: consuming Value) -> TemplateValue {
    guard value.isCollection else { return TemplateValue(value) }
    if let child = wrapped[key] { return child }
    let child = TemplateValue(value)
    child.markHeldWithLock()
    wrapped[key] = child
    return child
  }

  func entry(_ key: String) -> TemplateValue? {
    locked {
      // Looked up in place: binding `built` first would copy (retain) the whole dictionary.
      if built != nil { return built?[key] }
      guard let value = plain[key] else { return nil }
      return plainEntry(key, value)
    }
  }

  /// The entries with the lock held, wrapping plain data where needed.
  private func lockedEntries() -> OrderedDictionary<String, TemplateValue> {
    if let built { return built }
    var out = OrderedDictionary<String, TemplateValue>(minimumCapacity: plain.count)
    for (key, value) in plain { out[key] = plainEntry(key, value) }
    return out
  }

  var entries: OrderedDictionary<String, TemplateValue> { locked { lockedEntries() } }

  var count: Int { locked { built?.count ?? plain.count } }

  var keys: [String] { locked { built.map { Array($0.keys) } ?? Array(plain.keys) } }

  /// Turns chart data into built entries before a change; the lock is held.
  private func build() {
    guard built == nil else { return }
    built = lockedEntries()
    plain = [:]
    wrapped = [:]
  }

  func set(_ key: String, _ value: TemplateValue) {
    locked {
      build()
      value.markHeldWithLock()
      built?[key] = value
    }
  }

  func remove(_ key: String) -> TemplateValue? {
    locked {
      if built == nil && plain[key] == nil { return nil }
      build()
      return built?.removeValue(forKey: key)
    }
  }

  /// What `plainValue` needs: the chart data with the handed-out references that changed, or
  /// the built entries.
  enum PlainState {
    case plain(OrderedDictionary<String, Value>, changed: [(String, TemplateValue)])
    case built(OrderedDictionary<String, TemplateValue>)
  }

  func plainState() -> PlainState {
    let (plain, wrapped, built) = locked { (self.plain, self.wrapped, self.built) }
    if let built { return .built(built) }
    let changed = wrapped.filter { !$0.value.isUnchangedData }.map { ($0.key, $0.value) }
    return .plain(plain, changed: changed)
  }

  /// Whether this is chart data that nobody changed, here or in a map inside.
  var isUnchanged: Bool {
    if case .plain(_, let changed) = plainState() { return changed.isEmpty }
    return false
  }

  /// The maps and lists this map holds directly (for plain data: those handed out so far,
  /// since the others cannot have been changed to hold anything else).
  var heldCollections: [TemplateValue] {
    locked { built.map { $0.values.filter(\.isCollection) } ?? Array(wrapped.values) }
  }
}

extension Value {
  /// Whether this is a list or map (which templates see as a reference).
  var isCollection: Bool {
    switch self {
    case .list, .map: true
    default: false
    }
  }
}

extension TemplateValue {
  /// Whether this is a list or map.
  var isCollection: Bool {
    switch self {
    case .list, .map: true
    default: false
    }
  }

  /// Whether this is a map.
  var isMap: Bool {
    if case .map = self { return true }
    return false
  }

  /// Marks the map this value is (if it is one) as held by a collection; the lock is held.
  /// Maps inside a list were marked when the list was made.
  func markHeldWithLock() {
    if case .map(let map) = self { map.box.markHeldWithLock() }
  }

  /// Whether this is still exactly the chart data it wraps (so its payload is its value).
  var isUnchangedData: Bool {
    switch self {
    case .map(let map): map.box.isUnchanged
    case .list(let list):
      if case .values(let box) = list.storage { box.isUnchanged } else { false }
    default: true
    }
  }

  /// Whether `box` can be reached from this value through maps and lists (a walk without
  /// recursion, visiting each reference once).
  func holds(_ box: MapBox) -> Bool {
    var pending = [self]
    var seen = Set<ObjectIdentifier>()
    while let value = pending.popLast() {
      switch value {
      case .map(let map):
        if map.box === box { return true }
        if seen.insert(ObjectIdentifier(map.box)).inserted { pending += map.box.heldCollections }
      case .list(let list):
        pending += list.heldCollections
      default:
        break
      }
    }
    return false
  }
}

/// Frees nested maps and lists one at a time. Freed the usual way, each map would free the
/// next from inside its own deinit, and a long chain built with `set` in a loop would exhaust
/// the stack.
enum Teardown {
  static func release(_ values: consuming [TemplateValue]) {
    // Moved, not copied: a second reference to the array would keep every element shared.
    var pending = consume values
    while var value = pending.popLast() {
      // The box leaves `value` before the check: any other copy of it would count as a holder.
      if var box = value.takeMapBox() {
        if isKnownUniquelyReferenced(&box) { pending += box.takeAll() }
      } else if var box = value.takeListBox() {
        if isKnownUniquelyReferenced(&box) { pending += box.takeAll() }
      } else if case .list(let list) = value {
        pending += list.heldCollections
      }
    }
  }
}

extension TemplateValue {
  /// The map's box, leaving `self` null so that the caller may hold the last reference.
  mutating func takeMapBox() -> MapBox? {
    guard case .map(let map) = self else { return nil }
    self = .null
    return map.box
  }

  /// The plain list's box, leaving `self` null so that the caller may hold the last reference.
  mutating func takeListBox() -> ListBox? {
    guard case .list(let list) = self, case .values(let box) = list.storage else { return nil }
    self = .null
    return box
  }
}
