import Foundation

/// What `flowrel push` is asked to do.
package struct PushRequest: Sendable {
  /// The remote; nil for the branch's upstream, else `origin`.
  package var remote: String?
  /// The branch; nil for the store's branch, else the checked-out one.
  package var branch: String?
  /// When a release moved on both sides, record the local revisions again on top of the
  /// remote's with the next numbers, instead of refusing.
  package var renumber = false
  /// How many times fetch, replay and push are tried before giving up (another writer may win
  /// each race).
  package var attempts = 5
  /// The first wait between attempts, in seconds; each later wait doubles, and each is drawn
  /// between half and one and a half times that (so racing writers drift apart).
  package var backoff = 0.2
  /// Called with the attempt's number after the local branch was integrated and before it is
  /// pushed: where tests make another writer win the race.
  package var beforePush: @Sendable (Int) throws -> Void = { _ in }

  /// A push with the defaults: upstream or `origin`, the store's branch, refusing conflicts.
  package init() {}
}

/// What `flowrel push` did.
package struct PushReport: Sendable, Equatable {
  /// The local branch pushed.
  package var branch: String
  /// The remote pushed to.
  package var remote: String
  /// The branch on the remote.
  package var remoteBranch: String
  /// Local commits replayed onto the remote's (0 when the remote had not moved).
  package var replayed: Int
  /// Revisions recorded again with a new number (`--renumber`), as `namespace/release: old -> new`.
  package var renumbered: [String]
  /// Attempts it took (1 unless another writer won a race).
  package var attempts: Int
  /// True when the remote already had everything.
  package var upToDate: Bool
}

/// What `flowrel pull` did.
package struct PullReport: Sendable, Equatable {
  /// The local branch.
  package var branch: String
  /// The remote pulled from.
  package var remote: String
  /// The branch's commit before (nil: it had none).
  package var from: String?
  /// The branch's commit after (nil: neither side has one).
  package var to: String?
  /// True when the remote held the notes or commits the local branch lacked.
  package var changed: Bool
}

/// One application of a revision to a cluster by `flowrel sync`, kept as a line of a git note
/// (`refs/notes/flowrel`) on the revision's commit, so the branch a CD job pulls never moves.
package struct SyncRecord: Sendable, Equatable {
  /// The release.
  package var release: String
  /// Its namespace.
  package var namespace: String
  /// The revision applied.
  package var revision: Int
  /// When, to the second.
  package var time: Date
  /// The kube context it was applied to.
  package var context: String
  /// `deployed` or `failed`.
  package var result: String

  /// A record.
  package init(release: String, namespace: String, revision: Int, time: Date, context: String, result: String) {
    self.release = release
    self.namespace = namespace
    self.revision = revision
    self.time = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
    self.context = context
    self.result = result
  }

  /// The note line: the time first, so that sorting the lines (as `git notes merge -s
  /// cat_sort_uniq` does) orders them in time; `key=value` words after it, blanks in a value
  /// written as `_`.
  package var line: String {
    func word(_ text: String) -> String { String(text.map { $0.isWhitespace ? "_" : $0 }) }
    return "\(Timestamp.format(time)) flowrel-sync namespace=\(word(namespace)) release=\(word(release)) "
      + "revision=\(revision) context=\(word(context)) result=\(word(result))"
  }

  /// The record a note line holds, or nil for a line that is not one.
  package init?(line: Substring) {
    let words = line.split(separator: " ")
    guard words.count >= 2, words[1] == "flowrel-sync", let time = Timestamp.parse(String(words[0])) else { return nil }
    var fields: [String: String] = [:]
    for word in words.dropFirst(2) {
      guard let equals = word.firstIndex(of: "=") else { continue }
      fields[String(word[..<equals])] = String(word[word.index(after: equals)...])
    }
    guard let namespace = fields["namespace"], let release = fields["release"], let revision = fields["revision"].flatMap({ Int($0) }),
      let context = fields["context"], let result = fields["result"]
    else { return nil }
    self.init(release: release, namespace: namespace, revision: revision, time: time, context: context, result: result)
  }

  /// The records in a note's text, in its order.
  static func parse(note: String) -> [SyncRecord] { note.split(separator: "\n").compactMap(SyncRecord.init(line:)) }
}
