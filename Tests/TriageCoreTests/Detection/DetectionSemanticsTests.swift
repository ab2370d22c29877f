import Foundation
import Testing
@testable import TriageCore

/// Builds ECS documents (already enriched, as Elastic exports them) so the scheduling and rule
/// semantics are tested independently of the CloudTrail mapping.
enum ECSFixture {
  static func urlConfig(id: String, time: String, action: String = "CreateFunctionUrlConfig20211031", auth: String = "NONE", outcome: String = "success") -> String {
    """
    {"@timestamp":"\(time)","data_stream":{"dataset":"aws.cloudtrail"},"event":{"id":"\(id)","provider":"lambda.amazonaws.com","action":"\(action)","outcome":"\(outcome)"},"aws":{"cloudtrail":{"request_parameters":"{functionName=f-\(id), authType=\(auth)}"}},"source":{"ip":"203.0.113.9"},"user":{"name":"dev"},"cloud":{"account":{"id":"111122223333"}}}
    """
  }

  static func invoke(id: String, time: String, org: String, user: String = "app-role", account: String = "111122223333", invokedBy: String? = nil, action: String = "Invoke") -> String {
    let identity = invokedBy.map { #","user_identity":{"invoked_by":"\#($0)"}"# } ?? ""
    return """
      {"@timestamp":"\(time)","data_stream":{"dataset":"aws.cloudtrail"},"event":{"id":"\(id)","provider":"lambda.amazonaws.com","action":"\(action)","outcome":"success"},"aws":{"cloudtrail":{"request_parameters":"{functionName=fn}"\(identity)}},"source":{"ip":"198.51.100.7","as":{"number":64500,"organization":{"name":"\(org)"}}},"user":{"name":"\(user)"},"cloud":{"account":{"id":"\(account)"}}}
      """
  }

  /// The lines as an NDJSON file in the temporary directory; the caller removes it.
  static func write(_ lines: [String], name: String = "lt") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).ndjson").path
    try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  static func run(_ lines: [String], since: String? = nil, until: String? = nil) throws -> DetectionReport {
    let path = try write(lines)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var options = DetectionOptions(paths: [path])
    options.standardDatabaseDirectories = []
    options.environment = [:]
    options.since = since.flatMap(Timestamp.parseMillis)
    options.until = until.flatMap(Timestamp.parseMillis)
    return try Detection.run(options)
  }
}

@Suite("Detection semantics")
struct DetectionSemanticsTests {
  let ruleAID = BuiltinRules.lambdaFunctionURLPublic.ruleID
  let ruleBID = BuiltinRules.lambdaInvokeUnusualASN.ruleID

  @Test("rule A: exact alert set over look-alikes")
  func ruleA() throws {
    let report = try ECSFixture.run([
      ECSFixture.urlConfig(id: "a1", time: "2026-11-05T10:00:00Z"),
      ECSFixture.urlConfig(id: "a2", time: "2026-11-05T10:01:00Z", action: "updatefunctionurlconfig"),
      ECSFixture.urlConfig(id: "n1", time: "2026-11-05T10:02:00Z", auth: "AWS_IAM"),
      ECSFixture.urlConfig(id: "n2", time: "2026-11-05T10:03:00Z", auth: "none"),
      ECSFixture.urlConfig(id: "n3", time: "2026-11-05T10:04:00Z", outcome: "failure"),
      ECSFixture.urlConfig(id: "n4", time: "2026-11-05T10:04:30Z", action: "DeleteFunctionUrlConfig20211031"),
    ])
    #expect(report.alerts.map { $0.field("event.id")?.stringValue } == ["a1", "a2"])
    let alert = try #require(report.alerts.first)
    #expect(alert.ruleID == ruleAID)
    #expect(alert.severity == "high")
    #expect(alert.riskScore == 73)
    #expect(alert.originalTime == "2026-11-05T10:00:00Z")
    #expect(alert.string("@timestamp") == "2026-11-05T10:00:00.000Z")
    #expect(alert.string("event.kind") == "signal")
    #expect(alert.reason == "event with source 203.0.113.9, by dev created high alert AWS Lambda Function URL Created with Public Access.")
    #expect(alert.workflowStatus == "open")
  }

  @Test("alert ids are stable across runs")
  func stableIDs() throws {
    let lines = [ECSFixture.urlConfig(id: "a1", time: "2026-11-05T10:00:00Z")]
    #expect(try ECSFixture.run(lines).alerts.map(\.uuid) == ECSFixture.run(lines).alerts.map(\.uuid))
    #expect(try ECSFixture.run(lines).alerts.first?.uuid.count == 64)
  }

  @Test("an event seen by two overlapping executions alerts once")
  func overlap() throws {
    // 10:04:30 lies in the windows of the 10:05 and 10:10 executions.
    let report = try ECSFixture.run([
      ECSFixture.urlConfig(id: "a1", time: "2026-11-05T10:04:30Z"),
      ECSFixture.urlConfig(id: "late", time: "2026-11-05T10:09:00Z"),
    ])
    #expect(report.alerts.map { $0.field("event.id")?.stringValue } == ["a1", "late"])
    #expect(report.alerts.first?.string("@timestamp") == "2026-11-05T10:05:00.000Z")
  }

  @Test("rule A keeps the 100 most recent matches of an execution and drops the rest")
  func eqlCap() throws {
    let lines = (0..<150).map { i in
      ECSFixture.urlConfig(id: String(format: "e%03d", i), time: String(format: "2026-11-05T10:02:%02d.%03dZ", i / 10, i % 10 * 100))
    }
    let report = try ECSFixture.run(lines)
    #expect(report.alerts.count == 100)
    #expect(report.alerts.first?.field("event.id")?.stringValue == "e050")
    #expect(report.summary.droppedByCapPerRule.first?.count == 50)
  }

  @Test("rule B: new terms against 10 days of history, cloud networks and service invocations excluded")
  func ruleB() throws {
    let report = try ECSFixture.run([
      ECSFixture.invoke(id: "h1", time: "2026-11-01T09:00:00Z", org: "COMCAST"),
      ECSFixture.invoke(id: "h2", time: "2026-11-05T09:00:00Z", org: "COMCAST"),  // known network
      ECSFixture.invoke(id: "b1", time: "2026-11-05T09:10:00Z", org: "Evil Hosting"),
      ECSFixture.invoke(id: "b2", time: "2026-11-05T09:11:00Z", org: "Evil Hosting"),  // same term, same window
      ECSFixture.invoke(id: "n1", time: "2026-11-05T09:20:00Z", org: "AMAZON-02"),
      ECSFixture.invoke(id: "n2", time: "2026-11-05T09:21:00Z", org: "Tor Exit", invokedBy: "apigateway.amazonaws.com"),
      ECSFixture.invoke(id: "n3", time: "2026-11-05T09:22:00Z", org: "Tor Exit", action: "invoke"),
      ECSFixture.invoke(id: "b3", time: "2026-11-05T09:23:00Z", org: "amazon-lookalike"),
    ])
    let ruleBAlerts = report.alerts.filter { $0.ruleID == ruleBID }
    #expect(ruleBAlerts.map { $0.field("event.id")?.stringValue } == ["h1", "b1", "b3"])
    #expect(ruleBAlerts[1].newTerms == ["Evil Hosting", "111122223333", "app-role"])
    #expect(ruleBAlerts[1].severity == "medium")
    #expect(ruleBAlerts[1].riskScore == 47)
    // h1 had no history at all: the data starts with it.
    #expect(ruleBAlerts[0].field("lambda_triage.history.available_days")?.keywordText == "0.0")
  }

  @Test("rule B: history older than 10 days does not count; --since only limits alerts")
  func historyWindow() throws {
    let lines = [
      ECSFixture.invoke(id: "old", time: "2026-11-01T09:00:00Z", org: "Evil Hosting"),
      ECSFixture.invoke(id: "again", time: "2026-11-12T09:00:00Z", org: "Evil Hosting"),
      ECSFixture.invoke(id: "recent", time: "2026-11-11T09:00:00Z", org: "Home ISP"),
      ECSFixture.invoke(id: "next", time: "2026-11-12T10:00:00Z", org: "Home ISP"),
    ]
    let all = try ECSFixture.run(lines)
    #expect(all.alerts.map { $0.field("event.id")?.stringValue } == ["old", "recent", "again"])
    let since = try ECSFixture.run(lines, since: "2026-11-11T12:00:00Z")
    #expect(since.alerts.map { $0.field("event.id")?.stringValue } == ["again"])
    let until = try ECSFixture.run(lines, until: "2026-11-11T00:00:00Z")
    #expect(until.alerts.map { $0.field("event.id")?.stringValue } == ["old"])
  }

  @Test("rule B caps each execution at 100 new terms in byte order of the values")
  func newTermsCap() throws {
    let lines = (0..<130).map { i in
      ECSFixture.invoke(id: "t\(i)", time: "2026-11-05T09:01:00Z", org: String(format: "Org %03d", 129 - i))
    }
    let report = try ECSFixture.run(lines)
    let orgs = report.alerts.compactMap { $0.newTerms.first }.sorted()
    #expect(orgs.count == 100)
    #expect(orgs.first == "Org 000")
    #expect(orgs.last == "Org 099")
    #expect(report.summary.droppedByCapPerRule.last?.count == 30)
  }
}

@Suite("Parallel scanning")
struct ParallelScanTests {
  func run(_ path: String, workers: Int, chunk: Int64) throws -> DetectionReport {
    var options = DetectionOptions.isolated(path)
    options.workers = workers
    options.parallelChunkBytes = chunk
    return try Detection.run(options)
  }

  @Test("a new term seen again in a later range is the same term: new-terms alerts do not depend on the cutting")
  func newTermsAcrossRanges() throws {
    var lines: [String] = []
    var firstSeen: [String: String] = [:]
    for i in 0..<420 {
      let time = Timestamp.format(millis: 1_762_300_000_000 + Int64(i) * 397_000)
      // The orgs come in a different order in each range (so each range numbers its terms
      // differently); Org 5 first appears in the last ranges.
      let org = "Org \(i < 300 ? (i * i + i / 7) % 5 : (i * i + i / 7) % 6)"
      if firstSeen[org] == nil { firstSeen[org] = "n\(i)" }
      lines.append(ECSFixture.invoke(id: "n\(i)", time: time, org: org))
    }
    let path = try ECSFixture.write(lines, name: "lt-terms")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let one = try run(path, workers: 1, chunk: 1 << 40)
    let many = try run(path, workers: 4, chunk: 2048)
    #expect(ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 2048).count > 4)
    #expect(one.alerts.map(\.uuid) == many.alerts.map(\.uuid))
    #expect(many.alerts.compactMap { $0.newTerms.first }.sorted() == (0..<6).map { "Org \($0)" })
    #expect(many.alerts.compactMap { $0.string("event.id") }.sorted() == firstSeen.values.sorted())
  }

  /// Uses ../shared's GeoLite2-ASN-Test.mmdb, with one organisation's first byte made invalid
  /// UTF-8 so that lookups of 1.128.0.0/11 fail; skipped without the shared fixtures.
  @Test("an enrichment failure in a later range is reported at its line in the file, not in the range",
        .enabled(if: EnrichmentFixtures.available))
  func enrichmentWarningLines() throws {
    let directory = try EnrichmentFixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var database = try Data(contentsOf: URL(fileURLWithPath: EnrichmentFixtures.testData("GeoLite2-ASN-Test.mmdb")))
    let name = Data("Telstra Pty Ltd".utf8)
    let at = try #require(database.range(of: name)).lowerBound
    database[at] = 0xFF
    let databasePath = directory.appendingPathComponent("asn-corrupt.mmdb").path
    try database.write(to: URL(fileURLWithPath: databasePath))
    func record(_ action: String, _ address: String, _ i: Int) -> String {
      #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","accountId":"111122223333","userName":"u"},"eventTime":"2026-11-05T10:00:00Z","eventSource":"lambda.amazonaws.com","eventName":"\#(action)","awsRegion":"us-east-1","sourceIPAddress":"\#(address)","eventID":"e\#(i)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    }
    // Line 700 is read as scalars (Invoke), line 900 parsed and mapped (a URL config call).
    let lines = (1...1000).map { i in
      i == 700 ? record("Invoke", "1.128.0.1", i) : i == 900 ? record("CreateFunctionUrlConfig20211031", "1.128.0.2", i) : record("Invoke", "1.0.0.1", i)
    }
    let path = try ECSFixture.write(lines, name: "lt-enrich")
    defer { try? FileManager.default.removeItem(atPath: path) }
    func warnings(workers: Int, chunk: Int64) throws -> [String] {
      var options = DetectionOptions(paths: [path])
      options.environment = [:]
      options.standardDatabaseDirectories = []
      options.asnDatabasePath = databasePath
      options.workers = workers
      options.parallelChunkBytes = chunk
      return try Detection.run(options).summary.warnings
    }
    let expected = [700, 900].map { line in
      "\(path):\(line): enrichment failed: \(databasePath): the record contains invalid UTF-8 (record for 1.128.0.\(line == 700 ? 1 : 2))"
    }
    #expect(ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 4096).count > 8)
    #expect(try warnings(workers: 1, chunk: 1 << 40) == expected)
    #expect(try warnings(workers: 4, chunk: 4096) == expected)
  }

  @Test("by default a single NDJSON file of a few MB is scanned on every core; a small one is one unit")
  func defaultChunking() throws {
    let record = #"{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-11-05T10:00:00Z"}"#
    let threshold = DetectionOptions(paths: []).parallelChunkBytes
    let big = try ECSFixture.write(Array(repeating: record, count: Int(threshold) / record.utf8.count + 1), name: "lt-mid")
    defer { try? FileManager.default.removeItem(atPath: big) }
    // A 47 MB export of Lambda records took 247 ms on one core and 168 ms on two.
    #expect(threshold <= 8 << 20)
    #expect(ParallelScan.plan([InputFile(path: big)], workers: 2, threshold: threshold).count > 2)
    let small = try ECSFixture.write(Array(repeating: record, count: 100), name: "lt-small")
    defer { try? FileManager.default.removeItem(atPath: small) }
    #expect(ParallelScan.plan([InputFile(path: small)], workers: 2, threshold: threshold).count == 1)
  }

  @Test("a large NDJSON file cut into ranges gives the same alerts and line numbers as one scanner")
  func chunkedEqualsSequential() throws {
    var lines: [String] = []
    for i in 0..<400 {
      let minute = String(format: "%02d", i % 60)
      lines.append(ECSFixture.urlConfig(id: "a\(i)", time: "2026-11-05T1\(i / 60 % 10):\(minute):00Z"))
      if i % 97 == 0 { lines.append("{\"eventSource\":\"lambda.amazonaws.com\" broken \(i)") }
      lines.append(#"{"eventVersion":"1.09","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-11-05T10:00:00Z"}"#)
    }
    let path = try ECSFixture.write(lines, name: "lt-par")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let one = try run(path, workers: 1, chunk: 1 << 40)
    let many = try run(path, workers: 4, chunk: 1024)
    #expect(ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 1024).count > 4)
    #expect(one.alerts.map(\.uuid) == many.alerts.map(\.uuid))
    #expect(one.alerts.map { $0.string("lambda_triage.source.position") } == many.alerts.map { $0.string("lambda_triage.source.position") })
    #expect(one.summary.issues.map(\.description) == many.summary.issues.map(\.description))
    #expect(one.summary.issues.first?.line == 2)
    #expect(one.summary.records == many.summary.records)
    #expect(one.alerts.count == 400)
  }
}

@Suite("Bad records inside containers")
struct ContainerBadRecordTests {
  @Test("an envelope entry or array element that is not an object is a bad record, as ecs says, not a record of another service")
  func nonObjects() throws {
    let record = #"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-11-05T10:00:00Z"}"#
    for text in [#"{"Records": [1, "x", ["#+record+#"], "#+record+#"]}"#, "[null, " + record + "]"] {
      let path = try ECSFixture.write([text], name: "lt-nonobj")
      defer { try? FileManager.default.removeItem(atPath: path) }
      let report = try Detection.run(DetectionOptions.isolated(path))
      let bad = text.hasPrefix("[") ? 1 : 3
      #expect(report.summary.badRecords == bad, "\(text)")
      #expect(report.summary.issues.allSatisfy { $0.description.hasSuffix("not a JSON object") })
      #expect(report.summary.skippedRecords == 1)
    }
  }
}

@Suite("Records kept from gzip files")
struct KeptRecordsTests {
  @Test("matching records of a streamed gzip file are kept for the alerts while the budget lasts, and a whole-inflated one keeps its query-rule matches only; the alerts are the same either way")
  func keptWhileBudgetLasts() throws {
    let configs = (0..<300).map { i in ECSFixture.urlConfig(id: "k\(i)", time: "2026-11-05T1\(i / 60 % 10):\(String(format: "%02d", i % 60)):00Z") }
    // New-terms matches: most are history, not alerts, so a whole-inflated object reads the few
    // alerts among them again rather than keeping them all.
    let invokes = (0..<50).map { i in ECSFixture.invoke(id: "i\(i)", time: "2026-11-06T10:\(String(format: "%02d", i)):00Z", org: "ORG-\(i % 3)") }
    let lines = configs + invokes
    let plain = try ECSFixture.write(lines, name: "lt-kept")
    defer { try? FileManager.default.removeItem(atPath: plain) }
    let gzip = Process()
    gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
    gzip.arguments = ["-k", "-n", "-f", plain]
    try gzip.run()
    gzip.waitUntilExit()
    let packed = plain + ".gz"
    defer { try? FileManager.default.removeItem(atPath: packed) }
    func run(_ path: String, wholeGzipLimit: Int = WholeGzipByteSource.maxCompressedBytes, kept: Int = 128 << 20) throws -> DetectionReport {
      var options = DetectionOptions.isolated(path)
      options.wholeGzipLimit = wholeGzipLimit
      options.keptRecordBytes = kept
      return try Detection.run(options)
    }
    let reference = try run(plain)
    let whole = try run(packed)
    let streamed = try run(packed, wholeGzipLimit: 1024)
    let spent = try run(packed, wholeGzipLimit: 1024, kept: lines[0..<40].reduce(0) { $0 + $1.utf8.count })
    #expect(reference.alerts.filter { $0.ruleID == BuiltinRules.lambdaFunctionURLPublic.ruleID }.count == 300)
    #expect(reference.alerts.filter { $0.ruleID == BuiltinRules.lambdaInvokeUnusualASN.ruleID }.count == 3)
    for report in [whole, streamed, spent] {
      #expect(report.alerts.map(\.uuid) == reference.alerts.map(\.uuid))
      #expect(report.alerts.map { $0.string("event.id") } == reference.alerts.map { $0.string("event.id") })
    }
    #expect(reference.summary.keptRecords == 0)
    #expect(whole.summary.keptRecords == 300)
    #expect(streamed.summary.keptRecords == 350)
    #expect(spent.summary.keptRecords == 40)
    // In one run, a whole-inflated object keeps from a budget of its own (an eighth): the
    // streamed file still keeps all it can. The copy, padded with zeros (which gzip ignores), is
    // over the whole-inflating limit and so streamed.
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("lt-kept-\(UUID().uuidString).gz").path
    try (try Data(contentsOf: URL(fileURLWithPath: packed)) + Data(repeating: 0, count: 16)).write(to: URL(fileURLWithPath: copy))
    defer { try? FileManager.default.removeItem(atPath: copy) }
    let sizes = lines.map(\.utf8.count)
    var both = DetectionOptions.isolated(packed, copy)
    both.keptRecordBytes = sizes.reduce(0, +)
    both.wholeGzipLimit = try Data(contentsOf: URL(fileURLWithPath: packed)).count
    both.workers = 1
    var wholeKept = 0, used = 0
    for size in sizes[0..<300] {
      guard used + size <= both.keptRecordBytes / 8 else { break }
      used += size
      wholeKept += 1
    }
    let mixed = try Detection.run(both)
    #expect(wholeKept > 0 && wholeKept < 300)
    #expect(mixed.summary.keptRecords == wholeKept + 350)
  }
}

extension DetectionOptions {
  /// Options for `paths` that find no enrichment database in the environment or the standard
  /// directories, so a test sees only what it sets up.
  static func isolated(_ paths: String...) -> DetectionOptions {
    var options = DetectionOptions(paths: paths)
    options.environment = [:]
    options.standardDatabaseDirectories = []
    return options
  }
}
