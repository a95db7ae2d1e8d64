/// A parsed template: its statements, plus what error messages need (the name of the text it
/// was parsed from, and that text, to turn byte offsets into line:column).
///
/// Unchecked `Sendable`: the node classes are not marked `Sendable`, but all their properties
/// are `let`s set by the parser, so every tree is read-only and sets can be shared across threads.
final class Tree: @unchecked Sendable {
  /// The template's name (`define`'s name, or the parsed text's name).
  let name: String
  /// The name of the text it came from (Go's `ParseName`), which error locations name.
  let parseName: String
  let source: SourceText
  let root: [Statement]

  init(name: String, parseName: String, source: SourceText, root: [Statement]) {
    self.name = name
    self.parseName = parseName
    self.source = source
    self.root = root
  }

  /// Go's `IsEmptyTree`: only white space (and comments, which the lexer drops).
  var isEmpty: Bool {
    root.allSatisfy { statement in
      if case .text(let bytes) = statement { return bytes.allSatisfy(Lexer.isSpace) }
      return false
    }
  }
}

/// The text a tree was parsed from, shared by all its definitions.
final class SourceText: Sendable {
  let bytes: [UInt8]
  init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Go's line (1-based) and column (bytes after the last newline) of `offset`.
  func location(_ offset: Int) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = 0
    var i = 0
    let end = min(offset, bytes.count)
    while i < end {
      if bytes[i] == 0x0A {
        line += 1
        lineStart = i + 1
      }
      i += 1
    }
    return (line, offset - lineStart)
  }
}

/// Something that error messages can point at: a byte offset and Go's rendering of the node.
protocol Located: AnyObject {
  var pos: Int { get }
  func write(to out: inout String)
}

/// One statement of a template body.
enum Statement {
  /// Literal text, written as it is.
  case text([UInt8])
  /// `{{pipeline}}`: evaluate and print (unless it declares variables).
  case action(ActionNode)
  /// `if`, `with` and `range`.
  case branch(BranchNode)
  /// `{{template "name" pipeline}}` (and `block`).
  case template(TemplateNode)
  /// `{{break}}`.
  case `break`(ControlNode)
  /// `{{continue}}`.
  case `continue`(ControlNode)
}

final class ActionNode: Located {
  let pos: Int
  let pipe: Pipeline
  init(pos: Int, pipe: Pipeline) {
    self.pos = pos
    self.pipe = pipe
  }
  func write(to out: inout String) {
    out += "{{"
    pipe.write(to: &out)
    out += "}}"
  }
}

final class BranchNode: Located {
  enum Kind { case `if`, with, range }
  let kind: Kind
  let pos: Int
  let pipe: Pipeline
  let list: [Statement]
  let elseList: [Statement]?
  init(kind: Kind, pos: Int, pipe: Pipeline, list: [Statement], elseList: [Statement]?) {
    self.kind = kind
    self.pos = pos
    self.pipe = pipe
    self.list = list
    self.elseList = elseList
  }
  func write(to out: inout String) {
    out += "{{"
    switch kind {
    case .if: out += "if "
    case .with: out += "with "
    case .range: out += "range "
    }
    pipe.write(to: &out)
    out += "}}"
    Statement.write(list, to: &out)
    if let elseList {
      out += "{{else}}"
      Statement.write(elseList, to: &out)
    }
    out += "{{end}}"
  }
}

final class TemplateNode: Located {
  let pos: Int
  let name: String
  let pipe: Pipeline?
  init(pos: Int, name: String, pipe: Pipeline?) {
    self.pos = pos
    self.name = name
    self.pipe = pipe
  }
  func write(to out: inout String) {
    out += "{{template " + GoFormat.quote(name)
    if let pipe {
      out += " "
      pipe.write(to: &out)
    }
    out += "}}"
  }
}

final class ControlNode: Located {
  let pos: Int
  let isBreak: Bool
  init(pos: Int, isBreak: Bool) {
    self.pos = pos
    self.isBreak = isBreak
  }
  func write(to out: inout String) { out += isBreak ? "{{break}}" : "{{continue}}" }
}

extension Statement {
  static func write(_ list: [Statement], to out: inout String) {
    for statement in list {
      switch statement {
      case .text(let bytes): out += String(decoding: bytes, as: UTF8.self)
      case .action(let node): node.write(to: &out)
      case .branch(let node): node.write(to: &out)
      case .template(let node): node.write(to: &out)
      case .break(let node), .continue(let node): node.write(to: &out)
      }
    }
  }
}

// The nodes below are immutable once parsed: the executor reads their `let` properties in
// place, where a `var` would be copied (retained and released) on every read.

/// A variable's name (`$x`) and its hash: lookups compare the hashes, which tell almost all
/// names apart at once, and compare the text only when they match.
struct VariableName {
  let text: String
  let key: Int
  init(_ text: String) {
    self.text = text
    key = text.hashValue
  }
}

/// `$x := cmd | cmd`: declarations and commands.
final class Pipeline: Located {
  let pos: Int
  let declarations: [VariableName]
  let isAssign: Bool
  let commands: [Command]
  init(pos: Int, declarations: [VariableName], isAssign: Bool, commands: [Command]) {
    self.pos = pos
    self.declarations = declarations
    self.isAssign = isAssign
    self.commands = commands
  }
  func write(to out: inout String) {
    if !declarations.isEmpty {
      out += declarations.map(\.text).joined(separator: ", ")
      out += " := "
    }
    for (i, command) in commands.enumerated() {
      if i > 0 { out += " | " }
      command.write(to: &out)
    }
  }
}

/// One command: operands separated by spaces; the first is what runs.
final class Command: Located {
  let pos: Int
  let args: [Expr]
  init(pos: Int, args: [Expr]) {
    self.pos = pos
    self.args = args
  }
  func write(to out: inout String) {
    for (i, arg) in args.enumerated() {
      if i > 0 { out += " " }
      if arg.kind == .pipeline {
        out += "("
        arg.write(to: &out)
        out += ")"
      } else {
        arg.write(to: &out)
      }
    }
  }
}

/// An operand: one of Go's argument nodes.
final class Expr: Located {
  enum Kind: UInt8 {
    /// `.a.b`: `names` are the fields.
    case field
    /// `$x.a`: `name` is the variable, `names` the fields.
    case variable
    /// `.`
    case dot
    /// `nil`
    case `nil`
    /// `true`/`false`
    case bool
    /// A number or character constant: `constant` (or `constantError`).
    case number
    /// A string literal: `name` is its value, `text` as written.
    case string
    /// A function name.
    case identifier
    /// `(pipeline)`.
    case pipeline
    /// `(pipeline).a.b` or `x.a`: `base` and `names`.
    case chain
  }

  let kind: Kind
  let pos: Int
  let name: String
  /// For variables: the hash of `name` (see `VariableName`).
  let variableKey: Int
  let text: String
  let names: [String]
  let bool: Bool
  let constant: TemplateValue
  let constantError: String?
  /// For string literals: the value's UTF-8, ready for printf's format scanner.
  let utf8: [UInt8]
  let pipeline: Pipeline?
  let base: Expr?
  /// For identifiers: the builtin, if the name is one (and no registered function replaces it).
  let builtin: Builtin?
  /// For identifiers: the registered function.
  let function: TemplateFunction?

  init(
    _ kind: Kind, pos: Int, name: String = "", text: String = "", names: [String] = [], bool: Bool = false,
    constant: TemplateValue = .missing, constantError: String? = nil, pipeline: Pipeline? = nil, base: Expr? = nil,
    builtin: Builtin? = nil, function: TemplateFunction? = nil
  ) {
    self.kind = kind
    self.pos = pos
    self.name = name
    variableKey = kind == .variable ? name.hashValue : 0
    self.text = text
    self.names = names
    self.bool = bool
    self.constant = constant
    self.constantError = constantError
    utf8 = kind == .string ? Array(name.utf8) : []
    self.pipeline = pipeline
    self.base = base
    self.builtin = builtin
    self.function = function
  }

  func write(to out: inout String) {
    switch kind {
    case .field:
      for name in names { out += "." + name }
    case .variable:
      out += name
      for field in names { out += "." + field }
    case .dot: out += "."
    case .nil: out += "nil"
    case .bool: out += bool ? "true" : "false"
    case .number, .string: out += text
    case .identifier: out += name
    case .pipeline: pipeline?.write(to: &out)
    case .chain:
      if let base {
        if base.kind == .pipeline {
          out += "("
          base.write(to: &out)
          out += ")"
        } else {
          base.write(to: &out)
        }
      }
      for field in names { out += "." + field }
    }
  }
}

extension Located {
  var rendered: String {
    var out = ""
    write(to: &out)
    return out
  }
}
