/// A `ValueTest` prepared for evaluation over many values: case-insensitive needles are folded
/// once, and ASCII values (nearly all log values) are compared bytewise. Non-ASCII values take
/// `ValueTest.matches`, so both paths agree by construction.
struct CompiledTest: Sendable {
  let test: ValueTest
  private let needle: [UInt8]
  private let foldsCase: Bool
  private let asciiNeedle: Bool

  init(_ test: ValueTest) {
    self.test = test
    switch test {
    case .equals(let s, let insensitive), .contains(let s, let insensitive), .startsWith(let s, let insensitive), .endsWith(let s, let insensitive):
      foldsCase = insensitive
      needle = Array((insensitive ? s.lowercased() : s).utf8)
    case .wildcard:
      foldsCase = false
      needle = []
    }
    asciiNeedle = needle.allSatisfy { $0 < 0x80 }
  }

  func matches(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { matches(value, utf8: $0, isASCII: Self.isASCII($0)) }
  }

  /// `matches(value)`, given `value`'s UTF-8 and whether it is ASCII, worked out once for all the
  /// tests on one field.
  func matches(_ value: String, utf8 bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> Bool {
    if case .wildcard(let pattern) = test { return pattern.matches(value) }
    guard asciiNeedle, isASCII else { return test.matches(value) }
    switch test {
    case .wildcard(let pattern): return pattern.matches(value)
    case .equals: return bytes.count == needle.count && equal(bytes, at: 0)
    case .startsWith: return bytes.count >= needle.count && equal(bytes, at: 0)
    case .endsWith: return bytes.count >= needle.count && equal(bytes, at: bytes.count - needle.count)
    case .contains:
      if needle.isEmpty { return true }
      guard bytes.count >= needle.count else { return false }
      for start in 0...(bytes.count - needle.count) where equal(bytes, at: start) { return true }
      return false
    }
  }

  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    for byte in bytes where byte >= 0x80 { return false }
    return true
  }

  private func equal(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
    for k in 0..<needle.count {
      let b = bytes[start + k]
      if (foldsCase ? b.asciiLowercased : b) != needle[k] { return false }
    }
    return true
  }
}
