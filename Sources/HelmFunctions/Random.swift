import Foundation
import GoTemplate

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// Sprig's random functions (strings.md, math.md, uuid.md, crypto.md) and the network look-up
// (network.md). Their output changes from run to run, so they are refused unless the
// execution allows nondeterminism; `getHostByName` answers "" unless DNS is enabled, as in Helm.

extension Library {
  mutating func addRandom() {
    let letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", digits = "0123456789"
    let ascii = String(String.UnicodeScalarView((32...126).compactMap(Unicode.Scalar.init)))
    for (name, alphabet) in [("randAlphaNum", letters + digits), ("randAlpha", letters), ("randNumeric", digits), ("randAscii", ascii)] {
      let characters = Array(alphabet)
      addNondeterministic(name) { a in
        try a.expectCount(1)
        let count = try a.int(at: 0)
        guard count >= 0 else { return "" }
        try checkLength(count)
        var generator = SystemRandomNumberGenerator()
        return .string(String((0..<count).map { _ in characters.randomElement(using: &generator) ?? "a" }))
      }
    }
    addNondeterministic("randInt") { a in
      try a.expectCount(2)
      let low = try a.int(at: 0), high = try a.int(at: 1)
      guard high > low else { throw failure("invalid argument to Intn") }
      return .int(Int64.random(in: low..<high))
    }
    addNondeterministic("randBytes") { a in
      try a.expectCount(1)
      let count = try a.int(at: 0)
      guard count >= 0 else { throw failure("randBytes: negative count \(count)") }
      try checkLength(count)
      var generator = SystemRandomNumberGenerator()
      return .string(Base.base64.encode((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }
    addNondeterministic("uuidv4") { a in
      try a.expectCount(0)
      return .string(UUID().uuidString.lowercased())
    }
    addNondeterministic("shuffle") { a in
      try a.expectCount(1)
      return .string(String(String.UnicodeScalarView(try a.string(at: 0).unicodeScalars.shuffled())))
    }
    addUsingExecution("getHostByName") { a, environment in
      try a.expectCount(1)
      let name = try a.string(at: 0)
      guard environment.options.flag(HelmFunctions.enableDNS) else { return "" }
      guard let address = resolve(name) else {
        throw failure("runtime error: index out of range [0] with length 0 (no address found for \(GoFormat.quote(name)))")
      }
      return .string(address)
    }
  }
}

/// Refuses strings longer than `maximumListLength`, which would exhaust memory.
private func checkLength(_ count: Int64) throws(HelmFunctionsError) {
  guard count <= maximumListLength else {
    throw failure("a random string of \(count) characters is more than flowrel allows (\(maximumListLength))")
  }
}

/// The first address `getaddrinfo` gives for `name`, in text form, or `nil`.
private func resolve(_ name: String) -> String? {
  var hints = addrinfo()
  hints.ai_family = AF_UNSPEC
  #if canImport(Glibc)
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
  #else
    hints.ai_socktype = SOCK_STREAM
  #endif
  var list: UnsafeMutablePointer<addrinfo>?
  guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return nil }
  defer { freeaddrinfo(list) }
  var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
  guard getnameinfo(first.pointee.ai_addr, first.pointee.ai_addrlen, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
  else { return nil }
  return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
