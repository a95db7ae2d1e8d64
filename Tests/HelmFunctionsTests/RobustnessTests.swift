import FlowrelValue
import GoTemplate
import Testing

@testable import HelmFunctions

/// Bad input never crashes: every function, called with arguments of every shape (wrong
/// types, nil, extreme numbers, bad patterns), returns a value or fails with a message.
@Suite struct RobustnessTests {
  static let time = TemplateValue.object(TimeObject(time: GoTime(seconds: 0, nanoseconds: 0, offset: 0, zoneName: "UTC")))
  static let shapes: [[TemplateValue]] = [
    [], [nil], [.missing], ["x"], [""], [1], [-1], [.int(Int64.max)], [.int(Int64.min)], [.int64(Int64.min)],
    [.uint(UInt64.max)], [1.5], [.double(.nan)], [.double(-.infinity)], [[1, "a", nil]], [["k": ["n": 1]]],
    ["x", "y"], [1, "x"], ["x", 1], [1, 2], [-5, "abc"], [0, 0], [.int(Int64.min), -1], ["[", "a"], ["(?P<n>a)", "a", "$n"],
    ["a(", "b", "c"], [3, 2, "abcdef"], [-3, -2, "abcdef"], [.int(Int64.max), .int(Int64.max), "x"], ["x", "y", "z", "w"],
    [time], ["2006-01-02", time], [time, "Mars/Olympus"], ["%", "%zz"], [["k": "v"], ["k": nil], ["k": [1]]],
    [.int(Int64.min), .int(Int64.max), 1], [.int(Int64.max), .int(Int64.min), -1], [1, 2, 0], ["ÿ\u{0}\u{FFFF}", "é"],
    [.function(TemplateFunction { _, _ in .null })],
    // Broken regular expressions and layouts.
    ["(?P<", "x"], ["[[:", "x"], ["\\", "x"], ["\\p{", "x", "y"], ["(?", "x", 1], ["a{2", "a", -1], ["\\Qab", "ab", "c"],
    ["[a-", "b", 2], ["x**", "x", "$"], ["(?i", "x", "${"], ["[]", "]", -1], ["(?P<a>x)(?P<a>y)", "xy", "$a"],
    ["2006-01-02T15:04:05.000Z07:00", "2017-12-31T01:02:03.4"], ["Jan _2 __2 002", "Feb  3  34 034"], ["PM pm MST", "XX"],
  ]

  @Test func everyFunctionSurvivesEveryArgumentShape() throws {
    let allowed = environment(flags: [HelmFunctions.allowNondeterministic: true])
    var calls = 0
    for name in library.bodies.keys.sorted() where name != "getHostByName" {
      let body = try #require(library.bodies[name])
      for arguments in Self.shapes {
        for environment in [FakeEnvironment(), allowed] {
          _ = try? body(TemplateArguments(functionName: name, values: arguments), environment)
          calls += 1
        }
      }
    }
    #expect(calls == (library.bodies.count - 1) * Self.shapes.count * 2)
  }
}
