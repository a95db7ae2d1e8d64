/// A path to a value inside nested maps and lists, such as `executors[0].replicas`.
package struct ValuePath: Sendable, Hashable, CustomStringConvertible {
  /// One step of a path.
  package enum Component: Sendable, Hashable {
    /// A map key.
    case key(String)
    /// A list index.
    case index(Int)
  }

  /// The steps from the root.
  package var components: [Component]

  /// A path made of these steps; the empty path is the root.
  package init(_ components: [Component] = []) { self.components = components }

  /// The root.
  package static let root = ValuePath()

  /// This path extended by a map key.
  package func appending(key: String) -> ValuePath { ValuePath(components + [.key(key)]) }

  /// This path extended by a list index.
  package func appending(index: Int) -> ValuePath { ValuePath(components + [.index(index)]) }

  /// The path as users write it: `a.b[0].c`; keys that would be ambiguous in that
  /// form are quoted (`a["x.y"]`); the root is `(root)`.
  package var description: String {
    if components.isEmpty { return "(root)" }
    var text = ""
    for component in components {
      switch component {
      case .key(let key):
        if key.isEmpty || key.contains(where: { ".[]\" ".contains($0) }) {
          text += "[\"\(key.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\""))\"]"
        } else {
          text += text.isEmpty ? key : ".\(key)"
        }
      case .index(let index):
        text += "[\(index)]"
      }
    }
    return text
  }
}

extension String {
  /// Every occurrence of `target` replaced, without Foundation.
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for c in self { if c == target { out += replacement } else { out.append(c) } }
    return out
  }
}
