/// Why a chart archive could not be read.
package struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, in words a user can act on.
  package let message: String

  /// An error with this message.
  package init(_ message: String) { self.message = message }

  package var description: String { message }
}
