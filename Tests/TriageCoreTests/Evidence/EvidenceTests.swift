import Foundation
import Testing
@testable import TriageCore

/// Evidence on hand-built logs with known context: earlier URL configs, a code update an hour
/// before, invocations from three networks after exposure, a key used from two ASNs.
@Suite("Evidence per investigation step")
struct EvidenceTests {
  static let dev = "arn:aws:iam::111122223333:user/dev"
  static let etl = "arn:aws:sts::111122223333:assumed-role/etl/etl-1"

  static func record(_ time: String, _ name: String, arn: String = dev, key: String = "AKIAEXAMPLEDEV00001", ip: String = "24.4.18.77",
                     params: [String: Any], agent: String = "aws-cli/2.17.60", source: String = "lambda.amazonaws.com", category: String = "Management") -> String {
    let type = arn.contains(":user/") ? "IAMUser" : "AssumedRole"
    var identity: [String: Any] = ["type": type, "arn": arn, "accountId": "111122223333", "accessKeyId": key, "principalId": "AIDAEXAMPLE"]
    if type == "AssumedRole" {
      identity["sessionContext"] = ["sessionIssuer": ["type": "Role", "userName": "etl", "arn": "arn:aws:iam::111122223333:role/etl", "accountId": "111122223333", "principalId": "AROAEXAMPLE"]]
    } else {
      identity["userName"] = "dev"
    }
    let record: [String: Any] = [
      "eventVersion": "1.09", "eventTime": time, "eventSource": source, "eventName": name,
      "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": agent, "requestParameters": params,
      "userIdentity": identity,
      "eventID": UUID().uuidString.lowercased(), "eventType": "AwsApiCall", "recipientAccountId": "111122223333",
      "eventCategory": category, "readOnly": false,
    ]
    // Slashes unescaped, as CloudTrail writes them (a byte search for an ARN must find them).
    let data = try! JSONSerialization.data(withJSONObject: record, options: [.sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self)
  }

  /// Writes the logs and an ip2asn table into a fresh directory; returns it.
  static func logs() throws -> String {
    let directory = NSTemporaryDirectory() + "lt-evidence-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let fn = "arn:aws:lambda:us-east-1:111122223333:function:payments"
    let lines = [
      // The ETL role's usual network and key, for ten days of history.
      record("2026-11-01T09:00:00Z", "Invoke", arn: etl, key: "ASIAEXAMPLEETL00001", params: ["functionName": fn], category: "Data"),
      record("2026-11-03T09:00:00Z", "Invoke", arn: etl, key: "ASIAEXAMPLEETL00001", params: ["functionName": fn], category: "Data"),
      // The role reading S3 from its usual network (not Lambda: filed by the pre-filter's keys).
      record("2026-11-02T09:00:00Z", "GetObject", arn: etl, key: "ASIAEXAMPLEETL00001", params: ["bucketName": "etl-data"], source: "s3.amazonaws.com", category: "Data"),
      // and invoking another function (found by the role alone: no value of the alert's but it).
      record("2026-11-04T09:00:00Z", "Invoke", arn: etl, key: "ASIAEXAMPLEETL00001", params: ["functionName": "arn:aws:lambda:us-east-1:111122223333:function:reports"], category: "Data"),
      // An earlier private URL, later deleted.
      record("2026-11-04T10:00:00Z", "CreateFunctionUrlConfig20211031", params: ["functionName": "payments", "authType": "AWS_IAM"]),
      record("2026-11-05T10:00:00Z", "DeleteFunctionUrlConfig20211031", params: ["functionName": "payments"]),
      // Code updated an hour before the exposure, and a public invoke permission right after.
      record("2026-11-10T09:00:00Z", "UpdateFunctionCode20150331v2", params: ["functionName": "payments"]),
      record("2026-11-10T10:00:00Z", "CreateFunctionUrlConfig20211031", params: ["functionName": "payments", "authType": "NONE", "cors": ["allowOrigins": ["*"]]]),
      record("2026-11-10T10:01:00Z", "AddPermission20150331v2", params: ["functionName": "payments", "action": "lambda:InvokeFunctionUrl", "principal": "*", "functionUrlAuthType": "NONE", "statementId": "url"]),
      // Invocations from three networks after the exposure.
      record("2026-11-10T11:00:00Z", "Invoke", arn: etl, key: "ASIAEXAMPLEETL00001", params: ["functionName": fn], category: "Data"),
      // The unusual call comes from another session of the role: its history is the role's.
      record("2026-11-10T12:00:00Z", "Invoke", arn: "arn:aws:sts::111122223333:assumed-role/etl/etl-9", key: "ASIAEXAMPLEETL00009", ip: "193.32.126.40", params: ["functionName": fn], agent: "python-requests/2.31", category: "Data"),
      record("2026-11-10T13:00:00Z", "Invoke", arn: "arn:aws:sts::111122223333:assumed-role/etl/etl-9", key: "ASIAEXAMPLEETL00009", ip: "2a01:4f8::1", params: ["functionName": fn], category: "Data"),
    ]
    try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/trail.ndjson", atomically: true, encoding: .utf8)
    try """
      24.0.0.0\t24.15.255.255\t7922\tUS\tCOMCAST-7922
      193.32.126.0\t193.32.127.255\t9009\tRO\tM247 Europe SRL
      2a01:4f8::\t2a01:4f8:ffff:ffff:ffff:ffff:ffff:ffff\t24940\tDE\tHETZNER-AS

      """.write(toFile: directory + "/ip2asn.tsv", atomically: true, encoding: .utf8)
    return directory
  }

  /// Detection over `directory` with no database search outside it, building the evidence index
  /// as the console does.
  static func options(_ directory: String) -> DetectionOptions {
    var options = DetectionOptions(paths: [directory])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    options.evidenceIndexBudget = EvidenceIndex.defaultBudgetBytes
    return options
  }

  static func evidence(rule: DetectionRule, at time: String) throws -> (AlertEvidence, String) {
    let directory = try logs()
    let options = Self.options(directory)
    let report = try Detection.run(options)
    let alerts = report.alerts
    let alert = try #require(alerts.first { $0.ruleID == rule.ruleID && $0.originalTime.hasPrefix(time) }, "alerts: \(alerts.map { ($0.ruleName, $0.originalTime) })")
    // Through the index the run built, as the console reads evidence.
    guard case .success(let events) = EvidenceSource(options: options, index: report.evidenceIndex).events(for: alert) else {
      Issue.record("collection failed")
      throw CancellationError()
    }
    return (AlertEvidence.build(alert: alert, events: events), directory)
  }

  func texts(_ evidence: AlertEvidence, _ step: String) -> [String] { evidence.lines(for: step).map(\.text) }

  @Test("public URL: actor, exposure with open CORS, the earlier private URL, the code update and permission, invocations by network")
  func publicURL() throws {
    let (evidence, directory) = try Self.evidence(rule: BuiltinRules.lambdaFunctionURLPublic, at: "2026-11-10T10:00")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(texts(evidence, "step-1") == [
      "Principal: \(Self.dev) (IAMUser)",
      "From: 24.4.18.77 COMCAST-7922 AS7922",
      "User agent: aws-cli/2.17.60",
      "Principal: active before, 3 events, 2026-11-04 10:00 to 2026-11-10 09:00",
      "Network COMCAST-7922: seen before, 3 events, 2026-11-04 10:00 to 2026-11-10 09:00",
      "User agent: seen before, 3 events, 2026-11-04 10:00 to 2026-11-10 09:00",
    ])
    #expect(texts(evidence, "step-2") == [
      "Auth type: NONE", "Function: payments", "CORS: allowOrigins=[\"*\"]", "Function URL: not in the response (not logged)",
    ])
    #expect(evidence.lines(for: "step-2")[2].isNotable)
    #expect(texts(evidence, "step-3") == [
      "2026-11-04 10:00 CreateFunctionUrlConfig20211031 authType=AWS_IAM by \(Self.dev)",
      "2026-11-05 10:00 DeleteFunctionUrlConfig20211031 by \(Self.dev)",
      "No tags of payments in the logs (CreateFunction, TagResource) before the alert",
    ])
    let tampering = evidence.lines(for: "step-4")
    #expect(tampering.map(\.text) == [
      "2026-11-10 09:00 (60 min before) UpdateFunctionCode20150331v2 by \(Self.dev)",
      "2026-11-10 10:01 (1 min after) AddPermission20150331v2 by \(Self.dev) [lambda:InvokeFunctionUrl to *, functionUrlAuthType=NONE] public invoke permission",
    ])
    #expect(tampering[1].isNotable)
    let step5 = texts(evidence, "step-5")
    // These logs hold signed API invocations only: calls through the URL are not among them.
    #expect(step5.contains("No InvokeFunctionUrl events in these logs: calls through a URL are logged only with Lambda data events on (off by default)"))
    #expect(step5.contains("API invocations (Invoke, signed) in the 10 days after exposure: 3, by network:"))
    #expect(step5.contains("  COMCAST-7922: 1 event, at 2026-11-10 11:00"))
    #expect(step5.contains("  M247 Europe SRL: 1 event, at 2026-11-10 12:00"))
    #expect(step5.contains("  HETZNER-AS: 1 event, at 2026-11-10 13:00"))
    // Every counted line points at the events themselves.
    let invocations = evidence.lines(for: "step-5").first { $0.text.hasPrefix("API invocations") }!
    #expect(invocations.events.map { evidence.events[$0].action } == ["Invoke", "Invoke", "Invoke"])
    #expect(evidence.events[invocations.events[0]].location.hasSuffix("trail.ndjson:10"))
  }

  @Test("step 3 shows the function's tags as logged: at creation, added by ARN, removed")
  func tags() throws {
    let directory = NSTemporaryDirectory() + "lt-evidence-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let arn = "arn:aws:lambda:us-east-1:111122223333:function:payments"
    let lines = [
      Self.record("2026-11-03T10:00:00Z", "CreateFunction20150331", params: ["functionName": "payments", "tags": ["owner": "payments-team", "env": "prod"]]),
      Self.record("2026-11-06T10:00:00Z", "TagResource20170331v2", params: ["resource": arn, "tags": ["data": "pii"]]),
      Self.record("2026-11-07T10:00:00Z", "UntagResource20170331v2", params: ["resource": arn, "tagKeys": ["env"]]),
      Self.record("2026-11-08T10:00:00Z", "TagResource20170331v2", params: ["resource": "arn:aws:lambda:us-east-1:111122223333:function:other", "tags": ["x": "y"]]),
      Self.record("2026-11-10T10:00:00Z", "CreateFunctionUrlConfig20211031", params: ["functionName": "payments", "authType": "NONE"]),
    ]
    try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/trail.ndjson", atomically: true, encoding: .utf8)
    let options = Self.options(directory)
    let report = try Detection.run(options)
    let alert = try #require(report.alerts.first)
    guard case .success(let evidence) = EvidenceSource(options: options, index: report.evidenceIndex).evidence(for: alert) else { throw CancellationError() }
    // The request parameters are rendered with sorted keys by the fixture writer.
    #expect(texts(evidence, "step-3") == [
      "No earlier URL configuration of payments in the 10 days before: the URL is new here",
      "Tags: env=prod, owner=payments-team (2026-11-03 10:00 CreateFunction20150331 by \(Self.dev))",
      "Tags: data=pii (2026-11-06 10:00 TagResource20170331v2 by \(Self.dev))",
      "Tags removed: env (2026-11-07 10:00 UntagResource20170331v2 by \(Self.dev))",
    ])
  }

  @Test("the window around the alert is the analyst's: 1 h leaves out the code update 60 min before only when narrower")
  func window() throws {
    let directory = try Self.logs()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let options = Self.options(directory)
    let alert = try #require(try Detection.run(options).alerts.first { $0.ruleID == BuiltinRules.lambdaFunctionURLPublic.ruleID })
    func step4(hours: Int64?, minutes: Int64? = nil) throws -> [String] {
      let window = hours.map { $0 * 3_600_000 } ?? minutes! * 60_000
      guard case .success(let evidence) = EvidenceSource(options: options, index: nil, window: window).evidence(for: alert) else { throw CancellationError() }
      return texts(evidence, "step-4") + texts(evidence, "step-5").filter { $0.hasPrefix("Other activity") }
    }
    #expect(try step4(hours: 1) == [
      "2026-11-10 09:00 (60 min before) UpdateFunctionCode20150331v2 by \(Self.dev)",
      "2026-11-10 10:01 (1 min after) AddPermission20150331v2 by \(Self.dev) [lambda:InvokeFunctionUrl to *, functionUrlAuthType=NONE] public invoke permission",
      "Other activity by this principal within ±1 h: 2 events",
    ])
    let narrow = try step4(hours: nil, minutes: 30)
    #expect(narrow.first == "2026-11-10 10:01 (1 min after) AddPermission20150331v2 by \(Self.dev) [lambda:InvokeFunctionUrl to *, functionUrlAuthType=NONE] public invoke permission")
    #expect(narrow.count == 2 && narrow.last == "Other activity by this principal within ±30 min: 1 event")
    // The earlier private URL (6 days before) is activity around the alert with 12 days, not with 24 h.
    #expect(try step4(hours: 24).last == "Other activity by this principal within ±24 h: 2 events")
    #expect(try step4(hours: 24 * 12).last == "Other activity by this principal within ±288 h: 4 events")
  }

  @Test("unusual ASN from a new session of a role: the role's usual networks over all its sessions, the request, the session key's other use")
  func unusualASN() throws {
    let (evidence, directory) = try Self.evidence(rule: BuiltinRules.lambdaInvokeUnusualASN, at: "2026-11-10T12:00")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    #expect(texts(evidence, "step-1") == [
      "Source: 193.32.126.40 AS9009 M247 Europe SRL",
      // The logs begin 9.1 days before the alert: the rule looked back 10.
      "History in these logs: 9.1 of 10 days before the alert (they start 2026-11-01 09:00); a network new here may be usual before that",
      "Networks of this role (any session) in the 10 days before:",
      "  COMCAST-7922: 5 events, 2026-11-01 09:00 to 2026-11-10 11:00",
    ])
    #expect(texts(evidence, "step-2") == [
      "Function: payments", "Invocation type: not logged (RequestResponse by default)",
      "User agent: python-requests/2.31", "User agent: not seen for this role (any session) in the 10 days before",
    ])
    #expect(texts(evidence, "step-3") == [
      // The new session's own key: used once more, from yet another network.
      "ASIAEXAMPLEETL00009: temporary (STS session) key",
      "Other uses of this key: 1 event, at 2026-11-10 13:00, from:",
      "  HETZNER-AS: 1 event, at 2026-11-10 13:00",
      "Actions:",
      "  Invoke: 1 event, at 2026-11-10 13:00",
    ])
    #expect(texts(evidence, "step-4") == ["No other activity by this role (any session) from M247 Europe SRL"])
    // Lines about the alert's own event point at it (Enter on them shows it).
    let source = try #require(evidence.lines(for: "step-1").first)
    #expect(source.events.count == 1 && evidence.events[source.events[0]].time.hasPrefix("2026-11-10T12:00"))
    #expect(evidence.lines(for: "step-2").prefix(3).allSatisfy { $0.events == source.events })
    // Read without an index (a scan for the alert's values), the role's sessions are found too.
    let alert = try #require(try Detection.run(Self.options(directory)).alerts.first { $0.ruleID == BuiltinRules.lambdaInvokeUnusualASN.ruleID && $0.originalTime.hasPrefix("2026-11-10T12:00") })
    guard case .success(let scanned) = EvidenceCollector.collect(for: alert, options: Self.options(directory)) else {
      Issue.record("collection failed")
      return
    }
    #expect(texts(AlertEvidence.build(alert: alert, events: scanned), "step-1") == texts(evidence, "step-1"))
  }

  @Test("history counts an assumed role's sessions as one principal; other ARNs are themselves")
  func principalKey() {
    #expect(PrincipalKey.of("arn:aws:sts::111122223333:assumed-role/etl-role/etl-stolen") == "arn:aws:sts::111122223333:assumed-role/etl-role")
    #expect(PrincipalKey.of("arn:aws-us-gov:sts::111122223333:assumed-role/r/i-0abc/x") == "arn:aws-us-gov:sts::111122223333:assumed-role/r")
    for unchanged in ["arn:aws:iam::111122223333:user/dev", "arn:aws:sts::111122223333:federated-user/bob", "arn:aws:sts::111122223333:assumed-role/", "assumed-role/x/y"] {
      #expect(PrincipalKey.of(unchanged) == unchanged)
    }
  }

  @Test("an alert whose event is in a file the evidence does not read says so (the console's guide), whatever the path's spelling")
  func alertLogsNotRead() throws {
    let directory = try Self.logs()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let options = Self.options(directory)
    let alert = try #require(try Detection.run(options).alerts.first)
    let source = EvidenceSource(options: options, index: nil)
    guard case .success = source.evidence(for: alert) else { Issue.record("evidence failed"); return }
    // The same file by another route is the same file.
    var moved = alert
    moved.document["lambda_triage.source.path"] = .string(directory + "/./trail.ndjson")
    #expect(source.unreadSource(of: moved) == nil)
    moved.document["lambda_triage.source.path"] = .string(directory + "-old/trail.ndjson")
    guard case .failure(let failure) = source.evidence(for: moved) else { Issue.record("evidence claimed"); return }
    #expect(failure == .alertLogsNotRead(directory + "-old/trail.ndjson"))
    #expect(failure.description.contains("reopen with them"))
  }

  @Test("calls through the function URL (InvokeFunctionUrl) are told apart from signed API invocations")
  func urlCalls() throws {
    let report = try ECSFixture.run([ECSFixture.urlConfig(id: "u1", time: "2026-11-05T10:00:00Z")])
    let alert = try #require(report.alerts.first)
    func event(_ action: String, _ time: String, _ org: String) throws -> RelatedEvent {
      let json = #"{"@timestamp":"\#(time)","event":{"action":"\#(action)","provider":"lambda.amazonaws.com"},"aws":{"cloudtrail":{"flattened":{"request_parameters":{"functionName":"f-u1"}}}},"source":{"ip":"198.51.100.9","as":{"organization":{"name":"\#(org)"}}}}"#
      return RelatedEvent(document: try JSONParser.parse(json).objectValue!, record: nil, location: "x:1")
    }
    let events = [try event("InvokeFunctionUrl", "2026-11-05T11:00:00.000Z", "TOR-EXIT"), try event("Invoke", "2026-11-05T12:00:00.000Z", "CORP")]
    let lines = AlertEvidence.build(alert: alert, events: events).lines(for: "step-5").map(\.text)
    #expect(lines.contains("Calls through the function URL (InvokeFunctionUrl) in the 10 days after exposure: 1, by network:"))
    #expect(lines.contains("  TOR-EXIT: 1 event, at 2026-11-05 11:00"))
    #expect(lines.contains("API invocations (Invoke, signed) in the 10 days after exposure: 1, by network:"))
    #expect(!lines.contains { $0.hasPrefix("No InvokeFunctionUrl") })
  }

  @Test("without its logs, evidence says which paths it needs")
  func logsMissing() {
    let alert = Alert(document: JSONObject())
    let result = EvidenceCollector.collect(for: alert, options: DetectionOptions(paths: ["/nonexistent/AWSLogs"]))
    guard case .failure(let failure) = result else { Issue.record("expected a failure"); return }
    #expect(failure.description.contains("/nonexistent/AWSLogs"))
  }
}

@Suite("Evidence in the report")
struct EvidenceReportTests {
  @Test("the Markdown report lists each step's evidence under it, escaped, nested lines indented")
  func markdown() throws {
    let (evidence, directory) = try EvidenceTests.evidence(rule: BuiltinRules.lambdaFunctionURLPublic, at: "2026-11-10T10:00")
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let options = EvidenceTests.options(directory)
    let alert = try #require(try Detection.run(options).alerts.first { $0.ruleID == BuiltinRules.lambdaFunctionURLPublic.ruleID })
    let report = TriageReport.markdown(TriageSession(alerts: [alert]), evidence: [alert.uuid: evidence])
    #expect(report.contains("4. [ ] Has the function been tampered with? (open)\n   - 2026-11-10 09:00 (60 min before) UpdateFunctionCode20150331v2 by arn:aws:iam::111122223333:user/dev\n"))
    #expect(report.contains("     - HETZNER-AS: 1 event, at 2026-11-10 13:00\n"))
    let json = TriageReport.json(TriageSession(alerts: [alert]), evidence: [alert.uuid: evidence])
    #expect(json.contains("\"lambda_triage.evidence\""))
  }
}

@Suite("Evidence pool")
struct TextSharingTests {
  @Test("repeated texts share one copy; texts that differ in bytes stay apart, even when canonically equal")
  func sharing() {
    var sharing = TextSharing()
    let first = sharing.shared(String(decoding: Array("arn:aws:iam::111122223333:role/deploy-role".utf8), as: UTF8.self))
    let again = sharing.shared(String(decoding: Array("arn:aws:iam::111122223333:role/deploy-role".utf8), as: UTF8.self))
    #expect(again == first)
    #expect(again.utf8.withContiguousStorageIfAvailable { $0.baseAddress } == first.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
    let composed = sharing.shared("caf\u{E9}-org-with-a-long-name")
    let decomposed = sharing.shared("cafe\u{301}-org-with-a-long-name")
    #expect(Array(composed.utf8) != Array(decomposed.utf8))
    #expect(Array(decomposed.utf8) == Array("cafe\u{301}-org-with-a-long-name".utf8))

    var event = RelatedEvent(document: try! JSONParser.parse(#"{"@timestamp":"2026-11-05T10:00:00.000Z","event":{"action":"Invoke","provider":"lambda.amazonaws.com"},"user_agent":{"original":"Boto3/1.34 Python/3.12 Linux"}}"#).objectValue!, location: "f:1")
    let before = event
    let agent = sharing.shared(String(decoding: Array("Boto3/1.34 Python/3.12 Linux".utf8), as: UTF8.self))
    sharing.share(&event)
    #expect(event == before)
    // Absent texts stay absent.
    #expect(event.principalARN == nil && event.errorCode == nil)
    // The event's text now is the pooled copy, not its own; the copy taken before is untouched.
    #expect(event.userAgent?.utf8.withContiguousStorageIfAvailable { $0.baseAddress } == agent.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
    #expect(before.userAgent?.utf8.withContiguousStorageIfAvailable { $0.baseAddress } != agent.utf8.withContiguousStorageIfAvailable { $0.baseAddress })
  }
}
