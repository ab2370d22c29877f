import Foundation
import TriageCore

/// Buffered stdout (alerts can be many) and unbuffered stderr.
enum Output {
  nonisolated(unsafe) private static var buffer: [UInt8] = []

  static func write(_ text: String) {
    buffer.append(contentsOf: text.utf8)
    if buffer.count > 1 << 16 { flush() }
  }

  static func flush() {
    buffer.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = Foundation.write(STDOUT_FILENO, raw.baseAddress! + offset, raw.count - offset)
        if n <= 0 { break }
        offset += n
      }
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Always sanitised: the summary and the errors name input files and quote records, and an input
  /// directory's file names are as untrusted as the logs in them.
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((TerminalSanitizer.sanitizeLines(text) + "\n").utf8))
  }
}
