import GoTemplate
import Testing

@testable import HelmFunctions

/// Sprig's date.md with Go's layouts. Times are shown in UTC (flowrel's deterministic stand-in
/// for Go's local zone).
@Suite struct DateTests {
  /// 2017-12-31 15:04:05.123456789 UTC, a Sunday.
  let time = TemplateValue.object(TimeObject(time: GoTime(seconds: 1_514_732_645, nanoseconds: 123_456_789, offset: 0, zoneName: "UTC")))

  @Test func documentedExamples() throws {
    #expect(try show("date", "2006-01-02", time) == "2017-12-31")
    #expect(try show("dateInZone", "2006-01-02", time, "UTC") == "2017-12-31")
    #expect(try show("duration", "95") == "1m35s")
    #expect(try show("durationRound", "2h10m5s") == "2h")
    #expect(try show("durationRound", "510h10m5s") == "21d")
    #expect(try show("unixEpoch", time) == "1514732645")
    #expect(try show("date", "02/01/2006", try call("toDate", "2006-01-02", "2017-12-31")) == "31/12/2017")
    #expect(try show("htmlDate", time) == "2017-12-31")
    #expect(try show("htmlDateInZone", time, "UTC") == "2017-12-31")
  }

  @Test func goLayoutElements() throws {
    #expect(try show("date", "Mon Jan _2 15:04:05 MST 2006", time) == "Sun Dec 31 15:04:05 UTC 2017")
    #expect(try show("date", "Monday, January 2, 2006 3:04PM", time) == "Sunday, December 31, 2017 3:04PM")
    #expect(try show("date", "06-1-2 03:4:5 pm", time) == "17-12-31 03:4:5 pm")
    #expect(try show("date", "2006-01-02T15:04:05Z07:00", time) == "2017-12-31T15:04:05Z")
    #expect(try show("date", "2006-01-02T15:04:05-0700", time) == "2017-12-31T15:04:05+0000")
    #expect(try show("date", "15:04:05.000", time) == "15:04:05.123")
    #expect(try show("date", "15:04:05.999999999", time) == "15:04:05.123456789")
    #expect(try show("date", "05,00", time) == "05,12")
    #expect(try show("date", "002 __2", time) == "365 365")
    #expect(try show("date", "Janet Monkey", time) == "Janet Monkey")
  }

  @Test func zonesShiftTheWallClock() throws {
    #expect(try show("dateInZone", "2006-01-02 15:04 -07:00", time, "Asia/Tokyo") == "2018-01-01 00:04 +09:00")
    #expect(try show("dateInZone", "15:04 -0700", time, "No/Such_Zone") == "15:04 +0000")
    #expect(try show("dateInZone", "15:04", time, "America/New_York") == "10:04")
  }

  @Test func zoneAbbreviationsComeFromTheTzDatabase() throws {
    #expect(ZoneDatabase.abbreviation(zone: "Europe/Berlin", at: 1_500_000_000, offset: 7200) == "CEST")
    #expect(ZoneDatabase.abbreviation(zone: "Europe/Berlin", at: 1_514_732_645, offset: 3600) == "CET")
    // Past the file's last transition the offset picks the type.
    #expect(ZoneDatabase.abbreviation(zone: "Europe/Berlin", at: 4_102_444_800, offset: 3600) == "CET")
    #expect(ZoneDatabase.abbreviation(zone: "../../etc/passwd", at: 0, offset: 0) == nil)
    #expect(ZoneDatabase.abbreviation(zone: "No/Such_Zone", at: 0, offset: 0) == nil)
    #expect(try show("dateInZone", "MST", time, "America/New_York") == "EST")
  }

  @Test func unixTimestampsAreTimes() throws {
    #expect(try show("date", "2006-01-02 15:04:05", 0) == "1970-01-01 00:00:00")
    #expect(try show("date", "2006-01-02", .int64(86400 * 365)) == "1971-01-01")
    #expect(try show("date", "2006-01-02", -86400) == "1969-12-31")
  }

  @Test func extremeTimestampsDoNotCrash() throws {
    #expect(try show("date", "2006", .int64(Int64.max)).isEmpty == false)
    #expect(try show("date", "2006", .int64(Int64.min)).isEmpty == false)
    #expect(try show("dateInZone", "2006", .int64(Int64.max), "Asia/Tokyo").isEmpty == false)
  }

  @Test func timesPrintAsGoPrintsThem() throws {
    #expect(goFormat(time) == "2017-12-31 15:04:05.123456789 +0000 UTC")
    #expect(try show("toDate", "2006-01-02", "not a date") == "0001-01-01 00:00:00 +0000 UTC")
    #expect(time.goTypeName == "time.Time")
    #expect(try show("kindOf", time) == "struct")
  }

  @Test func toDateParsesGoLayouts() throws {
    #expect(try show("unixEpoch", try call("toDate", "2006-01-02T15:04:05Z07:00", "2017-12-31T15:04:05+01:00")) == "1514729045")
    #expect(try show("unixEpoch", try call("toDate", "Jan _2 2006 3:04PM", "Dec  1 2017 1:00AM")) == "1512090000")
    #expect(try show("date", "15:04:05.000", try call("toDate", "2006-01-02 15:04:05", "2017-12-31 10:00:00.5")) == "10:00:00.500")
    #expect(try show("date", "2006-01-02 15:04", try call("toDate", "02/01/06 15:04", "31/12/17 23:59")) == "2017-12-31 23:59")
  }

  @Test func mustToDateReportsGoErrors() {
    #expect(
      failure("mustToDate", "2006-01-02", "2017-13-01") == "parsing time \"2017-13-01\": month out of range")
    #expect(
      failure("mustToDate", "2006-01-02", "17-12-31")
        == "parsing time \"17-12-31\" as \"2006-01-02\": cannot parse \"2-31\" as \"2006\"")
    #expect(failure("mustToDate", "2006-01-02", "2017-12-31x") == "parsing time \"2017-12-31x\": extra text: \"x\"")
    #expect(failure("mustToDate", "2006-01-02", "2017-02-29") == "parsing time \"2017-02-29\": day out of range")
  }

  @Test func dateModifyAddsGoDurations() throws {
    #expect(try show("date", "15:04:05", try call("dateModify", "-1.5h", time)) == "13:34:05")
    #expect(try show("date", "15:04:05", try call("date_modify", "90m", time)) == "16:34:05")
    #expect(try show("date", "15:04:05", try call("dateModify", "bogus", time)) == "15:04:05")
    #expect(failure("mustDateModify", "bogus", time) == "time: invalid duration \"bogus\"")
    #expect(failure("dateModify", "1h", "2017-01-01") == "wrong type for value; expected time.Time; got string")
  }

  @Test func durationsPrintAsGoPrintsThem() throws {
    #expect(try show("duration", .int64(3600)) == "1h0m0s")
    #expect(try show("duration", .int64(90061)) == "25h1m1s")
    // Sprig reads only strings and int64: an int (or Helm's float64) is 0s.
    #expect(try show("duration", 95) == "0s")
    #expect(try show("duration", 95.0) == "0s")
    #expect(try show("duration", "-5") == "-5s")
    #expect(try show("duration", "abc") == "0s")
    #expect(GoDuration.string(1_500_000) == "1.5ms")
    #expect(GoDuration.string(1_500) == "1.5µs")
    #expect(GoDuration.string(12) == "12ns")
    #expect(GoDuration.string(61_500_000_000) == "1m1.5s")
    #expect(GoDuration.parse("1h2m3.5s") == 3_723_500_000_000)
    #expect(GoDuration.parse("1.5") == nil)
    #expect(GoDuration.parse("300ms") == 300_000_000)
  }

  @Test func durationRoundPicksTheLargestUnit() throws {
    #expect(try show("durationRound", "0s") == "0s")
    #expect(try show("durationRound", "61s") == "1m")
    #expect(try show("durationRound", "800h") == "1mo")
    #expect(try show("durationRound", "9000h") == "1y")
    #expect(try show("durationRound", .int64(3_000_000_000)) == "3s")
    #expect(try show("durationRound", 3_000_000_000) == "0s")
    #expect(failure("durationRound", time)?.contains("durationRound of a time measures the time since it") == true)
  }

  @Test func timeMethods() throws {
    guard case .object(let object) = time else { return }
    func field(_ name: String) -> String? {
      if case .field(let value)? = object.member(named: name) { return goFormat(value) }
      return nil
    }
    #expect(field("Unix") == "1514732645")
    #expect(field("Year") == "2017")
    #expect(field("Month") == "December")
    #expect(field("Weekday") == "Sunday")
    #expect(field("YearDay") == "365")
    #expect(object.member(named: "Nope") == nil ? true : false)
  }
}

