import Foundation
import Testing
@testable import TriageCore

/// Detection maps raw records only as far as its rules read: every field it keeps must be exactly
/// the full mapping's, and the alerts must not change.
@Suite("Projected mapping")
struct MappingProjectionTests {
  static let samples = SamplesTests.samples

  @Test("wants a field, the objects holding it, and anything below it; nothing else")
  func wants() {
    let projection = MappingProjection(fields: ["aws.cloudtrail.user_identity.arn", "source.ip", "aws.cloudtrail.flattened.request_parameters"])
    for path in ["aws.cloudtrail.user_identity.arn", "aws", "aws.cloudtrail", "aws.cloudtrail.user_identity", "source", "source.ip",
                 "aws.cloudtrail.flattened.request_parameters", "aws.cloudtrail.flattened.request_parameters.functionName"] {
      #expect(projection.wants(path), "\(path)")
    }
    for path in ["aws.cloudtrail.user_identity.type", "aws.cloudtrail.user_identity.arnx", "source.address", "sourc", "", ".", "aws.",
                 "aws.cloudtrail.request_parameters", "tls.version", "source.ip.x.y" + String(repeating: "z", count: 300)] {
      #expect(projection.wants(path) == path.hasPrefix("source.ip."), "\(path)")
    }
    // An exclusion may name an odd field; the empty one is wanted only as itself.
    let odd = MappingProjection(fields: ["", "a"])
    #expect(odd.wants("") && odd.wants("a") && !odd.wants("b") && !odd.wants("ab"))
    #expect(MappingProjection(fields: []).wants("a") == false)
  }

  /// Every raw record of the Samples, plus records shaped to reach the mapping's branches.
  static func records() throws -> [(record: JSONObject, original: String)] {
    var out: [(JSONObject, String)] = []
    let files = try InputFileFinder().expand([samples.appendingPathComponent("AWSLogs").path]).files.filter { $0.role == .logs }
    for file in files {
      var splitter = RecordSplitter(source: try ByteSourceOpener.open(file.path), fileIndex: 0, path: file.path)
      try splitter.forEach({ bytes, _ in
        if case .cloudTrail(let record) = RecordKind.classify(try JSONParser.parse(bytes)) { out.append((record, String(decoding: bytes, as: UTF8.self))) }
      }, issue: { _ in })
    }
    let crafted = [
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke","recipientAccountId":"111122223333","sourceIPAddress":"lambda.amazonaws.com","requestParameters":{"functionName":"arn:aws:lambda:eu-west-1:111122223333:function:f:3"}}"#,
      #"{"eventVersion":"1.08","userIdentity":{"type":"AWSService","invokedBy":"apigateway.amazonaws.com"},"eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke","errorCode":"-","sourceIPAddress":"apigateway.amazonaws.com","eventID":""}"#,
      #"{"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/bob","userName":"bob","accessKeyId":"AKIA1"},"eventTime":"2026-11-05","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"},"sourceIPAddress":"81.2.69.160","tlsDetails":{"tlsVersion":"TLSv1.2","clientProvidedHostHeader":"example.org"}}"#,
      #"{"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/aws-service-role/x.amazonaws.com/r","userName":"r"}}},"eventTime":"bad","eventSource":"lambda.amazonaws.com","eventName":"CreateFunctionUrlConfig20211031","requestParameters":{"authType":"NONE","functionName":"f"},"resources":[{"ARN":"arn:aws:lambda:eu-west-1:1:function:f","type":"AWS::Lambda::Function"}]}"#,
    ]
    for text in crafted { out.append((try JSONParser.parse(text).objectValue!, text)) }
    return out
  }

  @Test("each field detection reads is the full mapping's, on every Samples record and crafted edge cases", arguments: [false, true])
  func sameFields(indexing: Bool) throws {
    let rules = BuiltinRules.all
    let evaluators = try rules.map { QueryEvaluator(try $0.compiledQuery()) }
    let exclusion = Exclusion(id: "e", name: "n", ruleIDs: [rules[0].ruleID], entries: [ExclusionEntry(field: "user_agent.original", kind: .wildcard("*"))],
                              comment: "c", author: "a", createdAt: "2026-11-01T00:00:00Z")
    let projection = Detection.scanProjection(rules: rules, evaluators: evaluators, exclusions: [exclusion], indexing: indexing)
    #expect(projection.fields.contains("user_agent.original"))
    #expect(projection.fields.contains("aws.cloudtrail.user_identity.invoked_by"))
    #expect(projection.fields.contains("event.original") == indexing)
    let records = try Self.records()
    #expect(records.count > 100)
    var compared = 0
    for (record, original) in records {
      let full = CloudTrailMapper.map(record, original: original)
      let projected = CloudTrailMapper.map(record, original: projection.wants("event.original") ? original : nil, projection: projection)
      for field in projection.fields.sorted() {
        #expect(projected[path: field] == full[path: field], "\(field) of \(original.prefix(120))")
        if full[path: field] != nil { compared += 1 }
      }
      #expect(projected.members.count < full.members.count || full.members.count <= 3)
    }
    #expect(compared > records.count * 8)
  }

  @Test("a report's related event is the same from the projected mapping as from the full one")
  func relatedEvents() throws {
    let enricher = SourceEnricher(asn: try IP2ASNTable(contents: "81.2.69.0\t81.2.69.255\t64500\tGB\tExample Net\n", path: "test.tsv"), geo: nil)
    var compared = 0
    for (record, original) in try Self.records() {
      var full = CloudTrailMapper.map(record, original: original)
      let projection = RelatedEvent.projection
      var projected = CloudTrailMapper.map(record, original: projection.wants("event.original") ? original : nil, projection: projection)
      _ = try enricher.enrich(&full)
      _ = try enricher.enrich(&projected)
      var expected = RelatedEvent(document: full, location: "x")
      var got = RelatedEvent(document: projected, location: "x")
      expected.document = JSONObject()
      got.document = JSONObject()
      #expect(got == expected, "\(original.prefix(160))")
      // Read beside its record, without event.original: the request parameters fall back to the record.
      var beside = RelatedEvent(document: try besideRecord(record, enricher), record: record, location: "x")
      beside.document = JSONObject()
      #expect(beside == expected, "\(original.prefix(160))")
      if expected.functionName != nil && expected.requestParameters != nil { compared += 1 }
    }
    #expect(compared > 20)
  }

  func besideRecord(_ record: JSONObject, _ enricher: SourceEnricher) throws -> JSONObject {
    var document = CloudTrailMapper.map(record, original: nil, projection: RelatedEvent.projectionBesideRecord)
    _ = try enricher.enrich(&document)
    #expect(document[path: "event.original"] == nil)
    return document
  }

  @Test("a related event read beside its record finds request parameters that have no flattened copy, as from event.original")
  func relatedEventsWithoutFlattened() throws {
    let enricher = SourceEnricher(asn: nil, geo: nil)
    let long = String(repeating: "x", count: 40_000)
    let texts = [
      // Rendered past Elastic's 32766-unit limit: no flattened copy, so the record's object counts.
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"UpdateFunctionCode20150331v2","requestParameters":{"functionName":"big-fn","zipFile":""# + long + #"","publish":"-"}}"#,
      // Not an object: neither the flattened copy nor the record's is one; the rendered text is parsed.
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke","requestParameters":"{functionName=text-fn}"}"#,
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke","requestParameters":{}}"#,
      #"{"eventVersion":"1.08","eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke","requestParameters":{"functionName":"-"}}"#,
    ]
    var functions: [String?] = []
    for text in texts {
      let record = try #require(try JSONParser.parse(text).objectValue)
      var expected = RelatedEvent(document: CloudTrailMapper.map(record, original: text), location: "x")
      var beside = RelatedEvent(document: try besideRecord(record, enricher), record: record, location: "x")
      expected.document = JSONObject()
      beside.document = JSONObject()
      #expect(beside == expected, "\(text.prefix(160))")
      functions.append(beside.functionName)
    }
    #expect(functions[0] == "big-fn")
  }

  @Test("detection with the projected mapping raises and suppresses exactly what the full mapping does")
  func sameAlerts() throws {
    func run(_ project: Bool) throws -> DetectionReport {
      var options = DetectionOptions(paths: [Self.samples.path])
      options.environment = [:]
      options.standardDatabaseDirectories = []
      options.projectMapping = project
      options.now = Timestamp.parseMillis("2026-11-20T00:00:00Z")
      options.exclusions = [Exclusion(id: "ua", name: "scripted", ruleIDs: BuiltinRules.all.map(\.ruleID),
                                      entries: [ExclusionEntry(field: "user_agent.original", kind: .wildcard("*Boto3*"))],
                                      comment: "c", author: "a", createdAt: "2026-11-01T00:00:00Z")]
      return try Detection.run(options)
    }
    let projected = try run(true)
    let full = try run(false)
    #expect(projected.alerts.map { JSONWriter.compact(.object($0.document)) } == full.alerts.map { JSONWriter.compact(.object($0.document)) })
    #expect(projected.suppressed.map(\.uuid) == full.suppressed.map(\.uuid))
    #expect(projected.summary.eventsMissingASN == full.summary.eventsMissingASN)
    #expect(!projected.suppressed.isEmpty)
    #expect(projected.alerts.count + projected.suppressed.count >= 12)
  }
}
