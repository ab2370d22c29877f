import Testing
@testable import TriageCore

/// Related events share their fields between copies; a change to one copy must never show in another.
@Suite struct RelatedEventStorageTests {
  static let document = try! JSONParser.parse(#"{"@timestamp":"2026-11-05T10:00:00.000Z","event":{"action":"Invoke","provider":"lambda.amazonaws.com"},"source":{"ip":"203.0.113.9"}}"#).objectValue!

  @Test("A copy changed is a value of its own, and equality compares contents")
  func copyOnWrite() {
    let original = RelatedEvent(document: Self.document, location: "f:1")
    var copy = original
    #expect(copy == original)
    copy.sourceIP = "198.51.100.7"
    copy.document = JSONObject()
    #expect(original.sourceIP == "203.0.113.9")
    #expect(original.document == Self.document)
    #expect(copy.sourceIP == "198.51.100.7")
    #expect(copy != original)
    // Built apart from the same inputs: equal, though nothing is shared.
    #expect(RelatedEvent(document: Self.document, location: "f:1") == original)
    #expect(RelatedEvent(document: Self.document, location: "f:2") != original)
    var changed = original
    changed.sourceIP = "198.51.100.7"
    changed.document = JSONObject()
    #expect(changed == copy)
  }
}
