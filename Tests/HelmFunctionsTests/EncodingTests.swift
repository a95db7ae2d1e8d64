import Testing

@testable import HelmFunctions

/// Sprig's encoding.md: base64 and base32 (Go's StdEncoding, padded).
@Suite struct EncodingTests {
  @Test func documentedRoundTrips() throws {
    #expect(try show("b64enc", "hello") == "aGVsbG8=")
    #expect(try show("b64dec", "aGVsbG8=") == "hello")
    #expect(try show("b32enc", "hello") == "NBSWY3DP")
    #expect(try show("b32dec", "NBSWY3DP") == "hello")
  }

  @Test func paddingAndUnicode() throws {
    #expect(try show("b64enc", "") == "")
    #expect(try show("b64enc", "a") == "YQ==")
    #expect(try show("b64enc", "ab") == "YWI=")
    #expect(try show("b64enc", "é✓") == "w6ninJM=")
    #expect(try show("b64dec", "w6nin\nJM=") == "é✓")
    #expect(try show("b32enc", "a") == "ME======")
    #expect(try show("b32dec", "ME======") == "a")
  }

  @Test func badInputReturnsGosErrorText() throws {
    #expect(try show("b64dec", "a$") == "illegal base64 data at input byte 1")
    #expect(try show("b64dec", "YQ") == "illegal base64 data at input byte 0")
    #expect(try show("b64dec", "YQ==YQ==") == "illegal base64 data at input byte 4")
    #expect(try show("b32dec", "1") == "illegal base32 data at input byte 0")
  }

  @Test func argumentsMustBeStrings() {
    #expect(failure("b64enc", 5) == "wrong type for value; expected string; got int")
  }
}

/// Sprig's crypto.md: the hashes flowrel provides, and the generators it refuses.
@Suite struct CryptoTests {
  @Test func hashes() throws {
    #expect(try show("sha1sum", "Hello world!") == "d3486ae9136e7856bc42212385ea797094475802")
    #expect(try show("sha256sum", "Hello world!") == "c0535e4be2b79ffd93291305436bf889314e4a3faec05ecffcbb7df31ad9e51a")
    #expect(
      try show("sha512sum", "Hello world!")
        == "f6cde2a0f819314cdde55fc227d8d7dae3d28cc556222a0a8ad66d91ccad4aad6094f517a2182360c9aacf6a3dc323162cb6fd8cdffedb0fe038f55e85ffb5b6"
    )
    #expect(try show("adler32sum", "Hello world!") == "487130206")
    #expect(try show("adler32sum", "") == "1")
    #expect(try show("sha256sum", "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
  }
}
