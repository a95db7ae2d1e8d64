import FlowrelValue

/// One Kubernetes object: its content and its identity, read from the content.
package struct Manifest: Sendable, Hashable {
  /// The whole object as a map (`apiVersion`, `kind`, `metadata`, `spec`, ...).
  package let content: Value
  /// Group, kind, namespace and name, taken from `content`.
  package let identity: ObjectIdentity
  /// `canonicalYAML`, when it was written once already (by the render, on its processors):
  /// the store writes these bytes instead of emitting the object again.
  private let emitted: String?

  /// Equal content is an equal object, whether or not its YAML was written already.
  package static func == (a: Manifest, b: Manifest) -> Bool { a.identity == b.identity && a.content == b.content }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(identity)
    hasher.combine(content)
  }

  /// The canonical YAML written earlier, if any.
  var canonicalYAMLIfWritten: String? { emitted }

  /// Whether `canonicalYAML` was written already (else each use writes it anew).
  package var isCanonicalYAMLWritten: Bool { emitted != nil }

  /// The same object with its canonical YAML written once now, for every later reader.
  package func emittingCanonicalYAML() -> Manifest {
    emitted == nil ? Manifest(content: content, identity: identity, emitted: canonicalYAML) : self
  }

  private init(content: Value, identity: ObjectIdentity, emitted: String?) {
    self.content = content
    self.identity = identity
    self.emitted = emitted
  }

  /// A manifest from an object's content; fails when the content is not a map or lacks a
  /// string `apiVersion`, `kind` or `metadata.name`, or has a `metadata.namespace` that is
  /// not a string.
  package init(content: Value) throws(ManifestError) {
    guard case .map = content else { throw .notAnObject(found: content.kindName) }
    let apiVersion = try Self.requiredString(content["apiVersion"], field: "apiVersion")
    let kind = try Self.requiredString(content["kind"], field: "kind")
    guard let metadata = content["metadata"], case .map = metadata else {
      throw .missingField("metadata", kind: kind)
    }
    let name = try Self.requiredString(metadata["name"], field: "metadata.name", kind: kind)
    var namespace: String?
    switch metadata["namespace"] {
    case nil, .null?: namespace = nil
    case .string(let s)?: namespace = s.isEmpty ? nil : s
    case let other?: throw .wrongType("metadata.namespace", kind: kind, found: other.kindName)
    }
    self.content = content
    self.identity = ObjectIdentity(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)
    self.emitted = nil
  }

  private static func requiredString(_ value: Value?, field: String, kind: String? = nil) throws(ManifestError)
    -> String
  {
    switch value {
    case .string(let s)? where !s.isEmpty: return s
    case nil, .null?, .string?: throw .missingField(field, kind: kind)
    case let other?: throw .wrongType(field, kind: kind, found: other.kindName)
    }
  }

  /// The object as compact JSON (keys sorted, as Go writes them), the form kubectl reads.
  package func jsonText() throws(ManifestError) -> String {
    do {
      return try content.jsonText()
    } catch {
      throw .unencodable(identity, reason: error.message)
    }
  }
}

/// Why content is not a usable Kubernetes object.
package enum ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The document is not a map (a list, a string, ...).
  case notAnObject(found: String)
  /// A required field is missing or empty (`kind` is the object's kind when known).
  case missingField(String, kind: String?)
  /// A field has the wrong type.
  case wrongType(String, kind: String?, found: String)
  /// The content holds a value JSON cannot carry (NaN or an infinity).
  case unencodable(ObjectIdentity, reason: String)

  package var description: String {
    switch self {
    case .notAnObject(let found):
      "a Kubernetes object must be a map with apiVersion, kind and metadata (found \(found))"
    case .missingField(let field, let kind):
      "\(kind.map { "\($0) object" } ?? "object") has no \(field); every Kubernetes object needs one"
    case .wrongType(let field, let kind, let found):
      "\(kind.map { "\($0) object" } ?? "object"): \(field) must be a string (found \(found))"
    case .unencodable(let identity, let reason):
      "\(identity) cannot be written as JSON: \(reason)"
    }
  }
}
