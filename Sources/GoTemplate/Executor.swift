import FlowrelValue

/// What a statement list ended with: normally, or by `{{break}}`/`{{continue}}`.
enum Flow { case normal, `break`, `continue` }

/// A variable in scope: `$`, `$x`; `boxed` marks values held as Go `interface {}` (map and
/// list elements), which changes the type that error messages name.
struct Variable {
  var name: VariableName
  var value: TemplateValue
  var boxed: Bool
}

extension TemplateContext {
  // MARK: Entry points

  /// Runs template `name` with `data` and appends its output to `output`.
  func run(_ name: String, data: TemplateValue, into output: inout [UInt8]) throws(TemplateError) {
    guard let target = set.trees[name] else {
      let detail = "no template \(GoFormat.quote(name)) associated with template \(GoFormat.quote(tree?.name ?? name))"
      throw TemplateError(.execution, detail: detail, templateName: nil, line: 0, column: 0, message: "template: " + detail)
    }
    if depth >= options.maxDepth {
      // Undecorated: the function that asked (include, tpl) is named by the caller's message.
      throw TemplateError(.limit, "exceeded maximum template depth (\(options.maxDepth))")
    }
    if stackFloor != 0 && LargeStack.currentAddress() < stackFloor {
      throw TemplateError(.limit, "blocks and template calls nested too deep for the execution stack")
    }
    let savedWritesTopLevel = writesTopLevelOutput
    swap(&out, &output)
    depth += 1
    writesTopLevelOutput = runs == 0
    if runs == 0 { executedTemplate = name }
    runs += 1
    defer {
      runs -= 1
      writesTopLevelOutput = savedWritesTopLevel
      depth -= 1
      swap(&out, &output)
    }
    try walkCalled(target, dot: data.isNil ? .missing : data)
  }

  /// Walks `target` with `dot` as dot and `$`, in a scope of its own: the caller's variables
  /// stay on the stack below the new frame, where lookups do not reach.
  func walkCalled(_ target: Tree, dot: TemplateValue) throws(TemplateError) {
    let savedTree = tree
    let savedFrame = frame
    let savedCurrent = current
    frame = vars.count
    defer {
      popVariables(to: frame)
      frame = savedFrame
      tree = savedTree
      current = savedCurrent
    }
    tree = target
    vars.append(Variable(name: Self.dollar, value: dot, boxed: false))
    // Positions belong to one text: the caller's node means nothing in the called template.
    current = nil
    _ = try walk(target.root, dot: dot, boxed: false)
  }

  // MARK: Errors

  /// An error at the node being evaluated, worded as Go's executor words it.
  func fail(_ detail: String) -> TemplateError { fail(.execution, detail) }

  /// An error of `kind` at the node being evaluated.
  func fail(_ kind: TemplateError.Kind, _ detail: String) -> TemplateError {
    guard let tree else { return TemplateError(kind, detail) }
    let name = GoFormat.quote(tree.name)
    guard let current else {
      return TemplateError(
        kind, detail: detail, templateName: tree.parseName, line: 0, column: 0,
        message: "template: \(tree.name): \(detail)")
    }
    let (line, column) = tree.source.location(current.pos)
    return TemplateError(
      kind, detail: detail, templateName: tree.parseName, line: line, column: column,
      message: "template: \(tree.parseName):\(line):\(column): executing \(name) at <\(current.rendered)>: \(detail)")
  }

  @inline(__always)
  func at(_ node: any Located) { current = node }

  /// The error of an execution whose output passed `maxOutputBytes`, at the statement that wrote last.
  @inline(never)
  func outputTooLong() -> TemplateError {
    let limit = options.maxOutputBytes
    let size = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
    let before = options.outputBefore > 0 ? "; the templates before this one wrote \(options.outputBefore) bytes" : ""
    return fail(.limit, "the output is longer than \(size), the most flowrel renders \(options.outputLimitScope)\(before)")
  }

  @inline(__always)
  func step() throws(TemplateError) {
    stepsLeft -= 1
    if stepsLeft < 0 {
      throw fail(
        .limit,
        "exceeded the limit of \(options.maxSteps) steps (a loop that does not end, or far too much work)")
    }
  }

  // MARK: Statements

  func walk(_ list: [Statement], dot: TemplateValue, boxed: Bool) throws(TemplateError) -> Flow {
    for index in list.indices {
      try step()
      switch list[index] {
      case .text(let bytes):
        out.append(contentsOf: bytes)
      case .action(let node):
        at(node)
        let value = try evalPipeline(dot, boxed, node.pipe)
        if node.pipe.declarations.isEmpty { try printValue(node, value) }
      case .branch(let node):
        let flow =
          node.kind == .range
          ? try walkRange(dot, boxed, node) : try walkIfOrWith(dot, boxed, node)
        if flow != .normal { return flow }
      case .template(let node):
        try walkTemplate(dot, boxed, node)
      case .break(let node):
        at(node)
        return .break
      case .continue(let node):
        at(node)
        return .continue
      }
      if out.count > options.outputBudget { throw outputTooLong() }
      if writesTopLevelOutput, let pieces, out.count != pieces.seen { pieces.advance(out, finishing: false, context: self) }
    }
    return .normal
  }

  func printValue(_ node: ActionNode, _ value: TemplateValue) throws(TemplateError) {
    at(node)
    switch value {
    case .missing: out.append(contentsOf: "<no value>".utf8)
    case .string(let s): out.append(contentsOf: s.utf8)
    case .int(let i), .int64(let i), .wholeFloat(let i): out.append(contentsOf: String(i).utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .function:
      throw fail("can't print \(node.rendered) of type \(value.goTypeName)")
    default:
      var text = ""
      GoFormat.writeValue(value, verb: UInt8(ascii: "v"), into: &text)
      out.append(contentsOf: text.utf8)
    }
  }

  func popVariables(to mark: Int) {
    // One at a time from the end: `removeSubrange` costs more than the few entries it removes.
    while vars.count > mark { vars.removeLast() }
  }

  /// Counts one more template call against `maxDepth`. Only calls count, as in Go and Helm:
  /// blocks and parentheses are bounded by the parser's nesting limit within one template,
  /// and by `checkStack` across calls.
  @inline(__always)
  func enter() throws(TemplateError) {
    try checkStack()
    if depth >= options.maxDepth {
      throw fail(.limit, "exceeded maximum template depth (\(options.maxDepth))")
    }
    depth += 1
  }

  /// Fails when the execution has used its stack down to `stackFloor`: blocks and parentheses
  /// nested in each of many template calls could otherwise overflow it.
  @inline(__always)
  func checkStack() throws(TemplateError) {
    if stackFloor != 0 && LargeStack.currentAddress() < stackFloor {
      throw fail(.limit, "blocks and template calls nested too deep for the execution stack")
    }
  }

  func walkIfOrWith(_ dot: TemplateValue, _ boxed: Bool, _ node: BranchNode) throws(TemplateError) -> Flow {
    at(node)
    try checkStack()
    let mark = vars.count
    defer { popVariables(to: mark) }
    let value = try evalPipeline(dot, boxed, node.pipe)
    if value.isTruthy {
      return node.kind == .with
        ? try walk(node.list, dot: value, boxed: false) : try walk(node.list, dot: dot, boxed: boxed)
    } else if let elseList = node.elseList {
      return try walk(elseList, dot: dot, boxed: boxed)
    }
    return .normal
  }

  func walkRange(_ dot: TemplateValue, _ boxed: Bool, _ node: BranchNode) throws(TemplateError) -> Flow {
    at(node)
    try checkStack()
    let mark = vars.count
    defer { popVariables(to: mark) }
    let value = try evalPipeline(dot, boxed, node.pipe).collectionView
    let inner = vars.count
    let declared = node.pipe.declarations.count

    func iteration(_ index: TemplateValue, _ element: TemplateValue, _ elementBoxed: Bool) throws(TemplateError) -> Flow {
      if declared > 0 { vars[vars.count - 1] = Variable(name: node.pipe.declarations[declared - 1], value: element, boxed: elementBoxed) }
      if declared > 1 { vars[vars.count - 2].value = index; vars[vars.count - 2].boxed = false }
      let flow = try walk(node.list, dot: element, boxed: elementBoxed)
      popVariables(to: inner)
      return flow
    }

    switch value {
    case .list(let list) where !list.isEmpty:
      let elementsBoxed = list.holdsInterfaces
      for i in 0..<list.count {
        try step()
        if try iteration(.int(Int64(i)), list[i], elementsBoxed) == .break { break }
      }
      return .normal
    case .map(let map) where !map.isEmpty:
      let elementsBoxed = map.holdsInterfaces
      // Go ranges over the entries the map had at the start, whatever the body changes.
      for (key, element) in map.entries.sorted(by: { Value.byteOrder($0.key, $1.key) }) {
        try step()
        if try iteration(.string(key), element, elementsBoxed) == .break { break }
      }
      return .normal
    case .int(let n), .int64(let n), .wholeFloat(let n):
      if declared > 1 { throw fail("can't use \(GoFormat.string(value)) to iterate over more than one variable") }
      if n > 0 {
        let isInt64: Bool = if case .int64 = value { true } else { false }
        var i: Int64 = 0
        while i < n {
          try step()
          if try iteration(.missing, isInt64 ? .int64(i) : .int(i), false) == .break { break }
          i += 1
        }
        return .normal
      }
    case .uint(let n):
      if declared > 1 { throw fail("can't use \(GoFormat.string(value)) to iterate over more than one variable") }
      if n > 0 {
        var i: UInt64 = 0
        while i < n {
          try step()
          if try iteration(.missing, .uint(i), false) == .break { break }
          i += 1
        }
        return .normal
      }
    case .list, .map, .missing, .null:
      break
    default:
      throw fail("range can't iterate over \(GoFormat.string(value))")
    }
    if let elseList = node.elseList {
      // A {{break}} in the else branch ends this range; {{continue}} belongs to an outer one.
      let flow = try walk(elseList, dot: dot, boxed: boxed)
      return flow == .continue ? .continue : .normal
    }
    return .normal
  }

  func walkTemplate(_ dot: TemplateValue, _ boxed: Bool, _ node: TemplateNode) throws(TemplateError) {
    at(node)
    guard let target = set.trees[node.name] else {
      throw fail("template \(GoFormat.quote(node.name)) not defined")
    }
    let newDot = try node.pipe.map { (pipe) throws(TemplateError) in try evalPipeline(dot, boxed, pipe) } ?? .missing
    at(node)
    try enter()
    defer { depth -= 1 }
    try walkCalled(target, dot: newDot)
  }

  // MARK: Pipelines and commands

  func evalPipeline(_ dot: TemplateValue, _ boxed: Bool, _ pipe: Pipeline) throws(TemplateError) -> TemplateValue {
    at(pipe)
    var value: TemplateValue? = nil
    for index in pipe.commands.indices {
      // A constant for the closure below, which would copy a captured variable on each read.
      let final = value
      // The command and its first word are lent to the call, not retained: `pipe`, which the
      // caller holds, holds them until it returns, and a retain and release per node cost about
      // 5% of execution time. The call sits directly in a non-throwing closure (its error
      // travels in a Result): only in that shape does the optimizer leave the retain out.
      let command = Unmanaged.passUnretained(pipe.commands[index])
      let outcome = command._withUnsafeGuaranteedRef { command in
        Unmanaged.passUnretained(command.args[0])._withUnsafeGuaranteedRef { first in
          Result { () throws(TemplateError) in try evalCommand(dot, boxed, command, first, final: final) }
        }
      }
      var result = try outcome.get()
      // A nil interface result is "no value", as Go's reflect.ValueOf(nil) is.
      if case .null = result { result = .missing }
      value = result
    }
    let result = value ?? .missing
    for name in pipe.declarations {
      if pipe.isAssign {
        try setVariable(name, result)
      } else {
        vars.append(Variable(name: name, value: result, boxed: false))
      }
    }
    return result
  }

  func setVariable(_ name: VariableName, _ value: TemplateValue) throws(TemplateError) {
    let i = try variableIndex(name.text, key: name.key)
    // In place: rebuilding the whole entry would copy its name as well.
    vars[i].value = value
    vars[i].boxed = false
  }

  /// `$`, which every template call declares.
  static let dollar = VariableName("$")

  /// Where variable `name` (whose hash is `key`) of the current template is in `vars`,
  /// innermost first.
  func variableIndex(_ name: String, key: Int) throws(TemplateError) -> Int {
    var i = vars.count - 1
    while i >= frame {
      if vars[i].name.key == key && vars[i].name.text == name { return i }
      i -= 1
    }
    throw fail("undefined variable: \(name)")
  }

  func notAFunction(_ args: [Expr], _ final: TemplateValue?) throws(TemplateError) {
    if args.count > 1 || final != nil {
      throw fail("can't give argument to non-function \(args[0].rendered)")
    }
  }

  /// Runs `command`, whose first word is `first`.
  func evalCommand(
    _ dot: TemplateValue, _ boxed: Bool, _ command: Command, _ first: Expr, final: TemplateValue?
  ) throws(TemplateError) -> TemplateValue {
    switch first.kind {
    case .field:
      at(first)
      return try evalFieldChain(dot, receiver: dot, boxed: boxed, node: first, first.names, args: command.args, final: final)
    case .chain:
      return try evalChain(dot, boxed, first, args: command.args, final: final)
    case .identifier:
      return try evalFunction(dot, boxed, first, command: command, args: command.args, final: final)
    case .pipeline:
      try notAFunction(command.args, final)
      return try evalParenthesized(dot, boxed, first)
    case .variable:
      return try evalVariable(dot, boxed, first, args: command.args, final: final)
    default:
      break
    }
    at(first)
    try notAFunction(command.args, final)
    switch first.kind {
    case .bool: return .bool(first.bool)
    case .dot: return dot
    case .nil: throw fail("nil is not a command")
    case .number: return try constant(first)
    default: return .string(first.name)
    }
  }

  func constant(_ node: Expr) throws(TemplateError) -> TemplateValue {
    at(node)
    if let message = node.constantError { throw fail(message) }
    return node.constant
  }

  func evalVariable(
    _ dot: TemplateValue, _ boxed: Bool, _ node: Expr, args: [Expr]?, final: TemplateValue?
  ) throws(TemplateError) -> TemplateValue {
    at(node)
    let i = try variableIndex(node.name, key: node.variableKey)
    if node.names.isEmpty {
      if let args { try notAFunction(args, final) }
      return vars[i].value
    }
    return try evalFieldChain(
      dot, receiver: vars[i].value, boxed: vars[i].boxed, node: node, node.names, args: args, final: final)
  }

  func evalChain(
    _ dot: TemplateValue, _ boxed: Bool, _ node: Expr, args: [Expr]?, final: TemplateValue?
  ) throws(TemplateError) -> TemplateValue {
    at(node)
    guard let base = node.base else { throw fail("internal error: no base in chain") }
    if base.kind == .nil { throw fail("indirection through explicit nil in \(node.rendered)") }
    let receiver = try evalArg(dot, boxed, base)
    return try evalFieldChain(dot, receiver: receiver, boxed: false, node: node, node.names, args: args, final: final)
  }

  func evalFieldChain(
    _ dot: TemplateValue, receiver: TemplateValue, boxed: Bool, node: Expr, _ names: [String], args: [Expr]?,
    final: TemplateValue?
  ) throws(TemplateError) -> TemplateValue {
    var receiver = receiver
    var boxed = boxed
    let last = names.count - 1
    var i = 0
    while i < last {
      (receiver, boxed) = try evalField(dot, names[i], node: node, args: nil, final: nil, receiver, boxed)
      i += 1
    }
    return try evalField(dot, names[last], node: node, args: args, final: final, receiver, boxed).0
  }

  /// `.name` of `receiver`: a map entry, an object's field, or an object's method called with
  /// `args` (the command's words, the first being the field itself) and `final`.
  func evalField(
    _ dot: TemplateValue, _ name: String, node: Expr, args: [Expr]?, final: TemplateValue?,
    _ receiver: TemplateValue, _ boxed: Bool
  ) throws(TemplateError) -> (TemplateValue, Bool) {
    let hasArgs = (args?.count ?? 0) > 1 || final != nil
    switch receiver {
    case .map(let map):
      if hasArgs { throw fail("\(name) is not a method but has arguments") }
      let elementsBoxed = map.holdsInterfaces
      if let value = map[name] { return (value, elementsBoxed) }
      switch options.missingKey {
      case .noValue: return (.missing, false)
      case .zero: return (elementsBoxed ? .null : GoFormat.zeroValue(ofType: map.elementTypeName), elementsBoxed)
      case .error: throw fail("map has no entry for key \(GoFormat.quote(name))")
      }
    case .missing:
      if options.missingKey == .error { throw fail("nil data; no entry for key \(GoFormat.quote(name))") }
      return (.missing, false)
    case .null:
      throw fail("nil pointer evaluating interface {}.\(name)")
    case .object(let object):
      switch object.member(named: name) {
      case .method(let function):
        return (try evalCall(dot, boxed, function, node: node, nameNode: node, name: name, args: args, final: final), false)
      case .field(let value):
        if hasArgs { throw fail("\(name) has arguments but cannot be invoked as function") }
        return (value, false)
      case nil:
        // A map type with methods: the name is a key.
        if let map = object.underlyingMap {
          return try evalField(dot, name, node: node, args: args, final: final, .map(map), false)
        }
      }
    default:
      break
    }
    let type = boxed ? "interface {}" : receiver.goTypeName
    throw fail("can't evaluate field \(name) in type \(type)")
  }

  func evalFunction(
    _ dot: TemplateValue, _ boxed: Bool, _ node: Expr, command: any Located, args: [Expr]?, final: TemplateValue?
  ) throws(TemplateError) -> TemplateValue {
    at(node)
    if let builtin = node.builtin {
      return try callBuiltin(builtin, dot, boxed, node: node, command: command, args: args, final: final)
    }
    guard let function = node.function else { throw fail("\(GoFormat.quote(node.name)) is not a defined function") }
    return try evalCall(dot, boxed, function, node: command, nameNode: node, name: node.name, args: args, final: final)
  }

  /// Calls a registered function or method with the evaluated arguments. Errors name `node`
  /// (the command, for functions) or, for argument errors, `nameNode` (where Go checks them).
  func evalCall(
    _ dot: TemplateValue, _ boxed: Bool, _ function: TemplateFunction, node: any Located, nameNode: any Located,
    name: String, args: [Expr]?, final: TemplateValue?
  ) throws(TemplateError) -> TemplateValue {
    var values: [TemplateValue] = []
    if let args, args.count > 1 {
      values.reserveCapacity(args.count - 1 + (final == nil ? 0 : 1))
      for i in 1..<args.count { values.append(try evalArg(dot, boxed, args, at: i)) }
    }
    if let final { values.append(final) }
    try step()
    do {
      return try function.body(TemplateArguments(functionName: name, values: values), self)
    } catch let error as TemplateError {
      switch error.kind {
      case .argument:
        at(nameNode)
        throw fail(.execution, error.detail)
      case .limit:
        // One limit message, however deep the includes that reached it.
        if error.templateName != nil { throw error }
        at(node)
        throw fail(.limit, "error calling \(name): \(error.message)")
      default:
        at(node)
        throw fail("error calling \(name): \(error.message)")
      }
    } catch {
      at(node)
      throw fail("error calling \(name): \(String(describing: error))")
    }
  }

  /// `(pipeline)`; the parser always sets the pipeline of such a node. Its stack is checked,
  /// as blocks' is: parentheses around a recursive `include` nest on the stack too.
  func evalParenthesized(_ dot: TemplateValue, _ boxed: Bool, _ node: Expr) throws(TemplateError) -> TemplateValue {
    guard let pipe = node.pipeline else { return .missing }
    at(node)
    try checkStack()
    return try evalPipeline(dot, boxed, pipe)
  }

  /// An argument's value and whether Go holds it as an `interface {}` (a map or list element).
  func evalArgKeepingType(_ dot: TemplateValue, _ boxed: Bool, _ node: Expr) throws(TemplateError) -> (TemplateValue, Bool) {
    switch node.kind {
    case .dot:
      at(node)
      return (dot, boxed)
    case .field:
      at(node)
      return try evalFieldChainKeepingType(dot, receiver: dot, boxed: boxed, node: node, node.names, args: nil)
    case .variable:
      at(node)
      let i = try variableIndex(node.name, key: node.variableKey)
      if node.names.isEmpty { return (vars[i].value, vars[i].boxed) }
      return try evalFieldChainKeepingType(
        dot, receiver: vars[i].value, boxed: vars[i].boxed, node: node, node.names, args: nil)
    case .chain:
      at(node)
      guard let base = node.base, base.kind != .nil else { return (try evalArg(dot, boxed, node), false) }
      let receiver = try evalArg(dot, boxed, base)
      return try evalFieldChainKeepingType(dot, receiver: receiver, boxed: false, node: node, node.names, args: nil)
    default:
      return (try evalArg(dot, boxed, node), false)
    }
  }

  func evalFieldChainKeepingType(
    _ dot: TemplateValue, receiver: TemplateValue, boxed: Bool, node: Expr, _ names: [String], args: [Expr]?
  ) throws(TemplateError) -> (TemplateValue, Bool) {
    var receiver = receiver
    var boxed = boxed
    for (i, name) in names.enumerated() {
      (receiver, boxed) = try evalField(dot, name, node: node, args: i == names.count - 1 ? args : nil, final: nil, receiver, boxed)
    }
    return (receiver, boxed)
  }

  /// The value of argument `nodes[index]`, which is lent to `evalArg`, not retained (`nodes`
  /// holds it until the call returns; see `evalPipeline`).
  func evalArg(_ dot: TemplateValue, _ boxed: Bool, _ nodes: [Expr], at index: Int) throws(TemplateError) -> TemplateValue {
    let outcome = Unmanaged.passUnretained(nodes[index])._withUnsafeGuaranteedRef { node in
      Result { () throws(TemplateError) in try evalArg(dot, boxed, node) }
    }
    return try outcome.get()
  }

  /// An argument's value (Go's `evalArg` for an `interface {}` parameter).
  func evalArg(_ dot: TemplateValue, _ boxed: Bool, _ node: Expr) throws(TemplateError) -> TemplateValue {
    at(node)
    switch node.kind {
    case .dot: return dot
    case .nil: return .null
    case .field:
      return try evalFieldChain(dot, receiver: dot, boxed: boxed, node: node, node.names, args: nil, final: nil)
    case .variable: return try evalVariable(dot, boxed, node, args: nil, final: nil)
    case .pipeline: return try evalParenthesized(dot, boxed, node)
    case .identifier: return try evalFunction(dot, boxed, node, command: node, args: nil, final: nil)
    case .chain: return try evalChain(dot, boxed, node, args: nil, final: nil)
    case .bool: return .bool(node.bool)
    case .number: return try constant(node)
    case .string: return .string(node.name)
    }
  }
}
