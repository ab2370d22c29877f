import CSupport
#if canImport(Glibc)
import Glibc
#endif

extension String {
  /// Whether `needle`'s UTF-8 bytes occur in this string's: the byte comparison keyword fields
  /// use, without Foundation's Unicode-aware search (which costs more than the mapping around it).
  public func containsBytes(_ needle: String) -> Bool {
    byteOffset(of: needle) != nil
  }

  /// The UTF-8 offset of the first occurrence of `needle`.
  public func byteOffset(of needle: String) -> Int? {
    var haystack = self
    var needle = needle
    return haystack.withUTF8 { h in
      needle.withUTF8 { n -> Int? in
        if n.isEmpty { return 0 }
        guard h.count >= n.count, let hit = lt_memmem(h.baseAddress, h.count, n.baseAddress, n.count) else { return nil }
        return UnsafeRawPointer(h.baseAddress!).distance(to: hit)
      }
    }
  }
}

extension UnsafeBufferPointer where Element == UInt8 {
  /// Whether the bytes at `range` are exactly `literal`'s (false when the range is not inside).
  func bytes(in range: Range<Int>, equal literal: StaticString) -> Bool {
    range.count == literal.utf8CodeUnitCount && range.lowerBound >= 0 && range.upperBound <= count
      && (range.isEmpty || memcmp(baseAddress! + range.lowerBound, literal.utf8Start, range.count) == 0)
  }
}

extension UInt8 {
  /// Lowercase hex digits by value (a digest's hex, a JSON `\u00XX` escape).
  static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

  /// The byte with A-Z folded to a-z: ASCII lowercasing, for text known to be ASCII.
  @inline(__always) public var asciiLowercased: UInt8 { self >= 0x41 && self <= 0x5A ? self | 0x20 : self }
}
