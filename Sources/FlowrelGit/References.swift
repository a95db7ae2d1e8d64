internal import CGit2

extension Repository {
  /// The commit the reference `name` (such as `refs/heads/main` or `HEAD`) resolves to, or nil
  /// when it does not exist (an unborn branch included).
  package func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
    var oid = git_oid()
    let code = git_reference_name_to_id(&oid, pointer, name)
    if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
    try GitError.check(code, "git_reference_name_to_id", "cannot read reference \(name)")
    return ObjectID(oid)
  }

  /// Moves the reference `name` (such as `refs/heads/main`) to `id` only if it still points at
  /// `expected`; `expected == nil` means the reference must not exist yet, which is how a
  /// branch is created (also the branch an unborn HEAD names). When another writer moved the
  /// reference in between, throws a `.modified` error naming what it found. `message` goes to
  /// the reflog.
  package func updateReference(_ name: String, to id: ObjectID, expecting expected: ObjectID?, message: String)
    throws(GitError)
  {
    try Repository.checkReferenceName(name)
    var newOID = id.oid
    var ref: OpaquePointer?
    let function: String
    let code: Int32
    if let expected {
      var oldOID = expected.oid
      function = "git_reference_create_matching"
      code = git_reference_create_matching(&ref, pointer, name, &newOID, 1, &oldOID, message)
    } else {
      function = "git_reference_create"
      code = git_reference_create(&ref, pointer, name, &newOID, 0, message)
    }
    git_reference_free(ref)
    if code == GIT_EMODIFIED.rawValue || code == GIT_EEXISTS.rawValue
      || (code == GIT_ENOTFOUND.rawValue && expected != nil)
    {
      let found = (try? referenceTarget(name)).flatMap { $0 }
      throw GitError(
        GIT_EMODIFIED, function: function,
        message: "\(name) was moved by someone else: expected \(expected?.short ?? "no reference"), "
          + "found \(found?.short ?? "no reference")")
    }
    try GitError.check(code, function, "cannot move \(name) to \(id.short)")
  }
}
