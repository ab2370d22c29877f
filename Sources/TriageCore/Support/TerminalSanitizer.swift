/// Makes log-derived text inert for a terminal: control characters (C0, DEL, C1), and with them
/// every ESC/CSI/OSC/DCS sequence, BiDi overrides and isolates, and zero-width characters are shown
/// as visible escapes (`\x1b`, `\u202e`) instead of being interpreted.
public enum TerminalSanitizer {
  public static func isDangerous(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    switch v {
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF, 0x061C, 0x180E: return true
    case 0xFFF9...0xFFFB: return true
    default: return false
    }
  }

  /// The visible escape for a dangerous scalar.
  public static func escape(_ scalar: Unicode.Scalar) -> String {
    let v = scalar.value
    func hex(_ value: UInt32, _ width: Int) -> String {
      let s = String(value, radix: 16)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    switch v {
    case 0x0A: return "\\n"
    case 0x0D: return "\\r"
    case 0x09: return "\\t"
    case 0..<0x100: return "\\x" + hex(v, 2)
    default: return "\\u" + hex(v, 4)
    }
  }

  public static func sanitize(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isDangerous) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      if isDangerous(scalar) { out += escape(scalar) } else { out.unicodeScalars.append(scalar) }
    }
    return out
  }

  /// `sanitize` for text of several lines written for people (a run's summary, error messages):
  /// its own line breaks stay line breaks, everything else dangerous is escaped.
  public static func sanitizeLines(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { sanitize(String($0)) }.joined(separator: "\n")
  }

  /// Bytes that may be invalid UTF-8: invalid sequences become `\xNN`, then `sanitize` applies.
  public static func sanitize(bytes: some Collection<UInt8>) -> String {
    var out = ""
    var decoder = UTF8()
    var pending: [UInt8] = []
    // Decode scalar by scalar; a byte that does not start a valid sequence is shown as `\xNN`.
    let array = Array(bytes)
    var i = 0
    while i < array.count {
      pending.removeAll(keepingCapacity: true)
      let lead = array[i]
      let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
      if length > 0 && i + length <= array.count {
        pending.append(contentsOf: array[i..<(i + length)])
        var it = pending.makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&it) {
          out += isDangerous(scalar) ? escape(scalar) : String(Character(scalar))
          i += length
          continue
        }
        decoder = UTF8()
      }
      out += "\\x" + (lead < 16 ? "0" : "") + String(lead, radix: 16)
      i += 1
    }
    return out
  }
}
