import Testing
import FlowrelValue

@Suite struct ValueTests {
  @Test(arguments: [
    (Value.null, false), (.bool(false), false), (.bool(true), true), (.int(0), false), (.int(-1), true),
    (.double(0), false), (.double(-0.0), false), (.double(0.5), true), (.double(.nan), true),
    (.string(""), false), (.string("0"), true), (.list([]), false), (.list([.null]), true),
    (.map([:]), false), (.map(["a": .null]), true),
  ])
  func truthinessFollowsGoTemplates(value: Value, truthy: Bool) {
    #expect(value.isTruthy == truthy)
  }

  @Test func equalityIsStructuralAndNaNEqualsItself() {
    #expect(Value.double(.nan) == .double(.nan))
    #expect(Set([Value.double(.nan), .double(.nan)]).count == 1)
    #expect(Value.int(1) != .double(1))
    #expect(Value.string("1") != .int(1))
    #expect(Value.map(["a": 1, "b": 2]) != .map(["b": 2, "a": 1]), "maps keep their order, and order is part of equality")
  }

  @Test func lookupByPathFollowsKeysAndIndexes() {
    let value: Value = ["executors": [["name": "a", "shards": 2], ["name": "b"]]]
    #expect(value.value(at: ValuePath([.key("executors"), .index(0), .key("shards")])) == .int(2))
    #expect(value.value(at: ValuePath([.key("executors"), .index(1), .key("shards")])) == nil)
    #expect(value.value(at: ValuePath([.key("executors"), .index(5)])) == nil)
    #expect(value.value(at: ValuePath([.key("executors"), .key("name")])) == nil, "a key step on a list finds nothing")
    #expect(value.value(at: .root) == value)
  }

  @Test func pathsPrintAsUsersWriteThem() {
    #expect(ValuePath([.key("executors"), .index(0), .key("replicas")]).description == "executors[0].replicas")
    #expect(ValuePath([.key("labels"), .key("app.kubernetes.io/name")]).description == "labels[\"app.kubernetes.io/name\"]")
    #expect(ValuePath.root.description == "(root)")
    #expect(ValuePath([.index(2)]).description == "[2]")
  }
}
