/// Go's template parser: tokens to trees, with Go's error messages
/// (`template: NAME:LINE: unexpected "}" in operand`).
struct Parser {
  let tokens: [Token]
  /// The message of the error token that ends `tokens`, if one does.
  let lexError: String
  let bytes: [UInt8]
  let parseName: String
  let source: SourceText
  let functions: TemplateFunctions
  var index = 0
  /// The furthest token read, whose line parse errors name (as Go's lexer-driven parser does).
  var furthest = 0
  var vars: [String] = ["$"]
  var rangeDepth = 0
  var actionLine = 0
  /// Nesting of blocks and parentheses, limited so that hostile input cannot exhaust the stack.
  var nesting = 0
  var trees: [Tree] = []

  static let maxNesting = 300

  /// Parses `text` named `name`: the top-level template first, then each definition.
  static func parse(name: String, text: String, functions: TemplateFunctions) throws(TemplateError) -> [Tree] {
    let bytes = Array(text.utf8)
    let (tokens, lexError) = Lexer.tokenize(
      bytes, breakIsKeyword: !functions.defines("break"), continueIsKeyword: !functions.defines("continue"))
    var parser = Parser(
      tokens: tokens, lexError: lexError, bytes: bytes, parseName: name, source: SourceText(bytes), functions: functions)
    return try parser.parseTop(name: name)
  }

  init(tokens: [Token], lexError: String, bytes: [UInt8], parseName: String, source: SourceText, functions: TemplateFunctions) {
    self.tokens = tokens
    self.lexError = lexError
    self.bytes = bytes
    self.parseName = parseName
    self.source = source
    self.functions = functions
  }

  // MARK: Tokens

  mutating func next() -> Token {
    let token = tokens[min(index, tokens.count - 1)]
    if index < tokens.count - 1 { index += 1 } else { index = tokens.count }
    furthest = max(furthest, min(index, tokens.count) - 1)
    return token
  }

  mutating func backup() { index -= 1 }

  mutating func peek() -> Token {
    let token = next()
    backup()
    return token
  }

  mutating func nextNonSpace() -> Token {
    var token = next()
    while token.kind == .space { token = next() }
    return token
  }

  mutating func peekNonSpace() -> Token {
    let token = nextNonSpace()
    backup()
    return token
  }

  func value(_ token: Token) -> String { String(decoding: bytes[token.start..<token.end], as: UTF8.self) }

  // MARK: Errors

  func error(_ message: String) -> TemplateError {
    let line = tokens[min(furthest, tokens.count - 1)].line
    return TemplateError(
      .parse, detail: message, templateName: parseName, line: line, column: 0,
      message: "template: \(parseName):\(line): \(message)")
  }

  /// Go's rendering of a token in messages.
  func describe(_ token: Token) -> String {
    switch token.kind {
    case .eof: return "EOF"
    case .error: return lexError
    case .dot, .nil: return "<\(value(token))>"
    case let kind where kind.isKeyword: return "<\(value(token))>"
    default:
      let text = value(token)
      if text.unicodeScalars.count > 10 {
        return GoFormat.quote(String(String.UnicodeScalarView(text.unicodeScalars.prefix(10)))) + "..."
      }
      return GoFormat.quote(text)
    }
  }

  func unexpected(_ token: Token, _ context: String) -> TemplateError {
    if token.kind == .error {
      var extra = ""
      if actionLine != 0 && actionLine != token.line {
        extra = " in action started at \(parseName):\(actionLine)"
        if lexError.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
      }
      return error(lexError + extra)
    }
    return error("unexpected \(describe(token)) in \(context)")
  }

  mutating func expect(_ kind: TokenKind, _ context: String) throws(TemplateError) -> Token {
    let token = nextNonSpace()
    if token.kind != kind { throw unexpected(token, context) }
    return token
  }

  // MARK: Structure

  /// What ended an item list.
  enum Terminator { case end, `else` }

  mutating func parseTop(name: String) throws(TemplateError) -> [Tree] {
    var root: [Statement] = []
    while peek().kind != .eof {
      if peek().kind == .leftDelim {
        let saved = index
        _ = next()
        if nextNonSpace().kind == .define {
          try parseDefinition()
          continue
        }
        index = saved
      }
      let (statement, terminator) = try textOrAction()
      if let terminator {
        switch terminator {
        case .end: throw error("unexpected {{end}}")
        case .else: throw error("unexpected {{else}}")
        }
      }
      if let statement { root.append(statement) }
    }
    try add(Tree(name: name, parseName: parseName, source: source, root: root))
    return trees
  }

  mutating func add(_ tree: Tree) throws(TemplateError) {
    if let i = trees.firstIndex(where: { $0.name == tree.name }) {
      if trees[i].isEmpty {
        trees[i] = tree
        return
      }
      if !tree.isEmpty { throw error("template: multiple definition of template \(GoFormat.quote(tree.name))") }
      return
    }
    trees.append(tree)
  }

  mutating func parseDefinition() throws(TemplateError) {
    let context = "define clause"
    let token = nextNonSpace()
    guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
    let name = try unquote(token)
    _ = try expect(.rightDelim, context)
    let savedVars = vars
    vars = ["$"]
    defer { vars = savedVars }
    let (list, terminator) = try itemList()
    if case .else = terminator { throw error("unexpected {{else}} in \(context)") }
    try add(Tree(name: name, parseName: parseName, source: source, root: list))
  }

  mutating func itemList() throws(TemplateError) -> ([Statement], Terminator) {
    var list: [Statement] = []
    while peekNonSpace().kind != .eof {
      let (statement, terminator) = try textOrAction()
      if let terminator { return (list, terminator) }
      if let statement { list.append(statement) }
    }
    throw error("unexpected EOF")
  }

  mutating func textOrAction() throws(TemplateError) -> (Statement?, Terminator?) {
    let token = nextNonSpace()
    switch token.kind {
    case .text:
      return (.text(Array(bytes[token.start..<token.end])), nil)
    case .leftDelim:
      actionLine = token.line
      defer { actionLine = 0 }
      return try action()
    default:
      throw unexpected(token, "input")
    }
  }

  mutating func action() throws(TemplateError) -> (Statement?, Terminator?) {
    let token = nextNonSpace()
    switch token.kind {
    case .block: return (try blockControl(), nil)
    case .break, .continue:
      let isBreak = token.kind == .break
      let name = isBreak ? "{{break}}" : "{{continue}}"
      let after = nextNonSpace()
      if after.kind != .rightDelim { throw unexpected(after, name) }
      if rangeDepth == 0 { throw error("\(name) outside {{range}}") }
      let node = ControlNode(pos: token.start, isBreak: isBreak)
      return (isBreak ? .break(node) : .continue(node), nil)
    case .else:
      let peeked = peekNonSpace()
      if peeked.kind == .if || peeked.kind == .with { return (nil, .else) }
      _ = try expect(.rightDelim, "else")
      return (nil, .else)
    case .end:
      _ = try expect(.rightDelim, "end")
      return (nil, .end)
    case .if: return (try control(.if, context: "if"), nil)
    case .range: return (try control(.range, context: "range"), nil)
    case .with: return (try control(.with, context: "with"), nil)
    case .template: return (try templateControl(), nil)
    default:
      backup()
      let start = peek()
      let pipe = try pipeline("command", end: .rightDelim)
      return (.action(ActionNode(pos: start.start, pipe: pipe)), nil)
    }
  }

  mutating func enterNesting() throws(TemplateError) {
    nesting += 1
    if nesting > Parser.maxNesting { throw error("actions nested deeper than \(Parser.maxNesting) levels") }
  }

  mutating func control(_ kind: BranchNode.Kind, context: String) throws(TemplateError) -> Statement {
    try enterNesting()
    defer { nesting -= 1 }
    let savedVars = vars.count
    defer { vars.removeSubrange(savedVars...) }
    let pipe = try pipeline(context, end: .rightDelim)
    if kind == .range { rangeDepth += 1 }
    let (list, terminator) = try itemList()
    if kind == .range { rangeDepth -= 1 }
    var elseList: [Statement]?
    if case .else = terminator {
      // "else if" (and Go 1.23's "else with") nest the next control in the else branch and
      // share its {{end}}.
      let nextKind = peek().kind
      if (kind == .if && nextKind == .if) || (kind == .with && nextKind == .with) {
        _ = next()
        elseList = [try control(kind, context: context)]
      } else {
        let (otherList, otherTerminator) = try itemList()
        if case .else = otherTerminator { throw error("expected end; found {{else}}") }
        elseList = otherList
      }
    }
    return .branch(BranchNode(kind: kind, pos: pipe.pos, pipe: pipe, list: list, elseList: elseList))
  }

  mutating func blockControl() throws(TemplateError) -> Statement {
    let context = "block clause"
    let token = nextNonSpace()
    let name = try templateName(token, context)
    let pipe = try pipeline(context, end: .rightDelim)
    let savedVars = vars
    let savedRange = rangeDepth
    vars = ["$"]
    rangeDepth = 0
    let (list, terminator) = try itemList()
    vars = savedVars
    rangeDepth = savedRange
    if case .else = terminator { throw error("unexpected {{else}} in \(context)") }
    try add(Tree(name: name, parseName: parseName, source: source, root: list))
    return .template(TemplateNode(pos: token.start, name: name, pipe: pipe))
  }

  mutating func templateControl() throws(TemplateError) -> Statement {
    let context = "template clause"
    let token = nextNonSpace()
    let name = try templateName(token, context)
    var pipe: Pipeline?
    if nextNonSpace().kind != .rightDelim {
      backup()
      pipe = try pipeline(context, end: .rightDelim)
    }
    return .template(TemplateNode(pos: token.start, name: name, pipe: pipe))
  }

  mutating func templateName(_ token: Token, _ context: String) throws(TemplateError) -> String {
    guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
    return try unquote(token)
  }

  // MARK: Pipelines

  mutating func pipeline(_ context: String, end: TokenKind) throws(TemplateError) -> Pipeline {
    let pos = peekNonSpace().start
    var declarations: [VariableName] = []
    var isAssign = false
    var commands: [Command] = []
    declarations: while true {
      let v = peekNonSpace()
      guard v.kind == .variable else { break }
      let before = index
      _ = nextNonSpace()
      let following = peekNonSpace()
      if following.kind == .assign || following.kind == .declare {
        isAssign = following.kind == .assign
        _ = nextNonSpace()
        declarations.append(VariableName(value(v)))
        vars.append(value(v))
        break
      } else if following.kind == .char && value(following) == "," {
        _ = nextNonSpace()
        declarations.append(VariableName(value(v)))
        vars.append(value(v))
        if context == "range" && declarations.count < 2 {
          switch peekNonSpace().kind {
          case .variable, .rightDelim, .rightParen: continue declarations
          default: throw error("range can only initialize variables")
          }
        }
        throw error("too many declarations in \(context)")
      } else {
        index = before
        break
      }
    }
    while true {
      let token = nextNonSpace()
      if token.kind == end {
        if commands.isEmpty { throw error("missing value for \(context)") }
        for (i, command) in commands.enumerated().dropFirst() {
          switch command.args[0].kind {
          case .bool, .dot, .nil, .number, .string:
            throw error("non executable command in pipeline stage \(i + 1)")
          default: break
          }
        }
        return Pipeline(pos: pos, declarations: declarations, isAssign: isAssign, commands: commands)
      }
      switch token.kind {
      case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nil, .rawString, .string,
        .variable, .leftParen:
        backup()
        commands.append(try command())
      default:
        throw unexpected(token, context)
      }
    }
  }

  mutating func command() throws(TemplateError) -> Command {
    let pos = peekNonSpace().start
    var args: [Expr] = []
    loop: while true {
      _ = peekNonSpace()
      if let operand = try operand() { args.append(operand) }
      let token = next()
      switch token.kind {
      case .space: continue loop
      case .rightDelim, .rightParen: backup()
      case .pipe: break
      default: throw unexpected(token, "operand")
      }
      break
    }
    if args.isEmpty { throw error("empty command") }
    return Command(pos: pos, args: args)
  }

  mutating func operand() throws(TemplateError) -> Expr? {
    guard let node = try term() else { return nil }
    guard peek().kind == .field else { return node }
    let chainPos = peek().start
    var fields: [String] = []
    while peek().kind == .field { fields.append(String(value(next()).dropFirst())) }
    switch node.kind {
    case .field:
      return Expr(.field, pos: chainPos, names: node.names + fields)
    case .variable:
      return Expr(.variable, pos: chainPos, name: node.name, names: node.names + fields)
    case .bool, .string, .number, .nil, .dot:
      throw error("unexpected . after term \(GoFormat.quote(node.rendered))")
    default:
      return Expr(.chain, pos: chainPos, names: fields, base: node)
    }
  }

  mutating func term() throws(TemplateError) -> Expr? {
    let token = nextNonSpace()
    switch token.kind {
    case .identifier:
      let name = value(token)
      if let function = functions[name] {
        return Expr(.identifier, pos: token.start, name: name, function: function)
      } else if let builtin = Builtin(rawValue: name) {
        return Expr(.identifier, pos: token.start, name: name, builtin: builtin)
      } else {
        throw error("function \(GoFormat.quote(name)) not defined")
      }
    case .dot: return Expr(.dot, pos: token.start)
    case .nil: return Expr(.nil, pos: token.start)
    case .variable:
      let name = value(token)
      if !vars.contains(name) { throw error("undefined variable \(GoFormat.quote(name))") }
      return Expr(.variable, pos: token.start, name: name)
    case .field:
      return Expr(.field, pos: token.start, names: [String(value(token).dropFirst())])
    case .bool:
      return Expr(.bool, pos: token.start, bool: value(token) == "true")
    case .charConstant, .number, .complex:
      return try number(token)
    case .leftParen:
      try enterNesting()
      defer { nesting -= 1 }
      let pipe = try pipeline("parenthesized pipeline", end: .rightParen)
      return Expr(.pipeline, pos: token.start, pipeline: pipe)
    case .string, .rawString:
      return Expr(.string, pos: token.start, name: try unquote(token), text: value(token))
    default:
      backup()
      return nil
    }
  }

  // MARK: Literals

  mutating func unquote(_ token: Token) throws(TemplateError) -> String {
    let slice = bytes[token.start..<token.end]
    if token.kind == .rawString {
      return String(decoding: slice.dropFirst().dropLast().filter { $0 != 0x0D }, as: UTF8.self)
    }
    guard let decoded = GoLiteral.unquote(Array(slice)) else { throw error("invalid syntax") }
    return decoded
  }

  mutating func number(_ token: Token) throws(TemplateError) -> Expr {
    let text = value(token)
    switch GoLiteral.number(text, isChar: token.kind == .charConstant, isComplex: token.kind == .complex) {
    case .failure(let failure): throw error(failure.message)
    case .success(.value(let value)): return Expr(.number, pos: token.start, text: text, constant: value)
    case .success(.overflow): return Expr(.number, pos: token.start, text: text, constantError: "\(text) overflows int")
    }
  }
}

extension TemplateFunctions {
  func defines(_ name: String) -> Bool { table[name] != nil }
}
