import FlowrelValue
import GoTemplate
import Testing
@testable import FlowrelChart

/// The output limit covers a whole release: every template of the chart and of its subcharts,
/// and the notes, count against one `maxOutputBytes`.
@Suite struct ReleaseOutputLimitTests {
  static let limitMessage =
    "the output is longer than 1000 bytes, the most flowrel renders for one release, all its templates together "
    + "(raise it with --max-output); the templates before this one wrote 600 bytes"

  func render(_ chart: Chart, limit: Int) throws -> RenderOutput {
    var request = RenderRequest(release: ReleaseInfo(name: "rel", namespace: "ns"))
    request.maxOutputBytes = limit
    return try chart.render(request)
  }

  func failure(_ body: () throws -> Void) -> String? {
    do {
      try body()
      return nil
    } catch {
      return "\(error)"
    }
  }

  /// Two templates of 600 bytes each: either alone fits 1000 bytes, both together do not.
  @Test func twoTemplatesUnderTheLimitTogetherOverItFail() throws {
    let template = #"{{ repeat 600 "x" }}"#
    let both = try makeChart(["templates/a.txt": template, "templates/b.txt": template])
    let message = failure { _ = try render(both, limit: 1000) }
    #expect(message?.hasSuffix(Self.limitMessage) == true, "\(String(describing: message))")
    #expect(message?.contains("demo/templates/") == true, "the message names the template that passed the limit")
    #expect(try render(makeChart(["templates/a.txt": template]), limit: 1000).rendered.templates.count == 1)
    #expect(try render(both, limit: 1200).rendered.templates.map(\.text.utf8.count) == [600, 600])
  }

  @Test func aSubchartsTemplatesCount() throws {
    let chart = try makeChart([
      "templates/a.txt": #"{{ repeat 600 "x" }}"#,
      "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
      "charts/sub/templates/b.txt": #"{{ repeat 600 "y" }}"#,
    ])
    let message = failure { _ = try render(chart, limit: 1000) }
    #expect(message?.hasSuffix(Self.limitMessage) == true, "\(String(describing: message))")
  }

  @Test func theNotesCount() throws {
    let chart = try makeChart(["templates/a.txt": #"{{ repeat 600 "x" }}"#, "templates/NOTES.txt": #"{{ repeat 600 "n" }}"#])
    let message = failure { _ = try render(chart, limit: 1000) }
    #expect(message?.hasSuffix(Self.limitMessage) == true, "\(String(describing: message))")
  }

  @Test func theDefaultIsOneHundredMebibytesForTheRelease() {
    #expect(RenderRequest(release: ReleaseInfo(name: "rel", namespace: "ns")).maxOutputBytes == 100 << 20)
    #expect(RenderOptions(release: ReleaseInfo(name: "rel", namespace: "ns")).maxOutputBytes == 100 << 20)
  }
}
