import FlowrelManifest

extension ObjectChange {
  /// A change computed outside the store (a planned upgrade or rollback), shown like a stored one.
  public init(_ identity: ObjectIdentity, file: String, kind: Kind, patch: String) {
    self.init(identity: identity, file: file, kind: kind, patch: patch)
  }
}
