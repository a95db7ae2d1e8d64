import Foundation
internal import CGit2

/// One connection to a remote: its callbacks' state, handed to libgit2 as their payload.
///
/// Credentials are found as git users have them: for ssh the keys of a running ssh-agent, then
/// `~/.ssh/id_ed25519`, `id_ecdsa` and `id_rsa`; for https what the configured git credential
/// helper gives (`git credential fill`). Each source is tried once per connection, so a refused
/// key ends in an authentication error instead of a loop.
///
/// A push checks, before anything is sent, that each remote reference still holds the value
/// the caller expects (`expected`), and collects the references the remote refused.
final class RemoteSession {
  private let environment: [String: String]
  /// The sources tried so far in this connection.
  private var tried: Set<String> = []
  /// The value each pushed remote reference must hold (nil: must not exist); references not
  /// named are not checked.
  var expected: [String: ObjectID?] = [:]
  /// The references whose remote value was not the expected one, with what was found.
  var moved: [(reference: String, found: ObjectID?)] = []
  /// What the remote refused, per reference.
  var rejected: [(reference: String, reason: String)] = []

  init(environment: [String: String] = ProcessInfo.processInfo.environment) { self.environment = environment }

  /// Installs the callbacks on `callbacks`; the session must outlive the libgit2 call.
  func install(on callbacks: inout git_remote_callbacks) {
    callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
    callbacks.credentials = { out, url, userFromURL, allowed, payload in
      guard let out, let payload else { return GIT_PASSTHROUGH.rawValue }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      return session.acquire(
        out, url: url.map { String(cString: $0) } ?? "", user: userFromURL.map { String(cString: $0) }, allowed: allowed)
    }
    // libgit2 tells which value each remote reference has right before it sends anything.
    callbacks.push_negotiation = { updates, count, payload in
      guard let updates, let payload else { return 0 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      for index in 0..<count {
        guard let update = updates[index]?.pointee, let name = update.dst_refname.map({ String(cString: $0) }),
          let expected = session.expected[name]
        else { continue }
        var source = update.src
        let found = git_oid_is_zero(&source) == 1 ? nil : ObjectID(source)
        if found != expected { session.moved.append((name, found)) }
      }
      return session.moved.isEmpty ? 0 : GIT_EUSER.rawValue
    }
    // The remote answers per reference; libgit2 only reports those answers through this callback.
    callbacks.push_update_reference = { reference, status, payload in
      guard let status, let payload else { return 0 }
      let session = Unmanaged<RemoteSession>.fromOpaque(payload).takeUnretainedValue()
      session.rejected.append((reference.map { String(cString: $0) } ?? "?", String(cString: status)))
      return 0
    }
  }

  private func firstTry(_ source: String) -> Bool { tried.insert(source).inserted }

  private func acquire(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>, url: String, user: String?,
                       allowed: UInt32) -> Int32 {
    if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0, firstTry("username") {
      return git_credential_username_new(out, user ?? "git")
    }
    if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
      let name = user ?? "git"
      if environment["SSH_AUTH_SOCK"].map({ !$0.isEmpty }) == true, firstTry("agent") {
        return git_credential_ssh_key_from_agent(out, name)
      }
      let home = environment["HOME"] ?? NSHomeDirectory()
      for key in ["id_ed25519", "id_ecdsa", "id_rsa"] {
        let privateKey = "\(home)/.ssh/\(key)"
        guard FileManager.default.fileExists(atPath: privateKey), firstTry(key) else { continue }
        let publicKey = privateKey + ".pub"
        return git_credential_ssh_key_new(
          out, name, FileManager.default.fileExists(atPath: publicKey) ? publicKey : nil, privateKey, nil)
      }
    }
    if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0, firstTry("helper"),
      let (username, password) = GitCredentialHelper.fill(url: url, user: user, environment: environment)
    {
      return git_credential_userpass_plaintext_new(out, username, password)
    }
    return GIT_PASSTHROUGH.rawValue
  }
}

/// git's credential helpers, asked through `git credential fill` as git itself asks them.
package enum GitCredentialHelper {
  /// The user name and password `git credential fill` gives for `url` (the helpers of the
  /// user's git configuration), or nil when there are none (git is not installed, or every
  /// helper declined). `environment` is git's.
  package static func fill(url: String, user: String?, environment: [String: String]) -> (user: String, password: String)? {
    guard let parsed = URLComponents(string: url), let scheme = parsed.scheme, let host = parsed.host else { return nil }
    var request = "protocol=\(scheme)\nhost=\(host)\(parsed.port.map { ":\($0)" } ?? "")\n"
    let path = parsed.path.hasPrefix("/") ? String(parsed.path.dropFirst()) : parsed.path
    if !path.isEmpty { request += "path=\(path)\n" }
    if let user = user ?? parsed.user { request += "username=\(user)\n" }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "credential", "fill"]
    process.environment = environment
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    do { try process.run() } catch { return nil }
    input.fileHandleForWriting.write(Data((request + "\n").utf8))
    try? input.fileHandleForWriting.close()
    let answer = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    var fields: [String: String] = [:]
    for line in String(decoding: answer, as: UTF8.self).split(separator: "\n") {
      guard let equals = line.firstIndex(of: "=") else { continue }
      fields[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    guard let username = fields["username"], let password = fields["password"] else { return nil }
    return (username, password)
  }
}
