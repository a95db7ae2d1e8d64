import FlowrelManifest
import FlowrelValue

/// One thing `flowrel lint` found, with where it is.
package struct LintFinding: Sendable, Equatable, CustomStringConvertible {
  /// How serious a finding is; as in Helm, only errors fail the lint.
  package enum Severity: String, Sendable, Comparable {
    /// The chart cannot be installed as it is.
    case error = "ERROR"
    /// The chart works but probably not as meant.
    case warning = "WARNING"

    package static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .error && rhs == .warning }
  }

  /// How serious it is.
  package var severity: Severity
  /// `file:line` (or `file:line:column`) where it was found, or the chart for chart-wide findings.
  package var place: String
  /// What is wrong and what to do.
  package var message: String

  /// A finding.
  package init(_ severity: Severity, _ place: String, _ message: String) {
    self.severity = severity
    self.place = place
    self.message = message
  }

  package var description: String { "[\(severity.rawValue)] \(place): \(message)" }
}

extension Chart {
  /// Renders the chart for `request` and checks what it produces: rendering, values schema,
  /// YAML, and the sanity of each object (selectors that match their pods, name lengths,
  /// container images with a fixed tag). Problems that stop rendering are the only finding.
  package func lint(_ request: RenderRequest) -> [LintFinding] {
    // A library chart renders nothing of its own (and cannot be installed); there is nothing to render.
    if isLibrary { return [lockFinding()].compactMap { $0 } }
    let output: RenderOutput
    let manifests: [RenderedManifest]
    do {
      output = try render(request)
      manifests = try output.rendered.manifests(release: request.release)
    } catch {
      return Self.findings(for: error, chart: source)
    }
    // A chart reports advice it cannot refuse as `WARNING: ` lines of its notes; those, and
    // a user's value that replaces a default of another kind, are placed at the value when
    // they start with the path of one the user set.
    let user = (try? request.values.typed(as: metadata.valuesScalarRules)) ?? request.values
    var findings = output.rendered.warnings.map { warning in
      LintFinding(.warning, user.origin(ofMessage: warning)?.description ?? metadata.name + "/templates/NOTES.txt", warning)
    }
    findings += output.values.warnings.map { warning in
      LintFinding(.warning, user.origin(ofMessage: warning)?.description ?? source + "/values.yaml", warning)
    }
    if manifests.isEmpty {
      findings.append(LintFinding(.warning, source, "the chart renders no objects with these values"))
    }
    if let finding = lockFinding() { findings.append(finding) }
    for rendered in manifests {
      findings += Self.objectFindings(rendered)
    }
    return findings.sorted { ($0.severity, $0.place, $0.message) < ($1.severity, $1.place, $1.message) }
  }

  /// A warning when the chart's lock file was not made for its `dependencies` (its digest
  /// differs), so `dependency build` would refuse it.
  func lockFinding() -> LintFinding? {
    let (lockName, listName) = metadata.apiVersion == "v1" ? ("requirements.lock", "requirements.yaml") : ("Chart.lock", "Chart.yaml")
    guard let file = files.first(where: { $0.path == lockName }) else { return nil }
    let place = source + "/" + lockName
    guard let lock = try? ChartLock(parsing: file.contents, name: place) else {
      return LintFinding(.warning, place, "is not a lock file flowrel can read; run flowrel dependency update")
    }
    guard ChartLock.digest(requested: metadata.dependencies, locked: lock.dependencies) != lock.digest else { return nil }
    return LintFinding(.warning, place, "is out of sync with the dependencies in \(listName); run flowrel dependency update")
  }

  /// A render failure as findings: one per schema violation, else one for the error.
  static func findings(for error: ChartError, chart: String) -> [LintFinding] {
    switch error {
    case .schemaViolations(let file, let violations):
      violations.map { LintFinding(.error, $0.origin?.description ?? file, "\($0.path): \($0.message)") }
    case .invalidValue(let origin, let message):
      [LintFinding(.error, origin.description, message)]
    default:
      [LintFinding(.error, chart, error.description)]
    }
  }

  /// Workload kinds whose `spec.selector` must match `spec.template.metadata.labels`.
  static let workloadKinds: Set<String> = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"]

  static func objectFindings(_ rendered: RenderedManifest) -> [LintFinding] {
    var findings: [LintFinding] = []
    let identity = rendered.manifest.identity
    let content = rendered.manifest.content
    if identity.name.unicodeScalars.count > 63 {
      findings.append(LintFinding(
        .warning, rendered.place(of: ValuePath([.key("metadata"), .key("name")])),
        "\(identity.kind) name \"\(identity.name)\" is longer than 63 characters; names used as labels or host names are cut or refused there"))
    }
    guard workloadKinds.contains(identity.kind) || identity.kind == "CronJob" else { return findings }
    // A CronJob's pods are one level deeper, under its job template.
    let podSpecRoot: [ValuePath.Component] =
      identity.kind == "CronJob" ? [.key("spec"), .key("jobTemplate"), .key("spec")] : [.key("spec")]
    let templatePath = ValuePath(podSpecRoot + [.key("template")])
    if workloadKinds.contains(identity.kind), identity.kind != "Job" {
      let selectorPath = ValuePath([.key("spec"), .key("selector"), .key("matchLabels")])
      let selector = content.value(at: selectorPath)?.mapValue ?? [:]
      let labels = content.value(at: templatePath.appending(key: "metadata").appending(key: "labels"))?.mapValue ?? [:]
      if selector.isEmpty {
        findings.append(LintFinding(.error, rendered.place(of: ValuePath([.key("spec")])),
          "\(identity.kind) \(identity.name) has no spec.selector.matchLabels; Kubernetes needs one"))
      }
      for (key, value) in selector where labels[key] != value {
        findings.append(LintFinding(
          .error, rendered.place(of: selectorPath.appending(key: key)),
          "\(identity.kind) \(identity.name): selector \(key)=\(value.stringValue ?? "\(value)") does not match the pod template's labels, so Kubernetes refuses it"))
      }
    }
    for field in ["initContainers", "containers"] {
      let listPath = templatePath.appending(key: "spec").appending(key: field)
      for (index, container) in (content.value(at: listPath)?.listValue ?? []).enumerated() {
        let imagePath = listPath.appending(index: index).appending(key: "image")
        guard let image = container["image"]?.stringValue else { continue }
        if let problem = imageTagProblem(image) {
          findings.append(LintFinding(.warning, rendered.place(of: imagePath), "image \"\(image)\" \(problem)"))
        }
      }
    }
    return findings
  }

  /// Why an image reference is not pinned, or `nil` when it names a tag other than
  /// `latest` or a digest.
  static func imageTagProblem(_ image: String) -> String? {
    if image.contains("@") { return nil }
    // The tag is after the last ':' that follows the last '/', so registry ports are not tags.
    let lastPart = image.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(image)
    guard let colon = lastPart.lastIndex(of: ":") else {
      return "has no tag, so every pull may get a different image; name a version"
    }
    let tag = lastPart[lastPart.index(after: colon)...]
    return tag == "latest" ? "uses the tag latest, so every pull may get a different image; name a version" : nil
  }
}
