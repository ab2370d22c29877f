import Testing
@testable import TriageCore

/// The alert's header fields (uuid, time, severity, rule) are read once from its document; they
/// must follow every change to the document and read nested documents as dotted ones.
@Suite("Alert header fields")
struct AlertHeaderTests {
  @Test("dotted kibana keys are read when the alert is made")
  func dotted() {
    let alert = TriageFixtures.alert("u-1", time: "2026-11-05T10:00:00.000Z")
    #expect(alert.uuid == "u-1")
    #expect(alert.originalTime == "2026-11-05T10:00:00.000Z")
    #expect(alert.severity == "medium")
    #expect(alert.ruleID == "bdc7e4ae-2d34-4f3f-8b5d-7c4e56f3c8a1")
    #expect(alert.ruleName == "AWS Lambda Function URL Created With No Auth")
  }

  @Test("a change to the document changes the fields read from it")
  func followsChanges() {
    var alert = TriageFixtures.alert("u-1")
    alert.document["kibana.alert.uuid"] = .string("u-2")
    alert.document["kibana.alert.severity"] = .array([.string("high"), .string("low")])
    #expect(alert.uuid == "u-2")
    #expect(alert.severity == "high")
    alert.document["kibana.alert.uuid"] = nil
    #expect(alert.uuid == "")
    #expect(alert.id == "")
  }

  @Test("nested kibana objects are read by path; a dotted key beside them wins")
  func nestedAndDuplicates() throws {
    let nested = try JSONParser.parse(#"{"kibana":{"alert":{"uuid":"n-1","severity":"low","rule":{"name":"R","rule_id":"x"}}},"kibana.alert.uuid":"d-1"}"#)
    let alert = Alert(document: nested.objectValue!)
    #expect(alert.uuid == "d-1")
    #expect(alert.severity == "low")
    #expect(alert.ruleName == "R")
    #expect(alert.ruleID == "x")
  }
}
