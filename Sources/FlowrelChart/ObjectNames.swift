import FlowrelManifest

/// The rules Kubernetes' API server applies to `metadata.name`, kind by kind (each kind's
/// `ValidateObjectMeta` name function), checked before anything reaches the cluster so that
/// the message can name the template, the rule and what breaks it.
enum ObjectNames {
  /// One of Kubernetes' name rules.
  enum Rule: Equatable {
    /// RFC 1123 subdomain: lowercase letters, digits, `-` and `.`, at most 253 characters,
    /// each dot-separated part starting and ending with a letter or digit. Most kinds, and
    /// every custom resource.
    case dns1123Subdomain(maximum: Int)
    /// RFC 1123 label: lowercase letters, digits and `-`, at most 63 characters, starting and
    /// ending with a letter or digit (`Namespace`; `StatefulSet`, whose pods take its name
    /// as their host name).
    case dns1123Label
    /// RFC 1035 label: an RFC 1123 label that starts with a letter (`Service`, whose name
    /// becomes a DNS name and environment variables).
    case dns1035Label
    /// A valid path segment: anything but `.` and `..`, without `/` or `%` (the RBAC kinds,
    /// so that `system:aggregate-to-view` is a valid ClusterRole name).
    case pathSegment

    /// How messages name the rule.
    var name: String {
      switch self {
      case .dns1123Subdomain: "DNS-1123 subdomain"
      case .dns1123Label: "DNS-1123 label"
      case .dns1035Label: "DNS-1035 label"
      case .pathSegment: "path segment"
      }
    }

    /// What a name under the rule must look like.
    var summary: String {
      switch self {
      case .dns1123Subdomain(let maximum):
        "lowercase letters, digits, '-' and '.', at most \(maximum) characters, each part between dots starting and ending with a letter or digit"
      case .dns1123Label: "lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit"
      case .dns1035Label: "lowercase letters, digits and '-', at most 63 characters, starting with a letter and ending with a letter or digit"
      case .pathSegment: "any text but '.' and '..', without '/' or '%'"
      }
    }
  }

  /// The rule of the kinds that do not use the most common one, by API group and kind
  /// (a custom resource of the same kind name in another group is a DNS-1123 subdomain).
  static let rules: [String: [String: Rule]] = [
    "": ["Namespace": .dns1123Label, "Service": .dns1035Label],
    "apps": ["StatefulSet": .dns1123Label],
    // The CronJob controller names its Jobs `NAME-TIMESTAMP` (11 characters), within 63.
    "batch": ["CronJob": .dns1123Subdomain(maximum: 52)],
    "rbac.authorization.k8s.io": [
      "Role": .pathSegment, "ClusterRole": .pathSegment, "RoleBinding": .pathSegment, "ClusterRoleBinding": .pathSegment,
    ],
  ]

  /// The rule for names of `identity`'s group and kind.
  static func rule(for identity: ObjectIdentity) -> Rule {
    rules[identity.group]?[identity.kind] ?? .dns1123Subdomain(maximum: 253)
  }

  /// What is wrong with the object's name, or `nil` when Kubernetes would accept it.
  static func problem(with identity: ObjectIdentity) -> String? {
    let rule = rule(for: identity)
    guard let reason = violation(of: rule, by: identity.name) else { return nil }
    return "\(identity.kind) name \"\(identity.name)\" is not a valid \(rule.name), Kubernetes' rule for \(identity.kind) names: "
      + "\(reason) (a \(rule.name) is \(rule.summary))"
  }

  /// Why `name` breaks `rule`, or `nil` when it keeps it.
  static func violation(of rule: Rule, by name: String) -> String? {
    if name.isEmpty { return "it is empty" }
    switch rule {
    case .pathSegment:
      if name == "." || name == ".." { return "it is '\(name)'" }
      let forbidden = ["/", "%"].filter(name.contains)
      return forbidden.isEmpty ? nil : "it contains " + forbidden.map { "'\($0)'" }.joined(separator: " and ")
    case .dns1123Subdomain(let maximum):
      if let long = tooLong(name, maximum: maximum) { return long }
      for part in name.split(separator: ".", omittingEmptySubsequences: false) {
        if part.isEmpty { return "it has an empty part between dots (or a dot at its start or end)" }
        if let reason = labelViolation(String(part), letterFirst: false) {
          return part.count == name.count ? reason : "its part \"\(part)\" \(reason.dropFirst("it ".count))"
        }
      }
      return nil
    case .dns1123Label, .dns1035Label:
      if let long = tooLong(name, maximum: 63) { return long }
      return labelViolation(name, letterFirst: rule == .dns1035Label)
    }
  }

  /// The reason when `name` has more than `maximum` characters.
  private static func tooLong(_ name: String, maximum: Int) -> String? {
    let count = name.unicodeScalars.count
    return count > maximum ? "it has \(count) characters, more than \(maximum)" : nil
  }

  /// Why `text` is not a label (lowercase letters, digits and inner `-`; a letter first when
  /// `letterFirst`), or `nil` when it is one. The length is checked by the caller.
  private static func labelViolation(_ text: String, letterFirst: Bool) -> String? {
    let allowed: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    if let bad = text.unicodeScalars.first(where: { !allowed($0) }) {
      let what = ("A"..."Z").contains(bad) ? "an uppercase letter" : "a character that is not allowed"
      return "it contains \(what), '\(bad)'"
    }
    guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return "it is empty" }
    if letterFirst && !("a"..."z").contains(first) { return "it starts with '\(first)', not a letter" }
    if first == "-" { return "it starts with '-'" }
    if last == "-" { return "it ends with '-'" }
    return nil
  }

  /// Lowercase letters, digits and `-`, not starting or ending with `-`, at most `maximum`
  /// (a DNS-1123 label when `maximum` is 63).
  static func isLabel(_ text: String, maximum: Int = 63) -> Bool {
    tooLong(text, maximum: maximum) == nil && labelViolation(text, letterFirst: false) == nil
  }
}
