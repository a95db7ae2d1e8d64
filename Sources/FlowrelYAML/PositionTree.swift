import FlowrelValue

/// The positions of a document's nodes, shaped like its value, so that a lookup by path
/// walks a few steps instead of the parser building a path for every node.
indirect enum PositionTree: Sendable {
  case scalar(YAMLPosition)
  case list(YAMLPosition, [PositionTree])
  case map(YAMLPosition, [String: MapEntryPosition])

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

  /// The node at `path`, walking iteratively.
  func node(at path: ArraySlice<ValuePath.Component>) -> PositionTree? {
    var current = self
    for component in path {
      switch (component, current) {
      case (.key(let key), .map(_, let entries)):
        guard let entry = entries[key] else { return nil }
        current = entry.value
      case (.index(let index), .list(_, let items)):
        guard items.indices.contains(index) else { return nil }
        current = items[index]
      default:
        return nil
      }
    }
    return current
  }
}

/// Where a map entry's key and value start.
struct MapEntryPosition: Sendable {
  let key: YAMLPosition
  let value: PositionTree
}
