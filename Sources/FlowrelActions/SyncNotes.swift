import FlowrelStore

extension RevisionInfo {
  /// The newest of `records` for this revision, if any.
  package func lastSync(in records: [SyncRecord]) -> SyncRecord? {
    records.last { $0.release == release && $0.namespace == namespace && $0.revision == revision }
  }

  /// This revision as `history` and `status` show it once a sync applied it: a `recorded`
  /// revision whose last sync succeeded reads `deployed`, and the description names the sync.
  package func synced(_ records: [SyncRecord]) -> RevisionInfo {
    guard let record = lastSync(in: records) else { return self }
    var shown = self
    if status == .recorded, record.result == ReleaseStatus.deployed.rawValue { shown.status = .deployed }
    shown.description += " (synced to \(record.context) at \(Timestamp.format(record.time)): \(record.result))"
    return shown
  }
}
