import CSupport

/// Finds where a JSON value ends without building it. The record readers use it to cut records out
/// of a stream (and to skip records a rule cannot match) at a fraction of a full parse's cost.
public enum JSONScanner {
  public enum Outcome: Equatable, Sendable {
    /// The value ends just before this index.
    case end(Int)
    /// The buffer ended inside the value: more bytes are needed.
    case incomplete
    /// Not a JSON value; the offset of the offending byte.
    case invalid(Int)
  }

  /// Scans the value that starts at `start` (no leading whitespace). Structure is checked only as
  /// far as brackets and strings go; the full parser validates the rest.
  public static func endOfValue(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, maxDepth: Int = JSONParser.defaultMaxDepth) -> Outcome {
    guard start < buffer.count else { return .incomplete }
    var position = start
    let first = buffer[position]
    if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") {
      if first == UInt8(ascii: "\"") {
        return skipString(buffer, from: position)
      }
      // Scalar: runs until a delimiter.
      while position < buffer.count {
        switch buffer[position] {
        case 0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
          return position == start ? .invalid(start) : .end(position)
        default: position += 1
        }
      }
      return .incomplete
    }
    return containerEnd(buffer, from: start, maxDepth: maxDepth)
  }

  /// An object or array: 64 bytes per step, from bitmasks of its quotes, backslashes, brackets and
  /// newlines (in C: AVX2 or SSE2 compares). `builder` picks how the masks are built
  /// (`LT_MASKS_BYTES`, `_SSE2`, `_AVX2`), for the tests; nil is the fastest this machine has.
  @inline(__always)
  static func containerEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, maxDepth: Int, builder: Int32? = nil) -> Outcome {
    guard let base = buffer.baseAddress else { return .incomplete }
    var position = 0
    let kind = if let builder { lt_value_end_using(builder, base, start, buffer.count, maxDepth, &position) }
               else { lt_value_end(base, start, buffer.count, maxDepth, &position) }
    switch kind {
    case 0: return .end(position)
    case 1: return .invalid(position)
    default: return .incomplete
    }
  }

  @inline(__always)
  static func skipString(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Outcome {
    guard let base = buffer.baseAddress else { return .incomplete }
    var position = start + 1
    while true {
      position = lt_string_stop(base, position, buffer.count, 0)
      guard position < buffer.count else { return .incomplete }
      switch buffer[position] {
      case UInt8(ascii: "\""): return .end(position + 1)
      case UInt8(ascii: "\\"): position += 2
      default: return .invalid(position)  // a raw newline
      }
    }
  }
}
