/// Every failure of the template engine, worded like Go's `text/template` so that chart
/// authors recognise it: `template: NAME:LINE:COL: executing "NAME" at <.a.b>: DETAIL` for
/// execution errors and `template: NAME:LINE: DETAIL` for parse errors.
package struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, which decides how the executor decorates the message.
  package enum Kind: Sendable, Equatable {
    /// The template text does not parse.
    case parse
    /// Executing failed (a missing key in strict mode, a bad argument, a nil pointer, ...).
    case execution
    /// A function or method failed; the executor prefixes `error calling NAME: `.
    case function
    /// A function was given the wrong number or types of arguments; decorated like Go's
    /// own argument checks (no `error calling` prefix).
    case argument
    /// The step budget or the nesting depth was exhausted (a loop or recursion without end).
    case limit
  }

  /// What went wrong.
  package var kind: Kind
  /// The message without the position and context (`map has no entry for key "x"`).
  package var detail: String
  /// The name of the template text where it happened (the file, for a `define` inside
  /// `_helpers.tpl`), which `line` and `column` refer to; nil when the error has no position.
  package var templateName: String?
  /// 1-based line, or 0 when not known.
  package var line: Int
  /// 1-based column (in bytes, as Go counts), or 0 when not known.
  package var column: Int
  /// The whole Go-style message.
  package var message: String

  /// An undecorated error of `kind`; the engine adds the position when it passes through.
  package init(_ kind: Kind, _ detail: String) {
    self.kind = kind
    self.detail = detail
    self.templateName = nil
    self.line = 0
    self.column = 0
    self.message = detail
  }

  /// An error located in template text `templateName`, with Go's full message already built.
  init(_ kind: Kind, detail: String, templateName: String?, line: Int, column: Int, message: String) {
    self.kind = kind
    self.detail = detail
    self.templateName = templateName
    self.line = line
    self.column = column
    self.message = message
  }

  /// The error a function throws to fail with `message` (shown as `error calling NAME: message`).
  package static func failure(_ message: String) -> TemplateError { TemplateError(.function, message) }

  package var description: String { message }
}
