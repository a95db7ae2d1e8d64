import Foundation
import GoTemplate

/// An instant with a zone, as Go's `time.Time` (what `now` and `toDate` return and `date`
/// formats): seconds since the Unix epoch, nanoseconds, and the zone it is shown in.
struct GoTime: Sendable {
  var seconds: Int64
  var nanoseconds: Int64
  /// Seconds east of UTC.
  var offset: Int
  /// The zone's abbreviation (`UTC`, `CET`), as `MST` in a layout prints it.
  var zoneName: String

  /// Go's zero time, `0001-01-01 00:00:00 +0000 UTC`, which a failed `toDate` returns.
  static let zero = GoTime(seconds: -62_135_596_800, nanoseconds: 0, offset: 0, zoneName: "UTC")

  /// The instant `date` shown in `zone`.
  init(_ date: Date, zone: TimeZone) {
    let interval = date.timeIntervalSince1970
    let whole = interval.rounded(.down)
    self.init(seconds: Int64(whole), nanoseconds: Int64(((interval - whole) * 1e9).rounded()), offset: 0, zoneName: "UTC")
    self = shown(in: zone)
  }

  init(seconds: Int64, nanoseconds: Int64, offset: Int, zoneName: String) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
    self.offset = offset
    self.zoneName = zoneName
  }

  /// The same instant shown in `zone` (Go's `In`).
  func shown(in zone: TimeZone) -> GoTime {
    let date = Date(timeIntervalSince1970: TimeInterval(seconds))
    let offset = zone.secondsFromGMT(for: date)
    let name =
      zone.identifier == "UTC" || zone.identifier == "GMT"
      ? "UTC" : ZoneDatabase.abbreviation(zone: zone.identifier, at: seconds, offset: offset) ?? zone.abbreviation(for: date) ?? ""
    return GoTime(seconds: seconds, nanoseconds: nanoseconds, offset: offset, zoneName: name)
  }

  /// The instant plus `nanoseconds` (Go's `Add`).
  func adding(nanoseconds delta: Int64) -> GoTime {
    let total = nanoseconds + delta % 1_000_000_000
    var copy = self
    copy.seconds = copy.seconds &+ delta / 1_000_000_000 &+ (total < 0 ? -1 : total >= 1_000_000_000 ? 1 : 0)
    copy.nanoseconds = (total % 1_000_000_000 + 1_000_000_000) % 1_000_000_000
    return copy
  }

  /// The civil fields in the time's own zone.
  var civil: Civil { Civil(localSeconds: seconds &+ Int64(offset)) }
}

/// Year, month, day, time of day and weekday of a count of seconds since 1970-01-01 00:00.
struct Civil {
  var year: Int64, month: Int, day: Int, hour: Int, minute: Int, second: Int
  /// 0 is Sunday.
  var weekday: Int
  /// 1-based day of the year.
  var yearDay: Int

  init(localSeconds: Int64) {
    // Floor division that cannot overflow, even at the ends of Int64.
    var days = localSeconds / 86400, secondOfDay = Int(localSeconds % 86400)
    if secondOfDay < 0 {
      days -= 1
      secondOfDay += 86400
    }
    hour = secondOfDay / 3600
    minute = secondOfDay / 60 % 60
    second = secondOfDay % 60
    weekday = Int(((days % 7) + 11) % 7)
    // Days to civil date (proleptic Gregorian), after H. Hinnant's algorithm.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    day = Int(doy - (153 * mp + 2) / 5 + 1)
    month = Int(mp < 10 ? mp + 3 : mp - 9)
    year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    yearDay = Civil.daysBeforeMonth(month, year: year) + day
  }

  static func isLeap(_ year: Int64) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

  static func daysBeforeMonth(_ month: Int, year: Int64) -> Int {
    let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
    return before[month - 1] + (month > 2 && isLeap(year) ? 1 : 0)
  }

  /// Days since 1970-01-01 of a civil date.
  static func days(year: Int64, month: Int, day: Int) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let m = Int64(month)
    let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}

/// The pieces of a Go time layout (`2006-01-02T15:04:05Z07:00`).
enum LayoutToken: Equatable {
  case literal(String)
  case longMonth, month, numMonth, zeroMonth
  case longWeekday, weekday
  case day, underDay, zeroDay, underYearDay, zeroYearDay
  case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
  case longYear, year
  case pm(upper: Bool)
  /// A numeric zone; `z` writes `Z` for UTC; `colons` and `seconds` choose the form.
  case zone(z: Bool, minutes: Bool, colons: Bool, seconds: Bool)
  case zoneName
  /// Fractional seconds: `.000` (fixed) or `.999` (trailing zeros trimmed), with `.` or `,`.
  case fraction(digits: Int, fixed: Bool, separator: Character)

  static let monthNames = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ]
  static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

  /// Go's `nextStdChunk`, applied to the whole layout.
  static func parse(_ layout: String) -> [LayoutToken] {
    let c = Array(layout)
    var tokens: [LayoutToken] = []
    var literal = ""
    var i = 0
    func has(_ s: String, at j: Int) -> Bool {
      let s = Array(s)
      return j + s.count <= c.count && Array(c[j..<(j + s.count)]) == s
    }
    func lowerAt(_ j: Int) -> Bool { j < c.count && c[j].isLowercase && c[j].isASCII }
    func emit(_ token: LayoutToken, _ length: Int) {
      if !literal.isEmpty { tokens.append(.literal(literal)); literal = "" }
      tokens.append(token)
      i += length
    }
    while i < c.count {
      let ch = c[i]
      switch ch {
      case "J" where has("January", at: i): emit(.longMonth, 7); continue
      case "J" where has("Jan", at: i) && !lowerAt(i + 3): emit(.month, 3); continue
      case "M" where has("Monday", at: i): emit(.longWeekday, 6); continue
      case "M" where has("Mon", at: i) && !lowerAt(i + 3): emit(.weekday, 3); continue
      case "M" where has("MST", at: i): emit(.zoneName, 3); continue
      case "0" where i + 1 < c.count && ("1"..."6").contains(c[i + 1]):
        let next: [Character: LayoutToken] = ["1": .zeroMonth, "2": .zeroDay, "3": .zeroHour12, "4": .zeroMinute, "5": .zeroSecond, "6": .year]
        emit(next[c[i + 1]] ?? .year, 2); continue
      case "0" where has("002", at: i): emit(.zeroYearDay, 3); continue
      case "1" where has("15", at: i): emit(.hour, 2); continue
      case "1": emit(.numMonth, 1); continue
      case "2" where has("2006", at: i): emit(.longYear, 4); continue
      case "2": emit(.day, 1); continue
      case "_" where has("_2006", at: i):
        literal += "_"; i += 1; emit(.longYear, 4); continue
      case "_" where has("_2", at: i): emit(.underDay, 2); continue
      case "_" where has("__2", at: i): emit(.underYearDay, 3); continue
      case "3": emit(.hour12, 1); continue
      case "4": emit(.minute, 1); continue
      case "5": emit(.second, 1); continue
      case "P" where has("PM", at: i): emit(.pm(upper: true), 2); continue
      case "p" where has("pm", at: i): emit(.pm(upper: false), 2); continue
      case "-", "Z":
        let z = ch == "Z"
        if has("\(ch)070000", at: i) { emit(.zone(z: z, minutes: true, colons: false, seconds: true), 7); continue }
        if has("\(ch)07:00:00", at: i) { emit(.zone(z: z, minutes: true, colons: true, seconds: true), 9); continue }
        if has("\(ch)0700", at: i) { emit(.zone(z: z, minutes: true, colons: false, seconds: false), 5); continue }
        if has("\(ch)07:00", at: i) { emit(.zone(z: z, minutes: true, colons: true, seconds: false), 6); continue }
        if has("\(ch)07", at: i) { emit(.zone(z: z, minutes: false, colons: false, seconds: false), 3); continue }
      case ".", ",":
        if i + 1 < c.count, c[i + 1] == "0" || c[i + 1] == "9" {
          let digit = c[i + 1]
          var j = i + 1
          while j < c.count, c[j] == digit { j += 1 }
          if !(j < c.count && c[j].isASCII && c[j].isNumber) {
            emit(.fraction(digits: j - i - 1, fixed: digit == "0", separator: ch), j - i)
            continue
          }
        }
      default: break
      }
      literal.append(ch)
      i += 1
    }
    if !literal.isEmpty { tokens.append(.literal(literal)) }
    return tokens
  }
}

extension GoTime {
  /// Go's `Time.Format(layout)`.
  func format(_ layout: String) -> String {
    let t = civil
    var out = ""
    func pad(_ n: Int64, _ width: Int, _ filler: Character = "0") -> String {
      let digits = String(n.magnitude)
      return (n < 0 ? "-" : "") + String(repeating: filler, count: max(0, width - digits.count)) + digits
    }
    for token in LayoutToken.parse(layout) {
      switch token {
      case .literal(let s): out += s
      case .longMonth: out += LayoutToken.monthNames[t.month - 1]
      case .month: out += LayoutToken.monthNames[t.month - 1].prefix(3)
      case .numMonth: out += String(t.month)
      case .zeroMonth: out += pad(Int64(t.month), 2)
      case .longWeekday: out += LayoutToken.weekdayNames[t.weekday]
      case .weekday: out += LayoutToken.weekdayNames[t.weekday].prefix(3)
      case .day: out += String(t.day)
      case .underDay: out += pad(Int64(t.day), 2, " ")
      case .zeroDay: out += pad(Int64(t.day), 2)
      case .underYearDay: out += pad(Int64(t.yearDay), 3, " ")
      case .zeroYearDay: out += pad(Int64(t.yearDay), 3)
      case .hour: out += pad(Int64(t.hour), 2)
      case .hour12: out += String(t.hour % 12 == 0 ? 12 : t.hour % 12)
      case .zeroHour12: out += pad(Int64(t.hour % 12 == 0 ? 12 : t.hour % 12), 2)
      case .minute: out += String(t.minute)
      case .zeroMinute: out += pad(Int64(t.minute), 2)
      case .second: out += String(t.second)
      case .zeroSecond: out += pad(Int64(t.second), 2)
      case .longYear: out += pad(t.year, 4)
      case .year: out += pad((t.year % 100 + 100) % 100, 2)
      case .pm(let upper): out += t.hour >= 12 ? (upper ? "PM" : "pm") : (upper ? "AM" : "am")
      case .zone(let z, let minutes, let colons, let withSeconds):
        if z, offset == 0 { out += "Z"; break }
        let magnitude = abs(offset)
        out += (offset < 0 ? "-" : "+") + pad(Int64(magnitude / 3600), 2)
        if minutes { out += (colons ? ":" : "") + pad(Int64(magnitude / 60 % 60), 2) }
        if withSeconds { out += (colons ? ":" : "") + pad(Int64(magnitude % 60), 2) }
      case .zoneName:
        if !zoneName.isEmpty {
          out += zoneName
        } else {
          let magnitude = abs(offset)
          out += (offset < 0 ? "-" : "+") + pad(Int64(magnitude / 3600), 2)
          if magnitude % 3600 != 0 { out += pad(Int64(magnitude / 60 % 60), 2) }
        }
      case .fraction(let digits, let fixed, let separator):
        var text = String(pad(nanoseconds, 9).prefix(digits))
        if !fixed {
          while text.hasSuffix("0") { text.removeLast() }
          if text.isEmpty { break }
        }
        out += String(separator) + text
      }
    }
    return out
  }

  /// Go's `time.ParseInLocation(layout, value, loc)` with `loc` as the zone of a value
  /// without one; the error is Go's (`parsing time "x" as "2006": cannot parse "x" as "2006"`).
  static func parse(_ layout: String, _ value: String, zone: TimeZone) throws(HelmFunctionsError) -> GoTime {
    var rest = Substring(value)
    // A layout without a year gives year 0, as in Go.
    var year: Int64 = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos: Int64 = 0
    var pmSet: Bool?
    var offset: Int?
    var zoneName: String?
    func fail(_ element: String) -> HelmFunctionsError {
      failure("parsing time \(GoFormat.quote(value)) as \(GoFormat.quote(layout)): cannot parse \(GoFormat.quote(String(rest))) as \(GoFormat.quote(element))")
    }
    func number(_ minDigits: Int, _ maxDigits: Int, _ element: String) throws(HelmFunctionsError) -> Int {
      var digits = ""
      let start = rest
      while digits.count < maxDigits, let ch = rest.first, ch.isASCII, ch.isNumber { digits.append(ch); rest = rest.dropFirst() }
      guard digits.count >= minDigits, let n = Int(digits) else {
        rest = start
        throw fail(element)
      }
      return n
    }
    func name(_ names: [String], length: Int?) throws(HelmFunctionsError) -> Int {
      for (index, full) in names.enumerated() {
        let candidate = length.map { String(full.prefix($0)) } ?? full
        if rest.lowercased().hasPrefix(candidate.lowercased()) {
          rest = rest.dropFirst(candidate.count)
          return index
        }
      }
      throw fail(length == nil ? names[0] : String(names[0].prefix(3)))
    }
    let tokens = LayoutToken.parse(layout)
    for (index, token) in tokens.enumerated() {
      switch token {
      case .literal(let s):
        // A run of spaces in the layout matches any run of spaces (or none at the end).
        var literal = Substring(s)
        while let first = literal.first {
          if first == " " {
            if let next = rest.first, next != " " { throw fail(s) }
            literal = literal.drop { $0 == " " }
            rest = rest.drop { $0 == " " }
          } else {
            guard rest.first == first else { throw fail(s) }
            literal = literal.dropFirst()
            rest = rest.dropFirst()
          }
        }
      case .longMonth: month = try name(LayoutToken.monthNames, length: nil) + 1
      case .month: month = try name(LayoutToken.monthNames, length: 3) + 1
      case .numMonth: month = try number(1, 2, "1")
      case .zeroMonth: month = try number(2, 2, "01")
      case .longWeekday: _ = try name(LayoutToken.weekdayNames, length: nil)
      case .weekday: _ = try name(LayoutToken.weekdayNames, length: 3)
      case .day: day = try number(1, 2, "2")
      case .underDay:
        if rest.first == " " { rest = rest.dropFirst() }
        day = try number(1, 2, "_2")
      case .zeroDay: day = try number(2, 2, "02")
      case .underYearDay, .zeroYearDay: _ = try number(3, 3, "002")
      case .hour: hour = try number(1, 2, "15")
      case .hour12: hour = try number(1, 2, "3")
      case .zeroHour12: hour = try number(2, 2, "03")
      case .minute: minute = try number(1, 2, "4")
      case .zeroMinute: minute = try number(2, 2, "04")
      case .second, .zeroSecond:
        second = try number(token == .second ? 1 : 2, 2, token == .second ? "5" : "05")
        // Go accepts a fraction after seconds even when the layout has none.
        var layoutHasFraction = false
        if index + 1 < tokens.count, case .fraction = tokens[index + 1] { layoutHasFraction = true }
        if !layoutHasFraction, let sep = rest.first, sep == "." || sep == ",", rest.dropFirst().first?.isNumber == true {
          rest = rest.dropFirst()
          var digits = ""
          while let ch = rest.first, ch.isASCII, ch.isNumber { digits.append(ch); rest = rest.dropFirst() }
          nanos = Int64((digits + "000000000").prefix(9)) ?? 0
        }
      case .longYear:
        // Go takes four characters first and then reads them, so its message shows what follows.
        guard rest.count >= 4, rest.first?.isNumber == true else { throw fail("2006") }
        let digits = rest.prefix(4)
        rest = rest.dropFirst(4)
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { throw fail("2006") }
        year = value
      case .year:
        let yy = try number(2, 2, "06")
        year = Int64(yy >= 69 ? 1900 + yy : 2000 + yy)
      case .pm(let upper):
        let text = String(rest.prefix(2))
        switch upper ? text : text.uppercased() {
        case "PM": pmSet = true
        case "AM": pmSet = false
        default: throw fail(upper ? "PM" : "pm")
        }
        rest = rest.dropFirst(2)
      case .zone(let z, let minutes, let colons, let withSeconds):
        if z, rest.first == "Z" {
          rest = rest.dropFirst()
          offset = 0
          zoneName = "UTC"
          break
        }
        guard let sign = rest.first, sign == "+" || sign == "-" else { throw fail(z ? "Z07:00" : "-07:00") }
        rest = rest.dropFirst()
        var total = try number(2, 2, "-07") * 3600
        if minutes {
          if colons { guard rest.first == ":" else { throw fail("-07:00") }; rest = rest.dropFirst() }
          total += try number(2, 2, "-0700") * 60
        }
        if withSeconds {
          if colons { guard rest.first == ":" else { throw fail("-07:00:00") }; rest = rest.dropFirst() }
          total += try number(2, 2, "-070000")
        }
        offset = sign == "-" ? -total : total
      case .zoneName:
        var letters = ""
        while let ch = rest.first, ch.isASCII, ch.isUppercase { letters.append(ch); rest = rest.dropFirst() }
        guard letters.count >= 3 else { throw fail("MST") }
        zoneName = letters
        if letters == "UTC" || letters == "GMT" { offset = 0 }
      case .fraction(let digits, let fixed, let separator):
        // An optional fraction (`.999`) is absent unless a separator (either one) and a digit follow.
        if !fixed, !(rest.first == "." || rest.first == ",") || rest.dropFirst().first.map({ $0.isASCII && $0.isNumber }) != true {
          break
        }
        guard rest.first == "." || rest.first == "," else { throw fail(String(separator) + String(repeating: "0", count: digits)) }
        rest = rest.dropFirst()
        var text = ""
        while let ch = rest.first, ch.isASCII, ch.isNumber, fixed ? text.count < digits : true { text.append(ch); rest = rest.dropFirst() }
        if fixed, text.count != digits { throw fail(String(separator) + String(repeating: "0", count: digits)) }
        nanos = Int64((text + "000000000").prefix(9)) ?? 0
      }
    }
    guard rest.isEmpty else {
      throw failure("parsing time \(GoFormat.quote(value)): extra text: \(GoFormat.quote(String(rest)))")
    }
    if let pm = pmSet {
      guard hour >= 1, hour <= 12 else { throw failure("parsing time \(GoFormat.quote(value)): hour out of range") }
      if pm, hour < 12 { hour += 12 } else if !pm, hour == 12 { hour = 0 }
    }
    let monthDays = [31, Civil.isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard (1...12).contains(month) else { throw failure("parsing time \(GoFormat.quote(value)): month out of range") }
    guard day >= 1, day <= monthDays[month - 1] else { throw failure("parsing time \(GoFormat.quote(value)): day out of range") }
    guard hour < 24, minute < 60, second < 60 else {
      throw failure("parsing time \(GoFormat.quote(value)): \(hour >= 24 ? "hour" : minute >= 60 ? "minute" : "second") out of range")
    }
    let local = Civil.days(year: year, month: month, day: day) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    if let offset {
      return GoTime(seconds: local - Int64(offset), nanoseconds: nanos, offset: offset, zoneName: zoneName ?? "")
    }
    // No offset in the text: the wall time is in `zone`.
    let guess = GoTime(seconds: local, nanoseconds: nanos, offset: 0, zoneName: "UTC").shown(in: zone)
    var result = GoTime(seconds: local - Int64(guess.offset), nanoseconds: nanos, offset: 0, zoneName: "").shown(in: zone)
    if let zoneName, zoneName != result.zoneName, offset == nil { result.zoneName = zoneName }
    return result
  }
}

/// `time.Time` as templates see it: printed as Go prints it, with its common methods.
struct TimeObject: TemplateObject {
  let time: GoTime

  var goTypeName: String { "time.Time" }
  var goKindName: String { "struct" }
  var formatted: String { time.format("2006-01-02 15:04:05.999999999 -0700 MST") }

  func member(named name: String) -> TemplateMember? {
    let t = time.civil
    switch name {
    case "Unix": return .field(.int64(time.seconds))
    case "UnixNano": return .field(.int64(time.seconds &* 1_000_000_000 &+ time.nanoseconds))
    case "UnixMilli": return .field(.int64(time.seconds &* 1000 &+ time.nanoseconds / 1_000_000))
    case "Year": return .field(.int(t.year))
    case "Month": return .field(.string(LayoutToken.monthNames[t.month - 1]))
    case "Day": return .field(.int(Int64(t.day)))
    case "Hour": return .field(.int(Int64(t.hour)))
    case "Minute": return .field(.int(Int64(t.minute)))
    case "Second": return .field(.int(Int64(t.second)))
    case "Nanosecond": return .field(.int(time.nanoseconds))
    case "YearDay": return .field(.int(Int64(t.yearDay)))
    case "Weekday": return .field(.string(LayoutToken.weekdayNames[t.weekday]))
    case "String": return .field(.string(formatted))
    case "UTC": return .field(.object(TimeObject(time: time.shown(in: utc))))
    case "IsZero": return .field(.bool(time.seconds == GoTime.zero.seconds && time.nanoseconds == 0))
    case "Format":
      return .method(
        TemplateFunction(goTypeName: "func(string) string") { arguments, _ in
          try arguments.expectCount(1)
          return .string(time.format(try arguments.string(at: 0)))
        })
    default: return nil
    }
  }
}

/// The UTC zone.
let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? TimeZone.current
