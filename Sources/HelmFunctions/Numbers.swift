import Foundation
import GoTemplate

// Sprig's conversions (conversion.md), arithmetic (math.md) and integer lists
// (integer_slice.md). Integer arithmetic returns `int64`, float arithmetic decimal-exact
// `float64`, as Sprig does; every operand is coerced with spf13/cast's rules.

extension Library {
  mutating func addConversions() {
    add("int", plain: { a in try a.expectCount(1); return .int(castInt64(a[0])) })
    add("int64", plain: { a in try a.expectCount(1); return .int64(castInt64(a[0])) })
    add("float64", plain: { a in try a.expectCount(1); return .double(castFloat64(a[0])) })
    add("toString", plain: { a in try a.expectCount(1); return .string(stringValue(a[0])) })
    add("toStrings", plain: { a in try a.expectCount(1); return stringList(stringSlice(a[0])) })
    add("atoi", plain: { a in
      try a.expectCount(1)
      let s = try a.string(at: 0)
      // strconv.Atoi: decimal only, an optional sign; anything else is 0.
      let digits = s.first == "+" || s.first == "-" ? s.dropFirst() : Substring(s)
      guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .int(0) }
      return .int(parseGoInteger(s, base: 10) ?? 0)
    })
    add("toDecimal", plain: { a in
      try a.expectCount(1)
      // strconv.ParseInt(fmt.Sprint(v), 8, 64): the text read as octal digits, else 0.
      let text = goFormat(a[0])
      let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : Substring(text)
      guard digits.allSatisfy({ ("0"..."7").contains($0) }) else { return .int64(0) }
      return .int64(parseGoInteger(text, base: 8) ?? 0)
    })
  }

  mutating func addMath() {
    add("add1", plain: { a in try a.expectCount(1); return .int64(castInt64(a[0]) &+ 1) })
    add("add", plain: { a in .int64(a.reduce(0) { $0 &+ castInt64($1) }) })
    add("sub", plain: { a in try a.expectCount(2); return .int64(castInt64(a[0]) &- castInt64(a[1])) })
    add("mul", plain: { a in
      try a.expectCount(atLeast: 1)
      return .int64(a.dropFirst().reduce(castInt64(a[0])) { $0 &* castInt64($1) })
    })
    add("div", plain: { a in
      try a.expectCount(2)
      let x = castInt64(a[0]), y = castInt64(a[1])
      guard y != 0 else { throw failure("runtime error: integer divide by zero") }
      return .int64(x.dividedReportingOverflow(by: y).partialValue)
    })
    add("mod", plain: { a in
      try a.expectCount(2)
      let x = castInt64(a[0]), y = castInt64(a[1])
      guard y != 0 else { throw failure("runtime error: integer divide by zero") }
      return .int64(x.remainderReportingOverflow(dividingBy: y).partialValue)
    })
    add(["max", "biggest"], plain: { a in
      try a.expectCount(atLeast: 1)
      return .int64(a.map(castInt64).max() ?? 0)
    })
    add("min", plain: { a in
      try a.expectCount(atLeast: 1)
      return .int64(a.map(castInt64).min() ?? 0)
    })
    add("add1f", plain: { a in try a.expectCount(1); return .double(try decimalFold([a[0], .int(1)], +)) })
    add("addf", plain: { a in .double(try decimalFold([.int(0)] + a.values, +)) })
    add("subf", plain: { a in try a.expectCount(atLeast: 1); return .double(try decimalFold(a.values, -)) })
    add("mulf", plain: { a in try a.expectCount(atLeast: 1); return .double(try decimalFold(a.values, *)) })
    add("divf", plain: { a in
      try a.expectCount(atLeast: 1)
      return .double(
        try decimalFold(a.values) { x, y throws(HelmFunctionsError) in
          guard !y.isZero else { throw failure("decimal division by 0") }
          // shopspring/decimal divides to 16 decimal places.
          var quotient = x / y, rounded = Decimal()
          NSDecimalRound(&rounded, &quotient, 16, .plain)
          return rounded
        })
    })
    add("maxf", plain: { a in
      try a.expectCount(atLeast: 1)
      return .double(a.dropFirst().reduce(castFloat64(a[0])) { goMax($0, castFloat64($1)) })
    })
    add("minf", plain: { a in
      try a.expectCount(atLeast: 1)
      return .double(a.dropFirst().reduce(castFloat64(a[0])) { goMin($0, castFloat64($1)) })
    })
    add("floor", plain: { a in try a.expectCount(1); return .double(castFloat64(a[0]).rounded(.down)) })
    add("ceil", plain: { a in try a.expectCount(1); return .double(castFloat64(a[0]).rounded(.up)) })
    add("round", plain: { a in
      try a.expectCount(atLeast: 2)
      guard a.count <= 3 else { throw TemplateError(.argument, "wrong number of args for round: want at most 3 got \(a.count)") }
      let roundOn = a.count == 3 ? try a.float(at: 2) : 0.5
      let scale = pow(10, Double(try a.int(at: 1)))
      let digit = scale * castFloat64(a[0])
      let fraction = digit - digit.rounded(.towardZero)
      return .double((fraction >= roundOn ? digit.rounded(.up) : digit.rounded(.down)) / scale)
    })
    add("until", plain: { a in
      try a.expectCount(1)
      let n = try a.int(at: 0)
      return intList(try untilStep(0, n, n < 0 ? -1 : 1))
    })
    add("untilStep", plain: { a in
      try a.expectCount(3)
      return intList(try untilStep(try a.int(at: 0), try a.int(at: 1), try a.int(at: 2)))
    })
    add("seq", plain: { a in
      var params: [Int64] = []
      for i in a.indices { params.append(try a.int(at: i)) }
      return .string(try seq(params).map(String.init).joined(separator: " "))
    })
  }
}

/// Go's `math.Max`: NaN wins, +0 beats -0.
private func goMax(_ x: Double, _ y: Double) -> Double {
  if x.isNaN || y.isNaN { return .nan }
  return x == y && x == 0 ? (x.sign == .minus ? y : x) : Swift.max(x, y)
}

/// Go's `math.Min`: NaN wins, -0 beats +0.
private func goMin(_ x: Double, _ y: Double) -> Double {
  if x.isNaN || y.isNaN { return .nan }
  return x == y && x == 0 ? (x.sign == .minus ? x : y) : Swift.min(x, y)
}

/// Sprig's float arithmetic: each operand becomes the decimal of its shortest form
/// (`1.1`, not 1.100000000000000088...), so `addf 1.1 2.2` is 3.3 as in Sprig. Numbers
/// beyond what Foundation's `Decimal` holds are combined as doubles.
private func decimalFold(
  _ operands: [TemplateValue], _ combine: (Decimal, Decimal) throws(HelmFunctionsError) -> Decimal
) throws(HelmFunctionsError) -> Double {
  var result: Decimal?
  for operand in operands {
    let d = castFloat64(operand)
    guard d.isFinite else { throw failure("Cannot create a Decimal from \(GoFormat.string(.double(d)))") }
    guard abs(d) < 1e120, abs(d) > 1e-120 || d == 0, let decimal = Decimal(string: String(d), locale: Locale(identifier: "en_US_POSIX"))
    else { throw failure("\(GoFormat.string(.double(d))) is beyond the decimal range flowrel computes with") }
    result = try result.map { partial throws(HelmFunctionsError) in try combine(partial, decimal) } ?? decimal
  }
  guard let result else { return 0 }
  guard !result.isNaN else { throw failure("decimal arithmetic overflowed") }
  return Double("\(result)") ?? 0
}

/// Sprig's `untilStep`: start, start+step, ... up to (not including) stop; empty when the
/// step goes the wrong way or is zero. Lists longer than `maximumListLength` are refused
/// instead of exhausting memory.
func untilStep(_ start: Int64, _ stop: Int64, _ step: Int64) throws(HelmFunctionsError) -> [Int64] {
  guard stop < start ? step < 0 : step > 0 else { return [] }
  let span = (Double(stop) - Double(start)) / Double(step)
  guard span <= Double(maximumListLength) else {
    throw failure("a list of \(GoFormat.string(.double(span.rounded(.up)))) integers is more than flowrel allows (\(maximumListLength))")
  }
  var out: [Int64] = []
  var i = start
  while stop < start ? i > stop : i < stop {
    out.append(i)
    let (next, overflow) = i.addingReportingOverflow(step)
    if overflow { break }
    i = next
  }
  return out
}

/// The longest list `until`, `untilStep` and `seq` build.
let maximumListLength = 10_000_000

/// Sprig's `seq`, like the Unix command: `seq 3` is 1 2 3, `seq 2 5`, `seq 0 2 10` (start, step, end).
private func seq(_ params: [Int64]) throws(HelmFunctionsError) -> [Int64] {
  switch params.count {
  case 1:
    let end = params[0], increment: Int64 = end < 1 ? -1 : 1
    return try untilStep(1, end &+ increment, increment)
  case 2:
    let increment: Int64 = params[1] < params[0] ? -1 : 1
    return try untilStep(params[0], params[1] &+ increment, increment)
  case 3:
    let (start, step, end) = (params[0], params[1], params[2])
    if end < start, step > 0 { return [] }
    return try untilStep(start, end &+ (end < start ? -1 : 1), step)
  default:
    return []
  }
}

/// A Go `[]int` result.
func intList(_ values: [Int64]) -> TemplateValue {
  .list(TemplateList(values.map { .int($0) }, elementTypeName: "int"))
}
