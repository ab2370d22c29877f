/// A `ValueTest` prepared for evaluation over many values: case-insensitive needles are folded
/// once, and ASCII values (nearly all log values) are compared bytewise. Non-ASCII values take
/// `ValueTest.matches`, so both paths agree by construction.
struct CompiledTest: Sendable {
  /// What the bytewise path compares; `other` always takes `ValueTest.matches`.
  private enum Kind { case equals, startsWith, endsWith, contains, other }

  let test: ValueTest
  private let kind: Kind
  private let needle: [UInt8]
  private let foldsCase: Bool
  private let asciiNeedle: Bool

  init(_ test: ValueTest) {
    self.test = test
    switch test {
    case .equals(let s, let insensitive), .contains(let s, let insensitive), .startsWith(let s, let insensitive), .endsWith(let s, let insensitive):
      foldsCase = insensitive
      needle = Array((insensitive ? s.lowercased() : s).utf8)
      switch test {
      case .equals: kind = .equals
      case .startsWith: kind = .startsWith
      case .endsWith: kind = .endsWith
      default: kind = .contains
      }
    case .wildcard(let pattern):
      // The rules' patterns are mostly `Prefix*` (`Invoke*`, `Amazon*`): on ASCII values such a
      // pattern is a prefix test on its (already case-folded) literal.
      foldsCase = pattern.caseInsensitive
      (kind, needle) = Self.affix(pattern) ?? (.other, [])
    }
    asciiNeedle = needle.allSatisfy { $0 < 0x80 }
  }

  /// `lit*`, `*lit` or `*lit*` with an ASCII literal, as a byte test; nil for any other pattern.
  private static func affix(_ pattern: WildcardPattern) -> (Kind, [UInt8])? {
    var tokens = pattern.tokens[...]
    let leading = tokens.first == .any, trailing = tokens.count > 1 && tokens.last == .any
    if leading { tokens = tokens.dropFirst() }
    if trailing { tokens = tokens.dropLast() }
    guard leading || trailing else { return nil }
    var literal: [UInt8] = []
    for token in tokens {
      guard case .literal(let scalar) = token, scalar.isASCII else { return nil }
      literal.append(UInt8(scalar.value))
    }
    return (leading && trailing ? .contains : leading ? .endsWith : .startsWith, literal)
  }

  func matches(_ value: String) -> Bool {
    var text = value
    return text.withUTF8 { matches(value, utf8: $0, isASCII: Self.isASCII($0)) }
  }

  /// `matches(value)`, given `value`'s UTF-8 and whether it is ASCII, worked out once for all the
  /// tests on one field.
  func matches(_ value: String, utf8 bytes: UnsafeBufferPointer<UInt8>, isASCII: Bool) -> Bool {
    guard kind != .other, asciiNeedle, isASCII else { return test.matches(value) }
    switch kind {
    case .equals: return bytes.count == needle.count && equal(bytes, at: 0)
    case .startsWith: return bytes.count >= needle.count && equal(bytes, at: 0)
    case .endsWith: return bytes.count >= needle.count && equal(bytes, at: bytes.count - needle.count)
    case .contains:
      if needle.isEmpty { return true }
      guard bytes.count >= needle.count else { return false }
      for start in 0...(bytes.count - needle.count) where equal(bytes, at: start) { return true }
      return false
    case .other: return test.matches(value)
    }
  }

  /// Whether `value` passes one of `tests`, its UTF-8 read once for all of them (lent one by one:
  /// subscripting would copy each test, pattern and all).
  static func anyMatches(_ tests: [CompiledTest], _ value: String) -> Bool {
    var text = value
    return text.withUTF8 { bytes in
      let ascii = isASCII(bytes)
      return tests.contains { $0.matches(value, utf8: bytes, isASCII: ascii) }
    }
  }

  /// Eight bytes per step: every value a rule tests is checked, most of them tens of bytes long.
  static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= bytes.count {
      if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
      i += 8
    }
    while i < bytes.count {
      if base[i] >= 0x80 { return false }
      i += 1
    }
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
