/// Why a chart archive could not be read.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, in words a user can act on.
  public let message: String

  /// An error with this message.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
