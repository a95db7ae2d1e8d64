import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's paths.md: Go's `path` package (and `filepath`, the same on Unix).
@Suite struct PathsTests {
  @Test func documentedExamples() throws {
    #expect(try show("base", "foo/bar/baz") == "baz")
    #expect(try show("dir", "/foo/bar/baz") == "/foo/bar")
    #expect(try show("clean", "foo/bar/../baz") == "foo/baz")
    #expect(try show("ext", "foo.bar") == ".bar")
    #expect(try show("isAbs", "/foo") == "true")
    #expect(try show("isAbs", "foo") == "false")
  }

  @Test func edgeCasesFollowGo() throws {
    #expect(try show("base", "") == ".")
    #expect(try show("base", "///") == "/")
    #expect(try show("base", "a/b/") == "b")
    #expect(try show("dir", "") == ".")
    #expect(try show("dir", "a") == ".")
    #expect(try show("dir", "/a") == "/")
    #expect(try show("dir", "a/b/") == "a/b")
    #expect(try show("clean", "") == ".")
    #expect(try show("clean", "/../a//b/./c/") == "/a/b/c")
    #expect(try show("clean", "../../a/..") == "../..")
    #expect(try show("ext", "a.b/c") == "")
    #expect(try show("ext", "archive.tar.gz") == ".gz")
  }

  @Test func osVariantsExist() throws {
    #expect(try show("osBase", "a/b") == "b")
    #expect(try show("osDir", "a/b") == "a")
    #expect(try show("osClean", "a//b") == "a/b")
    #expect(try show("osExt", "a.txt") == ".txt")
    #expect(try show("osIsAbs", "/a") == "true")
  }
}

/// Sprig's url.md.
@Suite struct URLTests {
  @Test func urlParseSplitsLikeGo() throws {
    #expect(
      try show("urlParse", "http://admin:secret@server.com:8080/api?list=false#anchor")
        == "map[fragment:anchor host:server.com:8080 hostname:server.com opaque: path:/api query:list=false scheme:http userinfo:admin:secret]"
    )
    #expect(try show("urlParse", "mailto:me@example.com") == "map[fragment: host: hostname: opaque:me@example.com path: query: scheme:mailto userinfo:]")
    #expect(try show("urlParse", "/a%20b?x=1") == "map[fragment: host: hostname: opaque: path:/a b query:x=1 scheme: userinfo:]")
    #expect(try show("urlParse", "https://[::1]:80/") == "map[fragment: host:[::1]:80 hostname:::1 opaque: path:/ query: scheme:https userinfo:]")
    #expect(failure("urlParse", "http://x/%zz")?.hasPrefix("unable to parse url:") == true)
  }

  @Test func urlJoinAssemblesLikeGo() throws {
    let parts: Entries = [
      "fragment": "fragment", "host": "host:80", "path": "/path", "query": "query", "scheme": "http",
    ]
    #expect(try show("urlJoin", .map(.init(parts))) == "http://host:80/path?query#fragment")
    #expect(try show("urlJoin", ["scheme": "https", "host": "h", "path": "a b", "userinfo": "u:p"]) == "https://u:p@h/a%20b")
    #expect(try show("urlJoin", ["scheme": "mailto", "opaque": "me@x"]) == "mailto:me@x")
    #expect(failure("urlJoin", ["host": 1]) == "interface conversion: interface {} is int, not string")
  }
}
