import FlowrelChart
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import FlowrelYAML
import Foundation
import OrderedCollections

/// `-o table|json|yaml`: how a verb's records are printed.
package enum OutputFormat: String, Sendable, CaseIterable {
  case table, json, yaml
}

/// A verb's result as rows: one contract for `-o table|json|yaml`. JSON and YAML give a list of
/// objects whose keys are the columns in lower case with `_` for spaces (Helm's field names
/// where Helm prints the same records).
package struct Table: Sendable {
  /// The column titles (`APP VERSION`).
  package var columns: [String]
  /// The cells of each row, as text.
  package var rows: [[String]]
  /// Columns whose cells are numbers in JSON and YAML.
  package var numericColumns: Set<String> = []

  /// A table of `rows` under `columns`.
  package init(columns: [String], rows: [[String]], numericColumns: Set<String> = []) {
    self.columns = columns
    self.rows = rows
    self.numericColumns = numericColumns
  }

  /// The table in `format`.
  package func formatted(_ format: OutputFormat, headers: Bool = true) throws(ActionError) -> String {
    switch format {
    case .table:
      let lines = headers ? [columns] + rows : rows
      let widths = columns.indices.map { column in lines.map { $0[column] }.map(\.count).max() ?? 0 }
      return lines.map { line in
        let cells = line.enumerated().map { index, cell in
          index == line.count - 1 ? cell : Self.padded(cell, to: widths[index])
        }
        return Self.trimmed(cells.joined(separator: "\t")) + "\n"
      }.joined()
    case .yaml, .json:
      let keys = columns.map { $0.lowercased().replacingOccurrences(of: " ", with: "_") }
      let list = Value.list(rows.map { cells in
        .map(.init(uniqueKeysWithValues: zip(columns, zip(keys, cells)).map { column, entry in
          (entry.0, numericColumns.contains(column) ? Int64(entry.1).map(Value.int) ?? .string(entry.1) : .string(entry.1))
        }))
      })
      if format == .yaml { return YAML.emit(list) }
      return try ActionError.wrapping { try list.jsonText(JSONEncodingOptions(sortedKeys: false, indent: "  ")) } + "\n"
    }
  }
}

extension Table {
  // Foundation's padding and trimming go through UTF-16 one cell at a time: most of `history`
  // of 10,000 revisions. ASCII text (nearly every cell) is padded and trimmed as bytes, with the
  // same result; other text still goes through Foundation.

  /// `cell` padded with spaces to `width`, as `padding(toLength:withPad:startingAt:)` pads it.
  static func padded(_ cell: String, to width: Int) -> String {
    guard cell.utf8.allSatisfy({ $0 < 0x80 }) else { return cell.padding(toLength: width, withPad: " ", startingAt: 0) }
    let length = cell.utf8.count
    return length < width ? cell + String(repeating: " ", count: width - length) : cell
  }

  /// `line` without the spaces and tabs at its ends, as `trimmingCharacters(in: .whitespaces)`.
  static func trimmed(_ line: String) -> String {
    let bytes = line.utf8
    guard bytes.allSatisfy({ $0 < 0x80 }) else { return line.trimmingCharacters(in: .whitespaces) }
    let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    guard let first = bytes.firstIndex(where: { !blank($0) }), let last = bytes.lastIndex(where: { !blank($0) }) else { return "" }
    return String(line[first...last])
  }
}

/// How every verb's result reads: the one place where output is formatted.
package enum Output {
  /// `2026-11-23T10:49:55Z`.
  package static func time(_ date: Date) -> String {
    Timestamp.format(date)
  }

  /// `flow-0.1.0`, Helm's way of naming a chart and its version.
  package static func chart(_ info: RevisionInfo) -> String {
    info.chart.map { "\($0.name)-\($0.version)" } ?? ""
  }

  /// The lines `install`, `upgrade`, `rollback` and `status` start with.
  package static func header(_ info: RevisionInfo) -> String {
    """
    NAME: \(info.release)
    LAST DEPLOYED: \(time(info.time))
    NAMESPACE: \(info.namespace)
    STATUS: \(info.status.rawValue)
    REVISION: \(info.revision)
    CHART: \(chart(info))
    DESCRIPTION: \(info.description)

    """
  }

  /// The objects as one YAML stream: each document preceded by `---` and a comment naming
  /// the template that wrote it, in install order.
  package static func stream(_ manifests: [RenderedManifest]) -> String {
    // Built in one buffer of the final size: the stream of a large Flow is a megabyte.
    var text = ""
    text.reserveCapacity(manifests.reduce(0) { $0 + 20 + $1.template.utf8.count + $1.canonicalYAML.utf8.count })
    stream(manifests) { text += $0 }
    return text
  }

  /// What starts each document of a stream as Helm prints it: `---` and a comment naming the
  /// file that wrote the document.
  static func documentHeader(source: String) -> String { "---\n# Source: \(source)\n" }

  /// Hooks as Helm's `get hooks` and `template` show them: each after `---` and a comment
  /// naming its template.
  package static func stream(_ hooks: [Hook]) -> String {
    hooks.map { documentHeader(source: $0.template) + $0.manifest.canonicalYAML }.joined()
  }

  /// `flowrel test`: the revision's header and one block per test that ran, as Helm's
  /// `TEST SUITE:` lines (without the start and end times, which would make the output differ
  /// on every run).
  package static func tested(_ result: TestRelease.Result) -> String {
    var text = header(result.revision)
    if result.runs.isEmpty { return text + "TEST SUITE: None\n" }
    for run in result.runs {
      text += "TEST SUITE:     \(run.hook.manifest.identity.name)\nPhase:          \(run.phase.rawValue)\n"
    }
    return text
  }

  /// `stream(manifests)` handed to `write` in consecutive parts of about a megabyte, so that
  /// printing a large release does not hold its whole text once more.
  package static func stream(_ manifests: [RenderedManifest], to write: (String) -> Void) {
    let partSize = 1 << 20
    var part = ""
    manifests.forEachCanonicalYAML { manifest, yaml in
      part += documentHeader(source: manifest.template)
      if yaml.utf8.count >= partSize {
        // A large object goes as it is, without a copy.
        write(part)
        part = ""
        write(yaml)
        return
      }
      part += yaml
      if part.utf8.count >= partSize {
        write(part)
        part = ""
      }
    }
    if !part.isEmpty { write(part) }
  }

  /// Manifests as a YAML stream without sources.
  package static func stream(_ manifests: [Manifest]) -> String {
    manifests.map { "---\n" + $0.canonicalYAML }.joined()
  }

  /// The engine's text of each template as `--raw` shows it: in byte-wise order of template
  /// names, whitespace-only output skipped, each as `---`, `# Source: NAME`, the text and a
  /// newline.
  package static func rawStream(_ rendered: RenderedChart) -> String {
    rendered.templates.filter { !$0.text.allSatisfy(\.isWhitespace) }
      .map { documentHeader(source: $0.name) + $0.text + "\n" }.joined()
  }

  /// The result of install, upgrade or rollback: the revision and notes, or for a dry run the
  /// objects, then the hooks (the summary line goes to standard error: `dryRunSummary`).
  package static func deployed(_ result: DeployResult) -> String {
    guard let revision = result.revision else { return stream(result.manifests) + stream(result.hooks) }
    var text = header(revision.info)
    if let notes = result.notes, !notes.isEmpty { text += "\nNOTES:\n\(notes)\n" }
    return text
  }

  /// A release as Helm's `-o json|yaml` shows one (`name`, `namespace`, `version`, `info`,
  /// `chart.metadata`, `config`, `manifest`); flowrel adds nothing Helm lacks but `workloads`
  /// for `status`. A dry run's `info.status` is `dry-run`, and it has no `version`.
  static func releaseValue(
    name: String, namespace: String, info: RevisionInfo?, notes: String?, values: Value?, manifests: [Manifest]?,
    workloads: [Status.Workload]? = nil, resources: [Status.Resource]? = nil
  ) -> Value {
    var release: OrderedDictionary<String, Value> = ["name": .string(name)]
    var details: OrderedDictionary<String, Value> = [:]
    if let info {
      details["last_deployed"] = .string(time(info.time))
      details["description"] = .string(info.description)
      details["status"] = .string(info.status.rawValue)
    } else {
      details["status"] = "dry-run"
    }
    if let notes, !notes.isEmpty { details["notes"] = .string(notes) }
    release["info"] = .map(details)
    if let chart = info?.chart {
      var metadata: OrderedDictionary<String, Value> = ["name": .string(chart.name), "version": .string(chart.version)]
      if let appVersion = chart.appVersion { metadata["appVersion"] = .string(appVersion) }
      release["chart"] = ["metadata": .map(metadata)]
    }
    if let values { release["config"] = values }
    if let manifests { release["manifest"] = .string(stream(manifests)) }
    if let info { release["version"] = .int(Int64(info.revision)) }
    release["namespace"] = .string(namespace)
    if let workloads {
      release["workloads"] = .list(workloads.map { workload in
        [
          "kind": .string(workload.identity.kind), "name": .string(workload.identity.name), "exists": .bool(workload.exists),
          "ready": .int(Int64(workload.ready)), "wanted": .int(Int64(workload.wanted)),
        ]
      })
    }
    if let resources {
      release["resources"] = .list(resources.map { resource in
        var entry: OrderedDictionary<String, Value> = [
          "apiVersion": .string(resource.identity.apiVersion), "kind": .string(resource.identity.kind),
          "name": .string(resource.identity.name),
        ]
        if let namespace = resource.identity.namespace { entry["namespace"] = .string(namespace) }
        entry["exists"] = .bool(resource.exists)
        return .map(entry)
      })
    }
    return .map(release)
  }

  /// `value` as JSON (two-space indent, keys in their order) or YAML.
  static func structured(_ value: Value, _ format: OutputFormat) throws(ActionError) -> String {
    if format == .yaml { return YAML.emit(value) }
    return try ActionError.wrapping { try value.jsonText(JSONEncodingOptions(sortedKeys: false, indent: "  ")) } + "\n"
  }

  /// The result of install, upgrade or rollback in `format` (`table` is `deployed(_:)`).
  package static func deployed(_ result: DeployResult, format: OutputFormat) throws(ActionError) -> String {
    guard format != .table else { return deployed(result) }
    let revision = result.revision
    return try structured(releaseValue(
      name: result.release, namespace: result.namespace, info: revision?.info, notes: result.notes,
      values: revision?.values, manifests: result.manifests), format)
  }

  /// `status` in `format` (`table` is `status(_:)`).
  package static func status(_ report: Status.Report, format: OutputFormat) throws(ActionError) -> String {
    guard format != .table else { return status(report) }
    return try structured(releaseValue(
      name: report.info.release, namespace: report.info.namespace, info: report.info, notes: report.notes, values: nil,
      manifests: nil, workloads: report.workloads, resources: report.resources), format)
  }

  /// The message after a dry run.
  package static func dryRunSummary(_ result: DeployResult) -> String? {
    guard result.revision == nil else { return nil }
    return "dry run of \(result.release) in \(result.namespace): \(result.plan.summary); nothing was recorded or applied"
  }

  /// The note `template` prints when the templates drew values: without a store they are new
  /// on every run, where install and upgrade keep them.
  package static func drawnAnew(_ functions: [String]) -> String? {
    guard !functions.isEmpty else { return nil }
    return "note: \(functions.joined(separator: ", ")) drew new values, which differ on every template run "
      + "(install and upgrade record them in the store and keep them)"
  }

  /// What `push` did, in one line.
  package static func pushed(_ report: PushReport) -> String {
    let target = "\(report.remote)/\(report.remoteBranch)"
    if report.upToDate { return "\(target) is up to date with \(report.branch)" }
    var line = "pushed \(report.branch) to \(target)"
    if report.replayed > 0 { line += " (\(report.replayed) commits replayed onto the remote's)" }
    if !report.renumbered.isEmpty { line += "; renumbered \(report.renumbered.joined(separator: ", "))" }
    if report.attempts > 1 { line += " after \(report.attempts) attempts" }
    return line
  }

  /// What `pull` did, in one line.
  package static func pulled(_ report: PullReport) -> String {
    guard report.changed else { return "\(report.branch) is up to date with \(report.remote)" }
    return "pulled \(report.branch) from \(report.remote): \(report.from.map { String($0.prefix(7)) } ?? "(none)")"
      + " -> \(report.to.map { String($0.prefix(7)) } ?? "(none)")"
  }

  /// `status`: the header, each workload's readiness, the notes.
  package static func status(_ report: Status.Report) -> String {
    var text = header(report.info)
    if let sync = report.synced {
      text += "SYNCED: \(time(sync.time)) to context \(sync.context): \(sync.result)\n"
    }
    if !report.workloads.isEmpty { text += "WORKLOADS:\n" }
    for workload in report.workloads {
      let state = workload.exists ? "\(workload.ready)/\(workload.wanted) ready" : "missing from the cluster"
      text += "  \(workload.identity.kubectlName) \(state)\n"
    }
    if let resources = report.resources {
      text += "RESOURCES:\n"
      for resource in resources {
        text += "  \(resource.identity.kubectlName)\(resource.identity.namespace.map { " (\($0))" } ?? "") "
        text += resource.exists ? "exists\n" : "missing from the cluster\n"
      }
    }
    if let notes = report.notes, !notes.isEmpty { text += "\nNOTES:\n\(notes)\n" }
    return text
  }

  /// `history` as a table (Helm's columns).
  package static func history(_ revisions: [RevisionInfo]) -> Table {
    Table(
      columns: ["REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"],
      rows: revisions.map { [String($0.revision), time($0.time), $0.status.rawValue, chart($0), $0.chart?.appVersion ?? "", $0.description] },
      numericColumns: ["REVISION"])
  }

  /// `list` as a table (Helm's columns).
  package static func list(_ releases: [RevisionInfo]) -> Table {
    Table(
      columns: ["NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"],
      rows: releases.map { [$0.release, $0.namespace, String($0.revision), time($0.time), $0.status.rawValue, chart($0), $0.chart?.appVersion ?? ""] },
      numericColumns: ["REVISION"])
  }

  /// `get manifest|notes|all` in `format` (`get values` is `values(_:format:)`): as JSON or
  /// YAML, the manifest is the list of objects, the notes `{notes: TEXT}`, and all the release
  /// as `status -o json` shows one, with its values and manifest.
  package static func parts(_ revision: Revision, part: String, format: OutputFormat) throws(ActionError) -> String {
    guard format != .table else { return parts(revision, part: part) }
    let info = revision.info
    switch part {
    case "manifest": return try structured(.list(revision.manifests.map(\.content)), format)
    case "notes": return try structured(["notes": .string(revision.notes ?? "")], format)
    default:
      return try structured(releaseValue(
        name: info.release, namespace: info.namespace, info: info, notes: revision.notes, values: revision.values,
        manifests: revision.manifests), format)
    }
  }

  /// `get hooks`: the hooks as Helm prints them, or as a list of objects (`-o json|yaml`).
  package static func hooks(_ revision: Revision, format: OutputFormat) throws(ActionError) -> String {
    format == .table ? stream(revision.hooks) : try structured(.list(revision.hooks.map(\.manifest.content)), format)
  }

  /// `get manifest|notes|all` as text: the manifest stream, the notes, or all under headings
  /// (the hooks too, under `HOOKS:`).
  static func parts(_ revision: Revision, part: String) -> String {
    let values = YAML.emit(revision.values)
    let manifest = stream(revision.manifests)
    let notes = revision.notes.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? ""
    switch part {
    case "manifest": return manifest
    case "notes": return notes
    default:
      // Helm's `get all` shows the hooks between the values and the manifest, when there are any.
      let hooks = revision.hooks.isEmpty ? "" : "\nHOOKS:\n" + stream(revision.hooks)
      return header(revision.info) + "\nUSER-SUPPLIED VALUES:\n" + values + hooks + "\nMANIFEST:\n" + manifest + "\nNOTES:\n" + notes
    }
  }

  /// `get values` as Helm prints them: `table` is the YAML under a `USER-SUPPLIED VALUES:`
  /// line (`COMPUTED VALUES:` with `--all`), `yaml` and `json` the values alone.
  package static func values(_ result: GetRelease.Result, format: OutputFormat) throws(ActionError) -> String {
    let values = result.computedValues ?? result.revision.values
    switch format {
    case .table: return (result.computedValues == nil ? "USER-SUPPLIED VALUES:\n" : "COMPUTED VALUES:\n") + YAML.emit(values)
    case .json, .yaml: return try structured(values, format)
    }
  }

  /// `uninstall`: one line per object, then the revision.
  package static func uninstalled(_ result: Uninstall.Result, release: String) -> String {
    let verb = result.revision == nil ? "would delete" : result.deletedInCluster ? "deleted" : "recorded the removal of"
    var text = result.objects.map { "\(verb) \($0.kubectlName)\n" }.joined()
    text += result.kept.map { "kept \($0.kubectlName) (\(Hook.resourcePolicyAnnotation): keep)\n" }.joined()
    if let info = result.revision { text += "release \"\(release)\" uninstalled (revision \(info.revision))\n" }
    return text
  }

  /// What `flowrel init` made, and what was there already.
  package static func initialized(_ made: StoreInitialization) -> String {
    switch (made.createdRepository, made.createdFolder) {
    case (true, _): "Created a git repository and the store \(made.location)"
    case (false, true): "Created the store \(made.location) in the existing repository"
    case (false, false): "The store \(made.location) already exists in its repository; nothing was created"
    }
  }

  /// `2 changed, 1 added, 1 removed`, for stored or planned changes.
  package static func summary(_ changes: [ObjectChange]) -> String {
    let count = { (kind: ObjectChange.Kind) in changes.filter { $0.kind == kind }.count }
    return ChangePlan.summary(changed: count(.changed), added: count(.added), removed: count(.removed))
  }
}
