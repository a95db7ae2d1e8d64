/// A YAML problem: text that does not parse, or parses into something flowrel refuses
/// (duplicate keys, nesting too deep, excessive aliasing, a bad tagged value, ...).
package struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file (or other input name) the text came from.
  package let file: String
  /// 1-based line of the problem.
  package let line: Int
  /// 1-based column of the problem, counted in characters (Unicode scalars), as libyaml counts.
  package let column: Int
  /// What is wrong, in words a user can act on.
  package let message: String

  /// An error at `line`:`column` of `file`.
  package init(file: String, line: Int, column: Int, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.message = message
  }

  /// An error at `position` of `file`.
  package init(file: String, at position: YAMLPosition, message: String) {
    self.init(file: file, line: position.line, column: position.column, message: message)
  }

  /// `file:line:col: message`.
  package var description: String { "\(file):\(line):\(column): \(message)" }
}
