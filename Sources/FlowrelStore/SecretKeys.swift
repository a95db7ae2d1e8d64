import FlowrelAge
import FlowrelValue
import FlowrelYAML
import Foundation
import GoRegex
import Synchronization

/// The GitOps engine that applies the store's release folders: it decides how
/// `kustomization.yaml` lists the SOPS-encrypted Secrets. Set in the store's `.flowrel.yaml`
/// (`gitops: flux` or `gitops: argocd`); Flux when there is none.
package enum GitOpsEngine: String, Sendable, CaseIterable {
  /// Flux's kustomize-controller, which decrypts SOPS files listed as `resources`
  /// (`spec.decryption.provider: sops`).
  case flux
  /// Argo CD with KSOPS, which decrypts the files a `ksops` generator lists.
  case argocd

  /// The store setting file, at the store folder's root.
  static let settingsFile = ".flowrel.yaml"

  /// The engine a `.flowrel.yaml` names (`gitops: ...`); Flux when it names none.
  static func parse(_ text: String, file: String) throws(StoreError) -> GitOpsEngine {
    let root: Value
    do { root = try YAML.parse(text, file: file) } catch { throw .badStoreSettings(file: file, problem: error.message) }
    guard root != .null else { return .flux }
    guard case .map(let map) = root else { throw .badStoreSettings(file: file, problem: "the top must be a map") }
    for key in map.keys where key != "gitops" {
      throw .badStoreSettings(file: file, problem: "unknown setting '\(key)' (known: gitops)")
    }
    guard let value = map["gitops"] else { return .flux }
    guard let name = value.stringValue, let engine = GitOpsEngine(rawValue: name) else {
      throw .badStoreSettings(file: file, problem: "gitops must be flux or argocd")
    }
    return engine
  }
}

/// The age identities that decrypt the store's secrets, found where sops finds them: the
/// keys in `SOPS_AGE_KEY`, the file `SOPS_AGE_KEY_FILE` names, the output of the command in
/// `SOPS_AGE_KEY_CMD` (split into words and run without a shell, as sops runs it), and sops's key file (`$XDG_CONFIG_HOME/sops/age/keys.txt`, else
/// `~/.config/sops/age/keys.txt`) when it exists; all of them together. Loaded on first use
/// (a key command may ask for a password), once.
package final class AgeKeyring: Sendable {
  private enum Source {
    case given([AgeIdentity])
    case environment([String: String])
  }

  private let source: Source
  private let loaded = Mutex<Result<[AgeIdentity], StoreError>?>(nil)

  /// Exactly these identities (tests, and a store that must not read the environment).
  package init(identities: [AgeIdentity]) { source = .given(identities) }

  /// The identities sops would use with `environment`.
  package init(environment: [String: String]) { source = .environment(environment) }

  /// The identities; empty when no source gives one.
  package func identities() throws(StoreError) -> [AgeIdentity] {
    let result = loaded.withLock { cached in
      if let cached { return cached }
      let result: Result<[AgeIdentity], StoreError>
      switch source {
      case .given(let identities): result = .success(identities)
      case .environment(let environment): result = Result { () throws(StoreError) in try Self.load(environment) }
      }
      cached = result
      return result
    }
    return try result.get()
  }

  /// sops's default key file for `environment`, or nil without `XDG_CONFIG_HOME` and `HOME`.
  package static func defaultKeyFile(_ environment: [String: String]) -> String? {
    if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/sops/age/keys.txt" }
    if let home = environment["HOME"], !home.isEmpty { return home + "/.config/sops/age/keys.txt" }
    return nil
  }

  private static func load(_ environment: [String: String]) throws(StoreError) -> [AgeIdentity] {
    var identities: [AgeIdentity] = []
    if let text = environment["SOPS_AGE_KEY"], !text.isEmpty {
      identities += try parse(text, source: "SOPS_AGE_KEY")
    }
    if let file = environment["SOPS_AGE_KEY_FILE"], !file.isEmpty {
      identities += try parse(read(file, source: "SOPS_AGE_KEY_FILE \(file)"), source: "SOPS_AGE_KEY_FILE \(file)")
    }
    if let command = environment["SOPS_AGE_KEY_CMD"], !command.isEmpty {
      identities += try parse(run(command, environment: environment), source: "the output of SOPS_AGE_KEY_CMD")
    }
    if let file = defaultKeyFile(environment), FileManager.default.fileExists(atPath: file) {
      identities += try parse(read(file, source: file), source: file)
    }
    return identities
  }

  private static func parse(_ text: String, source: String) throws(StoreError) -> [AgeIdentity] {
    do { return try AgeIdentity.parseFile(text) } catch { throw .badAgeKey(source: source, problem: error.description) }
  }

  private static func read(_ file: String, source: String) throws(StoreError) -> String {
    guard let data = FileManager.default.contents(atPath: file) else {
      throw .badAgeKey(source: source, problem: "no such file, or it cannot be read")
    }
    guard data.count <= 1 << 20 else { throw .badAgeKey(source: source, problem: "larger than 1 MiB: not an identity file") }
    return String(decoding: data, as: UTF8.self)
  }

  /// The standard output of `command`, split into words as sops splits it (spaces separate,
  /// quotes and backslashes as in a shell, no pipes or variables) and run from PATH.
  private static func run(_ command: String, environment: [String: String]) throws(StoreError) -> String {
    let source = "SOPS_AGE_KEY_CMD"
    guard let words = splitWords(command), !words.isEmpty else {
      throw .badAgeKey(source: source, problem: "the command is empty or has an unclosed quote")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["--"] + words
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { throw .badAgeKey(source: source, problem: "cannot run it: \(error.localizedDescription)") }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw .badAgeKey(source: source, problem: "the command exited with status \(process.terminationStatus)")
    }
    guard data.count <= 1 << 20 else { throw .badAgeKey(source: source, problem: "it printed more than 1 MiB") }
    return String(decoding: data, as: UTF8.self)
  }

  /// `text` split into words as a POSIX shell splits a simple command (no expansions); nil
  /// for an unclosed quote.
  package static func splitWords(_ text: String) -> [String]? {
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in text {
      if escaped {
        // Inside double quotes a backslash escapes only these; before others it stays.
        if quote == "\"", !"$`\"\\\n".contains(character) { word.append("\\") }
        word.append(character)
        escaped = false
        continue
      }
      switch (quote, character) {
      case ("'", "'"), ("\"", "\""): quote = nil
      case ("'", _): word.append(character)
      case ("\"", "\\"): escaped = true
      case ("\"", _): word.append(character)
      case (_, "'"), (_, "\""): quote = character; inWord = true
      case (_, "\\"): escaped = true; inWord = true
      case (_, " "), (_, "\t"), (_, "\n"):
        if inWord { words.append(word) }
        word = ""
        inWord = false
      default:
        word.append(character)
        inWord = true
      }
    }
    guard quote == nil, !escaped else { return nil }
    if inWord { words.append(word) }
    return words
  }
}

/// Recipients: an `--age` flag's or `FLOWREL_AGE_RECIPIENTS`'s list (commas between them),
/// each an X25519 `age1...` key (post-quantum and SSH recipients are refused by name).
package enum AgeRecipients {
  /// The environment variable with recipients.
  package static let environmentVariable = "FLOWREL_AGE_RECIPIENTS"

  /// The recipients in `texts`, each of which may hold several separated by commas.
  package static func parse(_ texts: [String], source: String) throws(StoreError) -> [AgeRecipient] {
    var out: [AgeRecipient] = []
    for text in texts {
      for part in text.split(separator: ",") {
        let trimmed = part.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { continue }
        do {
          let recipient = try AgeRecipient(parsing: trimmed)
          if !out.contains(recipient) { out.append(recipient) }
        } catch { throw .badAgeKey(source: source, problem: error.description) }
      }
    }
    return out
  }
}

/// A `.sops.yaml`, as sops reads its `creation_rules`: the first rule whose `path_regex`
/// matches a file's path (relative to the folder holding `.sops.yaml`; a rule without one
/// matches every file) gives the file's `age` recipients (a comma-separated string or a list).
package struct SOPSConfig: Sendable {
  /// The file's name.
  package static let fileName = ".sops.yaml"

  struct Rule: Sendable {
    /// Matched with Go's regular expressions (RE2), as sops matches it.
    let pathRegex: GoRegex?
    let recipients: [AgeRecipient]
    let number: Int
  }

  /// Where it was read (for messages).
  package let file: String
  let rules: [Rule]

  /// The rules of the text of the `.sops.yaml` at `file`.
  package init(text: String, file: String) throws(StoreError) {
    self.file = file
    let root: Value
    do { root = try YAML.parse(text, file: file) } catch { throw .badSOPSConfig(file: file, problem: error.message) }
    guard case .list(let entries)? = root["creation_rules"] else {
      throw .badSOPSConfig(file: file, problem: "it has no creation_rules list")
    }
    var rules: [Rule] = []
    for (index, entry) in entries.enumerated() {
      let number = index + 1
      guard case .map(let map) = entry else { throw .badSOPSConfig(file: file, problem: "creation rule \(number) is not a map") }
      var pattern: GoRegex?
      if let value = map["path_regex"] {
        guard let text = value.stringValue else {
          throw .badSOPSConfig(file: file, problem: "creation rule \(number): path_regex must be a string")
        }
        do { pattern = text.isEmpty ? nil : try GoRegex(text) } catch {
          throw .badSOPSConfig(file: file, problem: "creation rule \(number): path_regex \(text) is not a regular expression: \(error)")
        }
      }
      var texts: [String] = []
      switch map["age"] {
      case nil, .null?: break
      case .string(let text)?: texts = [text]
      case .list(let items)?:
        for item in items {
          guard let text = item.stringValue else {
            throw .badSOPSConfig(file: file, problem: "creation rule \(number): every age entry must be a string")
          }
          texts.append(text)
        }
      default: throw .badSOPSConfig(file: file, problem: "creation rule \(number): age must be a string or a list")
      }
      if texts.isEmpty, map["key_groups"] != nil {
        throw .badSOPSConfig(
          file: file, problem: "creation rule \(number) uses key_groups, which flowrel does not read: list the recipients under age")
      }
      let recipients: [AgeRecipient]
      do { recipients = try AgeRecipients.parse(texts, source: "\(file), creation rule \(number)") } catch {
        if case .badAgeKey(_, let problem) = error { throw .badSOPSConfig(file: file, problem: "creation rule \(number): \(problem)") }
        throw error
      }
      rules.append(Rule(pathRegex: pattern, recipients: recipients, number: number))
    }
    self.rules = rules
  }

  /// The recipients for the file at `path` (relative to the folder holding `.sops.yaml`).
  package func recipients(forPath path: String) throws(StoreError) -> [AgeRecipient] {
    for rule in rules {
      if let pattern = rule.pathRegex, !pattern.matches(path) { continue }
      guard !rule.recipients.isEmpty else {
        throw .badSOPSConfig(file: file, problem: "creation rule \(rule.number), which matches \(path), lists no age recipient")
      }
      return rule.recipients
    }
    throw .badSOPSConfig(file: file, problem: "no creation rule matches \(path)")
  }

  /// The `.sops.yaml` `flowrel init --age` writes: one rule for the store's files (`storeFolder`
  /// relative to the repository's top, empty for the top itself) with Flux's rule for Secrets,
  /// which sops uses for files made by hand in the store.
  package static func text(recipients: [AgeRecipient], storeFolder: String) -> String {
    let prefix = storeFolder.isEmpty ? "" : quoteMeta(storeFolder) + "/"
    let rule: Value = .map([
      "path_regex": .string("^\(prefix).*\\.yaml$"),
      "encrypted_regex": "^(data|stringData)$",
      "age": .string(recipients.map(\.description).joined(separator: ",")),
    ])
    return YAML.emit(.map(["creation_rules": .list([rule])]))
  }

  /// `text` with every regular-expression metacharacter escaped (as Go's `regexp.QuoteMeta`).
  package static func quoteMeta(_ text: String) -> String {
    var out = ""
    for character in text {
      if "\\.+*?()|[]{}^$".contains(character) { out.append("\\") }
      out.append(character)
    }
    return out
  }
}

/// What a store encrypts secrets to and decrypts them with, as the command line chose it.
package struct SecretSettings: Sendable {
  /// Recipients from `--age` / `FLOWREL_AGE_RECIPIENTS`; nil: from the repository's `.sops.yaml`.
  package var recipients: [AgeRecipient]?
  /// A `.sops.yaml` given directly (the in-memory store, which has no repository).
  package var sopsConfig: SOPSConfig?
  /// The identities that decrypt.
  package var keyring: AgeKeyring
  /// The key of flowrel's earlier `flowrel:aes256gcm:v1:` format, for reading old revisions.
  package var legacyKey: SecretKey?
  /// The GitOps engine; nil: the store's `.flowrel.yaml`, else Flux.
  package var engine: GitOpsEngine?
  /// One-line notes for the user (a store moved to the SOPS format).
  package var notice: @Sendable (String) -> Void

  /// Settings; without recipients or identities, secrets can be neither written nor read.
  package init(
    recipients: [AgeRecipient]? = nil, sopsConfig: SOPSConfig? = nil, keyring: AgeKeyring = AgeKeyring(identities: []),
    legacyKey: SecretKey? = nil, engine: GitOpsEngine? = nil, notice: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.recipients = recipients
    self.sopsConfig = sopsConfig
    self.keyring = keyring
    self.legacyKey = legacyKey
    self.engine = engine
    self.notice = notice
  }
}

/// The settings resolved for one store: recipients by file, the engine.
struct SecretContext {
  /// The recipients for a file, by its path relative to the store folder.
  let recipients: (String) throws(StoreError) -> [AgeRecipient]
  let keyring: AgeKeyring
  let legacyKey: SecretKey?
  let engine: GitOpsEngine
  let notice: @Sendable (String) -> Void
}
