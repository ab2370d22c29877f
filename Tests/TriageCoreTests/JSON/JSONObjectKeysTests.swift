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
}
