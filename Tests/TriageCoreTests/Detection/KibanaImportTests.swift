import Foundation
import Testing
@testable import TriageCore

@Suite("Kibana alert import")
struct KibanaImportTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/Kibana")

  func run(_ name: String) throws -> DetectionReport {
    var options = DetectionOptions(paths: [Self.fixtures.appendingPathComponent(name).path])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    return try Detection.run(options)
  }

  @Test("an alerts export (dotted and nested kibana fields) is triaged as it is")
  func ndjsonExport() throws {
    let report = try run("alerts-export.ndjson")
    #expect(report.alerts.count == 2)
    let ours = try #require(report.alerts.first { $0.ruleID == BuiltinRules.lambdaFunctionURLPublic.ruleID })
    #expect(ours.workflowStatus == "acknowledged")
    #expect(ours.severity == "high")
    #expect(ours.rule?.shortName == "Public function URL")
    #expect(AlertFacts.functionName(ours) == "billing-export")
    let unknown = try #require(report.alerts.first { $0.ruleID != BuiltinRules.lambdaFunctionURLPublic.ruleID })
    #expect(unknown.rule == nil)
    #expect(unknown.ruleName == "AWS IAM User Addition to Group")
    #expect(unknown.workflowStatus == "open")
    #expect(unknown.uuid == "0b7d3c1e")
    #expect(report.summary.importedAlerts == 2)
  }

  @Test("an Elasticsearch _search response: hits are unwrapped, the document _id becomes the uuid")
  func searchResponse() throws {
    let report = try run("search-response.json")
    let alert = try #require(report.alerts.first)
    #expect(report.alerts.count == 1)
    #expect(alert.uuid == "a1b2c3")
    #expect(alert.newTerms == ["M247 Europe SRL", "444455556666", "etl-role"])
    #expect(alert.originalTime == "2026-11-09T08:06:12.000Z")
  }
}
