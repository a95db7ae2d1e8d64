import FlowrelGit
import Foundation

/// The reference that holds flowrel's git notes (sync records).
let notesReference = "refs/notes/flowrel"

// Across machines: push (fetch, replay onto the remote's tip, compare-and-swap), pull
// (fast-forward), and the sync records kept as git notes.
extension GitReleaseStore {
  /// `flowrel push`: under the write lock, up to `request.attempts` times: fetch the remote's
  /// branch and notes; replay the local commits the remote lacks onto its tip (refusing, or
  /// with `renumber` renumbering, a release that moved on both sides); move the local branch,
  /// its checked-out files and the notes there; push both references, each only if the remote
  /// still holds what was fetched. A lost race waits (jittered, doubling) and starts again.
  package func push(_ request: PushRequest) async throws -> PushReport {
    try await withWriteLock { _ in
      let remote = try self.remoteSide(remote: request.remote, branch: request.branch)
      var attempt = 1
      while true {
        do {
          return try self.pushOnce(remote, request: request, attempt: attempt)
        } catch StoreError.git(let error) where [.modified, .rejected, .locked].contains(error.reason) && attempt < request.attempts {
          let wait = request.backoff * Double(1 << (attempt - 1)) * Double.random(in: 0.5...1.5)
          try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
          attempt += 1
        }
      }
    }
  }

  /// `flowrel pull`: fetch the remote's branch and notes, fast-forward the local branch (and
  /// its checked-out files) to it, and merge the remote's notes into the local ones. A local
  /// branch with commits the remote lacks is refused (`flowrel push` replays them).
  package func pull(remote name: String?, branch: String?) async throws -> PullReport {
    try await withWriteLock { _ in
      let remote = try self.remoteSide(remote: name, branch: branch)
      let (remoteTip, remoteNotes) = try self.fetch(remote)
      let repo = remote.repo
      return try self.reading {
        let localTip = try repo.referenceTarget(remote.localReference)
        var to = localTip
        if let remoteTip, localTip != remoteTip {
          if let localTip, try repo.isAncestor(remoteTip, of: localTip) {
            to = localTip
          } else if try localTip.map({ (tip) throws(GitError) in try repo.isAncestor(tip, of: remoteTip) }) ?? true {
            try self.move(remote, from: localTip, to: remoteTip, why: "flowrel pull: fast-forward to \(remote.name)/\(remote.branch)")
            to = remoteTip
          } else {
            throw StoreError.cannotIntegrate(
              branch: remote.localBranch, remote: "\(remote.name)/\(remote.branch)",
              reason: "both have commits the other lacks; run flowrel push, which replays yours onto the remote's")
          }
        }
        let localNotes = try repo.referenceTarget(notesReference)
        let notes = try repo.mergingNotes(localNotes, remoteNotes, author: try self.signature(repo))
        if let notes, notes != localNotes {
          try repo.updateReference(notesReference, to: notes, expecting: localNotes, message: "flowrel pull: notes")
        }
        return PullReport(branch: remote.localBranch, remote: remote.name, from: localTip?.hex, to: to?.hex,
                          changed: to != localTip || notes != localNotes)
      }
    }
  }

  /// Writes `record` as a line of the note on the commit that recorded its revision (added to
  /// what the note holds), moving `refs/notes/flowrel` by compare-and-swap.
  package func recordSync(_ record: SyncRecord) throws(StoreError) {
    guard let repo = try Self.discover(path) else { throw .releaseNotFound(name: record.release, namespace: record.namespace) }
    try reading {
      let folder = try ReleaseFolder.folder(release: record.release, namespace: record.namespace)
      let storeFolder = try repo.relativePath(of: path)
      let branchTip = try self.branch.map { (name) throws(GitError) in try repo.referenceTarget(Repository.branchReference(name)) }
      // The same answers as reading the revision: no such release, or no such revision.
      _ = try self.history(release: record.release, namespace: record.namespace, max: 1)
      guard let tip = try branchTip ?? repo.head().commit,
        let commit = try Self.commit(of: record.revision, folder: storeFolder.isEmpty ? folder : "\(storeFolder)/\(folder)", in: repo, from: tip)
      else { throw StoreError.revisionNotFound(name: record.release, namespace: record.namespace, revision: record.revision) }
      // Another sync of the same repository may move the notes in between: read again and retry.
      for attempt in 1...5 {
        let notes = try repo.referenceTarget(notesReference)
        let text = Repository.unionOfLines(try repo.note(on: commit, at: notes), record.line)
        guard let updated = try repo.settingNote(text, on: commit, at: notes, author: try signature(repo)) else { return }
        do {
          try repo.updateReference(notesReference, to: updated, expecting: notes, message: "flowrel sync: note")
          return
        } catch let error as GitError where error.reason == .modified && attempt < 5 { continue }
      }
    }
  }

  /// Every sync record of the release, oldest first, from the notes of the store's repository
  /// (whatever commit they annotate).
  static func syncRecords(in repo: Repository, release: String, namespace: String) throws(StoreError) -> [SyncRecord] {
    do {
      let notes = try repo.notes(at: try repo.referenceTarget(notesReference))
      return notes.values.flatMap(SyncRecord.parse(note:))
        .filter { $0.release == release && $0.namespace == namespace }
        .sorted { ($0.time, $0.revision) < ($1.time, $1.revision) }
    } catch {
      throw .git(error)
    }
  }

  // MARK: The pieces

  /// The local branch and the remote branch it is pushed to or pulled from.
  struct RemoteSide {
    let repo: Repository
    /// The store folder, relative to the repository's root.
    let storeFolder: String
    let localBranch: String
    var localReference: String { Repository.branchReference(localBranch) }
    /// The remote's name.
    let name: String
    /// The branch on the remote.
    let branch: String
    var remoteReference: String { Repository.branchReference(branch) }
    /// Where the remote's branch and notes are fetched to.
    var trackingReference: String { "refs/remotes/\(name)/\(branch)" }
    var notesTrackingReference: String { "refs/flowrel/remote-notes/\(name)" }
    /// Whether the local branch is checked out, so its files follow it.
    let checkedOut: Bool
  }

  /// The remote is `remote`, else the branch's upstream, else `origin`; the remote branch is
  /// the upstream's when that remote is used, else the local branch's name.
  private func remoteSide(remote: String?, branch: String?) throws(StoreError) -> RemoteSide {
    guard let repo = try Self.discover(path) else {
      throw StoreError.unreadable(path: path, reason: "the store is in no git repository (flowrel init)")
    }
    return try reading {
      let head = try repo.head()
      guard let local = branch ?? self.branch ?? head.branch else {
        throw StoreError.detachedHead(repository: repo.workingDirectory ?? repo.gitDirectory)
      }
      let upstream = try repo.upstream(of: local)
      let name = remote ?? upstream?.remote ?? "origin"
      guard try repo.remoteURL(name) != nil else {
        throw StoreError.unreadable(path: path, reason: "the repository has no remote named \(name) (git remote add \(name) URL)")
      }
      let remoteBranch = upstream.flatMap { $0.remote == name ? $0.branch : nil } ?? local
      return RemoteSide(repo: repo, storeFolder: try repo.relativePath(of: path), localBranch: local, name: name,
                        branch: remoteBranch, checkedOut: head.branch == local && !repo.isBare)
    }
  }

  /// Fetches the remote's branch and notes; returns their commits (nil: the remote has none).
  private func fetch(_ remote: RemoteSide) throws(StoreError) -> (branch: ObjectID?, notes: ObjectID?) {
    try reading {
      // Fetched afresh each time, so a reference the remote no longer has is not read stale.
      try remote.repo.deleteReference(remote.trackingReference)
      try remote.repo.deleteReference(remote.notesTrackingReference)
      try remote.repo.fetch(["+\(remote.remoteReference):\(remote.trackingReference)",
                             "+\(notesReference):\(remote.notesTrackingReference)"], from: remote.name)
      return (try remote.repo.referenceTarget(remote.trackingReference),
              try remote.repo.referenceTarget(remote.notesTrackingReference))
    }
  }

  /// One attempt of `push`.
  private func pushOnce(_ remote: RemoteSide, request: PushRequest, attempt: Int) throws(StoreError) -> PushReport {
    let (remoteTip, remoteNotes) = try fetch(remote)
    let repo = remote.repo
    return try reading {
      guard let localTip = try repo.referenceTarget(remote.localReference) else {
        throw StoreError.cannotIntegrate(branch: remote.localBranch, remote: remote.name, reason: "the branch has no commit to push")
      }
      var report = PushReport(branch: remote.localBranch, remote: remote.name, remoteBranch: remote.branch, replayed: 0,
                              renumbered: [], attempts: attempt, upToDate: false)
      var newTip = localTip
      var replayed: [(old: ObjectID, new: ObjectID)] = []
      if let remoteTip, try !repo.isAncestor(remoteTip, of: localTip) {
        if try repo.isAncestor(localTip, of: remoteTip) {
          newTip = remoteTip
        } else {
          let replay = try self.replay(remote, local: localTip, onto: remoteTip, renumber: request.renumber)
          (newTip, replayed, report.renumbered) = (replay.tip, replay.commits, replay.renumbered)
          report.replayed = replayed.count
        }
        try self.move(remote, from: localTip, to: newTip,
                      why: "flowrel push: \(replayed.count) commits replayed onto \(remote.name)/\(remote.branch)")
      }
      // The notes follow the replayed commits, then take in the remote's.
      let localNotes = try repo.referenceTarget(notesReference)
      var notes = localNotes
      let author = try self.signature(repo)
      for (old, new) in replayed {
        guard let text = try repo.note(on: old, at: notes) else { continue }
        notes = try repo.settingNote(nil, on: old, at: notes, author: author)
        notes = try repo.settingNote(Self.renumbered(text, report.renumbered), on: new, at: notes, author: author)
      }
      notes = try repo.mergingNotes(notes, remoteNotes, author: author)
      if let notes, notes != localNotes {
        try repo.updateReference(notesReference, to: notes, expecting: localNotes, message: "flowrel push: notes")
      }
      try request.beforePush(attempt)
      var updates: [RemoteUpdate] = []
      if newTip != remoteTip {
        updates.append(RemoteUpdate(localReference: remote.localReference, remoteReference: remote.remoteReference, expected: remoteTip))
      }
      if notes != remoteNotes {
        updates.append(RemoteUpdate(localReference: notesReference, remoteReference: notesReference, expected: remoteNotes))
      }
      report.upToDate = updates.isEmpty
      try repo.pushCompareAndSwap(updates, to: remote.name)
      return report
    }
  }

  /// A note's sync lines with the revision numbers a renumbering changed.
  private static func renumbered(_ text: String, _ changes: [String]) -> String {
    guard !changes.isEmpty else { return text }
    return text.split(separator: "\n").map { line -> String in
      guard var record = SyncRecord(line: line),
        let change = changes.first(where: { $0.hasPrefix("\(record.namespace)/\(record.release): \(record.revision) -> ") }),
        let number = change.split(separator: " ").last.flatMap({ Int($0) })
      else { return String(line) }
      record.revision = number
      return record.line
    }.joined(separator: "\n") + "\n"
  }

  /// Moves the local branch from `old` to `new`: its checked-out files first (refused before
  /// anything is written when one was edited), then the reference by compare-and-swap.
  private func move(_ remote: RemoteSide, from old: ObjectID?, to new: ObjectID, why: String) throws {
    let repo = remote.repo
    if remote.checkedOut {
      try repo.checkOut(try repo.changes(from: old, to: new).map(\.path), from: old, to: new)
    }
    try repo.updateReference(remote.localReference, to: new, expecting: old, message: why)
  }

  private func signature(_ repo: Repository) throws -> Signature {
    try Signature.resolve(.committer, environment: environment, config: try? repo.config(), now: Date())
  }

  /// The commit that recorded revision `number` of the release folder `folder` (repository
  /// relative), searched from `tip`.
  static func commit(of number: Int, folder: String, in repo: Repository, from tip: ObjectID) throws -> ObjectID? {
    for commit in try repo.log(from: tip, touching: folder) {
      guard let info = ReleaseFolder.info(fromMessage: commit.message, time: commit.author.time) else { continue }
      // No early stop at a lower number: commits of one second on merged branches may come in
      // either order.
      if info.revision == number { return commit.id }
    }
    return nil
  }

  // MARK: Replaying

  /// The local commits after the common ancestor, made again on top of `remoteTip`.
  private func replay(_ remote: RemoteSide, local localTip: ObjectID, onto remoteTip: ObjectID, renumber: Bool) throws
    -> (tip: ObjectID, commits: [(old: ObjectID, new: ObjectID)], renumbered: [String])
  {
    let repo = remote.repo
    guard let base = try repo.mergeBase(localTip, remoteTip) else {
      throw StoreError.cannotIntegrate(branch: remote.localBranch, remote: "\(remote.name)/\(remote.branch)",
                                       reason: "their histories share no commit")
    }
    let local = try repo.commits(after: base, upTo: localTip)
    let theirs = try repo.changes(from: base, to: remoteTip).map(\.path)
    let theirUnits = Set(theirs.map { unit(of: $0, storeFolder: remote.storeFolder) })
    // A release both sides recorded: refused, or renumbered from the remote's latest revision.
    var offsets: [String: Int] = [:]
    var renumbered: [String] = []
    for commit in local {
      for path in try repo.changes(from: commit.parents.first, to: commit.id).map(\.path) {
        let unit = unit(of: path, storeFolder: remote.storeFolder)
        guard theirUnits.contains(unit) else { continue }
        guard unit.hasSuffix("/"), let mine = ReleaseFolder.info(fromMessage: commit.message, time: commit.author.time) else {
          // A file outside the releases: the same content on both sides is no conflict.
          if try repo.entryID(at: path, inTree: commit.tree) == repo.entryID(at: path, inTree: remoteTip) { continue }
          throw StoreError.cannotIntegrate(branch: remote.localBranch, remote: "\(remote.name)/\(remote.branch)",
                                           reason: "both changed \(path) (your commit \(commit.id.short), '\(commit.summary)')")
        }
        if offsets[unit] != nil { continue }
        let folder = String(unit.dropLast())
        guard let latest = try repo.log(from: remoteTip, touching: folder, limit: 1).first,
          let theirs = ReleaseFolder.info(fromMessage: latest.message, time: latest.author.time)
        else {
          throw StoreError.cannotIntegrate(branch: remote.localBranch, remote: "\(remote.name)/\(remote.branch)",
                                           reason: "\(folder) changed on the remote without a flowrel revision")
        }
        guard renumber else {
          throw StoreError.movedOnBothSides(release: mine.release, namespace: mine.namespace, local: mine.revision,
                                            localCommit: commit.id.short, remote: theirs.revision, remoteCommit: latest.id.short)
        }
        offsets[unit] = theirs.revision + 1 - mine.revision
      }
    }
    var tip = remoteTip
    var made: [(old: ObjectID, new: ObjectID)] = []
    let committerTime = Date()
    for commit in local {
      let paths = try repo.changes(from: commit.parents.first, to: commit.id).map(\.path)
      let renumberedUnit = paths.lazy.map { self.unit(of: $0, storeFolder: remote.storeFolder) }.first { offsets[$0] != nil }
      var message = commit.message
      var tree = try repo.tree(tip, taking: paths.filter { self.unit(of: $0, storeFolder: remote.storeFolder) != renumberedUnit },
                               from: commit.tree)
      if let unit = renumberedUnit, let offset = offsets[unit],
        var info = ReleaseFolder.info(fromMessage: commit.message, time: commit.author.time)
      {
        let folder = String(unit.dropLast())
        let releaseFolder = try ReleaseFolder.folder(release: info.release, namespace: info.namespace)
        let old = info.revision
        info.revision += offset
        var files = try repo.readFolder(folder, inTree: commit.tree)
        if let bytes = files[ReleaseFolder.releaseFile] { files[ReleaseFolder.releaseFile] = Self.withRevision(info.revision, bytes) }
        let previous = try repo.readFolder(folder, inTree: tip)
        message = ReleaseFolder.message(info, changes: try StoreCore<GitLog>.changes(from: previous, to: files, folder: releaseFolder))
        tree = try repo.writeTree(replacingFolder: folder, in: tree, with: files)
        renumbered.append("\(info.namespace)/\(info.release): \(old) -> \(info.revision)")
      }
      var committer = try signature(repo)
      committer.time = committerTime
      let new = try repo.createCommit(tree: tree, parents: [tip], message: message, author: commit.author, committer: committer)
      made.append((commit.id, new))
      tip = new
    }
    return (tip, made, renumbered)
  }

  /// What a changed path belongs to when two sides are compared: a release's folder
  /// (`<store>/<namespace>/<release>/`, ending in `/`) for a path inside one, else the path.
  private func unit(of path: String, storeFolder: String) -> String {
    let prefix = storeFolder.isEmpty ? "" : storeFolder + "/"
    guard path.hasPrefix(prefix) else { return path }
    let parts = path.dropFirst(prefix.count).split(separator: "/", maxSplits: 2)
    guard parts.count == 3 else { return path }
    return "\(prefix)\(parts[0])/\(parts[1])/"
  }

  /// `release.yaml` with its top-level `revision:` set to `number`.
  private static func withRevision(_ number: Int, _ bytes: [UInt8]) -> [UInt8] {
    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
    return Array(lines.map { $0.hasPrefix("revision: ") ? "revision: \(number)" : String($0) }.joined(separator: "\n").utf8)
  }
}
