import Testing
@testable import TriageCore

@Suite("JSON parser")
struct JSONParserTests {
  @Test("keeps member order and the parsed key count")
  func order() throws {
    let value = try JSONParser.parse(#"{"z":1,"a":{"y":null,"b":"x"},"m":[1,2.5e3,true]}"#)
    let object = try #require(value.objectValue)
    #expect(object.members.map(\.key) == ["z", "a", "m"])
    #expect(object["a"]?.objectValue?.parsedKeyCount == 2)
    #expect(object["m"]?.arrayValue?[1] == .number(JSONNumber(text: "2.5e3")))
    #expect(JSONWriter.compact(value) == #"{"z":1,"a":{"y":null,"b":"x"},"m":[1,2.5e3,true]}"#)
  }

  @Test("decodes escapes and surrogate pairs")
  func escapes() throws {
    let value = try JSONParser.parse(#""a\"b\\c\n\u00e9\ud83d\ude00\ud800x""#)
    #expect(value == .string("a\"b\\c\n\u{e9}\u{1F600}\u{FFFD}x"))
  }

  @Test("rejects bad input with the byte offset", arguments: [
    (#"{"a":1,}"#, 7), (#"{"a" 1}"#, 5), ("[1,2", 4), (#"{"a":1,"a":2}"#, 7), ("01", 1), ("\"\u{01}\"", 1),
  ])
  func rejects(input: String, offset: Int) {
    #expect(throws: JSONError.self) { try JSONParser.parse(input) }
    do { _ = try JSONParser.parse(input) } catch { #expect(error.offset == offset, "\(error)") }
  }

  @Test("a duplicate key is the same bytes, in small and large objects")
  func duplicateKeys() throws {
    // Canonically equivalent spellings are different names in JSON.
    let precomposed = "{\"\u{E9}\":1,\"e\u{301}\":2}"
    #expect(try JSONParser.parse(precomposed).objectValue?.members.count == 2)
    let wide = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
    #expect(try JSONParser.parse("{\(wide),\"\u{E9}\":1,\"e\u{301}\":2}").objectValue?.members.count == 42)
    // Thousands of spellings of one canonical name (seven combining marks in every order) are
    // thousands of keys, checked through the set without comparing each against the others.
    let marks: [Unicode.Scalar] = ["\u{301}", "\u{316}", "\u{334}", "\u{327}", "\u{345}", "\u{31B}", "\u{35C}"]
    func orders(_ rest: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
      rest.isEmpty ? [[]] : rest.indices.flatMap { i in orders(Array(rest[..<i] + rest[(i + 1)...])).map { [rest[i]] + $0 } }
    }
    let spellings = Set(orders(marks).map { "a" + String(String.UnicodeScalarView($0)) })
    #expect(spellings.count == 1)  // one name to Swift's String equality
    let spelled = orders(marks).enumerated().map { "\"a\(String(String.UnicodeScalarView($0.element)))\":\($0.offset)" }
    #expect(try JSONParser.parse("{" + spelled.joined(separator: ",") + "}").objectValue?.members.count == 5040)
    for object in ["{\(wide),\"k7\":0}", "{\(wide),\"\u{E9}\":1,\"e\u{301}\":2,\"e\u{301}\":3}", "{\"x\":1,\"y\":2,\"x\":3}"] {
      #expect(throws: JSONError.self) { try JSONParser.parse(object) }
    }
  }

  @Test("bounds nesting instead of overflowing the stack")
  func depth() {
    let deep = String(repeating: "[", count: 100_000)
    #expect(throws: JSONError(.tooDeep(limit: 200), at: 200)) { try JSONParser.parse(deep) }
  }

  @Test("dotted paths find nested and literal dotted keys")
  func paths() throws {
    let value = try JSONParser.parse(#"{"event":{"action":"Invoke"},"source.as":{"number":5}}"#)
    #expect(value[path: "event.action"] == .string("Invoke"))
    #expect(value[path: "source.as.number"]?.keywordText == "5")
  }

  @Test("scanner finds value ends and asks for more when cut")
  func scanner() {
    let bytes = Array(#"{"a":"}\"","b":[1,{"c":2}]} tail"#.utf8)
    bytes.withUnsafeBufferPointer { buffer in
      #expect(JSONScanner.endOfValue(in: buffer, from: 0) == .end(27))
      #expect(JSONScanner.endOfValue(in: UnsafeBufferPointer(rebasing: buffer[0..<20]), from: 0) == .incomplete)
    }
  }
}

@Suite("JSON writer")
struct JSONWriterTests {
  @Test("escapes what JSON requires, plus DEL and U+2028/U+2029; keeps other text as is")
  func escaping() {
    #expect(JSONWriter.quoted("a\"b\\c\n\t\r\u{01}\u{7F}\u{2028}\u{2029}é日") == #""a\"b\\c\n\t\r\u0001\u007f\u2028\u2029é日""#)
    #expect(JSONWriter.quoted("") == #""""#)
    #expect(JSONWriter.quoted("\u{2027}x") == "\"\u{2027}x\"")
  }

  /// The writer copies runs found 16 bytes at a time; a plain reading of the same rules, byte by
  /// byte, must give the same text for escapes and E2 sequences at every offset in and across
  /// blocks, cut at the end, and for runs longer than a block.
  @Test("quoting agrees with a byte-by-byte reading at every offset")
  func escapingAtEveryOffset() {
    func reference(_ text: String) -> String {
      var out: [UInt8] = [0x22]
      let bytes = Array(text.utf8)
      var i = 0
      while i < bytes.count {
        let b = bytes[i]
        if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
          out += Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
          i += 3
          continue
        }
        switch b {
        case 0x22: out += Array("\\\"".utf8)
        case 0x5C: out += Array("\\\\".utf8)
        case 0x0A: out += Array("\\n".utf8)
        case 0x0D: out += Array("\\r".utf8)
        case 0x09: out += Array("\\t".utf8)
        case 0..<0x20, 0x7F: out += Array(("\\u00" + String(b, radix: 16).leftPadded(to: 2)).utf8)
        default: out.append(b)
        }
        i += 1
      }
      return String(decoding: out + [0x22], as: UTF8.self)
    }
    let pieces = ["\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}", "\u{2027}", "\u{20AC}", "é", "日", "a", "plain text ", String(repeating: "x", count: 17)]
    var rng = SplitMix(seed: 0x0E5C)
    for _ in 0..<3000 {
      let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
      #expect(JSONWriter.quoted(text) == reference(text), "\(Array(text.utf8))")
    }
    for at in 0..<40 {
      for special in ["\"", "\u{2028}", "\u{1}", "€"] {
        let text = String(repeating: "a", count: at) + special + String(repeating: "b", count: 40 - at)
        #expect(JSONWriter.quoted(text) == reference(text))
      }
    }
  }
}

private extension String {
  func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
