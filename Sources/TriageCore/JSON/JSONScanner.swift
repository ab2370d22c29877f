import CSupport

/// Finds where a JSON value ends without building it. The record readers use it to cut records out
/// of a stream (and to skip records a rule cannot match) at a fraction of a full parse's cost.
public enum JSONScanner {
  /// Non-zero for the bytes that matter outside strings: `{ } [ ] "`.
  private static let structural: [UInt8] = {
    var table = [UInt8](repeating: 0, count: 256)
    for c in "{}[]\"".utf8 { table[Int(c)] = 1 }
    return table
  }()

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
    // The hot loop: raw pointers, one table lookup per byte outside strings; inside strings
    // (most of a CloudTrail record) sixteen bytes at a time.
    guard let base = buffer.baseAddress else { return .incomplete }
    let count = buffer.count
    var depth = 0
    return structural.withUnsafeBufferPointer { table -> Outcome in
      while position < count {
        let byte = base[position]
        if table[Int(byte)] == 0 {
          position += 1
          continue
        }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          depth += 1
          if depth > maxDepth { return .invalid(position) }
          position += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          position += 1
          if depth == 0 { return .end(position) }
        default:  // a quote
          position += 1
          while true {
            position = nextStringSpecial(base, from: position, count: count)
            guard position < count else { return .incomplete }
            let c = base[position]
            if c == UInt8(ascii: "\"") { position += 1; break }
            if c == UInt8(ascii: "\\") { position += 2; continue }
            return .invalid(position)  // a raw newline
          }
        }
      }
      return .incomplete
    }
  }

  /// The first quote, backslash or newline at or after `from` (or `count`): string bytes are
  /// most of what the scanner reads, so this is searched 16 bytes at a time (in C, for SSE2).
  @inline(__always)
  static func nextStringSpecial(_ base: UnsafePointer<UInt8>, from: Int, count: Int) -> Int {
    Int(lt_next_string_special(base, from, count))
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
