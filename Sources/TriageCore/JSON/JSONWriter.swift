import CSupport

/// Serialises `JSONValue`s, keeping member order, so output is stable and diffable.
public enum JSONWriter {
  public static func compact(_ value: JSONValue) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(512)
    write(value, into: &out, indent: nil, level: 0)
    return String(decoding: out, as: UTF8.self)
  }

  public static func pretty(_ value: JSONValue, indent: Int = 2) -> String {
    var out: [UInt8] = []
    write(value, into: &out, indent: indent, level: 0)
    return String(decoding: out, as: UTF8.self)
  }

  public static func write(_ value: JSONValue, into out: inout [UInt8], indent: Int?, level: Int) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let n): out.append(contentsOf: n.text.utf8)
    case .string(let s): appendQuoted(s, into: &out)
    case .array(let elements):
      if elements.isEmpty { out.append(contentsOf: "[]".utf8); return }
      out.append(UInt8(ascii: "["))
      for (i, element) in elements.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        newline(&out, indent: indent, level: level + 1)
        write(element, into: &out, indent: indent, level: level + 1)
      }
      newline(&out, indent: indent, level: level)
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      if object.members.isEmpty { out.append(contentsOf: "{}".utf8); return }
      out.append(UInt8(ascii: "{"))
      for (i, member) in object.members.enumerated() {
        if i > 0 { out.append(UInt8(ascii: ",")) }
        newline(&out, indent: indent, level: level + 1)
        appendQuoted(member.key, into: &out)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
        write(member.value, into: &out, indent: indent, level: level + 1)
      }
      newline(&out, indent: indent, level: level)
      out.append(UInt8(ascii: "}"))
    }
  }

  @inline(__always)
  private static func newline(_ out: inout [UInt8], indent: Int?, level: Int) {
    guard let indent else { return }
    out.append(0x0A)
    out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * level))
  }

  /// Quotes a string per RFC 8259. Besides the required escapes, U+2028/U+2029 are escaped so the
  /// output is also safe to embed in JavaScript.
  public static func appendQuoted(_ string: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    var string = string
    string.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return }
      let n = bytes.count
      var i = 0
      while true {
        // Copy the run up to the next byte to look at in one go.
        let stop = i + lt_json_plain_prefix(base + i, n - i)
        out.append(contentsOf: UnsafeBufferPointer(start: base + i, count: stop - i))
        guard stop < n else { return }
        let byte = bytes[stop]
        i = stop + 1
        // Byte by byte, not `append(contentsOf: [...])`: a literal array is an allocation per
        // escape, and `event.original` in an alert escapes every quote of the record.
        switch byte {
        case 0x22: out.append(0x5C); out.append(0x22)
        case 0x5C: out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
        case 0xE2:
          // U+2028 / U+2029 (E2 80 A8 / E2 80 A9), escaped so the output is also safe JavaScript;
          // any other character starting with E2 is copied.
          if stop + 2 < n, bytes[stop + 1] == 0x80, bytes[stop + 2] == 0xA8 || bytes[stop + 2] == 0xA9 {
            out.append(contentsOf: "\\u202".utf8)
            out.append(bytes[stop + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
            i = stop + 3
          } else {
            out.append(byte)
          }
        default:
          out.append(0x5C); out.append(UInt8(ascii: "u")); out.append(UInt8(ascii: "0")); out.append(UInt8(ascii: "0"))
          out.append(UInt8.hexDigits[Int(byte >> 4)]); out.append(UInt8.hexDigits[Int(byte & 0xF)])
        }
      }
    }
    out.append(UInt8(ascii: "\""))
  }

  public static func quoted(_ string: String) -> String {
    var out: [UInt8] = []
    appendQuoted(string, into: &out)
    return String(decoding: out, as: UTF8.self)
  }
}
