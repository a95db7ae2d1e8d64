import FlowrelKube
import Testing

@Suite struct GoDurationTests {
  @Test(arguments: [
    ("30s", Int64(30_000_000_000)), ("5m", 300_000_000_000), ("1h30m", 5_400_000_000_000),
    ("1.5s", 1_500_000_000), ("300ms", 300_000_000), ("0", 0), ("0s", 0), ("-1.5h", -5_400_000_000_000),
    ("+2m", 120_000_000_000), ("1h2m3s4ms5us6ns", 3_723_004_005_006), ("10µs", 10_000), ("10μs", 10_000),
    (".5s", 500_000_000), ("1.s", 1_000_000_000), ("2562047h47m16.854775807s", Int64.max),
  ])
  func parsesGoSyntax(text: String, nanoseconds: Int64) throws {
    #expect(try GoDuration(parsing: text).nanoseconds == nanoseconds)
  }

  @Test(arguments: [
    ("", "it is empty; write a number and a unit, e.g. 30s, 5m or 1h30m"),
    ("30", "\"30\" has no unit; add one of ns, us, ms, s, m, h (e.g. 30s)"),
    ("5x", "unknown unit \"x\"; use ns, us, ms, s, m or h"),
    ("1d", "unknown unit \"d\"; use ns, us, ms, s, m or h"),
    ("s", "expected a number at \"s\""),
    ("1.2.3s", "\"1.2.3\" is not a number"),
    ("-", "it is empty; write a number and a unit, e.g. 30s, 5m or 1h30m"),
    ("3000000h", "it is longer than Go allows (about 2562047h)"),
  ])
  func rejectsWithAReason(text: String, reason: String) {
    #expect(throws: KubeError.invalidDuration(text, reason: reason)) { try GoDuration(parsing: text) }
  }

  @Test(arguments: [
    (Int64(0), "0s"), (1, "1ns"), (1_500, "1.5µs"), (300_000_000, "300ms"), (1_500_000_000, "1.5s"),
    (90_000_000_000, "1m30s"), (5_400_000_000_000, "1h30m0s"), (3_600_000_000_000, "1h0m0s"),
    (-1_500_000_000, "-1.5s"), (3_723_004_005_006, "1h2m3.004005006s"),
  ])
  func printsAsGoDoes(nanoseconds: Int64, text: String) throws {
    let duration = GoDuration(nanoseconds: nanoseconds)
    #expect(duration.description == text)
    #expect(try GoDuration(parsing: text) == duration)
  }

  @Test func invalidDurationMessageNamesTheInput() {
    let error = KubeError.invalidDuration("5x", reason: "unknown unit \"x\"; use ns, us, ms, s, m or h")
    #expect(error.description == "invalid duration \"5x\": unknown unit \"x\"; use ns, us, ms, s, m or h")
  }
}
