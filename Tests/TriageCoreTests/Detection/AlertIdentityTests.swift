import Testing
@testable import TriageCore

/// Alert and rule ids are stored in analysts' state files and exported to Elastic: they must not
/// change between versions, whatever the digest's hex or the UUID shape is computed with.
@Suite struct AlertIdentityTests {
  @Test("The shipped rules' UUIDs are the ones earlier versions wrote")
  func ruleUUIDs() {
    #expect(AlertBuilder.ruleUUID(BuiltinRules.lambdaInvokeUnusualASN) == "46989138-a770-1d31-c032-82983da9572a")
    #expect(AlertBuilder.ruleUUID(BuiltinRules.all.first { $0.ruleID == "53bb8f53-3550-4805-b6bd-728ded8d5564" }!) == "8277cca8-2b70-883e-a2a4-11a18e3f613b")
  }

  @Test("An alert id is the hex digest of its rule, event key and terms")
  func alertID() {
    let id = AlertBuilder.alertID(ruleID: "r", eventKey: "e", newTerms: ["a", "b"])
    #expect(id == SHA256Digest.hex("lambda-triage/alert/v1\u{1F}r\u{1F}e\u{1F}a\u{1F}b"))
    #expect(id.utf8.count == 64 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    #expect(id != AlertBuilder.alertID(ruleID: "r", eventKey: "e", newTerms: ["ab"]))
  }
}
