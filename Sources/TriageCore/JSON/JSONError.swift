import Foundation

/// Why bytes are not valid JSON, with the byte offset so a user can find the spot.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Reason: Sendable, Equatable {
    case unexpectedEnd
    case unexpectedByte(UInt8)
    case invalidNumber
    case invalidEscape
    case invalidUnicodeEscape
    case controlCharacterInString
    case tooDeep(limit: Int)
    case trailingData
    case duplicateKey(String)
  }

  public let reason: Reason
  public let offset: Int

  public init(_ reason: Reason, at offset: Int) {
    self.reason = reason
    self.offset = offset
  }

  public var description: String {
    switch reason {
    case .unexpectedEnd: return "invalid JSON: unexpected end of input at byte \(offset)"
    case .unexpectedByte(let b):
      let shown = (0x20..<0x7f).contains(b) ? "'\(Character(Unicode.Scalar(b)))'" : String(format: "0x%02x", b)
      return "invalid JSON: unexpected \(shown) at byte \(offset)"
    case .invalidNumber: return "invalid JSON: malformed number at byte \(offset)"
    case .invalidEscape: return "invalid JSON: bad escape sequence at byte \(offset)"
    case .invalidUnicodeEscape: return "invalid JSON: bad \\u escape at byte \(offset)"
    case .controlCharacterInString: return "invalid JSON: raw control character in string at byte \(offset)"
    case .tooDeep(let limit): return "invalid JSON: nested deeper than \(limit) levels at byte \(offset)"
    case .trailingData: return "invalid JSON: unexpected data after the value at byte \(offset)"
    case .duplicateKey(let key): return "invalid JSON: duplicate key \"\(key)\" at byte \(offset)"
    }
  }
}
