import FlowrelStore
import Foundation
import Testing

/// `Timestamp` writes and reads what Foundation's `ISO8601DateFormatter` (in UTC) does, without
/// making a formatter for each time.
@Suite struct TimestampTests {
  /// Times from 1970 to 9999: the edges, leap days, and a spread of others.
  static let times: [Double] = {
    var times: [Double] = [0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_763_900_000, 4_107_542_399, 253_402_300_799]
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<2000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      times.append(Double((state >> 11) % 253_402_300_800))
    }
    return times
  }()

  @Test func formatsAsFoundationsFormatter() {
    let reference = ISO8601DateFormatter()
    reference.timeZone = TimeZone(identifier: "UTC")
    for seconds in Self.times {
      let date = Date(timeIntervalSince1970: seconds)
      #expect(Timestamp.format(date) == reference.string(from: date), "at \(seconds)")
      // Within the second, as the formatter: rounded down.
      #expect(Timestamp.format(date.addingTimeInterval(0.75)) == reference.string(from: date.addingTimeInterval(0.75)))
    }
  }

  @Test func parsesAsFoundationsFormatter() {
    let reference = ISO8601DateFormatter()
    for seconds in Self.times {
      let text = Timestamp.format(Date(timeIntervalSince1970: seconds))
      #expect(Timestamp.parse(text) == reference.date(from: text), "\(text)")
    }
    for text in ["2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-12-03T24:00:00Z", "2026-12-03T19:25:44+01:00", "x", ""] {
      #expect(Timestamp.parse(text) == reference.date(from: text), "\(text)")
    }
  }
}
