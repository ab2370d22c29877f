/// A `*` / `?` pattern over Unicode scalars. Matching backtracks only to the last `*`, so it costs
/// at most length × pattern length: no exponential blow-up on hostile values.
public struct WildcardPattern: Sendable, Equatable {
  enum Token: Equatable, Sendable { case literal(Unicode.Scalar), any, one }

  let tokens: [Token]
  public let source: String
  public let caseInsensitive: Bool

  /// - Parameter questionMarkIsWildcard: EQL treats `?` as one character; KQL does not.
  public init(_ source: String, caseInsensitive: Bool, questionMarkIsWildcard: Bool, escapes: Bool = false) {
    self.source = source
    self.caseInsensitive = caseInsensitive
    var tokens: [Token] = []
    let text = caseInsensitive ? source.lowercased() : source
    var scalars = text.unicodeScalars.makeIterator()
    while let scalar = scalars.next() {
      switch scalar {
      case "\\" where escapes:
        if let next = scalars.next() { tokens.append(.literal(next)) } else { tokens.append(.literal("\\")) }
      case "*":
        if tokens.last != .any { tokens.append(.any) }
      case "?" where questionMarkIsWildcard: tokens.append(.one)
      default: tokens.append(.literal(scalar))
      }
    }
    self.tokens = tokens
  }

  public var hasWildcards: Bool { tokens.contains { $0 == .any || $0 == .one } }

  public func matches(_ value: String) -> Bool {
    var value = value
    // Log values are nearly always ASCII, where a scalar is a byte and lowercasing is bytewise.
    let ascii: Bool? = value.withUTF8 { bytes in
      for byte in bytes where byte >= 0x80 { return nil }
      return match(count: bytes.count) { i in
        let b = bytes[i]
        return UInt32(caseInsensitive ? b.asciiLowercased : b)
      }
    }
    if let ascii { return ascii }
    let text = Array((caseInsensitive ? value.lowercased() : value).unicodeScalars)
    return match(count: text.count) { text[$0].value }
  }

  private func match(count: Int, scalar: (Int) -> UInt32) -> Bool {
    var t = 0, p = 0
    var starP = -1, starT = 0
    while t < count {
      if p < tokens.count {
        switch tokens[p] {
        case .any:
          starP = p
          starT = t
          p += 1
          continue
        case .one:
          t += 1
          p += 1
          continue
        case .literal(let c) where c.value == scalar(t):
          t += 1
          p += 1
          continue
        case .literal: break
        }
      }
      guard starP >= 0 else { return false }
      p = starP + 1
      starT += 1
      t = starT
    }
    while p < tokens.count, tokens[p] == .any { p += 1 }
    return p == tokens.count
  }
}
