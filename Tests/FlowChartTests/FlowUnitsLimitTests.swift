import Testing

/// A Flow runs at most 1000 units (the gateway, each Executor's shards and heads): the issue's
/// `shards: 100000` and 10,000 Executors are refused at once, naming what to change.
@Suite struct FlowUnitsLimitTests {
  static let tooManyUnits =
    "the Flow would run more than 1000 units (the gateway, each Executor's shards and heads; shards given in with: count for every Executor), the most flowrel renders"

  @Test func theIssuesHundredThousandShardsAreRefused() {
    #expect(FlowChart.failure("executors:\n  - name: a\n    shards: 100000\n").contains("executors[0]: " + Self.tooManyUnits))
  }

  @Test func shardsGivenForTheWholeFlowCountForEveryExecutor() {
    let executors = (0..<3).map { "  - name: e\($0)\n" }.joined()
    #expect(FlowChart.failure("with:\n  shards: 400\nexecutors:\n" + executors).contains("executors[2]: " + Self.tooManyUnits))
  }

  @Test func theIssuesTenThousandExecutorsAreRefused() {
    let executors = (0..<10_000).map { "  - name: e\($0)\n" }.joined()
    #expect(FlowChart.failure("executors:\n" + executors).contains(
      "executors: 10000 Executors are more than the Flow's 1000 units (the gateway and each Executor's shards and heads), the most flowrel renders"))
  }

  /// The gateway, 998 shards and their head: exactly 1000 units.
  @Test func exactlyOneThousandUnitsRender() throws {
    let out = try FlowChart.render("executors:\n  - name: a\n    shards: 998\n")
    #expect(out.names(of: "Deployment").count == 1000)
    #expect(FlowChart.failure("executors:\n  - name: a\n    shards: 999\n").contains(Self.tooManyUnits))
  }

  @Test func externalExecutorsRunNoUnits() throws {
    let external = (0..<5).map { "  - name: x\($0)\n    external: true\n    host: x\($0).example.com\n" }.joined()
    let out = try FlowChart.render("executors:\n  - name: a\n    shards: 998\n" + external)
    #expect(out.names(of: "Deployment").count == 1000)
  }
}
