import Testing
@testable import TriageCore

/// The evaluator's byte-level fast paths must decide exactly as the plain String tests do.
@Suite struct CompiledTestTests {
  /// Values an attacker could log: case variants, non-ASCII letters that fold (Kelvin sign,
  /// dotted I, sharp s), combining marks, CRLF, empty.
  static let values = [
    "", "Invoke", "invoke", "INVOKE", "InvokeFunction", "xInvoke", "Invok", "authType=NONE", "{authType=NONE, cors={}}",
    "authtype=none", "Amazon.com, Inc.", "AMAZON-02", "amazon", "GOOGLE", "Ĳssel", "\u{212A}ey", "key", "İstanbul", "straße",
    "STRASSE", "e\u{301}", "\u{E9}", "a\r\nb", "a\rb", "ab", "a?c", "abc", "a*c", "日本", "*", "?",
  ]
  static let needles = ["", "Invoke", "invoke", "NONE", "authType=NONE", "Amazon", "key", "\u{212A}EY", "é", "e\u{301}", "\r", "a", "ab", "日本", "straße"]

  @Test("Byte-level equals, prefix, suffix and contains agree with the String tests on every pair")
  func valueTestsAgree() {
    for needle in Self.needles {
      for insensitive in [false, true] {
        let tests: [ValueTest] = [
          .equals(needle, caseInsensitive: insensitive), .contains(needle, caseInsensitive: insensitive),
          .startsWith(needle, caseInsensitive: insensitive), .endsWith(needle, caseInsensitive: insensitive),
        ]
        for test in tests {
          let compiled = CompiledTest(test)
          for value in Self.values {
            #expect(compiled.matches(value) == test.matches(value), "\(test) on \(value.debugDescription)")
          }
        }
      }
    }
  }

  @Test("Wildcards on ASCII values match as the scalar matcher does, with and without case folding")
  func wildcardsAgree() {
    let patterns = ["Invoke*", "*NONE*", "*authType=NONE*", "a?c", "a*c", "*", "?", "", "Amazon*", "AMAZON*", "*e", "k*", "a\\*c"]
    for source in patterns {
      for insensitive in [false, true] {
        for questionMark in [false, true] {
          let pattern = WildcardPattern(source, caseInsensitive: insensitive, questionMarkIsWildcard: questionMark, escapes: true)
          for value in Self.values {
            #expect(pattern.matches(value) == Self.reference(pattern, value), "\(source) on \(value.debugDescription)")
          }
        }
      }
    }
  }

  @Test("Compiled wildcards (prefix, suffix and infix patterns taken bytewise) decide as the pattern does")
  func compiledWildcardsAgree() {
    let patterns = ["Invoke*", "*NONE*", "*authType=NONE*", "*", "**", "Amazon*", "AMAZON*", "*e", "k*", "\u{212A}*", "*é", "a?c*", "*a*c", "x", "a\\*"]
    for source in patterns {
      for insensitive in [false, true] {
        let pattern = WildcardPattern(source, caseInsensitive: insensitive, questionMarkIsWildcard: true, escapes: true)
        let compiled = CompiledTest(.wildcard(pattern))
        for value in Self.values + ["Invoke2", "lambda.amazonaws.com", "MICROSOFT-CORP", "Kelvin", "\u{212A}elvin", "a\\"] {
          #expect(compiled.matches(value) == Self.reference(pattern, value), "\(source) on \(value.debugDescription)")
        }
      }
    }
  }

  @Test("A hostile value costs length x pattern, and a case-folded match still works")
  func foldedMatches() {
    let pattern = WildcardPattern("*a*a*a*a*b", caseInsensitive: true, questionMarkIsWildcard: true)
    #expect(!pattern.matches(String(repeating: "A", count: 5000)))
    #expect(pattern.matches(String(repeating: "A", count: 50) + "B"))
    #expect(CompiledTest(.equals("lambda.amazonaws.com", caseInsensitive: true)).matches("LAMBDA.amazonaws.COM"))
    #expect(!CompiledTest(.equals("lambda.amazonaws.com", caseInsensitive: false)).matches("LAMBDA.amazonaws.COM"))
  }

  @Test("a value is ASCII unless some byte is 0x80 or above, wherever it lies in the 8-byte steps")
  func asciiAtEveryOffset() {
    for length in 0..<40 {
      let plain = [UInt8](repeating: 0x7F, count: length)
      #expect(plain.withUnsafeBufferPointer(CompiledTest.isASCII))
      for at in 0..<length {
        var bytes = plain
        bytes[at] = 0x80
        #expect(!bytes.withUnsafeBufferPointer(CompiledTest.isASCII), "length \(length), at \(at)")
      }
    }
  }

  /// Recursive scalar matcher, written independently of the production loop.
  static func reference(_ pattern: WildcardPattern, _ value: String) -> Bool {
    let text = Array((pattern.caseInsensitive ? value.lowercased() : value).unicodeScalars)
    func go(_ p: Int, _ t: Int) -> Bool {
      if p == pattern.tokens.count { return t == text.count }
      switch pattern.tokens[p] {
      case .any: return (t...text.count).contains { go(p + 1, $0) }
      case .one: return t < text.count && go(p + 1, t + 1)
      case .literal(let c): return t < text.count && text[t] == c && go(p + 1, t + 1)
      }
    }
    return go(0, 0)
  }
}
