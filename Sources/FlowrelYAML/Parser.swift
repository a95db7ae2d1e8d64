internal import CYAML
import FlowrelValue
import OrderedCollections

/// The input bytes and the libyaml parser that reads them, both in heap memory that never
/// moves: libyaml keeps pointers to the parser struct and into the input while it runs.
final class Input {
  let bytes: UnsafeMutablePointer<UInt8>
  let count: Int
  let parser: UnsafeMutablePointer<yaml_parser_t>
  /// Whether `yaml_parser_initialize` succeeded (it fails only when out of memory).
  let isReady: Bool

  /// A copy of `text`'s UTF-8 and a parser set to read it.
  static func copying(_ text: String) -> Input {
    var text = text
    return text.withUTF8 { Input(copying: $0) }
  }

  /// A copy of `bytes` and a parser set to read them.
  static func copying(_ bytes: [UInt8]) -> Input {
    bytes.withUnsafeBufferPointer { Input(copying: $0) }
  }

  private init(copying source: UnsafeBufferPointer<UInt8>) {
    count = source.count
    bytes = .allocate(capacity: max(count, 1))
    if let base = source.baseAddress, count > 0 {
      bytes.initialize(from: base, count: count)
    } else {
      bytes.initialize(to: 0)
    }
    parser = .allocate(capacity: 1)
    isReady = yaml_parser_initialize(parser) != 0
    if isReady {
      yaml_parser_set_input_string(parser, bytes, count)
      yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
    }
  }

  deinit {
    if isReady { yaml_parser_delete(parser) }
    parser.deallocate()
    bytes.deallocate()
  }

  /// The line and column (1-based, in characters) of a byte offset, for libyaml's reader
  /// errors, which report an offset rather than a mark.
  func position(ofByte offset: Int) -> (line: Int, column: Int) {
    var line = 1, column = 1
    for i in 0..<min(offset, count) {
      let b = bytes[i]
      if b == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
    }
    return (line, column)
  }

  /// The ASCII character at a 0-based line and column, if there is one (for error hints:
  /// only ASCII characters can fail to start a token).
  func asciiCharacter(line: Int, column: Int) -> Unicode.Scalar? {
    var i = 0, currentLine = 0
    while currentLine < line, i < count {
      if bytes[i] == UInt8(ascii: "\n") { currentLine += 1 }
      i += 1
    }
    var currentColumn = 0
    while i < count, bytes[i] != UInt8(ascii: "\n") {
      if bytes[i] & 0xC0 != 0x80 {
        if currentColumn == column { return bytes[i] < 0x80 ? Unicode.Scalar(bytes[i]) : nil }
        currentColumn += 1
      }
      i += 1
    }
    return nil
  }
}

/// A finished node on its way to its parent.
private struct Node {
  var value: Value
  var tree: PositionTree?
  /// Nodes in this subtree, aliases counted as the nodes they stand for.
  var count: Int
  /// Levels of nesting: 0 for a scalar, 1 for a flat list or map.
  var height: Int
  var position: YAMLPosition
  /// A plain (or `!!merge`-tagged) `<<`.
  var isMergeKey = false
}

/// A map or list being built, one per open collection; a class, so that appending to it in
/// the stack does not copy its contents.
private final class Frame {
  let isMap: Bool
  let anchor: String?
  let position: YAMLPosition
  var count = 1
  var height = 1
  var items: [Value] = []
  var itemTrees: [PositionTree] = []
  var entries = OrderedDictionary<String, Value>()
  var entryTrees: [MapEntryPosition] = []
  var pendingKey: (text: String, position: YAMLPosition, isMerge: Bool)?
  /// `<<` values, each with the number of explicit entries before it (where its keys go).
  var merges: [(at: Int, maps: [(OrderedDictionary<String, Value>, [MapEntryPosition]?)])] = []

  init(isMap: Bool, anchor: String?, position: YAMLPosition) {
    self.isMap = isMap
    self.anchor = anchor
    self.position = position
  }
}

/// Turns libyaml's events into documents, without recursion: open collections live in an
/// explicit stack whose depth is capped.
struct Parser {
  let input: Input
  let file: String
  let firstLine: Int
  let positions: Bool
  /// How plain scalars get their types.
  let scalars: YAMLScalarRules
  private var frames: [Frame] = []
  private var anchors: [String: Node] = [:]
  private var documents: [YAMLDocument] = []
  private var documentStart = 1
  private var documentStartExplicit = false
  private var root: Node?
  private var rootIsEmpty = false
  /// go-yaml's alias-bomb accounting: all nodes produced, and those produced by aliases.
  private var decodeCount = 0
  private var aliasCount = 0

  static func parse(
    _ input: Input, file: String, firstLine: Int, positions: Bool, scalars: YAMLScalarRules = .helm
  ) throws(YAMLError) -> [YAMLDocument] {
    var parser = Parser(input: input, file: file, firstLine: firstLine, positions: positions, scalars: scalars)
    try parser.run()
    return parser.documents
  }

  private init(input: Input, file: String, firstLine: Int, positions: Bool, scalars: YAMLScalarRules) {
    self.input = input
    self.scalars = scalars
    self.file = file
    self.firstLine = firstLine
    self.positions = positions
  }

  private func position(_ mark: yaml_mark_t) -> YAMLPosition {
    YAMLPosition(line: Int(mark.line) + firstLine, column: Int(mark.column) + 1)
  }

  private func error(_ message: String, at position: YAMLPosition) -> YAMLError {
    YAMLError(file: file, at: position, message: message)
  }

  private mutating func run() throws(YAMLError) {
    guard input.isReady else {
      throw error("out of memory starting the YAML parser", at: YAMLPosition(line: firstLine, column: 1))
    }
    var event = yaml_event_t()
    while true {
      guard yaml_parser_parse(input.parser, &event) != 0 else { throw libyamlError() }
      defer { yaml_event_delete(&event) }
      let at = position(event.start_mark)
      switch event.type {
      case YAML_STREAM_END_EVENT:
        return
      case YAML_DOCUMENT_START_EVENT:
        documentStart = at.line
        documentStartExplicit = event.data.document_start.implicit == 0
        anchors = [:]
        root = nil
        rootIsEmpty = false
      case YAML_DOCUMENT_END_EVENT:
        if let root, !rootIsEmpty {
          let start = documentStartExplicit ? documentStart : root.position.line
          documents.append(
            YAMLDocument(value: root.value, file: file, startLine: start, positions: root.tree ?? .scalar(root.position)))
        }
      case YAML_SCALAR_EVENT:
        try scalar(event, at: at)
      case YAML_SEQUENCE_START_EVENT:
        try open(isMap: false, anchor: Parser.string(event.data.sequence_start.anchor), at: at)
      case YAML_MAPPING_START_EVENT:
        try open(isMap: true, anchor: Parser.string(event.data.mapping_start.anchor), at: at)
      case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
        try close()
      case YAML_ALIAS_EVENT:
        try alias(Parser.string(event.data.alias.anchor) ?? "", at: at)
      default:
        break
      }
    }
  }

  private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  private mutating func scalar(_ event: yaml_event_t, at: YAMLPosition) throws(YAMLError) {
    let data = event.data.scalar
    let text = data.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self) } ?? ""
    let tag = Parser.string(data.tag)
    let anchor = Parser.string(data.anchor)
    let plain = data.plain_implicit != 0
    var value: Value
    if let tag {
      switch ScalarResolver.resolveTagged(text, tag: tag, rules: scalars) {
      case .success(let v): value = v
      case .failure(let mismatch): throw error(mismatch.message, at: at)
      }
    } else {
      value = plain ? ScalarResolver.resolvePlain(text, rules: scalars).value : .string(text)
      // Jina reads every string value of a Flow YAML again (not map keys).
      if scalars == .jina, case .string(let string) = value, let frame = frames.last, !frame.isMap || frame.pendingKey != nil {
        value = JinaArgument.parse(string)
      }
    }
    let isMerge = text == "<<" && ((tag == nil && plain) || tag == "tag:yaml.org,2002:merge")
    let node = Node(value: value, tree: positions ? .scalar(at) : nil, count: 1, height: 0, position: at, isMergeKey: isMerge)
    decodeCount += 1
    if frames.isEmpty, tag == nil, anchor == nil, plain, text.isEmpty, data.style == YAML_PLAIN_SCALAR_STYLE {
      rootIsEmpty = true
    }
    if let anchor { anchors[anchor] = node }
    try deliver(node)
  }

  private mutating func open(isMap: Bool, anchor: String?, at: YAMLPosition) throws(YAMLError) {
    guard frames.count < YAML.maximumDepth else {
      throw error("maps and lists are nested deeper than \(YAML.maximumDepth) levels", at: at)
    }
    decodeCount += 1
    frames.append(Frame(isMap: isMap, anchor: anchor, position: at))
  }

  private mutating func close() throws(YAMLError) {
    guard let frame = frames.popLast() else { return }
    let value: Value
    var tree: PositionTree? = nil
    if frame.isMap {
      let (entries, entryTrees) = Parser.assemble(frame)
      value = .map(entries)
      if positions { tree = .map(frame.position, entryTrees) }
    } else {
      value = .list(frame.items)
      if positions { tree = .list(frame.position, frame.itemTrees) }
    }
    let node = Node(value: value, tree: tree, count: frame.count, height: frame.height, position: frame.position)
    if let anchor = frame.anchor { anchors[anchor] = node }
    try deliver(node)
  }

  /// A map's explicit entries with its `<<` merges folded in: explicit keys win, earlier
  /// merged maps win over later ones, and merged keys take the place of their `<<`.
  private static func assemble(_ frame: Frame) -> (OrderedDictionary<String, Value>, [MapEntryPosition]) {
    guard !frame.merges.isEmpty else { return (frame.entries, frame.entryTrees) }
    var result = OrderedDictionary<String, Value>()
    var trees: [MapEntryPosition] = []
    var next = 0
    let explicit = frame.entries
    func takeExplicit(upTo end: Int) {
      while next < end {
        result[explicit.keys[next]] = explicit.values[next]
        if frame.entryTrees.indices.contains(next) { trees.append(frame.entryTrees[next]) }
        next += 1
      }
    }
    for merge in frame.merges {
      takeExplicit(upTo: merge.at)
      for (map, mapTrees) in merge.maps {
        for (index, (key, value)) in map.enumerated() where explicit[key] == nil && result[key] == nil {
          result[key] = value
          if let mapTrees, mapTrees.indices.contains(index) { trees.append(mapTrees[index]) }
        }
      }
    }
    takeExplicit(upTo: explicit.count)
    return (result, trees)
  }

  private mutating func alias(_ name: String, at: YAMLPosition) throws(YAMLError) {
    guard var node = anchors[name] else {
      if frames.contains(where: { $0.anchor == name }) {
        throw error("alias *\(name) refers to a node that contains it", at: at)
      }
      throw error("unknown anchor '\(name)' referenced by alias *\(name)", at: at)
    }
    guard frames.count + node.height <= YAML.maximumDepth else {
      throw error("maps and lists are nested deeper than \(YAML.maximumDepth) levels (through alias *\(name))", at: at)
    }
    decodeCount += node.count
    aliasCount += node.count
    if aliasCount > 100, decodeCount > 1000, Double(aliasCount) / Double(decodeCount) > Parser.allowedAliasRatio(decodeCount) {
      throw error("the document expands aliases excessively (alias *\(name)); refusing to build it", at: at)
    }
    node.position = at
    node.tree = node.tree?.rooted(at: at)
    node.isMergeKey = false
    try deliver(node)
  }

  /// go-yaml's limit: aliases may make up 99% of a small document's nodes, down to 10% of
  /// a document of four million nodes.
  private static func allowedAliasRatio(_ decodeCount: Int) -> Double {
    let low = 400_000.0, high = 4_000_000.0
    let count = Double(decodeCount)
    if count <= low { return 0.99 }
    if count >= high { return 0.10 }
    return 0.99 - 0.89 * (count - low) / (high - low)
  }

  private mutating func deliver(_ node: Node) throws(YAMLError) {
    guard let parent = frames.last else {
      root = node
      return
    }
    parent.count += node.count
    parent.height = max(parent.height, node.height + 1)
    guard parent.isMap else {
      parent.items.append(node.value)
      if let tree = node.tree { parent.itemTrees.append(tree) }
      return
    }
    guard let key = parent.pendingKey else {
      switch node.value {
      case .list, .map:
        throw error("a map key must be a scalar, not a \(node.value.kindName)", at: node.position)
      default:
        guard let text = ScalarResolver.keyString(node.value) else {
          throw error("a map key cannot be null", at: node.position)
        }
        parent.pendingKey = (text, node.position, node.isMergeKey)
      }
      return
    }
    parent.pendingKey = nil
    if key.isMerge {
      try merge(node, into: parent)
      return
    }
    guard parent.entries.updateValue(node.value, forKey: key.text) == nil else {
      throw error("duplicate map key \"\(key.text)\"", at: key.position)
    }
    if let tree = node.tree { parent.entryTrees.append(MapEntryPosition(key: key.position, value: tree)) }
  }

  private func merge(_ node: Node, into parent: Frame) throws(YAMLError) {
    let message = "the value of a merge key (<<) must be a map or a list of maps"
    func entries(of tree: PositionTree?) -> [MapEntryPosition]? {
      if case .map(_, let entries)? = tree { return entries }
      return nil
    }
    switch node.value {
    case .map(let map):
      parent.merges.append((parent.entries.count, [(map, entries(of: node.tree))]))
    case .list(let items):
      var maps: [(OrderedDictionary<String, Value>, [MapEntryPosition]?)] = []
      for (index, item) in items.enumerated() {
        var itemTree: PositionTree? = nil
        if case .list(_, let trees)? = node.tree, trees.indices.contains(index) { itemTree = trees[index] }
        guard case .map(let map) = item else { throw error(message, at: itemTree?.position ?? node.position) }
        maps.append((map, entries(of: itemTree)))
      }
      parent.merges.append((parent.entries.count, maps))
    default:
      throw error(message, at: node.position)
    }
  }

  /// libyaml's failure as one message at the place it names.
  private func libyamlError() -> YAMLError {
    let p = input.parser.pointee
    let problem = p.problem.map { String(cString: $0) } ?? "unknown problem"
    switch p.error {
    case YAML_MEMORY_ERROR:
      return error("out of memory while parsing YAML", at: YAMLPosition(line: firstLine, column: 1))
    case YAML_READER_ERROR:
      let (line, column) = input.position(ofByte: p.problem_offset)
      let at = YAMLPosition(line: line + firstLine - 1, column: column)
      let hex = String(p.problem_value, radix: 16, uppercase: true)
      let message: String
      switch problem {
      case "control characters are not allowed":
        message = "control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) is not allowed in YAML"
      case "invalid Unicode character":
        message = "character U+\(hex) is not allowed in YAML"
      default:
        message = "the text is not valid UTF-8 (\(problem))"
      }
      return error(message, at: at)
    default:
      var message = problem
      let mark = p.problem_mark
      if problem == "found character that cannot start any token",
        let c = input.asciiCharacter(line: Int(mark.line), column: Int(mark.column))
      {
        message = c == "\t"
          ? "found a tab character where YAML expects indentation or a value (indent with spaces)"
          : "found character '\(c)' that cannot start any token (quote the value)"
      } else if problem == "mapping values are not allowed in this context" {
        message += " (a plain value cannot contain \": \"; quote it)"
      }
      // The context is news only when it starts elsewhere ("while scanning a quoted
      // scalar" that began lines earlier).
      if let context = p.context.map({ String(cString: $0) }), position(p.context_mark) != position(mark) {
        let c = position(p.context_mark)
        message += " (\(context) at line \(c.line), column \(c.column))"
      }
      return error(message, at: position(mark))
    }
  }
}
