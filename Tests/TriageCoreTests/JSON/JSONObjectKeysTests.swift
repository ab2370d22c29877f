import Testing
@testable import TriageCore

@Suite struct JSONObjectKeysTests {
  @Test("values(ofKeys:) gives what a lookup per key gives: the first member with the exact key, nil when absent")
  func valuesOfKeys() throws {
    let object = try #require(try JSONParser.parse(#"{"kibana.alert.rule.name":"A","kibana.alert.rule.uuid":"u","été":1,"kibana":{"alert":{"severity":"high"}}}"#).objectValue)
    var duplicated = object
    duplicated.members.append(JSONMember("kibana.alert.rule.name", .string("B")))
    let keys = ["kibana.alert.rule.name", "kibana.alert.severity", "été", "", "kibana"]
    for document in [object, duplicated] {
      let values = document.values(ofKeys: keys)
      #expect(values == keys.map { document[$0] })
      #expect(values[0] == .string("A") && values[1] == nil && values[2] == .number(JSONNumber(text: "1")))
    }
    #expect(object.values(ofKeys: []).isEmpty)
  }

  @Test("Setting a key replaces the member with the same bytes; a canonically equivalent spelling is another key")
  func setByBytes() {
    var object = JSONObject([JSONMember("caf\u{E9}", .number(JSONNumber(1))), JSONMember("b", .number(JSONNumber(2)))])
    object["caf\u{E9}"] = .string("x")
    object["cafe\u{301}"] = .string("y")
    object["b"] = nil
    object[""] = .bool(true)
    #expect(object.members.map(\.key) == ["caf\u{E9}", "cafe\u{301}", ""])
    #expect(object["caf\u{E9}"] == .string("x") && object["cafe\u{301}"] == .string("y") && object[""] == .bool(true))
  }
}
