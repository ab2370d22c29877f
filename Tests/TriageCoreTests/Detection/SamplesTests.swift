import Foundation
import Testing
@testable import TriageCore

/// The bundled Samples/ and the alerts their README promises (`expected-alerts.json`).
@Suite("Samples")
struct SamplesTests {
  static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples")

  @Test("detect Samples/ with no flags prints exactly the expected alerts")
  func exactAlerts() throws {
    var options = DetectionOptions(paths: [Self.samples.path])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    let report = try Detection.run(options)
    let expected = try JSONParser.parse(Array(try Data(contentsOf: Self.samples.appendingPathComponent("expected-alerts.json")))).arrayValue!
    let want = expected.map { e -> String in
      let o = e.objectValue!
      let terms = o["new_terms"]?.arrayValue?.compactMap(\.stringValue).joined(separator: "|") ?? ""
      return "\(o["rule_id"]!.stringValue!) \(o["event_id"]!.stringValue!) \(o["original_time"]!.stringValue!) \(terms)"
    }
    let got = report.alerts.map { "\($0.ruleID) \($0.string("event.id") ?? "") \($0.originalTime) \($0.newTerms.joined(separator: "|"))" }
    #expect(got == want)
    #expect(report.alerts.count == 12)
    #expect(report.summary.digestFiles == 1)
    #expect(report.summary.insightFiles == 1)
    #expect(report.summary.badRecords == 0)
    #expect(report.summary.hasASNDatabase)
  }

  @Test("without the ASN table rule B sees nothing from raw logs and the summary says why")
  func withoutDatabase() throws {
    var options = DetectionOptions(paths: [Self.samples.appendingPathComponent("AWSLogs").path])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    let report = try Detection.run(options)
    #expect(report.alerts.allSatisfy { $0.ruleID == BuiltinRules.lambdaFunctionURLPublic.ruleID })
    #expect(report.alerts.count == 4)
    #expect(report.summary.render().contains("rule B cannot see them"))
  }
}
