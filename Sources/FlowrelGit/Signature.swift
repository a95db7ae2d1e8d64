import Foundation
internal import CGit2

/// Who made a commit, and when (with the time zone they were in).
package struct Signature: Sendable, Equatable {
  /// The person's name.
  package var name: String
  /// The person's email address.
  package var email: String
  /// The moment, to the second.
  package var time: Date
  /// The time zone as minutes east of UTC (`+0200` is 120).
  package var offsetMinutes: Int

  /// A signature; `time` is truncated to whole seconds, as git stores it.
  package init(name: String, email: String, time: Date, offsetMinutes: Int = 0) {
    self.name = name
    self.email = email
    self.time = Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
    self.offsetMinutes = offsetMinutes
  }

  /// Which of a commit's two signatures is meant.
  package enum Role: String, Sendable {
    /// The person who wrote the change (`GIT_AUTHOR_*`, `author.*`).
    case author
    /// The person who recorded the commit (`GIT_COMMITTER_*`, `committer.*`).
    case committer
  }

  /// The name used when neither the environment nor git configuration gives one.
  package static let defaultName = "flowrel"
  /// The email used when neither the environment nor git configuration gives one.
  package static let defaultEmail = "flowrel@localhost"

  /// The signature git would use for `role`, each part resolved on its own:
  /// name from `GIT_<ROLE>_NAME`, else `<role>.name` or `user.name` in `config`, else `defaultName`;
  /// email from `GIT_<ROLE>_EMAIL`, else `<role>.email` or `user.email`, else `EMAIL`, else
  /// `defaultEmail`; time from `GIT_<ROLE>_DATE` (git's `@seconds +zone`, ISO 8601 or RFC 2822
  /// forms), else `now` in `timeZone`. The environment is a parameter, so callers pass
  /// `ProcessInfo.processInfo.environment` and tests pass their own.
  package static func resolve(
    _ role: Role, environment: [String: String], config: GitConfig?, now: Date, timeZone: TimeZone = .current
  ) throws(GitError) -> Signature {
    let prefix = "GIT_\(role.rawValue.uppercased())_"
    func setting(_ variable: String, _ keys: [String]) throws(GitError) -> String? {
      if let value = environment[variable], !value.isEmpty { return value }
      for key in keys {
        if let value = try config?.string(key), !value.isEmpty { return value }
      }
      return nil
    }
    let name = try setting(prefix + "NAME", ["\(role.rawValue).name", "user.name"]) ?? defaultName
    var email = try setting(prefix + "EMAIL", ["\(role.rawValue).email", "user.email"])
    if email == nil, let fallback = environment["EMAIL"], !fallback.isEmpty { email = fallback }
    guard let dateText = environment[prefix + "DATE"], !dateText.isEmpty else {
      let offset = timeZone.secondsFromGMT(for: now) / 60
      return Signature(name: name, email: email ?? defaultEmail, time: now, offsetMinutes: offset)
    }
    guard let (seconds, offset) = GitDate.parse(dateText, timeZone: timeZone) else {
      throw GitError(
        GIT_EINVALID, function: "Signature.resolve",
        message: "\(prefix)DATE: cannot read '\(dateText)' as a date (use '@<seconds> +0000' or ISO 8601)")
    }
    return Signature(name: name, email: email ?? defaultEmail, time: Date(timeIntervalSince1970: Double(seconds)),
                     offsetMinutes: offset)
  }

  init(_ signature: UnsafePointer<git_signature>) {
    let sig = signature.pointee
    self.init(
      name: sig.name.map { String(cString: $0) } ?? "", email: sig.email.map { String(cString: $0) } ?? "",
      time: Date(timeIntervalSince1970: Double(sig.when.time)), offsetMinutes: Int(sig.when.offset))
  }

  /// Calls `body` with a libgit2 copy of the signature, freed afterwards.
  func withGitSignature<T>(_ body: (UnsafePointer<git_signature>?) throws(GitError) -> T) throws(GitError) -> T {
    var sig: UnsafeMutablePointer<git_signature>?
    try GitError.check(
      git_signature_new(&sig, name, email, git_time_t(time.timeIntervalSince1970), Int32(offsetMinutes)),
      "git_signature_new", "invalid signature '\(name) <\(email)>'")
    defer { git_signature_free(sig) }
    return try body(UnsafePointer(sig))
  }
}

/// The date forms git accepts in `GIT_AUTHOR_DATE` and `GIT_COMMITTER_DATE` that people use.
enum GitDate {
  private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

  /// Seconds since the epoch and the zone offset in minutes, or nil when `text` is no date.
  /// A form without a zone is read in `timeZone`.
  static func parse(_ text: String, timeZone: TimeZone) -> (Int64, Int)? {
    let text = text.trimmingCharacters(in: .whitespaces)
    // git's own form: `@1700000000 +0100` or `1700000000 +0100`.
    if let m = text.wholeMatch(of: /@?(\d{1,12})(?:\s+([+-]\d{4}))?/) {
      guard let seconds = Int64(m.1) else { return nil }
      let offset = m.2.flatMap { zoneMinutes(String($0)) } ?? 0
      return (seconds, offset)
    }
    // ISO 8601: `2005-04-07T22:13:13+02:00`, `2005-04-07 22:13:13 +0200`, `...Z`.
    if let m = text.wholeMatch(
      of: /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?/)
    {
      return civil(
        year: Int(m.1), month: Int(m.2), day: Int(m.3), hour: Int(m.4), minute: Int(m.5),
        second: m.6.map { Int($0) } ?? 0, zone: m.7.map(String.init), timeZone: timeZone)
    }
    // RFC 2822: `Thu, 07 Apr 2005 22:13:13 +0200`.
    if let m = text.wholeMatch(
      of: /(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|Z|GMT|UTC)?/)
    {
      guard let month = months.firstIndex(of: m.2.lowercased()) else { return nil }
      return civil(
        year: Int(m.3), month: month + 1, day: Int(m.1), hour: Int(m.4), minute: Int(m.5),
        second: m.6.map { Int($0) } ?? 0, zone: m.7.map(String.init), timeZone: timeZone)
    }
    return nil
  }

  /// Minutes east of UTC for `Z`, `UTC`, `GMT`, `+0200` or `+02:00`.
  private static func zoneMinutes(_ zone: String) -> Int? {
    if ["Z", "UTC", "GMT"].contains(zone) { return 0 }
    let digits = zone.dropFirst().filter { $0 != ":" }
    guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)), minutes < 60
    else { return nil }
    return (zone.hasPrefix("-") ? -1 : 1) * (hours * 60 + minutes)
  }

  private static func civil(
    year: Int?, month: Int?, day: Int?, hour: Int?, minute: Int?, second: Int?, zone: String?, timeZone: TimeZone
  ) -> (Int64, Int)? {
    guard let year, let month, let day, let hour, let minute, let second,
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    let local = Int64(daysFromCivil(year, month, day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    let offset: Int
    if let zone {
      guard let minutes = zoneMinutes(zone) else { return nil }
      offset = minutes
    } else {
      offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))) / 60
    }
    return (local - Int64(offset) * 60, offset)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
  private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}
