import Crypto
import FlowrelAge
import FlowrelManifest
import FlowrelParallel
import FlowrelSOPS
import FlowrelValue
import FlowrelYAML
import Foundation
import OrderedCollections

/// The files of one release folder, and the commit message that records them: the layout of
/// DESIGN.md's "Store layout", shared by every store.
///
///     release.yaml         the revision's metadata (no values, no objects)
///     values.yaml          the user-supplied values; a SOPS file when some are secret
///     NOTES.txt            the rendered notes, when there are any and they show no secret
///     NOTES.sops.yaml      notes that show a secret, as a SOPS file (`notes:` encrypted)
///     draws.sops.yaml      the values the templates drew, as a SOPS file (see `SecretProtection.drawsRule`)
///     kustomization.yaml   the manifests in install order (Argo CD: Secrets through KSOPS)
///     secret-generator.yaml  Argo CD only: the `ksops` generator listing the Secrets
///     manifests/<file>     one object per file, named by `ReleaseFolder.fileName`; a
///                          Secret with data is a SOPS file
///     crds/<file>          the chart's CRDs, named as manifests (ReleaseFolder+CRDs.swift)
///     hooks/<file>         the chart's hooks, named as manifests, after a `# Source:` line
///                          (ReleaseFolder+Hooks.swift); listed in the kustomization for Argo CD only
enum ReleaseFolder {
  static let releaseFile = "release.yaml"
  static let valuesFile = "values.yaml"
  static let notesFile = "NOTES.txt"
  static let secretNotesFile = "NOTES.sops.yaml"
  static let drawsFile = "draws.sops.yaml"
  static let secretGeneratorFile = "secret-generator.yaml"
  static let kustomizationFile = "kustomization.yaml"
  static let manifestsFolder = "manifests/"

  /// The folder of a release below the store: `<namespace>/<release>`.
  static func folder(release: String, namespace: String) throws(StoreError) -> String {
    try checkName(namespace)
    try checkName(release)
    return "\(namespace)/\(release)"
  }

  /// Release and namespace names as Kubernetes allows them (lowercase DNS names), which
  /// also makes them safe folder names.
  static func checkName(_ name: String) throws(StoreError) {
    guard !name.isEmpty, name.utf8.count <= 253 else { throw .invalidName(name, reason: "must have 1 to 253 characters") }
    let allowed = name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 46 }
    guard allowed, name.first != "-", name.first != ".", name.last != "-", name.last != "." else {
      throw .invalidName(name, reason: "use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit")
    }
  }

  /// The file of an object: `manifests/` and the object's file name
  /// (`ObjectIdentity.fileName(releaseNamespace:)`, shared with `flowrel template --output-dir`).
  static func fileName(_ identity: ObjectIdentity, releaseNamespace: String) -> String {
    manifestsFolder + identity.fileName(releaseNamespace: releaseNamespace)
  }

  // MARK: Writing

  /// The folder's files for `revision` numbered `number`, the object of each manifest file,
  /// the manifests in install order, and the revision's metadata. Objects are written as the
  /// render emitted them; secrets as SOPS files (see `SecretProtection`), where a file whose
  /// plaintext is unchanged from `previous` (a file of the folder now, by path) keeps its bytes.
  static func encode(
    _ revision: NewRevision, number: Int, time: Date, flowrelVersion: String, folder: String, secrets: SecretContext,
    previous: (String) throws(StoreError) -> [UInt8]?
  ) throws(StoreError) -> (files: [String: [UInt8]], objects: [String: ObjectIdentity], manifests: [Manifest], info: RevisionInfo,
    secretValuePaths: [ValuePath])
  {
    let manifests = revision.manifests.sortedForInstall()
    var files: [ObjectIdentity: String] = [:]
    for manifest in manifests {
      guard files[manifest.identity] == nil else { throw .duplicateObject(manifest.identity.description) }
      files[manifest.identity] = fileName(manifest.identity, releaseNamespace: revision.namespace)
    }
    // Distinct objects whose files would be one: the second would silently replace the first.
    for identities in [manifests.map(\.identity), revision.hooks.map(\.manifest.identity)] {
      if let (first, second, file) = identities.sharingAFile(releaseNamespace: revision.namespace) {
        throw .invalidRevision(ObjectIdentity.sharedFileProblem(first, second, file: file))
      }
    }
    let hooks = sortedHooks(revision.hooks)
    let hookFiles = try hookFileNames(hooks, releaseNamespace: revision.namespace)
    // Find every secret first, so that nothing is encrypted when one cannot be.
    var protection = SecretProtection()
    let secretManifests = manifests.filter(SecretProtection.hasSecretData)
    for manifest in secretManifests { try protection.collect(manifest, file: files[manifest.identity] ?? "") }
    let secretHooks = hooks.filter { SecretProtection.hasSecretData($0.manifest) }
    for hook in secretHooks { try protection.collect(hook.manifest, file: hookFiles[hook.manifest.identity] ?? "") }
    let secretPaths = try protection.secretPaths(revision.values, marked: revision.secretValuePaths)
    let notesAreSecret = try protection.notesAreSecret(revision.notes)
    let hasDraws = try protection.hasDraws(revision.draws)
    var recipients: [String: [AgeRecipient]] = [:]
    var secretFiles = secretManifests.map { files[$0.identity] ?? "" } + secretHooks.map { hookFiles[$0.manifest.identity] ?? "" }
    if !secretPaths.isEmpty { secretFiles.append(valuesFile) }
    if notesAreSecret { secretFiles.append(secretNotesFile) }
    if hasDraws { secretFiles.append(drawsFile) }
    for file in secretFiles {
      let found = try secrets.recipients("\(folder)/\(file)")
      guard !found.isEmpty else { throw .recipientsRequired(release: revision.release, secrets: protection.found) }
      recipients[file] = found
    }
    let identities = secretFiles.isEmpty ? [] : try secrets.keyring.identities()
    let now = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
    func seal(_ document: Value, rule: SOPSRule, file: String) throws(StoreError) -> [UInt8] {
      try SecretProtection.seal(
        document, rule: rule, file: "\(folder)/\(file)", recipients: recipients[file] ?? [], previous: try previous(file),
        identities: identities, now: now, fresh: revision.action == .rotate)
    }

    var out: [String: [UInt8]] = [:]
    let digestSource: Value
    if secretPaths.isEmpty {
      out[valuesFile] = Array(YAML.emit(revision.values).utf8)
      digestSource = revision.values
    } else {
      guard case .map = revision.values else { throw .invalidRevision("values with secrets must be a map at the top") }
      let bytes = try seal(revision.values, rule: SecretProtection.valuesRule(secretPaths), file: valuesFile)
      out[valuesFile] = bytes
      digestSource = try parse(bytes, file: "\(folder)/\(valuesFile)")
    }
    if let notes = revision.notes {
      if notesAreSecret {
        out[secretNotesFile] = try seal(.map(["notes": .string(notes)]), rule: SecretProtection.notesRule, file: secretNotesFile)
      } else {
        out[notesFile] = Array(notes.utf8)
      }
    }
    if hasDraws, let draws = revision.draws {
      out[drawsFile] = try seal(draws, rule: SecretProtection.drawsRule, file: drawsFile)
    }
    var resources: [Value] = []
    var generated: [Value] = []
    for manifest in manifests {
      let file = files[manifest.identity] ?? ""
      if SecretProtection.hasSecretData(manifest) {
        out[file] = try seal(manifest.content, rule: SecretProtection.secretRule, file: file)
        if secrets.engine == .argocd {
          generated.append(.string(file))
          continue
        }
      } else {
        out[file] = Array(manifest.canonicalYAML.utf8)
      }
      resources.append(.string(file))
    }
    let crdFiles = try encodeCRDs(revision.crds, namespace: revision.namespace)
    for crd in crdFiles { out[crd.file] = crd.bytes }
    for hook in hooks {
      let file = hookFiles[hook.manifest.identity] ?? ""
      // Argo CD runs `helm.sh/hook` objects as its own sync hooks; Flux would apply them as
      // plain objects on every reconciliation, so for Flux the kustomization leaves them out.
      if SecretProtection.hasSecretData(hook.manifest) {
        out[file] = try seal(hook.manifest.content, rule: SecretProtection.secretRule, file: file)
        if secrets.engine == .argocd { generated.append(.string(file)) }
      } else {
        out[file] = hookFileBytes(hook)
        if secrets.engine == .argocd { resources.append(.string(file)) }
      }
    }
    var kustomization: OrderedDictionary<String, Value> = [
      "apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization",
      "resources": .list(crdFiles.map { .string($0.file) } + resources),
    ]
    if !generated.isEmpty {
      kustomization["generators"] = [.string(secretGeneratorFile)]
      out[secretGeneratorFile] = Array(YAML.emit(secretGenerator(release: revision.release, files: generated)).utf8)
    }
    out[kustomizationFile] = Array(YAML.emit(.map(kustomization)).utf8)

    let info = RevisionInfo(
      release: revision.release, namespace: revision.namespace, revision: number, action: revision.action,
      status: revision.status, chart: revision.chart, description: revision.description,
      time: now, flowrelVersion: flowrelVersion, valuesDigest: try digest(digestSource))
    out[releaseFile] = Array(YAML.emit(metadata(info)).utf8)
    var objects: [String: ObjectIdentity] = [:]
    for (identity, file) in files { objects[file] = identity }
    for crd in crdFiles { objects[crd.file] = crd.identity }
    var stored = digestSource
    if case .map(var map) = stored {
      map.removeValue(forKey: "sops")
      stored = .map(map)
    }
    return (out, objects, manifests, info, secretPaths.isEmpty ? [] : SecretProtection.encryptedPaths(stored, path: .root))
  }

  /// KSOPS's generator (an exec KRM function) for the Secrets' files.
  private static func secretGenerator(release: String, files: [Value]) -> Value {
    [
      "apiVersion": "viaduct.ai/v1", "kind": "ksops",
      "metadata": [
        "name": .string("\(release)-secrets"),
        "annotations": ["config.kubernetes.io/function": "exec:\n  path: ksops\n"],
      ],
      "files": .list(files),
    ]
  }

  private static func digest(_ values: Value) throws(StoreError) -> String {
    let json: String
    do { json = try values.jsonText() } catch {
      throw .invalidRevision("the values hold a number JSON cannot carry, so they have no digest: \(error.message)")
    }
    return "sha256:" + SHA256.hash(data: Data(json.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  private static func metadata(_ info: RevisionInfo) -> Value {
    var map: OrderedDictionary<String, Value> = [
      "name": .string(info.release), "namespace": .string(info.namespace), "revision": .int(Int64(info.revision)),
      "action": .string(info.action.rawValue), "status": .string(info.status.rawValue),
    ]
    if let chart = info.chart {
      var chartMap: OrderedDictionary<String, Value> = ["name": .string(chart.name), "version": .string(chart.version)]
      if let app = chart.appVersion { chartMap["appVersion"] = .string(app) }
      map["chart"] = .map(chartMap)
    }
    map["description"] = .string(info.description)
    map["time"] = .string(Timestamp.format(info.time))
    map["flowrelVersion"] = .string(info.flowrelVersion)
    map["valuesDigest"] = .string(info.valuesDigest)
    return .map(map)
  }

  // MARK: Reading

  /// The revision stored in `files` (the folder `folder`, for messages); secrets decrypted
  /// with the keyring's identities (the legacy key for flowrel's earlier format), left
  /// encrypted without them.
  static func decode(_ files: [String: [UInt8]], folder: String, keyring: AgeKeyring, legacyKey: SecretKey?) throws(StoreError)
    -> Revision
  {
    var revision = try decodeHead(folder: folder, files: files.keys, keyring: keyring, legacyKey: legacyKey) { files[$0] }
    let manifestFiles = files.filter { $0.key.hasPrefix(manifestsFolder) }.sorted { $0.key < $1.key }
    revision.manifests = try manifests(manifestFiles, folder: folder, keyring: keyring, legacyKey: legacyKey)
    return revision
  }

  /// The revision without its objects (`manifests` left empty): metadata, values, notes,
  /// CRDs, hooks and draws, from the folder's `files` (paths below it) as `read` gives them
  /// (nil: the folder has no such file); secrets decrypted as `decode` does.
  static func decodeHead(
    folder: String, files: some Collection<String>, keyring: AgeKeyring, legacyKey: SecretKey?,
    read: (String) throws(StoreError) -> [UInt8]?
  ) throws(StoreError) -> Revision {
    guard let releaseBytes = try read(releaseFile) else { throw .damaged(file: "\(folder)/\(releaseFile)", problem: "missing") }
    let info = try decodeInfo([releaseFile: releaseBytes], folder: folder)
    let (values, secretPaths) = try SecretProtection.open(
      try read(valuesFile) ?? [], file: "\(folder)/\(valuesFile)", keyring: keyring, legacyKey: legacyKey)
    var notes = try read(notesFile).map { String(decoding: $0, as: UTF8.self) }
    if let text = notes, SecretKey.isEncrypted(text), let legacyKey {
      // flowrel's earlier format encrypted secret notes whole, as the YAML text of a string.
      let location = "\(folder)/\(notesFile)"
      notes = try parse(Array(legacyKey.decrypt(text, location: location).utf8), file: location).stringValue ?? text
    }
    if let bytes = try read(secretNotesFile) {
      notes = try SecretProtection.open(bytes, file: "\(folder)/\(secretNotesFile)", keyring: keyring, legacyKey: nil)
        .document["notes"]?.stringValue
    }
    var revision = Revision(info: info, values: values, manifests: [], notes: notes)
    revision.secretValuePaths = secretPaths
    // CRDs and hooks are few beside the objects, and every verb that starts from a revision
    // needs them: read with the head.
    var parts: [String: [UInt8]] = [:]
    for file in files where file.hasPrefix(crdsFolder) || file.hasPrefix(hooksFolder) { parts[file] = try read(file) }
    revision.crds = try decodeCRDs(parts, folder: folder)
    revision.hooks = try decodeHooks(parts, folder: folder, keyring: keyring, legacyKey: legacyKey)
    if let bytes = try read(drawsFile) {
      revision.draws = try SecretProtection.open(bytes, file: "\(folder)/\(drawsFile)", keyring: keyring, legacyKey: nil).document
    }
    return revision
  }

  /// The objects of manifest files (path below the folder, bytes), in install order.
  static func manifests(_ files: [(key: String, value: [UInt8])], folder: String, keyring: AgeKeyring, legacyKey: SecretKey?)
    throws(StoreError) -> [Manifest]
  {
    // Parsing the objects is most of reading a large revision: spread over the processors.
    try Parallel.map(files) { (entry) throws(StoreError) -> Manifest in
      try manifest(entry.value, file: "\(folder)/\(entry.key)", keyring: keyring, legacyKey: legacyKey)
    }.sortedForInstall()
  }

  /// The object stored in a manifest file; Secret data decrypted as `decode` does.
  static func manifest(_ bytes: [UInt8], file: String, keyring: AgeKeyring, legacyKey: SecretKey?) throws(StoreError) -> Manifest {
    let content = try SecretProtection.open(bytes, file: file, keyring: keyring, legacyKey: legacyKey).document
    do { return try Manifest(content: content) } catch { throw .damaged(file: file, problem: error.description) }
  }

  /// The object a manifest file holds, read without decrypting anything.
  static func identity(_ bytes: [UInt8], file: String) throws(StoreError) -> ObjectIdentity {
    try manifest(bytes, file: file, keyring: AgeKeyring(identities: []), legacyKey: nil).identity
  }

  /// The metadata in `release.yaml`.
  static func decodeInfo(_ files: [String: [UInt8]], folder: String) throws(StoreError) -> RevisionInfo {
    let file = "\(folder)/\(releaseFile)"
    guard let bytes = files[releaseFile] else { throw .damaged(file: file, problem: "missing") }
    let map = try parse(bytes, file: file)
    func string(_ key: String) throws(StoreError) -> String {
      guard let text = map[key]?.stringValue else { throw .damaged(file: file, problem: "no string '\(key)'") }
      return text
    }
    guard let number = map["revision"]?.intValue, let action = ReleaseAction(rawValue: try string("action")),
      let status = ReleaseStatus(rawValue: try string("status")), let time = Timestamp.parse(try string("time"))
    else { throw .damaged(file: file, problem: "revision, action, status or time is missing or wrong") }
    var chart: ChartReference? = nil
    if let chartMap = map["chart"], let name = chartMap["name"]?.stringValue, let version = chartMap["version"]?.stringValue {
      chart = ChartReference(name: name, version: version, appVersion: chartMap["appVersion"]?.stringValue)
    }
    return RevisionInfo(
      release: try string("name"), namespace: try string("namespace"), revision: Int(number), action: action,
      status: status, chart: chart, description: try string("description"), time: time,
      flowrelVersion: try string("flowrelVersion"), valuesDigest: try string("valuesDigest"))
  }

  private static func parse(_ bytes: [UInt8], file: String) throws(StoreError) -> Value {
    do { return try YAML.parse(bytes, file: file) } catch { throw .damaged(file: file, problem: error.message) }
  }

  // MARK: Commit messages

  /// `web: upgrade to revision 3`, a body naming the chart and the objects that changed,
  /// and trailers that let `history` read a revision from its commit alone.
  static func message(_ info: RevisionInfo, changes: [ObjectChange]) -> String {
    let subject: String
    switch info.action {
    case .install, .uninstall: subject = "\(info.release): \(info.action.rawValue) as revision \(info.revision)"
    case .upgrade, .rollback, .rotate: subject = "\(info.release): \(info.action.rawValue) to revision \(info.revision)"
    }
    var body: [String] = []
    if let chart = info.chart {
      body.append("Chart \(chart.name) \(chart.version)" + (chart.appVersion.map { " (app \($0))" } ?? "") + ".")
    }
    body.append(oneLine(info.description))
    for kind in [ObjectChange.Kind.added, .changed, .removed] {
      let names = changes.filter { $0.kind == kind }.map { oneLine($0.identity.description) }
      if !names.isEmpty { body.append("\(kind.rawValue.capitalized): \(names.joined(separator: ", "))") }
    }
    if changes.isEmpty, info.action != .uninstall { body.append("No object changed.") }
    var trailers: [(String, String)] = [
      ("Release", info.release), ("Namespace", info.namespace), ("Revision", String(info.revision)),
      ("Action", info.action.rawValue), ("Status", info.status.rawValue),
    ]
    if let chart = info.chart {
      trailers += [("Chart", chart.name), ("Chart-Version", chart.version)]
      if let app = chart.appVersion { trailers.append(("App-Version", app)) }
    }
    trailers += [("Description", oneLine(info.description)), ("Version", info.flowrelVersion)]
    if !info.valuesDigest.isEmpty { trailers.append(("Values-Digest", info.valuesDigest)) }
    let trailerText = trailers.map { "Flowrel-\($0.0): \(oneLine($0.1))" }.joined(separator: "\n")
    return "\(subject)\n\n\(body.joined(separator: "\n"))\n\n\(trailerText)\n"
  }

  /// The metadata in a commit message's trailers, with the commit's time; nil when the
  /// message has no flowrel trailers.
  static func info(fromMessage message: String, time: Date) -> RevisionInfo? {
    var fields: [String: String] = [:]
    for line in message.split(separator: "\n") where line.hasPrefix("Flowrel-") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = String(line[line.index(line.startIndex, offsetBy: 8)..<colon])
      fields[key] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
    }
    guard let release = fields["Release"], let namespace = fields["Namespace"], let number = fields["Revision"].flatMap({ Int($0) }),
      let action = fields["Action"].flatMap(ReleaseAction.init(rawValue:)),
      let status = fields["Status"].flatMap(ReleaseStatus.init(rawValue:))
    else { return nil }
    let chart = fields["Chart"].map { ChartReference(name: $0, version: fields["Chart-Version"] ?? "", appVersion: fields["App-Version"]) }
    return RevisionInfo(
      release: release, namespace: namespace, revision: number, action: action, status: status, chart: chart,
      description: fields["Description"] ?? "", time: time, flowrelVersion: fields["Version"] ?? "",
      valuesDigest: fields["Values-Digest"] ?? "")
  }

  private static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).joined(separator: " ")
  }
}

/// Times in `release.yaml`: RFC 3339 in UTC, to the second (`2026-12-03T19:25:44Z`), as
/// Foundation's `ISO8601DateFormatter` writes them. Written and read here by calendar
/// arithmetic: making a formatter costs more than `list` of a thousand releases otherwise
/// does; any other form is left to the formatter.
package enum Timestamp {
  /// The time, to the second (rounded down).
  package static func format(_ date: Date) -> String {
    let seconds = date.timeIntervalSince1970.rounded(.down)
    // Years 1970 to 9999: four digits, and no calendar reform to mind.
    guard seconds >= 0, seconds < 253_402_300_800 else { return formatter().string(from: date) }
    let whole = Int64(seconds)
    let days = whole / 86_400
    let time = whole - days * 86_400
    let (year, month, day) = civil(days: days)
    var text: [UInt8] = []
    text.reserveCapacity(20)
    func digits(_ value: Int64, _ count: Int) {
      var divisor: Int64 = 1
      for _ in 1..<count { divisor *= 10 }
      while divisor > 0 {
        text.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
        divisor /= 10
      }
    }
    digits(year, 4); text.append(UInt8(ascii: "-")); digits(month, 2); text.append(UInt8(ascii: "-")); digits(day, 2)
    text.append(UInt8(ascii: "T"))
    digits(time / 3600, 2); text.append(UInt8(ascii: ":")); digits(time / 60 % 60, 2); text.append(UInt8(ascii: ":"))
    digits(time % 60, 2)
    text.append(UInt8(ascii: "Z"))
    return String(decoding: text, as: UTF8.self)
  }

  /// The time `text` names, or nil when it is none.
  package static func parse(_ text: String) -> Date? {
    let bytes = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int64? {
      var value: Int64 = 0
      for index in range {
        guard bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") else { return nil }
        value = value * 10 + Int64(bytes[index] - UInt8(ascii: "0"))
      }
      return value
    }
    guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
      bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z"),
      let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
      let minute = number(14..<16), let second = number(17..<19),
      year >= 1970, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
    else { return formatter().date(from: text) }
    let days = self.days(year: year, month: month, day: day)
    return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
  }

  private static func formatter() -> ISO8601DateFormatter {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter
  }

  private static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a date of the Gregorian calendar (years from 1970).
  private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = y / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }

  /// The date `days` (0 or more) after 1970-01-01: the inverse of `days(year:month:day:)`.
  private static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
    let shifted = days + 719_468
    let era = shifted / 146_097
    let dayOfEra = shifted - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let shiftedMonth = (5 * dayOfYear + 2) / 153
    let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
    let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
    return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
