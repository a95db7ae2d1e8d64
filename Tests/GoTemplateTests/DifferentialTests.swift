import Testing

/// Every case runs through Go's text/template (the reference program) and through GoTemplate;
/// output and error messages must be the same bytes.
@Suite struct DifferentialTests {
  static let goOutcomes = GoReference.outcomes(DifferentialCases.all)

  @Test(arguments: zip(DifferentialCases.all.indices, DifferentialCases.all).map { $0 })
  func sameAsGo(_ index: Int, _ c: DiffCase) throws {
    let go = try Self.goOutcomes.get()
    try #require(index < go.count, "Go gave \(go.count) outcomes for \(DifferentialCases.all.count) cases")
    let ours = swiftOutcome(c)
    if go[index].error.isEmpty {
      #expect(ours == go[index])
    } else {
      // On an error the output written so far is Go's buffer; compare the message only.
      #expect(ours.error == go[index].error)
    }
  }
}
