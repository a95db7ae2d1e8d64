import FlowrelActions
import Foundation
import Synchronization

/// Where output goes: data to standard output, messages to standard error.
enum Console {
  /// Data, exactly as given (written from the string's own bytes: a rendered release is
  /// about a megabyte).
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return }
      var offset = 0
      while offset < bytes.count {
        #if canImport(Glibc)
          let written = Glibc.write(STDOUT_FILENO, base + offset, bytes.count - offset)
        #else
          let written = Darwin.write(STDOUT_FILENO, base + offset, bytes.count - offset)
        #endif
        if written < 0 && errno == EINTR { continue }
        // A closed pipe (`flowrel template | head`) ends the output, as it would for FileHandle.
        guard written > 0 else { return }
        offset += written
      }
    }
  }

  /// Keeps `value` until the process exits instead of freeing it: the command is done, and
  /// taking apart a large render (hundreds of objects) would cost milliseconds for nothing.
  static func keepUntilExit<T>(_ value: T) {
    _ = Unmanaged.passRetained(Kept(value))
  }

  /// A value that is never released (see `keepUntilExit`).
  private final class Kept<T> {
    let value: T
    init(_ value: T) { self.value = value }
  }

  /// A message, warning or progress line, with a newline added when missing.
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
  }

  /// Whether the command asked for debug output (set when its logger is made), so an error
  /// can be printed with its details.
  static let debugging = Mutex(false)

  /// Whether standard output is a terminal (for colored diffs).
  static var isTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

  /// Ends the process.
  static func flushAndExit(_ code: Int32) -> Never {
    Foundation.exit(code)
  }

  /// The logger actions report progress (and with `--debug`, debug lines) to: each message one
  /// line on standard error.
  static func logger(debug: Bool) -> Logger {
    if debug { debugging.withLock { $0 = true } }
    var logger = Logger(label: "flowrel") { _ in ConsoleLogHandler() }
    logger.logLevel = debug ? .debug : .info
    return logger
  }
}

/// Prints log messages as plain lines on standard error (progress is for people, not parsers).
struct ConsoleLogHandler: LogHandler {
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .info

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    Console.error("\(event.message)")
  }
}
