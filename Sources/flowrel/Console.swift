import Foundation

/// Where output goes: data to standard output, messages to standard error.
enum Console {
  /// Data, exactly as given.
  static func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// A message, warning or progress line, with a newline added when missing.
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }
}
