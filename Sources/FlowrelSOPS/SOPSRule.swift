import FlowrelValue
import GoRegex

/// Which values of a document SOPS encrypts, decided by the keys on the value's path (list
/// positions do not count). One rule is stored in the file's `sops` block.
package enum SOPSRule: Sendable, Hashable {
  /// Encrypt values under a key the regular expression matches (anywhere in the key, as
  /// Go's `regexp.MatchString`; anchor it with `^...$`).
  case encryptedRegex(String)
  /// Encrypt every value except those under a key the regular expression matches.
  case unencryptedRegex(String)
  /// Encrypt values under a key with this suffix.
  case encryptedSuffix(String)
  /// Encrypt every value except those under a key with this suffix (sops's default rule
  /// is `_unencrypted`).
  case unencryptedSuffix(String)

  /// Kubernetes Secrets: only `data` and `stringData` (the rule Flux's documentation uses),
  /// so `apiVersion`, `kind` and `metadata` stay readable.
  package static let kubernetesSecret = SOPSRule.encryptedRegex("^(data|stringData)$")

  /// The `sops` block's entry for this rule.
  var metadataEntry: (key: String, value: String) {
    switch self {
    case .encryptedRegex(let r): ("encrypted_regex", r)
    case .unencryptedRegex(let r): ("unencrypted_regex", r)
    case .encryptedSuffix(let s): ("encrypted_suffix", s)
    case .unencryptedSuffix(let s): ("unencrypted_suffix", s)
    }
  }

  /// The rule stored in a `sops` block; `_unencrypted` suffix when none is, as sops reads it.
  static func from(metadata: [String: Value]) throws(SOPSError) -> SOPSRule {
    var rules: [SOPSRule] = []
    for (key, make) in [
      ("encrypted_regex", SOPSRule.encryptedRegex), ("unencrypted_regex", SOPSRule.unencryptedRegex),
      ("encrypted_suffix", SOPSRule.encryptedSuffix), ("unencrypted_suffix", SOPSRule.unencryptedSuffix),
    ] {
      guard let value = metadata[key] else { continue }
      guard case .string(let text) = value else { throw .invalidMetadata("\(key) must be a string") }
      if !text.isEmpty { rules.append(make(text)) }
    }
    for key in ["encrypted_comment_regex", "unencrypted_comment_regex"] where metadata[key] != nil {
      throw .invalidMetadata("\(key) (encrypted YAML comments) is not supported by flowrel")
    }
    guard rules.count <= 1 else {
      throw .invalidMetadata("it holds more than one of encrypted_regex, unencrypted_regex, encrypted_suffix and unencrypted_suffix")
    }
    return rules.first ?? .unencryptedSuffix("_unencrypted")
  }
}

/// A rule ready to apply: its regular expression compiled once, with Go's syntax and meaning
/// (RE2), as sops compiles it.
struct RuleMatcher {
  let rule: SOPSRule
  private let regex: GoRegex?

  init(_ rule: SOPSRule) throws(SOPSError) {
    self.rule = rule
    switch rule {
    case .encryptedRegex(let pattern), .unencryptedRegex(let pattern):
      do { regex = try GoRegex(pattern) } catch { throw .invalidRule("\(pattern) is not a valid regular expression: \(error)") }
    case .encryptedSuffix, .unencryptedSuffix:
      regex = nil
    }
  }

  /// Whether a value under these keys is encrypted.
  func isEncrypted(_ keys: [String]) -> Bool {
    switch rule {
    case .encryptedRegex: keys.contains(where: matches)
    case .unencryptedRegex: !keys.contains(where: matches)
    case .encryptedSuffix(let suffix): keys.contains { $0.hasSuffix(suffix) }
    case .unencryptedSuffix(let suffix): !keys.contains { $0.hasSuffix(suffix) }
    }
  }

  private func matches(_ key: String) -> Bool {
    regex?.matches(key) ?? false
  }
}
