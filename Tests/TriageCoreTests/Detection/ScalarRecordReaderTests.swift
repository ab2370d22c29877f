import CSupport
import Foundation
import Testing
@testable import TriageCore

/// The scalar reader builds an Invoke record's scan document from its bytes; it must build exactly
/// what parsing and mapping would, or leave the record to them.
@Suite struct ScalarRecordReaderTests {
  static let invoke = """
    {"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROA1:s","arn":"arn:aws:sts::111122223333:assumed-role/app/s",\
    "accountId":"111122223333","accessKeyId":"ASIA1","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA1",\
    "arn":"arn:aws:iam::111122223333:role/app","accountId":"111122223333","userName":"app"},"attributes":{"creationDate":"2026-11-01T00:00:00Z",\
    "mfaAuthenticated":"false"}}},"eventTime":"2026-11-05T09:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"Invoke",\
    "awsRegion":"eu-west-1","sourceIPAddress":"89.160.20.112","userAgent":"aws-cli/2.17","requestID":"r1","eventID":"e1","readOnly":false,\
    "eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data",\
    "tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"lambda.eu-west-1.amazonaws.com"},\
    "requestParameters":{"functionName":"arn:aws:lambda:eu-west-1:111122223333:function:fn","invocationType":"RequestResponse"},\
    "responseElements":null,"additionalEventData":{"functionVersion":"$LATEST"},\
    "resources":[{"accountId":"111122223333","type":"AWS::Lambda::Function","ARN":"arn:aws:lambda:eu-west-1:111122223333:function:fn"}]}
    """

  static func agreement(_ text: String) -> ScalarRecordReader.Agreement { ScalarRecordReader.agreement(Array(text.utf8)) }

  /// `invoke` with one replacement applied (which must apply).
  static func variant(_ old: String, _ new: String) -> String {
    precondition(invoke.contains(old), old)
    return invoke.replacingOccurrences(of: old, with: new)
  }

  @Test("An Invoke record is read, and its document is the mapper's to the key order")
  func plainInvoke() {
    #expect(Self.agreement(Self.invoke) == .agrees)
    let read = Array(Self.invoke.utf8).withUnsafeBufferPointer { buffer in
      ScalarRecordReader.read(buffer, gating: RuleGating(rules: RuleGatingTests.rules, evaluators: RuleGatingTests.evaluators, exclusions: [], indexing: false))
    }
    #expect(read?.possibleRules == 0b10)
    #expect(read.map { JSONWriter.compact(.object($0.document)) } == """
      {"@timestamp":"2026-11-05T09:00:00.000Z","event":{"action":"Invoke","provider":"lambda.amazonaws.com","id":"e1","outcome":"success"},\
      "data_stream":{"dataset":"aws.cloudtrail"},"cloud":{"account":{"id":"111122223333"}},"user":{"name":"app"},"source":{"ip":"89.160.20.112"}}
      """)
  }

  @Test("Pruned values, identity kinds and errors give the mapper's fields", arguments: [
    // Elastic's pruning drops null, "", "-" and "none" before any field is set.
    ("\"eventID\":\"e1\"", "\"eventID\":\"none\""), ("\"eventID\":\"e1\"", "\"eventID\":null"),
    ("\"sourceIPAddress\":\"89.160.20.112\"", "\"sourceIPAddress\":\"-\""),
    ("\"sourceIPAddress\":\"89.160.20.112\"", "\"sourceIPAddress\":\"lambda.amazonaws.com\""),
    ("\"sourceIPAddress\":\"89.160.20.112\"", "\"sourceIPAddress\":\"2001:db8::1\""),
    ("\"sourceIPAddress\":\"89.160.20.112\"", "\"sourceIPAddress\":42"),
    ("\"accountId\":\"111122223333\",\"accessKeyId\"", "\"accountId\":\"\",\"accessKeyId\""),
    ("\"recipientAccountId\":\"111122223333\"", "\"recipientAccountId\":\"999\""),
    ("\"userName\":\"app\"", "\"userName\":\"none\""),
    ("\"type\":\"AssumedRole\"", "\"type\":\"IAMUser\",\"userName\":\"alice\""),
    ("\"type\":\"AssumedRole\"", "\"type\":\"FederatedUser\""),
    ("\"type\":\"AssumedRole\"", "\"type\":\"AWSService\",\"invokedBy\":\"events.amazonaws.com\""),
    ("\"type\":\"AssumedRole\"", "\"type\":\"AssumedRole\",\"invokedBy\":\"apigateway.amazonaws.com\""),
    ("role/app\"", "role/aws-service-role/lambda.amazonaws.com/AWSServiceRoleForLambda\""),
    ("\"type\":\"AssumedRole\"", "\"type\":7"),
    ("\"sessionContext\":{", "\"sessionContext\":\"x\",\"other\":{"),
    ("\"userIdentity\":{", "\"userIdentity\":\"anonymous\",\"addendum\":{"),
    ("\"userIdentity\":{", "\"userIdentity\":{\"type\":null},\"addendum\":{"),
    ("\"readOnly\":false", "\"readOnly\":false,\"errorCode\":\"AccessDenied\""),
    ("\"readOnly\":false", "\"readOnly\":false,\"errorCode\":\"-\",\"errorMessage\":\"\""),
    ("\"readOnly\":false", "\"readOnly\":false,\"errorMessage\":403"),
    ("\"eventName\":\"Invoke\"", "\"eventName\":\"InvokeAsync\""),
    ("\"eventName\":\"Invoke\"", "\"eventName\":\"invoke\""),  // no rule: the base fields only
    ("\"eventTime\":\"2026-11-05T09:00:00Z\"", "\"eventTime\":\"2026-11-05T09:00:00.123+02:00\""),
    ("\"userAgent\":\"aws-cli/2.17\"", "\"userAgent\":\"caf\u{e9} \u{1F600} \u{202E}\""),
  ])
  func variants(change: (String, String)) {
    #expect(Self.agreement(Self.variant(change.0, change.1)) == .agrees)
  }

  @Test("What it cannot read with certainty is left to the parser and mapper", arguments: [
    ("\"userAgent\":\"aws-cli/2.17\"", "\"userAgent\":\"aws-cli\\/2.17\""),  // an escape anywhere
    ("\"eventType\":\"AwsApiCall\"", "\"eventType\":\"AwsCloudTrailInsight\""),
    ("\"readOnly\":false", "\"readOnly\":false,\"kibana.alert.rule.name\":\"x\""),  // not a CloudTrail key
    ("\"readOnly\":false", "\"readOnly\":false,\"@timestamp\":\"2026-11-05T09:00:00Z\""),
    ("\"eventID\":\"e1\"", "\"eventID\":17"),  // set as a number by the mapper
    ("\"eventID\":\"e1\"", "\"eventID\":{\"a\":null}"),
    ("\"readOnly\":false", "\"readOnly\":false,\"errorCode\":{}"),  // pruned away: containers are not followed
    ("\"accountId\":\"111122223333\",\"accessKeyId\"", "\"accountId\":111122223333,\"accessKeyId\""),
    ("\"eventTime\":\"2026-11-05T09:00:00Z\"", "\"eventTime\":\"yesterday\""),
    ("\"eventTime\":\"2026-11-05T09:00:00Z\"", "\"eventTime\":\"none\""),
    ("\"eventName\":\"Invoke\"", "\"eventName\":\"ConsoleLogin\""),
    ("\"eventName\":\"Invoke\"", "\"eventName\":true"),
    ("\"readOnly\":false", "\"readOnly\":false,\"eventID\":\"e2\""),  // a duplicate key: the parser's error
    ("\"mfaAuthenticated\":\"false\"", "\"mfa.authenticated\":\"false\""),  // a dotted key below
    ("\"functionName\"", "\"fonction\u{e9}\""),  // a non-ASCII key
    ("\"resources\":[", "\"resources\":[,"),  // invalid JSON
    ("\"readOnly\":false", "\"readOnly\":fals"),
  ])
  func declines(change: (String, String)) {
    #expect(Self.agreement(Self.variant(change.0, change.1)) == .declined)
  }

  @Test("Every Samples record it reads agrees with the mapper")
  func samples() throws {
    var read = 0
    for (_, original) in try MappingProjectionTests.records() {
      let agreement = Self.agreement(original)
      if case .differs(let why) = agreement { Issue.record("\(why)\n\(original.prefix(200))") }
      if agreement == .agrees { read += 1 }
    }
    #expect(read >= 20)
  }

  @Test("Mutated records: what the plain scanner accepts the parser accepts with the same keys, and the reader agrees")
  func mutations() {
    var rng = SplitMix(seed: 20261123)
    let base = Array(Self.invoke.utf8)
    let inserts = Array("{}[]\",:\\ 0123456789.eE+-tfnul\u{1}\t\n".utf8) + [0xC3, 0xFF, 0x80]
    var scanned = 0, read = 0, nested = 0
    for _ in 0..<6000 {
      var bytes = base
      for _ in 0..<(1 + Int(rng.next() % 3)) {
        let at = Int(rng.next() % UInt64(bytes.count))
        switch rng.next() % 4 {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(inserts[Int(rng.next() % UInt64(inserts.count))], at: at)
        case 2: bytes[at] = inserts[Int(rng.next() % UInt64(inserts.count))]
        default:  // repeat a slice: duplicate keys and members
          let end = min(bytes.count, at + 1 + Int(rng.next() % 40))
          bytes.insert(contentsOf: bytes[at..<end], at: at)
        }
      }
      let members = bytes.withUnsafeBufferPointer { buffer -> [String]? in
        var found = [lt_member](repeating: lt_member(), count: 64)
        let count = Int(lt_object_members(buffer.baseAddress, buffer.count, &found, 64))
        guard count >= 0 else { return nil }
        return found.prefix(count).map { String(decoding: buffer[Int($0.key_start)..<Int($0.key_end)], as: UTF8.self) }
      }
      if let members {
        scanned += 1
        let parsed = try? JSONParser.parse(bytes)
        #expect(parsed?.objectValue?.members.map(\.key) == members, "\(String(decoding: bytes, as: UTF8.self))")
        nested += Self.expectAcceptedListingAgrees(bytes, 0..<bytes.count)
      }
      // On anything at all it returns without reading out of bounds.
      _ = bytes.withUnsafeBufferPointer { lt_accepted_object_members($0.baseAddress, $0.count, nil, 0) }
      switch ScalarRecordReader.agreement(bytes) {
      case .differs(let why): Issue.record("\(why)\n\(String(decoding: bytes, as: UTF8.self))")
      case .agrees: read += 1
      case .declined: break
      }
    }
    // Mutations inside string values keep records valid: the checks above are not vacuous.
    #expect(scanned > 1000)
    #expect(read > 500)
    #expect(nested > 3000)
  }

  /// Within an accepted record, every object (the record, userIdentity, sessionContext, ...) is
  /// listed by `lt_accepted_object_members` exactly as `lt_object_members` lists it. Returns the
  /// objects compared.
  private static func expectAcceptedListingAgrees(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
    func listing(_ accepted: Bool) -> [lt_member]? {
      bytes.withUnsafeBufferPointer { buffer in
        var found = [lt_member](repeating: lt_member(), count: 64)
        let start = buffer.baseAddress! + range.lowerBound
        let count = Int(accepted ? lt_accepted_object_members(start, range.count, &found, 64) : lt_object_members(start, range.count, &found, 64))
        return count < 0 ? nil : Array(found.prefix(count))
      }
    }
    guard let checked = listing(false) else { return 0 }
    let fast = listing(true)
    let same = fast.map { $0.map { [$0.key_start, $0.key_end, $0.value_start, $0.value_end] } == checked.map { [$0.key_start, $0.key_end, $0.value_start, $0.value_end] } } ?? false
    #expect(same, "\(String(decoding: bytes[range], as: UTF8.self))")
    var compared = 1
    for member in checked where bytes[range.lowerBound + Int(member.value_start)] == UInt8(ascii: "{") {
      compared += expectAcceptedListingAgrees(bytes, range.lowerBound + Int(member.value_start)..<range.lowerBound + Int(member.value_end))
    }
    return compared
  }

  @Test("The plain scanner refuses what the parser refuses", arguments: [
    "", "   ", "[]", "{", "{}x", "{\"a\":1,}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":1e}", "{\"a\":tru}",
    "{\"a\":\"\u{1}\"}", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1,\"b\":1}}", "{\"a\":[{\"b\":1,\"b\":2}]}", "{\"a\" 1}", "{a:1}",
    "{\"a\":\"x\\\"\"}",
  ])
  func refuses(text: String) {
    let count = Array(text.utf8).withUnsafeBufferPointer { lt_object_members($0.baseAddress, $0.count, nil, 0) }
    #expect(count == -1)
  }

  @Test("Nesting deeper than the scanner's limit is left to the parser")
  func deepNesting() {
    let deep = "{\"a\":" + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}"
    #expect(Array(deep.utf8).withUnsafeBufferPointer { lt_object_members($0.baseAddress, $0.count, nil, 0) } == -1)
    #expect((try? JSONParser.parse(deep)) != nil)
    let shallow = "{\"a\":" + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + ",\"b\":{}}"
    #expect(Array(shallow.utf8).withUnsafeBufferPointer { lt_object_members($0.baseAddress, $0.count, nil, 0) } == 2)
  }

  @Test("Detection reads Invoke records from their bytes and raises exactly what parsing and mapping raise")
  func sameAlerts() throws {
    func run(_ scalars: Bool, exclusions: [Exclusion]) throws -> DetectionReport {
      var options = DetectionOptions(paths: [SamplesTests.samples.path])
      options.environment = [:]
      options.standardDatabaseDirectories = []
      options.readScalars = scalars
      options.now = Timestamp.parseMillis("2026-11-20T00:00:00Z")
      options.exclusions = exclusions
      return try Detection.run(options)
    }
    // An exclusion on a field the reader builds keeps it in use; none at all is the everyday case.
    let byUser = Exclusion(id: "u", name: "ci", ruleIDs: BuiltinRules.all.map(\.ruleID),
                           entries: [ExclusionEntry(field: "user.name", kind: .wildcard("ci-*"))],
                           comment: "c", author: "a", createdAt: "2026-11-01T00:00:00Z")
    for exclusions in [[], [byUser]] {
      let fast = try run(true, exclusions: exclusions)
      let full = try run(false, exclusions: exclusions)
      #expect(fast.summary.scalarReadRecords > 20)
      #expect(full.summary.scalarReadRecords == 0)
      #expect(fast.alerts.map { JSONWriter.compact(.object($0.document)) } == full.alerts.map { JSONWriter.compact(.object($0.document)) })
      #expect(fast.suppressed.map(\.uuid) == full.suppressed.map(\.uuid))
      #expect(fast.summary.eventsMissingASN == full.summary.eventsMissingASN)
      #expect(fast.summary.rawCloudTrailRecords == full.summary.rawCloudTrailRecords)
      #expect(fast.summary.badRecords == full.summary.badRecords)
      #expect(fast.summary.issues.map(\.reason) == full.summary.issues.map(\.reason))
      #expect(fast.alerts.count >= 10)
    }
  }
}
