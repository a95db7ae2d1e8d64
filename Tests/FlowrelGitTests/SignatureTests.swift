import Foundation
import FlowrelGit
import Testing

@Suite struct SignatureTests {
  let now = Date(timeIntervalSince1970: 1_800_000_000)
  let utc = TimeZone(identifier: "UTC") ?? .current

  /// A configuration file with `settings` (key, value), written with the git CLI.
  func config(_ box: Sandbox, _ settings: [(String, String)]) throws -> GitConfig {
    for (key, value) in settings {
      try box.git(["config", "-f", box.path("test.gitconfig"), key, value], in: box.path(""))
    }
    return try GitConfig.file(box.path("test.gitconfig"))
  }

  @Test func environmentVariablesWinOverConfiguration() throws {
    let box = try Sandbox()
    let config = try config(box, [("user.name", "Config User"), ("user.email", "config@example.com")])
    let environment = [
      "GIT_AUTHOR_NAME": "Env Author", "GIT_AUTHOR_EMAIL": "author@example.com", "GIT_AUTHOR_DATE": "@1700000000 +0130",
      "GIT_COMMITTER_NAME": "Env Committer",
    ]
    let author = try Signature.resolve(.author, environment: environment, config: config, now: now, timeZone: utc)
    #expect(author == Signature(name: "Env Author", email: "author@example.com",
                                time: Date(timeIntervalSince1970: 1_700_000_000), offsetMinutes: 90))
    let committer = try Signature.resolve(.committer, environment: environment, config: config, now: now, timeZone: utc)
    #expect(committer == Signature(name: "Env Committer", email: "config@example.com", time: now, offsetMinutes: 0))
  }

  @Test func configurationWhenTheEnvironmentIsSilent() throws {
    let box = try Sandbox()
    let config = try config(
      box, [("user.name", "Config User"), ("user.email", "config@example.com"), ("committer.name", "Robot")])
    let author = try Signature.resolve(.author, environment: ["EMAIL": "ignored@example.com"], config: config, now: now)
    #expect(author.name == "Config User")
    #expect(author.email == "config@example.com")
    #expect(author.time == now)
    let committer = try Signature.resolve(.committer, environment: [:], config: config, now: now)
    #expect(committer.name == "Robot")
  }

  @Test func flowrelDefaultWithoutEnvironmentOrConfiguration() throws {
    let box = try Sandbox()
    let empty = try GitConfig.file(box.path("none.gitconfig"))
    let fixed = TimeZone(secondsFromGMT: -5 * 3600) ?? .current
    let author = try Signature.resolve(.author, environment: [:], config: empty, now: now, timeZone: fixed)
    #expect(author == Signature(name: "flowrel", email: "flowrel@localhost", time: now, offsetMinutes: -300))
    let withEmail = try Signature.resolve(.committer, environment: ["EMAIL": "me@example.com"], config: nil, now: now)
    #expect(withEmail.name == "flowrel")
    #expect(withEmail.email == "me@example.com")
  }

  @Test(arguments: [
    "1112904793 +0200", "@1112904793 +0200", "2005-04-07T22:13:13+02:00", "2005-04-07 22:13:13 +0200",
    "Thu, 07 Apr 2005 22:13:13 +0200", "7 Apr 2005 22:13:13 +0200",
  ])
  func dateForms(_ text: String) throws {
    let signature = try Signature.resolve(
      .author, environment: ["GIT_AUTHOR_DATE": text], config: nil, now: now, timeZone: utc)
    #expect(signature.time == Date(timeIntervalSince1970: 1_112_904_793))
    #expect(signature.offsetMinutes == 120)
  }

  @Test func isoDateWithoutZoneIsReadInTheGivenZone() throws {
    let signature = try Signature.resolve(
      .committer, environment: ["GIT_COMMITTER_DATE": "2005-04-07T20:13:13Z"], config: nil, now: now)
    #expect(signature.time == Date(timeIntervalSince1970: 1_112_904_793))
    let zoned = TimeZone(secondsFromGMT: 3600) ?? utc
    let local = try Signature.resolve(
      .committer, environment: ["GIT_COMMITTER_DATE": "2005-04-07 21:13:13"], config: nil, now: now, timeZone: zoned)
    #expect(local.time == Date(timeIntervalSince1970: 1_112_904_793))
    #expect(local.offsetMinutes == 60)
  }

  @Test func anUnreadableDateNamesTheVariable() {
    let error = #expect(throws: GitError.self) {
      try Signature.resolve(.author, environment: ["GIT_AUTHOR_DATE": "yesterday"], config: nil, now: now)
    }
    #expect(error?.reason == .invalid)
    #expect(error?.message.hasPrefix("GIT_AUTHOR_DATE: cannot read 'yesterday' as a date") == true)
  }
}
