import FlowrelValue
import Testing

@testable import FlowrelChart

/// `--set` list indices cannot fill memory: one index is at most Helm's 65536, and the indices
/// of one argument add at most `SetFlag.maximumAddedElements` elements.
@Suite struct SetFlagLimitTests {
  func message(_ flag: SetFlag, _ argument: String) -> String? {
    var values = Value.emptyMap
    do {
      try flag.apply(argument, to: &values)
      return nil
    } catch {
      return error.description
    }
  }

  @Test(arguments: SetFlag.allCases.filter { $0 != .setFile })
  func theIssuesHugeIndexIsRefused(_ flag: SetFlag) {
    #expect(message(flag, "a[99999999]=1")?.hasSuffix("list index 99999999 is greater than the maximum of 65536") == true)
  }

  @Test func sixteenListsAtTheLargestIndexAreAccepted() throws {
    let argument = (0..<16).map { "n\($0)[65536]=1" }.joined(separator: ",")
    var values = Value.emptyMap
    try SetFlag.set.apply(argument, to: &values)
    #expect(values["n15"]?.listValue?.count == 65537)
  }

  @Test func aSeventeenthIsRefused() {
    let argument = (0..<17).map { "n\($0)[65536]=1" }.joined(separator: ",")
    #expect(message(.set, argument)?.hasSuffix(
      "the list indices add more than 1048592 elements, the most flowrel accepts in one argument") == true)
  }

  @Test func nestedIndicesCountEveryListTheyMake() {
    let argument = "a" + String(repeating: "[65536]", count: 17) + "=1"
    #expect(message(.set, argument)?.hasSuffix("the list indices add more than 1048592 elements, the most flowrel accepts in one argument") == true)
  }

  @Test func indicesIntoAnExistingListCountOnlyWhatTheyAdd() throws {
    var values = Value.emptyMap
    try SetFlag.set.apply("a[65536]=1", to: &values)
    let again = (0..<40).map { "a[\(65536 - $0)]=2" }.joined(separator: ",")
    for _ in 0..<20 { try SetFlag.set.apply(again, to: &values) }
    #expect(values["a"]?.listValue?.count == 65537)
  }
}
