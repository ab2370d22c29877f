import CSupport
import Testing

/// `lt_find_short` replaces glibc's memmem in the pre-filter, so it must find exactly the first
/// occurrence memmem would, at every alignment of the 16-byte blocks and in the scalar tail.
@Suite("Pre-filter needle search")
struct ShortNeedleSearchTests {
  private func naive(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
    guard needle.count <= hay.count else { return nil }
    if needle.isEmpty { return 0 }
    return (0...(hay.count - needle.count)).first { hay[$0..<($0 + needle.count)].elementsEqual(needle) }
  }

  /// Every step the machine has (bytes, SSE2, AVX2) and the dispatching entry point must agree.
  private func fast(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
    hay.withUnsafeBytes { h -> Int? in
      needle.withUnsafeBytes { n -> Int? in
        let found = lt_find_short(h.baseAddress, h.count, n.baseAddress, n.count).map { h.baseAddress!.distance(to: $0) }
        for builder in [LT_MASKS_BYTES, LT_MASKS_SSE2, LT_MASKS_AVX2] where lt_value_end_builders() & (1 << UInt32(builder)) != 0 {
          let each = lt_find_short_using(Int32(builder), h.baseAddress, h.count, n.baseAddress, n.count).map { h.baseAddress!.distance(to: $0) }
          #expect(each == found, "step \(builder)")
        }
        return found
      }
    }
  }

  @Test("the first occurrence at every offset, needle lengths 1 to 32, in and around blocks")
  func everyOffset() {
    for length in [1, 2, 3, 6, 15, 16, 17, 20, 31, 32] {
      let needle = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
      for size in [length, length + 1, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100] where size >= length {
        for at in 0...(size - length) {
          var hay = [UInt8](repeating: UInt8(ascii: "-"), count: size)
          hay.replaceSubrange(at..<(at + length), with: needle)
          #expect(fast(hay, needle) == at, "length \(length) size \(size) at \(at)")
          // Cut just before the end of the occurrence: nothing.
          #expect(fast(Array(hay[0..<(at + length - 1)]), needle) == nil)
        }
      }
    }
  }

  @Test("agrees with a plain search on dense near-misses and random bytes")
  func differential() {
    var rng = SplitMix(seed: 0x5EED)
    let needles: [[UInt8]] = [Array("\"event".utf8), Array("lambda.amazonaws.com".utf8), Array("aa".utf8), Array("abab".utf8), Array("\"kibana".utf8)]
    for round in 0..<4000 {
      let needle = needles[round % needles.count]
      // A small alphabet drawn from the needle makes first/last-byte candidates everywhere.
      let alphabet = Array(Set(needle)) + [0x00, 0xFF]
      let hay = (0..<Int(rng.next() % 200)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
      #expect(fast(hay, needle) == naive(hay, needle), "round \(round)")
    }
  }

  /// `lt_event_keys` (the pre-filter's one pass) against a first-occurrence search for each of the
  /// three keys, with every step the machine has, on texts built from pieces of the keys so that
  /// candidates, near-misses (`"eventTimeX`, `"evenT`, cut keys) and repeats fall at every offset.
  @Test("event keys: the first eventTime, eventSource and eventName, as separate searches find them")
  func eventKeys() {
    let pieces = ["\"eventTime\"", "\"eventSource\"", "\"eventName\"", "\"eventVersion\"", "\"event", "Time", "Source\"", "\"evenTime\"", "\"", "t", "xxxxxxxxxxx", ":", "\"eventTim"]
    var rng = SplitMix(seed: 0xE7)
    for round in 0..<3000 {
      let text = Array((0..<Int(rng.next() % 24)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined().utf8)
      let expected = ["\"eventTime\"", "\"eventSource\"", "\"eventName\""].map { naive(text, Array($0.utf8)) ?? -1 }
      text.withUnsafeBytes { bytes in
        let found = lt_event_keys(bytes.baseAddress, bytes.count)
        #expect([found.time, found.source, found.name] == expected, "round \(round): \(String(decoding: text, as: UTF8.self))")
        for builder in [LT_MASKS_BYTES, LT_MASKS_SSE2, LT_MASKS_AVX2] where lt_value_end_builders() & (1 << UInt32(builder)) != 0 {
          let each = lt_event_keys_using(Int32(builder), bytes.baseAddress, bytes.count)
          #expect([each.time, each.source, each.name] == expected, "step \(builder), round \(round)")
        }
      }
    }
  }

  @Test("empty needle and haystack shorter than the needle")
  func edges() {
    #expect(fast(Array("abc".utf8), []) == 0)
    #expect(fast(Array("ab".utf8), Array("abc".utf8)) == nil)
    #expect(fast([], Array("a".utf8)) == nil)
  }
}
