import FlowrelValue

/// Helm's `lookup` on kubectl: the API server's own answers through `kubectl get --raw`, found
/// as Helm's dynamic client finds them (the kind's resource from the API version's discovery
/// document, then a get or a list of that resource).
extension Kubectl {
  package func lookup(apiVersion: String, kind: String, namespace: String, name: String) async throws(KubeError) -> Value {
    let base = try Self.apiPath(apiVersion)
    guard let discovery = try await raw(base) else { throw .unservedAPIVersion(apiVersion) }
    // As Helm: the first resource of the kind that is not a subresource (`deployments/scale`).
    let resource = discovery["resources"]?.listValue?.first { entry in
      entry["kind"]?.stringValue == kind && entry["name"]?.stringValue.map { !$0.contains("/") } == true
    }
    guard let resource, let plural = resource["name"]?.stringValue else { return .emptyMap }
    var path = base
    if resource["namespaced"] == .bool(true) && !namespace.isEmpty { path += "/namespaces/" + Self.pathSegment(namespace) }
    path += "/" + Self.pathSegment(plural)
    if !name.isEmpty { path += "/" + Self.pathSegment(name) }
    guard let found = try await raw(path) else { return .emptyMap }
    return name.isEmpty ? Self.listWithKindedItems(found) : found
  }

  /// `/api/v1` or `/apis/GROUP/VERSION`: where the API version's resources are served.
  static func apiPath(_ apiVersion: String) throws(KubeError) -> String {
    let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { throw .invalidAPIVersion(apiVersion) }
    return (parts.count == 1 ? "/api/" : "/apis/") + parts.map { pathSegment(String($0)) }.joined(separator: "/")
  }

  /// The JSON the API server answers for `path`, or nil when it answers Not Found.
  private func raw(_ path: String) async throws(KubeError) -> Value? {
    let command = "kubectl get --raw \(path)"
    let output = try await run(["get", "--raw", path], namespaced: false)
    guard output.exitCode == 0 else {
      if Self.unreachable(output.stderr) == nil, output.stderr.contains("(NotFound)") { return nil }
      throw failure(output, command: command)
    }
    do {
      return try Value(jsonText: output.stdout)
    } catch {
      throw .unexpectedOutput(command: command, reason: error.description)
    }
  }

  /// A list as client-go's decoder leaves it: each item that carries neither `apiVersion` nor
  /// `kind` (the API server leaves them out of typed lists) gets the list's version and its
  /// kind without `List`.
  static func listWithKindedItems(_ list: Value) -> Value {
    guard case .map(var entries) = list, let items = entries["items"]?.listValue else { return list }
    let version = entries["apiVersion"] ?? .string("")
    var kind = entries["kind"]?.stringValue ?? ""
    if kind.hasSuffix("List") { kind.removeLast(4) }
    entries["items"] = .list(items.map { item in
      guard case .map(var fields) = item, fields["apiVersion"] == nil, fields["kind"] == nil else { return item }
      fields["kind"] = .string(kind)
      fields["apiVersion"] = version
      return .map(fields)
    })
    return .map(entries)
  }

  /// `text` as one segment of a URL path: unreserved characters as they are, others escaped.
  static func pathSegment(_ text: String) -> String {
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:@".utf8)
    var out = ""
    for byte in text.utf8 {
      if plain.contains(byte) {
        out.append(Character(Unicode.Scalar(byte)))
      } else {
        out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
      }
    }
    return out
  }
}

extension String {
  /// The text with `0`s in front up to `width` characters.
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
