import Testing
@testable import TriageCore

@Suite("JSON scanner")
struct JSONScannerTests {
  /// The 16-byte search against a byte-by-byte one, for every start and length around the block
  /// size, with the special byte at every position (and none).
  @Test("the string search finds the first quote, backslash or newline at any offset and length")
  func stringSearch() {
    for special in [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x0A, nil] {
      for count in 0...40 {
        for at in 0...count {
          var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: count)
          if let special, at < count { bytes[at] = special }
          for from in 0...count {
            let got = bytes.withUnsafeBufferPointer { JSONScanner.nextStringSpecial($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, from: from, count: count) }
            let expected = (from..<count).first { [0x22, 0x5C, 0x0A].contains(bytes[$0]) } ?? count
            #expect(got == expected, "count \(count), special at \(at), from \(from)")
          }
        }
      }
    }
  }

  @Test("records with long strings, escapes and raw newlines end where the parser says")
  func longStrings() {
    let long = String(repeating: "x", count: 37)
    let cases: [(String, JSONScanner.Outcome)] = [
      (#"{"a":"\#(long)","b":"\#(long)\"\#(long)"}"#, .end(128)),
      (#"{"a":"\#(long)\\"}"#, .end(47)),
      ("{\"a\":\"\(long)\n\"}", .invalid(43)),
      (#"{"a":"\#(long)"#, .incomplete),
    ]
    for (text, expected) in cases {
      let outcome = Array(text.utf8).withUnsafeBufferPointer { JSONScanner.endOfValue(in: $0, from: 0) }
      #expect(outcome == expected, "\(text)")
    }
  }
}
