import FlowrelChart
import FlowrelValue
import Testing

private func json(_ text: String) throws -> Value { try Value(jsonText: text) }

private func file(_ name: String, _ text: String) throws -> ValuesFile {
  ValuesFile(name: name, value: try json(text))
}

/// The user's values from these files and flags, as the command line resolves them.
private func resolve(
  files: [ValuesFile] = [], arguments: [SetFlag: [String]] = [:], readFile: (String) throws -> String = { path in
    throw ChartError.unreadable(path: path, reason: "no files in this test")
  }
) throws -> UserValues {
  try UserValues.resolve(files: files, arguments: arguments, readFile: readFile)
}

private let defaults = """
  {"replicas":1,
   "image":{"repository":"jinaai/jina","tag":"3.0","pullPolicy":"IfNotPresent"},
   "executors":[{"name":"encoder","shards":1}],
   "resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"100m"}},
   "labels":{"team":"search"}}
  """

@Test func filesThenSetMergeOverDefaults() throws {
  let overrides = try resolve(
    files: [
      try file("prod.yaml", #"{"replicas":3,"image":{"tag":"3.1"},"executors":[{"name":"indexer"}]}"#),
      try file("eu.yaml", #"{"image":{"pullPolicy":"Always"},"resources":{"limits":{"memory":"2Gi"}}}"#),
    ],
    arguments: [.set: ["image.tag=3.2,labels.region=eu"]])
  let merged = try MergedValues(defaults: try json(defaults), user: overrides.value)
  #expect(merged.values == (try json("""
    {"replicas":3,
     "image":{"repository":"jinaai/jina","tag":"3.2","pullPolicy":"Always"},
     "executors":[{"name":"indexer"}],
     "resources":{"limits":{"cpu":"1","memory":"2Gi"},"requests":{"cpu":"100m"}},
     "labels":{"team":"search","region":"eu"}}
    """)))
  #expect(merged.user == (try json("""
    {"replicas":3,"image":{"tag":"3.2","pullPolicy":"Always"},"executors":[{"name":"indexer"}],
     "resources":{"limits":{"memory":"2Gi"}},"labels":{"region":"eu"}}
    """)))
  #expect(merged.warnings.isEmpty)
}

@Test func listsAreReplacedNotMerged() throws {
  let overrides = try resolve(files: [
    try file("a.yaml", #"{"executors":[{"name":"a","shards":2},{"name":"b"}]}"#),
    try file("b.yaml", #"{"executors":[{"name":"c"}]}"#),
  ])
  let merged = try MergedValues(defaults: try json(defaults), user: overrides.value)
  #expect(merged.values["executors"] == [["name": "c"]])
}

@Test func setIndexesIntoAListFromAFile() throws {
  let overrides = try resolve(
    files: [try file("a.yaml", #"{"executors":[{"name":"a","shards":2},{"name":"b"}]}"#)],
    arguments: [.set: ["executors[1].replicas=3"]])
  let merged = try MergedValues(defaults: try json(defaults), user: overrides.value)
  #expect(merged.values["executors"] == [["name": "a", "shards": 2], ["name": "b", "replicas": 3]])
}

@Test func nullDeletesDefaultKeysAtAnyDepth() throws {
  let overrides = try resolve(files: [
    try file("a.yaml", #"{"labels":null,"resources":{"limits":{"cpu":null},"requests":null}}"#)
  ])
  let merged = try MergedValues(defaults: try json(defaults), user: overrides.value)
  #expect(merged.values["labels"] == nil)
  #expect(merged.values["resources"] == ["limits": ["memory": "1Gi"]])
  // The user's own values keep the nulls: they are what the user asked for.
  #expect(merged.user["labels"] == .null)
}

@Test func setNullDeletesADefault() throws {
  let overrides = try resolve(arguments: [.set: ["image.pullPolicy=null,replicas=null"]])
  let merged = try MergedValues(defaults: try json(defaults), user: overrides.value)
  #expect(merged.values["replicas"] == nil)
  #expect(merged.values["image"] == ["repository": "jinaai/jina", "tag": "3.0"])
}

@Test func nullInAFileThenASetSetsTheKeyAgain() throws {
  let overrides = try resolve(
    files: [try file("a.yaml", #"{"replicas":null,"image":{"tag":null}}"#)],
    arguments: [.set: ["replicas=5,image.tag=4.0"]])
  let merged = try MergedValues(defaults: try json(defaults), user: overrides.value)
  #expect(merged.values["replicas"] == 5)
  #expect(merged.values["image"]?["tag"] == "4.0")
}

@Test func aLaterFileReplacesAMapWithNullAndDeletesTheDefault() throws {
  let overrides = try resolve(files: [
    try file("a.yaml", #"{"image":{"tag":"9"}}"#),
    try file("b.yaml", #"{"image":null}"#),
  ])
  let merged = try MergedValues(defaults: try json(defaults), user: overrides.value)
  #expect(merged.values["image"] == nil)
}

@Test func setInsideANullFromAFileIsAnError() throws {
  // Helm fails here too: its parser finds nil where it expects a map.
  let files = [try file("a.yaml", #"{"image":null}"#)]
  let error = #expect(throws: ChartError.self) { try resolve(files: files, arguments: [.set: ["image.tag=1"]]) }
  #expect(error?.description == #"--set "image.tag=1": cannot set a key inside "image": it is null, not a map"#)
}

@Test func nullForAKeyWithoutADefaultIsKept() throws {
  let merged = try MergedValues(defaults: try json(defaults), user: try json(#"{"extra":null,"labels":{"x":null}}"#))
  #expect(merged.values["extra"] == .null)
  #expect(merged.values["labels"] == ["team": "search", "x": nil])
}

@Test func flagKindsApplyInHelmsOrderWhateverTheArgumentOrder() throws {
  let user = try resolve(arguments: [
    .setLiteral: ["e=literal"],
    .setFile: ["d=file.txt,e=file.txt"],
    .setString: ["c=3,d=string,e=string"],
    .set: ["b=2,c=set,d=set,e=set", "b=22"],
    .setJSON: [#"a=1,b="json",c="json",d="json",e="json""#],
  ]) { _ in "from file" }.value
  #expect(user == ["a": 1, "b": 22, "c": "3", "d": "from file", "e": "literal"])
}

@Test func mapAgainstNonMapWarnsAndTheUserWins() throws {
  let merged = try MergedValues(
    defaults: try json(#"{"image":{"tag":"1"},"port":80,"nested":{"a":{"b":1},"c":"x"},"none":null}"#),
    user: try json(#"{"image":"nginx:1","port":{"http":80},"nested":{"a":[1],"c":{"d":1}},"none":{"e":1}}"#))
  #expect(merged.values == (try json(#"{"image":"nginx:1","port":{"http":80},"nested":{"a":[1],"c":{"d":1}},"none":{"e":1}}"#)))
  #expect(merged.warnings == [
    "image: the chart's default is a map and the given value a string; the given value replaces the default",
    "port: the chart's default is an int and the given value a map; the given value replaces the default",
    "nested.a: the chart's default is a map and the given value a list; the given value replaces the default",
    "nested.c: the chart's default is a string and the given value a map; the given value replaces the default",
  ])
}

@Test func keysKeepTheDefaultsOrderThenTheUsersNewKeys() throws {
  let merged = try MergedValues(defaults: try json(#"{"b":1,"a":2}"#), user: try json(#"{"z":0,"a":3}"#))
  #expect(merged.values.mapValue.map { Array($0.keys) } == ["b", "a", "z"])
}

@Test func emptyValuesFilesAddNothing() throws {
  let overrides = try resolve(files: [ValuesFile(name: "empty.yaml", value: .null)])
  #expect(overrides.value == .emptyMap)
  #expect(try MergedValues(defaults: .null, user: overrides.value).values == .emptyMap)
}

@Test func aValuesFileMustBeAMap() throws {
  let list = try file("list.yaml", "[1,2]")
  let error = #expect(throws: ChartError.self) { try UserValues(files: [list]) }
  #expect(error?.description == "list.yaml: values must be a map at the top level, found list")
}

@Test func chartDefaultsMustBeAMap() throws {
  let error = #expect(throws: ChartError.self) { try MergedValues(defaults: "text", user: .emptyMap) }
  #expect(error?.description == "values.yaml: values must be a map at the top level, found string")
}
