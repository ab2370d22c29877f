import Foundation
import Testing
@testable import TriageCore

@Suite("Evidence on the Samples")
struct EvidenceSamplesTests {
  static let samples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples").path

  static func options() -> DetectionOptions {
    var options = DetectionOptions(paths: [samples])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    return options
  }

  static func evidence(function: String, rule: DetectionRule) throws -> AlertEvidence {
    var options = options()
    options.evidenceIndexBudget = EvidenceIndex.defaultBudgetBytes
    let report = try Detection.run(options)
    let alert = try #require(report.alerts.first { $0.ruleID == rule.ruleID && $0.requestParameters?["functionName"]?.keywordText.map(RelatedEvent.bareFunctionName) == function })
    guard case .success(let events) = EvidenceSource(options: options, index: report.evidenceIndex).events(for: alert) else { throw CancellationError() }
    return AlertEvidence.build(alert: alert, events: events)
  }

  @Test("report-gen's public URL: new URL, a public invoke permission a minute later, then calls from Hetzner")
  func reportGen() throws {
    let evidence = try Self.evidence(function: "report-gen", rule: BuiltinRules.lambdaFunctionURLPublic)
    #expect(evidence.lines(for: "step-3").map(\.text) == [
      "No earlier URL configuration of report-gen in the 10 days before: the URL is new here",
      "No tags of report-gen in the logs (CreateFunction, TagResource) before the alert",
    ])
    let permission = try #require(evidence.lines(for: "step-4").first)
    #expect(permission.isNotable && permission.text.hasSuffix("public invoke permission"))
    #expect(evidence.lines(for: "step-5").map(\.text).contains("  HETZNER-AS: 1 event, at 2026-11-11 02:47"))
  }

  @Test("every step of both guides has evidence for every sample alert")
  func everyStep() throws {
    for alert in try Detection.run(Self.options()).alerts {
      guard case .success(let events) = EvidenceCollector.collect(for: alert, options: Self.options()) else {
        Issue.record("no evidence for \(alert.uuid)")
        continue
      }
      let evidence = AlertEvidence.build(alert: alert, events: events)
      for step in alert.rule!.guide.steps {
        #expect(!evidence.lines(for: step.key).isEmpty, "\(alert.ruleName) \(alert.originalTime) \(step.key)")
      }
    }
  }

  @Test("a report's evidence for many alerts, built a batch at a time on every core, equals each alert's own, in alert order")
  func manyAlerts() throws {
    let options = Self.options()
    let sample = try Detection.run(options).alerts
    try #require(!sample.isEmpty)
    // Past one batch (64), so the batches' seams and the last, partial one are crossed.
    let alerts = Array(repeating: sample, count: 70 / sample.count + 1).flatMap { $0 }
    let source = EvidenceSource(options: options, index: nil)
    var positions: [Int] = []
    var built: [AlertEvidence] = []
    guard case .success = source.evidence(for: alerts, each: { positions.append($0); built.append($1) }) else { throw CancellationError() }
    #expect(positions == Array(alerts.indices))
    let expected = try sample.map { alert in
      guard case .success(let events) = source.events(for: alert) else { throw CancellationError() }
      var evidence = AlertEvidence.build(alert: alert, events: events, window: source.window)
      evidence.events = []
      return evidence
    }
    for (position, evidence) in built.enumerated() {
      #expect(evidence == expected[position % sample.count], "alert \(position)")
      #expect(!evidence.steps.isEmpty)
    }
  }
}
