import Foundation
import GoTemplate

// Sprig's date functions (date.md) with Go's layouts (`2006-01-02T15:04:05Z07:00`).
// flowrel shows times in UTC where Go would use the machine's local zone, so that output
// does not depend on the machine. Anything that reads the clock (`now`, `ago`, `date` of a
// value that is not a time) is refused unless the execution allows nondeterminism.

extension Library {
  mutating func addDates() {
    addNondeterministic("now") { a in
      try a.expectCount(0)
      return .object(TimeObject(time: GoTime(Date(), zone: utc)))
    }
    addNondeterministic("ago") { a in
      try a.expectCount(1)
      let now = Date().timeIntervalSince1970
      let since = now - (timeArgument(a[0]).map { Double($0.seconds) } ?? now)
      // Go's time.Since saturates at the largest duration.
      let nanoseconds = (since * 1e9).rounded()
      let clamped = nanoseconds >= 9.2e18 ? Int64.max : nanoseconds <= -9.2e18 ? Int64.min : Int64(nanoseconds)
      return .string(GoDuration.string(clamped / 1_000_000_000 * 1_000_000_000))
    }
    add(["date"], formatting: { a in (layout: try a.string(at: 0), date: a[1], zone: "Local") }, count: 2)
    add(["dateInZone", "date_in_zone"], formatting: { a in (layout: try a.string(at: 0), date: a[1], zone: try a.string(at: 2)) }, count: 3)
    add(["htmlDate"], formatting: { a in (layout: "2006-01-02", date: a[0], zone: "Local") }, count: 1)
    add(["htmlDateInZone"], formatting: { a in (layout: "2006-01-02", date: a[0], zone: try a.string(at: 1)) }, count: 2)
    add(["dateModify", "date_modify"], plain: { a in
      try a.expectCount(2)
      let time = try a.time(at: 1)
      guard let delta = GoDuration.parse(try a.string(at: 0)) else { return .object(TimeObject(time: time)) }
      return .object(TimeObject(time: time.adding(nanoseconds: delta)))
    })
    add(["mustDateModify", "must_date_modify"], plain: { a in
      try a.expectCount(2)
      let text = try a.string(at: 0), time = try a.time(at: 1)
      guard let delta = GoDuration.parse(text) else { throw failure("time: invalid duration \(GoFormat.quote(text))") }
      return .object(TimeObject(time: time.adding(nanoseconds: delta)))
    })
    add("toDate", plain: { a in
      try a.expectCount(2)
      let time = (try? GoTime.parse(try a.string(at: 0), try a.string(at: 1), zone: utc)) ?? .zero
      return .object(TimeObject(time: time))
    })
    add("mustToDate", plain: { a in
      try a.expectCount(2)
      return .object(TimeObject(time: try GoTime.parse(try a.string(at: 0), try a.string(at: 1), zone: utc)))
    })
    add("unixEpoch", plain: { a in try a.expectCount(1); return .string(String(try a.time(at: 0).seconds)) })
    // Sprig reads only strings and int64 here (an `int` or `float64` is 0s, as in Helm).
    add("duration", plain: { a in
      try a.expectCount(1)
      let seconds: Int64
      switch a[0] {
      case .string(let s): seconds = parseGoInteger(s, base: 10) ?? 0
      case .int64(let n): seconds = n
      default: seconds = 0
      }
      return .string(GoDuration.string(seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue))
    })
    addUsingExecution("durationRound") { a, environment in
      try a.expectCount(1)
      let nanoseconds: Int64
      switch a[0] {
      case .string(let s): nanoseconds = GoDuration.parse(s) ?? 0
      case .int64(let n): nanoseconds = n
      case .object(let object as TimeObject):
        // The time since a time reads the clock.
        guard environment.options.flag(HelmFunctions.allowNondeterministic) else {
          throw HelmFunctionsError(
            "durationRound of a time measures the time since it, which differs on every render, so flowrel refuses it: "
              + "a re-render must not make a diff (pass --allow-nondeterministic to allow it)")
        }
        nanoseconds = (Int64(Date().timeIntervalSince1970) &- object.time.seconds) &* 1_000_000_000
      default: nanoseconds = 0
      }
      return .string(roundedDuration(nanoseconds.magnitude))
    }
  }

  /// Adds a date-formatting function; it reads the clock (and so needs the nondeterminism
  /// flag) only when the date argument is not a time or a Unix timestamp, as Sprig uses `now` then.
  private mutating func add(
    _ names: [String], formatting read: @escaping @Sendable (TemplateArguments) throws -> (layout: String, date: TemplateValue, zone: String),
    count: Int
  ) {
    for name in names {
      addUsingExecution(name) { a, environment in
        try a.expectCount(count)
        let (layout, date, zoneName) = try read(a)
        let zone = zoneName == "Local" ? utc : TimeZone(identifier: zoneName) ?? utc
        if let time = timeArgument(date) { return .string(time.shown(in: zone).format(layout)) }
        guard environment.options.flag(HelmFunctions.allowNondeterministic) else {
          throw HelmFunctionsError(
            "\(name) of \(date.isNil ? "nil" : "a \(date.goTypeName)") formats the current time, which differs on every "
              + "render, so flowrel refuses it: a re-render must not make a diff (pass a time, or --allow-nondeterministic)")
        }
        return .string(GoTime(Date(), zone: zone).format(layout))
      }
    }
  }
}

/// A `time.Time` argument, or a Unix timestamp given as an integer, as Sprig's date functions take them.
private func timeArgument(_ value: TemplateValue) -> GoTime? {
  switch value {
  case .object(let object as TimeObject): return object.time
  case .int(let seconds), .int64(let seconds): return GoTime(seconds: seconds, nanoseconds: 0, offset: 0, zoneName: "UTC")
  default: return nil
  }
}

extension TemplateArguments {
  /// Argument `index` as a Go `time.Time` parameter receives it.
  func time(at index: Int) throws(TemplateError) -> GoTime {
    if case .object(let object as TimeObject) = self[index] { return object.time }
    throw Self.typeError(self[index], expected: "time.Time")
  }
}

/// Sprig's `durationRound`: the largest whole unit (`y`, `mo`, `d`, `h`, `m`, `s`) a duration exceeds.
private func roundedDuration(_ u: UInt64) -> String {
  let second: UInt64 = 1_000_000_000, minute = 60 * second, hour = 60 * minute, day = 24 * hour
  let units: [(UInt64, String)] = [(365 * day, "y"), (30 * day, "mo"), (day, "d"), (hour, "h"), (minute, "m"), (second, "s")]
  for (size, name) in units where u > size { return "\(u / size)\(name)" }
  return "0s"
}
