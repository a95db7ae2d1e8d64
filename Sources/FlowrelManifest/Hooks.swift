import FlowrelValue

/// When a chart hook runs: Helm's `helm.sh/hook` events.
package enum HookEvent: String, Sendable, Hashable, CaseIterable {
  /// Before the release's objects of a first install are applied.
  case preInstall = "pre-install"
  /// After the release's objects of a first install are applied.
  case postInstall = "post-install"
  /// Before the objects of an upgrade are applied.
  case preUpgrade = "pre-upgrade"
  /// After the objects of an upgrade are applied.
  case postUpgrade = "post-upgrade"
  /// Before a rollback's objects are applied.
  case preRollback = "pre-rollback"
  /// After a rollback's objects are applied.
  case postRollback = "post-rollback"
  /// Before an uninstall deletes the release's objects.
  case preDelete = "pre-delete"
  /// After an uninstall deleted the release's objects.
  case postDelete = "post-delete"
  /// Run by `flowrel test` (Helm's `helm test`).
  case test

  /// The event an annotation names, as Helm reads it (trimmed, any case; `test-success` is
  /// Helm 2's name of `test`, which Helm 3 still accepts); nil for a name Helm does not know.
  package init?(annotation name: String) {
    let word = Hook.trimmed(name).lowercased()
    if word == "test-success" {
      self = .test
    } else if let event = HookEvent(rawValue: word) {
      self = event
    } else {
      return nil
    }
  }
}

/// When a hook's object is deleted: Helm's `helm.sh/hook-delete-policy` values.
package enum HookDeletePolicy: String, Sendable, Hashable, CaseIterable {
  /// Before the hook's object is created again (the default when the annotation is absent).
  case beforeHookCreation = "before-hook-creation"
  /// After every hook of the event succeeded.
  case hookSucceeded = "hook-succeeded"
  /// Right after the hook failed.
  case hookFailed = "hook-failed"
}

/// One chart hook: an object the release does not own, applied at its events, waited on until
/// it is done, and deleted by its policies (Helm's `release.Hook`).
package struct Hook: Sendable, Hashable {
  /// The annotation naming the events.
  package static let eventsAnnotation = "helm.sh/hook"
  /// The annotation giving the weight (an integer; lower runs first).
  package static let weightAnnotation = "helm.sh/hook-weight"
  /// The annotation naming the delete policies.
  package static let deletePolicyAnnotation = "helm.sh/hook-delete-policy"
  /// The annotation that keeps an object when the release would delete it.
  package static let resourcePolicyAnnotation = "helm.sh/resource-policy"

  /// The object.
  package let manifest: Manifest
  /// The template that wrote it (`chart/templates/job.yaml`), shown as `# Source:`.
  package let template: String
  /// The events it runs at, as annotated.
  package let events: [HookEvent]
  /// Its weight: hooks of an event run by weight, then kind, then name.
  package let weight: Int
  /// The delete policies as annotated (trimmed, lower case; values Helm does not know are kept
  /// and never match, as in Helm).
  package let deletePolicies: [String]

  /// A hook from its parts.
  package init(manifest: Manifest, template: String, events: [HookEvent], weight: Int, deletePolicies: [String]) {
    self.manifest = manifest
    self.template = template
    self.events = events
    self.weight = weight
    self.deletePolicies = deletePolicies
  }

  /// What an object is to a release, read from its annotations as Helm's manifest sorter reads them.
  package enum Role: Sendable, Hashable {
    /// A plain object of the release.
    case object
    /// A hook.
    case hook(Hook)
    /// An object whose `helm.sh/hook` names an event Helm does not know: Helm leaves it out of
    /// the release altogether (and logs it), so flowrel does too, and says so.
    case unknownHook(String)
  }

  /// Whether `manifest` (written by `template`) is a hook. An annotation that is not a string
  /// is refused, as Helm's reading of the annotations refuses it; an unparsable weight is 0.
  package static func role(of manifest: Manifest, template: String) throws(ManifestError) -> Role {
    guard let value = manifest.content["metadata"]?["annotations"]?[eventsAnnotation] else { return .object }
    let events = try annotation(value, eventsAnnotation, manifest)
    var parsed: [HookEvent] = []
    for word in events.split(separator: ",", omittingEmptySubsequences: false) {
      guard let event = HookEvent(annotation: String(word)) else { return .unknownHook(events) }
      parsed.append(event)
    }
    var weight = 0
    if let text = manifest.content["metadata"]?["annotations"]?[weightAnnotation] {
      weight = goAtoi(try annotation(text, weightAnnotation, manifest)) ?? 0
    }
    var policies: [String] = []
    if let text = manifest.content["metadata"]?["annotations"]?[deletePolicyAnnotation] {
      policies = try annotation(text, deletePolicyAnnotation, manifest).split(separator: ",", omittingEmptySubsequences: false)
        .map { trimmed($0).lowercased() }
    }
    return .hook(Hook(manifest: manifest, template: template, events: parsed, weight: weight, deletePolicies: policies))
  }

  private static func annotation(_ value: Value, _ key: String, _ manifest: Manifest) throws(ManifestError) -> String {
    guard case .string(let text) = value else {
      throw .wrongType("metadata.annotations[\(key)]", kind: manifest.identity.kind, found: value.kindName)
    }
    return text
  }

  /// The text without white space at either end, as Go's `strings.TrimSpace`.
  static func trimmed<Text: StringProtocol>(_ text: Text) -> String {
    String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
  }

  /// Go's `strconv.Atoi`: an optional sign and decimal digits that fit 64 bits, nothing else.
  static func goAtoi(_ text: String) -> Int? {
    var digits = Substring(text)
    var negative = false
    if let sign = digits.first, sign == "+" || sign == "-" {
      negative = sign == "-"
      digits = digits.dropFirst()
    }
    guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let magnitude = Int(digits) else {
      // Int("9223372036854775808") is nil, but "-9223372036854775808" fits.
      return negative && digits == "9223372036854775808" ? Int.min : nil
    }
    return negative ? -magnitude : magnitude
  }

  /// Whether the hook's object is deleted at `policy`: as annotated, or when it names no
  /// policy, before it is created again (Helm's default).
  package func deletes(at policy: HookDeletePolicy) -> Bool {
    // Helm never deletes a CustomResourceDefinition hook: the cascade would remove every object of it.
    guard manifest.identity.kind != "CustomResourceDefinition" else { return false }
    return deletePolicies.isEmpty ? policy == .beforeHookCreation : deletePolicies.contains(policy.rawValue)
  }

  /// Whether an object carries `helm.sh/resource-policy: keep`: the release never deletes it
  /// (not on uninstall, not when an upgrade drops it).
  package static func isKept(_ manifest: Manifest) -> Bool {
    guard let policy = manifest.content["metadata"]?["annotations"]?[resourcePolicyAnnotation]?.stringValue else { return false }
    return trimmed(policy).lowercased() == "keep"
  }

  /// The hooks of `event` in the order Helm runs them (`pkg/action/hooks.go`): by weight, then
  /// by the kind's place in the install order (kinds it does not list last, among themselves
  /// by kind), then by name; namespace and apiVersion settle what Helm leaves to chance.
  package static func runOrder(_ hooks: [Hook], for event: HookEvent) -> [Hook] {
    hooks.filter { $0.events.contains(event) }.sorted(by: runsBefore)
  }

  private static let kindRank: [String: Int] = Dictionary(
    KindOrder.install.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })

  /// Helm's hook order, made total.
  static func runsBefore(_ a: Hook, _ b: Hook) -> Bool {
    if a.weight != b.weight { return a.weight < b.weight }
    let x = a.manifest.identity
    let y = b.manifest.identity
    let rankX = kindRank[x.kind] ?? KindOrder.install.count
    let rankY = kindRank[y.kind] ?? KindOrder.install.count
    if rankX != rankY { return rankX < rankY }
    if x.kind != y.kind { return x.kind < y.kind }
    if x.name != y.name { return x.name < y.name }
    if x.namespace != y.namespace { return (x.namespace ?? "") < (y.namespace ?? "") }
    return x.apiVersion < y.apiVersion
  }
}
