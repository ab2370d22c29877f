import Foundation
import Testing
@testable import TriageCore

/// Detection reads Invoke events as scalars without building their documents; every field must
/// read exactly as it would from the enriched document.
@Suite struct ScalarEventTests {
  /// Every path the reader holds, paths it does not hold (answered from the built document), and
  /// objects above its leaves.
  static let paths = ScalarRecordReader.fields.sorted() + [
    "source.as.number", "source.as", "source.as.organization", "source", "event", "user.id", "cloud", "nope", "",
  ]

  static let enricher: SourceEnricher = {
    let table = try! IP2ASNTable(contents: """
      89.160.20.0\t89.160.20.255\t29518\tSE\tBredband2 AB
      185.199.0.0\t185.199.3.255\t64512\tNL\tamazon-cdn-lookalike
      3.0.0.0\t3.127.255.255\t16509\tUS\tAMAZON-02
      10.9.0.0\t10.9.255.255\t65001\tNone\tNot routed
      """, path: "test.tsv")
    return SourceEnricher(asn: table)
  }()

  static let gating = RuleGating(rules: RuleGatingTests.rules, evaluators: RuleGatingTests.evaluators, exclusions: [], indexing: false)

  /// The event the scan would make of a record, and the document the full path would make.
  static func both(_ text: String) -> (event: ScalarEvent, document: JSONObject)? {
    Array(text.utf8).withUnsafeBufferPointer { buffer in
      guard let read = ScalarRecordReader.scalars(buffer, gating: gating) else { return nil }
      let address = read.values[ScalarRecordReader.Field.sourceIP.rawValue]?.stringValue
      let event = ScalarEvent(values: read.values, lookup: address.map { enricher.lookUp($0) })
      var document = ScalarRecordReader.document(read.values)
      _ = try? enricher.enrich(&document)
      return (event, document)
    }
  }

  static func expectSameFields(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let (event, document) = both(text) else {
      Issue.record("the reader declined the record", sourceLocation: sourceLocation)
      return
    }
    #expect(event.document == document, sourceLocation: sourceLocation)
    for path in paths {
      #expect(event.value(at: FieldPath(path)) == document[path: path], "\(path)", sourceLocation: sourceLocation)
    }
    #expect(DetectionTime.of(event) == DetectionTime.of(document), sourceLocation: sourceLocation)
    for evaluator in RuleGatingTests.evaluators {
      #expect(evaluator.matches(EventFields.scalars(event)) == evaluator.matches(document), sourceLocation: sourceLocation)
    }
    let rule = BuiltinRules.lambdaInvokeUnusualASN
    let limits = rule.newTermsFields.map(QueryEvaluator.limit(of:))
    #expect(Detection.termCombinations(event, fields: rule.newTermsFields.map(FieldPath.init), limits: limits)
            == Detection.termCombinations(document, fields: rule.newTermsFields.map(FieldPath.init), limits: limits), sourceLocation: sourceLocation)
    #expect(Detection.needsASN(event) == Detection.needsASN(document), sourceLocation: sourceLocation)
    #expect(Detection.eventKey(event, path: "p", location: RecordLocation(fileIndex: 0, offset: 7, length: 1, line: 1, recordIndex: 0))
            == Detection.eventKey(document, path: "p", location: RecordLocation(fileIndex: 0, offset: 7, length: 1, line: 1, recordIndex: 0)), sourceLocation: sourceLocation)
  }

  @Test("An Invoke event reads every field as its enriched document does", arguments: [
    ("89.160.20.112", "89.160.20.112"),  // in the table: number and organisation
    ("89.160.20.112", "10.9.0.1"),  // an organisation of "Not routed" style is still a name
    ("89.160.20.112", "192.0.2.1"),  // not in the table: no source.as at all
    ("89.160.20.112", "3.5.0.1"),  // a cloud provider: rule B's query rejects it
    ("\"sourceIPAddress\":\"89.160.20.112\"", "\"sourceIPAddress\":\"lambda.amazonaws.com\""),  // no source.ip
    ("\"eventID\":\"e1\"", "\"eventID\":\"\""),  // empty id: the key falls back to the location
    ("\"eventTime\":\"2026-11-05T09:00:00Z\"", "\"eventTime\":\"2026-11-05T09:00:00.123456Z\""),
    ("\"recipientAccountId\":\"111122223333\",", ""),
    ("\"responseElements\":null", "\"errorCode\":\"AccessDenied\",\"responseElements\":null"),  // a failure
  ])
  func fields(change: (String, String)) {
    Self.expectSameFields(ScalarRecordReaderTests.variant(change.0, change.1))
  }

  @Test("Every Samples record read as scalars reads as its document does")
  func samples() throws {
    var read = 0
    for (_, original) in try MappingProjectionTests.records() where Self.both(original) != nil {
      Self.expectSameFields(original)
      read += 1
    }
    #expect(read >= 20)
  }

  @Test("A corrupt database answer is kept as the lookup's error, with the other database's answer")
  func lookupError() {
    struct Failing: ASNLookup {
      func asn(for address: String) throws(EnrichmentError) -> ASNInfo? { throw .corruptRecord(path: "bad.mmdb", address: address, message: "test") }
      var databaseDescription: String { "failing" }
    }
    let lookup = SourceEnricher(asn: Failing()).lookUp("89.160.20.112")
    #expect(lookup.asn == nil)
    #expect(lookup.error != nil)
    var document = JSONObject([JSONMember("source", .object(JSONObject([JSONMember("ip", .string("89.160.20.112"))])))])
    #expect(throws: EnrichmentError.self) { try SourceEnricher(asn: Failing()).enrich(&document) }
    #expect(document[path: "source.as"] == nil)
  }
}
