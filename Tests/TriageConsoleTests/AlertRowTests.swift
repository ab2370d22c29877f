import Testing
@testable import TriageConsole
@testable import TriageCore

/// A row is read once per alert when the list opens, with byte-level shortcuts; it must show
/// exactly what the document holds, however the document spells its fields.
@Suite struct AlertRowTests {
  @Test("Every Samples alert gives the row its document's fields, dotted or nested")
  func rowsMatchDocuments() throws {
    #expect(ConsoleFixtures.sampleAlerts.count == 12)
    for alert in ConsoleFixtures.sampleAlerts {
      let row = AlertRow(alert)
      #expect(row.ruleID == alert.ruleID && !row.ruleID.isEmpty)
      #expect(row.severity == alert.severity)
      #expect(row.time == String(alert.originalTime.prefix(10)) + " " + String(alert.originalTime.dropFirst(11).prefix(8)))
      // The same alert with every kibana.alert.* key nested instead of dotted reads the same.
      var nested = JSONObject()
      for member in alert.document.members {
        if member.key.hasPrefix("kibana.") { nested.set(path: member.key, member.value) } else { nested[member.key] = member.value }
      }
      #expect(nested["kibana.alert.severity"] == nil)
      #expect(AlertRow(Alert(document: nested)) == row)
    }
  }

  @Test("Search text is every visible field lowercased, Unicode-aware when a field is not ASCII")
  func searchText() {
    #expect(AlertRow.searchText(["2026-11-05 14:02:11", "High", "ÉTÉ-Role", "fn"]) == "2026-11-05 14:02:11\u{1F}high\u{1F}été-role\u{1F}fn")
    #expect(AlertRow.searchText(["A", "", "B"]) == "a\u{1F}\u{1F}b")
    #expect(AlertRow.listTime("2026-11-05T14:02:11.000Z") == "2026-11-05 14:02:11")
    #expect(AlertRow.listTime("yesterday") == "yesterday")
  }

  @Test("A kibana field holding a non-text value reads as empty, and the first of two equal keys wins")
  func oddKibanaValues() {
    var document = JSONObject()
    document.members.append(JSONMember("kibana.alert.severity", .object(JSONObject())))
    document.members.append(JSONMember("kibana.alert.rule.name", .string("First")))
    document.members.append(JSONMember("kibana.alert.rule.name", .string("Second")))
    document.members.append(JSONMember("kibana.alert.original_time", .array([.string("2026-01-02T03:04:05.000Z")])))
    let row = AlertRow(Alert(document: document))
    #expect(row.severity == "")
    #expect(row.rule == "First")
    #expect(row.time == "2026-01-02 03:04:05")
  }

  @Test("The function column is the name inside a function ARN, qualifier dropped")
  func functionFromARN() {
    var document = JSONObject()
    document.set(path: "aws.cloudtrail.flattened.request_parameters", .object(JSONObject([
      JSONMember("functionName", .string("arn:aws:lambda:eu-west-1:111122223333:function:billing-export:PROD"))
    ])))
    #expect(AlertRow.functionName(Alert(document: document)) == "billing-export")
    document.set(path: "aws.cloudtrail.flattened.request_parameters", .object(JSONObject([JSONMember("functionName", .string("plain-name"))])))
    #expect(AlertRow.functionName(Alert(document: document)) == "plain-name")
  }
}

extension AlertRowTests {
  @Test("The row outline reads the kibana fields a path lookup finds, dotted or nested")
  func outlineMatchesPathLookup() {
    for alert in ConsoleFixtures.variedAlerts(count: 70) + ConsoleFixtures.sampleAlerts {
      let outline = AlertOutline(alert, exclusions: [])
      #expect(outline.time == AlertRow.listTime(alert.originalTime))
      #expect(outline.severity == alert.severity)
      #expect(outline.ruleID == alert.ruleID)
      #expect(outline.ruleName == alert.ruleName)
      #expect(outline.rule == (BuiltinRules.rule(id: alert.ruleID)?.shortName ?? alert.ruleName))
    }
  }

  @Test("Severity ranks ignore ASCII case and nothing else")
  func severityRanks() {
    #expect(["critical", "HIGH", "Medium", "lOw", "", "hıgh", "high ", "informational"].map(AlertRow.rank) == [4, 3, 2, 1, 0, 0, 0, 0])
  }
}
