import GoTemplate
import OrderedCollections

// Sprig's URL functions (url.md): Go's `net/url` parse and re-assembly.

extension Library {
  mutating func addURLs() {
    add("urlParse", plain: { a in
      try a.expectCount(1)
      let url = try GoURL(parsing: try a.string(at: 0))
      let entries: Entries = [
        "scheme": .string(url.scheme), "host": .string(url.host), "hostname": .string(url.hostname),
        "path": .string(url.path), "query": .string(url.rawQuery), "opaque": .string(url.opaque),
        "fragment": .string(url.fragment), "userinfo": .string(url.userinfo),
      ]
      return .map(TemplateMap(entries))
    })
    add("urlJoin", plain: { a in
      try a.expectCount(1)
      let map = try a.map(at: 0)
      // Sprig reads each part with a type assertion to string; anything else is a panic.
      func part(_ key: String) throws(HelmFunctionsError) -> String {
        guard let value = map[key] else { return "" }
        guard case .string(let s) = value else {
          throw failure("interface conversion: interface {} is \(value.isNil ? "nil" : value.goTypeName), not string")
        }
        return s
      }
      var url = GoURL()
      url.scheme = try part("scheme")
      url.host = try part("host")
      url.path = try part("path")
      url.rawQuery = try part("query")
      url.opaque = try part("opaque")
      url.fragment = try part("fragment")
      url.userinfo = try part("userinfo")
      return .string(url.string)
    })
  }
}

/// The parts of a URL as Go's `url.Parse` splits them (path and fragment unescaped).
struct GoURL {
  var scheme = "", opaque = "", userinfo = "", host = "", path = "", rawQuery = "", fragment = ""

  init() {}

  init(parsing text: String) throws(HelmFunctionsError) {
    func bad(_ why: String) -> HelmFunctionsError { failure("unable to parse url: parse \(GoFormat.quote(text)): \(why)") }
    var rest = Substring(text)
    if let hash = rest.firstIndex(of: "#") {
      fragment = try Self.unescape(rest[rest.index(after: hash)...], bad)
      rest = rest[..<hash]
    }
    if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isASCII, first.isLetter,
      rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) })
    {
      scheme = rest[..<colon].lowercased()
      rest = rest[rest.index(after: colon)...]
    } else if rest.first == ":" {
      throw bad("missing protocol scheme")
    }
    if let question = rest.firstIndex(of: "?") {
      rawQuery = String(rest[rest.index(after: question)...])
      rest = rest[..<question]
    }
    if !scheme.isEmpty, !rest.hasPrefix("/") {
      opaque = String(rest)
      return
    }
    if rest.hasPrefix("//") {
      rest = rest.dropFirst(2)
      let end = rest.firstIndex(of: "/") ?? rest.endIndex
      var authority = rest[..<end]
      rest = rest[end...]
      if let at = authority.lastIndex(of: "@") {
        userinfo = String(authority[..<at])
        authority = authority[authority.index(after: at)...]
      }
      host = try Self.unescape(authority, bad)
    }
    path = try Self.unescape(rest, bad)
  }

  /// Go's `URL.Hostname`: the host without port and IPv6 brackets.
  var hostname: String {
    if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
      return String(host[host.index(after: host.startIndex)..<close])
    }
    if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
    return host
  }

  /// Go's `URL.String`.
  var string: String {
    var out = ""
    if !scheme.isEmpty { out += scheme + ":" }
    if !opaque.isEmpty {
      out += opaque
    } else {
      if !scheme.isEmpty || !host.isEmpty || !userinfo.isEmpty {
        if !host.isEmpty || !path.isEmpty || !userinfo.isEmpty { out += "//" }
        if !userinfo.isEmpty { out += userinfo + "@" }
        out += host
      }
      let escaped = Self.escape(path, keeping: "$&+,/:;=@")
      if !escaped.isEmpty, !escaped.hasPrefix("/"), !host.isEmpty { out += "/" }
      out += escaped
    }
    if !rawQuery.isEmpty { out += "?" + rawQuery }
    if !fragment.isEmpty { out += "#" + Self.escape(fragment, keeping: "$&+,/:;=@!()*?") }
    return out
  }

  /// Percent-escapes bytes other than letters, digits, `-_.~` and `keeping`.
  static func escape(_ s: String, keeping: String) -> String {
    var out = ""
    for byte in s.utf8 {
      let c = Character(Unicode.Scalar(byte))
      if byte < 0x80, c.isLetter || c.isNumber || "-_.~".contains(c) || keeping.contains(c) {
        out.append(c)
      } else {
        out += "%" + hexDigits(UInt64(byte), width: 2).uppercased()
      }
    }
    return out
  }

  /// `%XX` sequences decoded; a malformed one fails with Go's `invalid URL escape "%zz"`.
  static func unescape(
    _ s: Substring, _ bad: (String) -> HelmFunctionsError
  ) throws(HelmFunctionsError) -> String {
    let input = Array(s.utf8)
    var bytes: [UInt8] = []
    var i = 0
    while i < input.count {
      if input[i] == UInt8(ascii: "%") {
        let escape = input[i..<min(i + 3, input.count)]
        guard escape.count == 3, let value = UInt8(String(decoding: escape.dropFirst(), as: UTF8.self), radix: 16) else {
          throw bad("invalid URL escape \(GoFormat.quote(String(decoding: escape, as: UTF8.self)))")
        }
        bytes.append(value)
        i += 3
      } else {
        bytes.append(input[i])
        i += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
