import Testing
@testable import TriageCore

/// Skipping a member's value must accept and reject exactly what building it does, with the same
/// error, or a malformed record would count as an event (or a bad one) depending on the rules.
@Suite struct JSONSkipTests {
  static let valid = [
    #"{"eventVersion":"1.08","eventName":"Invoke","requestParameters":{"functionName":"f","n":[1,-2.5e3,true,false,null,{"a":"\u00e9\ud83d\ude00\ud800x"}]},"tlsDetails":{}}"#,
    #"{"a":1,"requestParameters":"text","b":[]}"#,
    #"{"requestParameters":[[[[]]]],"x":{"y":"z"}}"#,
  ]

  static func outcome(_ text: String, skip: Bool) -> String {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      do {
        if skip {
          let parsed = try JSONParser.parse(buffer, skippingTopLevel: { key, _ in key != "eventName" && key != "a" && key != "x" })
          // What was kept must be what a full parse gives.
          guard case .object(let object) = parsed.value else { return "value \(JSONWriter.compact(parsed.value))" }
          return "ok " + object.members.filter { $0.value != .null }.map { "\($0.key)=\(JSONWriter.compact($0.value))" }.joined(separator: ",")
        }
        let value = try JSONParser.parse(buffer)
        guard case .object(let object) = value else { return "value \(JSONWriter.compact(value))" }
        return "ok " + object.members.filter { ["eventName", "a", "x"].contains($0.key) && $0.value != .null }
          .map { "\($0.key)=\(JSONWriter.compact($0.value))" }.joined(separator: ",")
      } catch {
        return "error \(error)"
      }
    }
  }

  @Test("Hand-picked malformed values fail the same way skipped or built")
  func malformed() {
    let cases = [
      #"{"requestParameters":{"a":1,"a":2}}"#, #"{"requestParameters":{"a":"\q"}}"#, #"{"requestParameters":"\u12G4"}"#,
      "{\"requestParameters\":\"a\u{01}b\"}", #"{"requestParameters":[1,]}"#, #"{"requestParameters":01}"#, #"{"requestParameters":-}"#,
      #"{"requestParameters":1.e5}"#, #"{"requestParameters":tru}"#, #"{"requestParameters":{"a" 1}}"#, #"{"requestParameters":"\ud800\u12"}"#,
      #"{"requestParameters":{"\u0061":1,"a":2}}"#, #"{"requestParameters":"#, #"{"requestParameters":"abc"#,
      "{\"requestParameters\":" + String(repeating: "[", count: 250) + String(repeating: "]", count: 250) + "}",
    ]
    for text in cases + Self.valid {
      let skipped = Self.outcome(text, skip: true)
      let built = Self.outcome(text, skip: false)
      #expect(skipped == built, "\(text)")
    }
    #expect(Self.outcome(Self.valid[0], skip: true) == #"ok eventName="Invoke""#)
  }

  @Test("Thousands of byte mutations of valid records: skipped and built parses always agree")
  func mutations() {
    var generator = SplitMix(seed: 7)
    let alphabet = Array(#"{}[]",:\u0aeE+-.019tfn "#.utf8) + [0x01, 0xC3, 0xA9, 0xFF]
    var disagreements: [String] = []
    var errors = 0
    for round in 0..<6000 {
      var bytes = Array(Self.valid[round % Self.valid.count].utf8)
      for _ in 0...(generator.next() % 3) {
        let at = Int(generator.next() % UInt64(bytes.count))
        switch generator.next() % 3 {
        case 0: bytes[at] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
        case 1: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: at)
        default: if bytes.count > 2 { bytes.remove(at: at) }
        }
      }
      let text = String(decoding: bytes, as: UTF8.self)
      let built = Self.outcome(text, skip: false)
      if built.hasPrefix("error") { errors += 1 }
      if Self.outcome(text, skip: true) != built { disagreements.append(text) }
    }
    #expect(disagreements.isEmpty, "\(disagreements.prefix(3))")
    #expect(errors > 1000)
  }
}

/// A small deterministic generator for reproducible mutations.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
