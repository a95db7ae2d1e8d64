import FlowrelValue

/// The positions of a document's nodes, shaped like its value, so that a lookup by path
/// walks a few steps instead of the parser building a path for every node. Not `indirect`:
/// the arrays already live on the heap, so scalars need no box.
enum PositionTree: Sendable {
  case scalar(YAMLPosition)
  case list(YAMLPosition, [PositionTree])
  /// A map's entries, in the order of the map value's entries.
  case map(YAMLPosition, [MapEntryPosition])

  var position: YAMLPosition {
    switch self {
    case .scalar(let p), .list(let p, _), .map(let p, _): p
    }
  }

  /// The same tree with its root moved to `position` (a node reached through an alias).
  func rooted(at position: YAMLPosition) -> PositionTree {
    switch self {
    case .scalar: .scalar(position)
    case .list(_, let items): .list(position, items)
    case .map(_, let entries): .map(position, entries)
    }
  }

  /// The node at `path` of `value` (which this tree describes), walking iteratively; for a
  /// path that ends in a key, also that entry's positions.
  func node(at path: ArraySlice<ValuePath.Component>, in value: Value) -> (tree: PositionTree, entry: MapEntryPosition?)? {
    var current = self
    var currentValue = value
    var entry: MapEntryPosition? = nil
    for component in path {
      switch (component, current, currentValue) {
      case (.key(let key), .map(_, let entries), .map(let map)):
        guard let index = map.index(forKey: key), entries.indices.contains(index) else { return nil }
        entry = entries[index]
        current = entries[index].value
        currentValue = map.values[index]
      case (.index(let index), .list(_, let items), .list(let values)):
        guard items.indices.contains(index), values.indices.contains(index) else { return nil }
        entry = nil
        current = items[index]
        currentValue = values[index]
      default:
        return nil
      }
    }
    return (current, entry)
  }
}

/// Where a map entry's key and value start.
struct MapEntryPosition: Sendable {
  let key: YAMLPosition
  let value: PositionTree
}
