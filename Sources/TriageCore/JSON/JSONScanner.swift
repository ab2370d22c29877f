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
    var depth = 0
    while position < buffer.count {
      let byte = buffer[position]
      switch byte {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
        if depth > maxDepth { return .invalid(position) }
        position += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        position += 1
        if depth == 0 { return .end(position) }
      case UInt8(ascii: "\""):
        switch skipString(buffer, from: position) {
        case .end(let e): position = e
        case let other: return other
        }
      case 0x0A where depth > 0:
        position += 1
      default:
        position += 1
      }
    }
    return .incomplete
  }

  @inline(__always)
  static func skipString(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> Outcome {
    var position = start + 1
    while position < buffer.count {
      let byte = buffer[position]
      if byte == UInt8(ascii: "\"") { return .end(position + 1) }
      if byte == UInt8(ascii: "\\") { position += 2; continue }
      if byte == 0x0A { return .invalid(position) }
      position += 1
    }
    return .incomplete
  }
}
