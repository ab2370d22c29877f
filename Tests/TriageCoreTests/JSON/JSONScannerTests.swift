import CSupport
import Foundation
import Testing
@testable import TriageCore

@Suite("JSON scanner")
struct JSONScannerTests {
  typealias Outcome = JSONScanner.Outcome

  /// The mask builders this machine has: byte by byte always, SSE2 and AVX2 on x86-64 that has them.
  static let builders = [LT_MASKS_BYTES, LT_MASKS_SSE2, LT_MASKS_AVX2].map { Int32($0) }.filter { lt_value_end_builders() & (1 << $0) != 0 }

  /// The outcome of an object or array scan, checked to be the same from `endOfValue`, from
  /// each mask builder and from the reference; nil when any differs.
  static func scan(_ bytes: [UInt8], from start: Int = 0, maxDepth: Int = JSONParser.defaultMaxDepth) -> Outcome? {
    bytes.withUnsafeBufferPointer { buffer in
      let reference = ReferenceScanner.endOfValue(in: buffer, from: start, maxDepth: maxDepth)
      guard JSONScanner.endOfValue(in: buffer, from: start, maxDepth: maxDepth) == reference else { return nil }
      for builder in builders where JSONScanner.containerEnd(buffer, from: start, maxDepth: maxDepth, builder: builder) != reference { return nil }
      return reference
    }
  }

  static func scan(_ text: String, from start: Int = 0, maxDepth: Int = JSONParser.defaultMaxDepth) -> Outcome? {
    scan(Array(text.utf8), from: start, maxDepth: maxDepth)
  }

  /// A string value is skipped 16 bytes at a time (`lt_string_stop`); the byte-by-byte reading it
  /// replaced must give the same outcome with each stop byte at every offset, escapes included,
  /// and `lt_string_stop` itself must stop where a plain search does in both of its modes.
  @Test("string values end where a byte-by-byte reading ends them, at every offset")
  func stringEnds() {
    func byteByByte(_ bytes: [UInt8]) -> Outcome {
      var position = 1
      while position < bytes.count {
        let byte = bytes[position]
        if byte == UInt8(ascii: "\"") { return .end(position + 1) }
        if byte == UInt8(ascii: "\\") { position += 2; continue }
        if byte == 0x0A { return .invalid(position) }
        position += 1
      }
      return .incomplete
    }
    for length in 0..<40 {
      for special: [UInt8] in [[0x22], [0x5C, 0x22], [0x5C, 0x5C], [0x0A], [0x01], [0x5C], [0xFF]] {
        for at in 0...length {
          var bytes = [UInt8(ascii: "\"")] + [UInt8](repeating: UInt8(ascii: "a"), count: length)
          bytes.insert(contentsOf: special, at: 1 + at)
          for end in [bytes.count, bytes.count + 1] {
            let text = end > bytes.count ? bytes + [0x22] : bytes
            #expect(text.withUnsafeBufferPointer { JSONScanner.endOfValue(in: $0, from: 0) } == byteByByte(text), "\(text)")
            for control in Int32(0)...1 {
              let plain = text.indices.dropFirst().first { text[$0] == 0x22 || text[$0] == 0x5C || (control == 1 ? text[$0] < 0x20 : text[$0] == 0x0A) } ?? text.count
              #expect(text.withUnsafeBufferPointer { lt_string_stop($0.baseAddress, 1, $0.count, control) } == plain)
            }
          }
        }
      }
    }
  }

  @Test("records with long strings, escapes and raw newlines end where the parser says")
  func longStrings() {
    let long = String(repeating: "x", count: 37)
    let cases: [(String, Outcome)] = [
      (#"{"a":"\#(long)","b":"\#(long)\"\#(long)"}"#, .end(128)),
      (#"{"a":"\#(long)\\"}"#, .end(47)),
      ("{\"a\":\"\(long)\n\"}", .invalid(43)),
      (#"{"a":"\#(long)"#, .incomplete),
    ]
    for (text, expected) in cases {
      #expect(Self.scan(text) == expected, "\(text)")
    }
  }

  @Test("each rule of the byte reading: depth, raw newlines, backslashes, bracket kinds, the buffer's end")
  func rules() {
    let cases: [(String, Int, Int, Outcome)] = [  // text, from, maxDepth, outcome
      ("{}", 0, 512, .end(2)), ("[]", 0, 512, .end(2)),
      ("{]", 0, 512, .end(2)), ("[}", 0, 512, .end(2)), ("[{]}", 0, 512, .end(4)),  // kinds are not matched
      ("{", 0, 512, .incomplete), ("{\"a\":[1,2]", 0, 512, .incomplete), ("{\"a", 0, 512, .incomplete),
      ("{\"a\nb\"}", 0, 512, .invalid(3)),  // a raw newline in a string
      ("{\n\"a\":1\n}", 0, 512, .end(9)),  // outside strings it is white space
      ("{\"a\\\nb\"}", 0, 512, .end(8)),  // a backslash skips a newline too
      ("{\"a\\", 0, 512, .incomplete), ("{\"a\\\\", 0, 512, .incomplete),  // a trailing backslash
      ("[\"\\\"]", 0, 512, .incomplete), ("[\"\\\\\"]", 0, 512, .end(6)),
      ("{\\\"}\"}", 0, 512, .end(6)),  // a backslash outside a string escapes nothing
      ("{\\\\\"a\"}", 0, 512, .end(7)),
      ("[\\\n\"a\"]", 0, 512, .end(7)),
      ("[[[]]]", 0, 3, .end(6)), ("[[[]]]", 0, 2, .invalid(2)), ("{}", 0, 0, .invalid(0)),
      ("{{\"\n", 0, 1, .invalid(1)),  // too deep before the newline
      ("{\"\n{{", 0, 1, .invalid(2)),  // the newline before too deep
      ("{\"a\":\"b\"}}", 0, 512, .end(9)),
      ("xx{\"a\":1}yy", 2, 512, .end(9)), ("]}[{}]", 2, 512, .end(6)), ("[{", 1, 512, .incomplete),
      ("{\"\"}", 0, 512, .end(4)), ("{\"}\"", 0, 512, .incomplete),
    ]
    for (text, from, maxDepth, expected) in cases {
      #expect(Self.scan(text, from: from, maxDepth: maxDepth) == expected, "\(text.debugDescription) from \(from)")
    }
    let depth = JSONParser.defaultMaxDepth
    let deepest = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    #expect(Self.scan(deepest) == .end(2 * depth))
    #expect(Self.scan("{" + deepest + "}") == .invalid(depth))
    // Empty and one-byte buffers, and a start at the end.
    #expect(Self.scan([UInt8]()) == .incomplete)
    #expect(Self.scan("[") == .incomplete)
    #expect(Self.scan("{}", from: 2) == .incomplete)
    #expect([UInt8]().withUnsafeBufferPointer { JSONScanner.containerEnd($0, from: 0, maxDepth: depth) } == .incomplete)
    #if arch(x86_64)
    #expect(Self.builders.contains(Int32(LT_MASKS_SSE2)))  // every x86-64 has SSE2: its builder is compared too
    #endif
  }

  /// Values holding every special byte, shifted by 0...130 spaces after their first bracket (blocks
  /// start at `from`), so each byte falls at every offset of a 64-byte block, on both sides of the
  /// block edges; with and without bytes before `from`, and with bytes after the value.
  @Test("every special byte at every block offset: the outcome moves with the value")
  func blockEdges() {
    let long = String(repeating: "v", count: 70)
    let templates = [
      #"{"a":"x\"y","b\\":["\\\\",{"c":"\\\#n\#(long)"},[]],"d":"}]{[","e":{"f":[[{}]]}}"#,
      #"{"a":"\#(long)\#n","b":1}"#,
      #"[{"a":"\#(long)\\\\\\\"\#(long)"},"\\"]"#,
      #"{"a":"\#(long)\\"#,
      #"{"a":\#(long)\\"\#(long)"}"#,
      #"{"a":[[[[[[["\#(long)"]]]]]]]}"#,
      "{\"a\":\n[\"\(long)\"\n,\n{}\n]\n}",
    ]
    for (index, template) in templates.enumerated() {
      let bytes = Array(template.utf8)
      for maxDepth in [JSONParser.defaultMaxDepth, 3] {
        let base = Self.scan(bytes, maxDepth: maxDepth)
        #expect(base != nil, "template \(index) maxDepth \(maxDepth)")
        for pad in 0...130 {
          for (lead, trailer) in [(0, ""), (5, "}]\"\\\n"), (1, String(repeating: "\\", count: 65))] {
            let shifted = [UInt8](repeating: UInt8(ascii: "\\"), count: lead) + [bytes[0]] + [UInt8](repeating: 0x20, count: pad)
              + bytes.dropFirst() + Array(trailer.utf8)
            let expected: Outcome? = switch base {
            case .end(let at)?: .end(at + lead + pad)
            case .invalid(let at)?: .invalid(at + lead + pad)
            case .incomplete? where trailer.isEmpty: .incomplete
            default: Self.scan(shifted, from: lead, maxDepth: maxDepth)  // the trailer decides; agreement is the check
            }
            let got = Self.scan(shifted, from: lead, maxDepth: maxDepth)
            #expect(got != nil && got == expected, "template \(index) pad \(pad) lead \(lead) maxDepth \(maxDepth)")
          }
        }
      }
    }
  }

  @Test("runs of backslashes of every length, inside and outside strings, across block edges")
  func backslashRuns() {
    for run in 0...140 {
      let slashes = String(repeating: "\\", count: run)
      for pad in 0...64 {
        let padding = String(repeating: " ", count: pad)
        // In a string: an even run leaves the quote closing it, an odd run escapes it.
        let inString = "{" + padding + "\"" + slashes + "\"}\"}"
        #expect(Self.scan(inString) == .end(pad + 2 + run + (run % 2 == 0 ? 2 : 4)), "run \(run) pad \(pad)")
        // Outside strings backslashes are ordinary bytes.
        let outside = "{" + padding + slashes + "\"}\"}"
        #expect(Self.scan(outside) == .end(pad + run + 5), "outside, run \(run) pad \(pad)")
        // Cut inside the run: more bytes are needed, whatever the parity.
        #expect(Self.scan("{" + padding + "\"" + slashes) == .incomplete)
        // A run then a raw newline: escaped when the run is odd.
        let newline = "[" + padding + "\"" + slashes + "\n\"]"
        #expect(Self.scan(newline) == (run % 2 == 0 ? .invalid(pad + 2 + run) : .end(pad + run + 5)), "newline, run \(run) pad \(pad)")
      }
    }
  }

  /// CloudTrail records (Samples and the crafted ones) and Elastic documents (whose
  /// event.original is full of escaped quotes), mutated with the bytes the scanner cares about
  /// and random ones: every `{` or `[` of every input is a start to check.
  @Test("thousands of mutated records: the block scanner returns the reference's outcome from every bracket")
  func mutations() throws {
    var sources = try MappingProjectionTests.records().map { Array($0.original.utf8) }
    let export = try String(contentsOfFile: SamplesTests.samples.appendingPathComponent("elastic-export/logs-aws.cloudtrail.ndjson").path, encoding: .utf8)
    sources += export.split(separator: "\n").map { Array($0.utf8) }
    var rng = SplitMix(seed: 0x5CA9)
    let alphabet = Array("{}[]\"\\\n a".utf8)
    var disagreements: [String] = []
    var seen: [String: Int] = [:]
    var starts = 0
    for round in 0..<5000 {
      var bytes: [UInt8] = []
      for piece in 0...Int(rng.next() % 3) {  // one to three records, sometimes in an envelope
        if piece > 0 { bytes += Array(",\n".utf8) }
        bytes += sources[Int(rng.next() % UInt64(sources.count))]
      }
      if rng.next() % 4 == 0 { bytes = Array("{\"Records\":[".utf8) + bytes + Array("]}".utf8) }
      for _ in 0...Int(rng.next() % 8) {
        let at = Int(rng.next() % UInt64(bytes.count))
        let byte = rng.next() % 4 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
        switch rng.next() % 7 {
        case 0, 1: bytes[at] = byte
        case 2, 3: bytes.insert(byte, at: at)
        case 4: if bytes.count > 2 { bytes.remove(at: at) }
        case 5: bytes.insert(contentsOf: [UInt8](repeating: UInt8(ascii: "\\"), count: Int(rng.next() % 70)), at: at)
        default: bytes.removeSubrange(at..<min(bytes.count, at + Int(rng.next() % 100)))  // also cuts the end
        }
      }
      let maxDepth = rng.next() % 3 == 0 ? Int(rng.next() % 6) : JSONParser.defaultMaxDepth
      for start in bytes.indices where bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "[") {
        starts += 1
        guard let outcome = Self.scan(bytes, from: start, maxDepth: maxDepth) else {
          disagreements.append("round \(round) from \(start) maxDepth \(maxDepth): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
          break
        }
        switch outcome {
        case .end: seen["end", default: 0] += 1
        case .invalid: seen["invalid", default: 0] += 1
        case .incomplete: seen["incomplete", default: 0] += 1
        }
      }
    }
    #expect(disagreements.isEmpty, "\(disagreements.count) disagreements, first: \(disagreements.first ?? "")")
    // Every outcome is exercised many times.
    #expect(starts > 60_000)
    #expect(seen["end", default: 0] > 40_000 && seen["invalid", default: 0] > 5_000 && seen["incomplete", default: 0] > 2_000, "\(seen)")
  }
}

/// The byte-at-a-time scanner `endOfValue` used for objects and arrays before the 64-byte blocks,
/// kept as the reference the tests compare with (its 16-byte string search written as the plain
/// loop it stood for).
enum ReferenceScanner {
  /// Non-zero for the bytes that matter outside strings: `{ } [ ] "`.
  static let structural: [UInt8] = {
    var table = [UInt8](repeating: 0, count: 256)
    for c in "{}[]\"".utf8 { table[Int(c)] = 1 }
    return table
  }()

  static func endOfValue(in buffer: UnsafeBufferPointer<UInt8>, from start: Int, maxDepth: Int) -> JSONScanner.Outcome {
    guard start < buffer.count, let base = buffer.baseAddress else { return .incomplete }
    precondition(base[start] == UInt8(ascii: "{") || base[start] == UInt8(ascii: "["), "the reference reads objects and arrays")
    let count = buffer.count
    var position = start
    var depth = 0
    return structural.withUnsafeBufferPointer { table -> JSONScanner.Outcome in
      while position < count {
        let byte = base[position]
        if table[Int(byte)] == 0 {
          position += 1
          continue
        }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
          depth += 1
          if depth > maxDepth { return .invalid(position) }
          position += 1
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          depth -= 1
          position += 1
          if depth == 0 { return .end(position) }
        default:  // a quote
          position += 1
          while true {
            while position < count {
              let c = base[position]
              if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c == 0x0A { break }
              position += 1
            }
            guard position < count else { return .incomplete }
            let c = base[position]
            if c == UInt8(ascii: "\"") { position += 1; break }
            if c == UInt8(ascii: "\\") { position += 2; continue }
            return .invalid(position)  // a raw newline
          }
        }
      }
      return .incomplete
    }
  }
}
