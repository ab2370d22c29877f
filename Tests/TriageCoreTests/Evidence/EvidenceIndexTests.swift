import Foundation
import Testing
@testable import TriageCore

/// The index built while detecting must find exactly the evidence a full pass over the logs finds:
/// it only decides which records are read again.
@Suite("Evidence index")
struct EvidenceIndexTests {
  static let etl = EvidenceTests.etl
  static let dev = EvidenceTests.dev

  /// A non-Lambda record as AWS writes it (keys in AWS's order, not sorted), which the byte reader
  /// files without parsing.
  static func other(_ time: String, _ source: String, _ name: String, arn: String?, key: String?, ip: String, issuer: Bool = false) -> String {
    var identity = "\"type\":\"AssumedRole\",\"principalId\":\"AROAEXAMPLE:etl-1\""
    if let arn { identity += ",\"arn\":\"\(arn)\"" }
    identity += ",\"accountId\":\"111122223333\""
    if let key { identity += ",\"accessKeyId\":\"\(key)\"" }
    if issuer {
      identity += ",\"sessionContext\":{\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::111122223333:role/etl\"}}"
    }
    return """
      {"eventVersion":"1.09","userIdentity":{\(identity)},"eventTime":"\(time)","eventSource":"\(source)","eventName":"\(name)",\
      "awsRegion":"us-east-1","sourceIPAddress":"\(ip)","userAgent":"aws-sdk-go/1.44","requestParameters":{"bucketName":"b","key":"k"},\
      "responseElements":null,"eventID":"\(UUID().uuidString.lowercased())","eventType":"AwsApiCall","recipientAccountId":"111122223333"}
      """
  }

  /// The hand-built evidence logs plus non-Lambda activity of the same principals, a record with
  /// escapes, an ECS document and a gzipped Records envelope.
  static func mixedLogs() throws -> String {
    let directory = try EvidenceTests.logs()
    let extra = [
      other("2026-11-10T10:30:00Z", "sts.amazonaws.com", "GetCallerIdentity", arn: dev, key: "AKIAEXAMPLEDEV00001", ip: "24.4.18.77"),
      other("2026-11-10T11:30:00Z", "s3.amazonaws.com", "GetObject", arn: etl, key: "ASIAEXAMPLEETL00001", ip: "193.32.126.40", issuer: true),
      other("2026-11-10T11:40:00Z", "iam.amazonaws.com", "ListRoles", arn: nil, key: "ASIAEXAMPLEETL00001", ip: "10.0.0.9", issuer: true),
      other("2026-10-01T00:00:00Z", "s3.amazonaws.com", "GetObject", arn: etl, key: "ASIAEXAMPLEETL00001", ip: "193.32.126.40"),
      // An escape in a value: the byte reader hands it to the parser.
      other("2026-11-10T11:50:00Z", "kms.amazonaws.com", "Decrypt", arn: dev, key: "AKIAEXAMPLEDEV00001", ip: "24.4.18.77").replacingOccurrences(of: "aws-sdk-go", with: "aws\\u002dsdk"),
    ]
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/trail.ndjson"))
    handle.seekToEndOfFile()
    handle.write(Data((extra.joined(separator: "\n") + "\n").utf8))
    try handle.close()
    let ecs = """
      {"@timestamp":"2026-11-10T12:30:00.000Z","event":{"action":"AssumeRole","provider":"sts.amazonaws.com"},"source":{"ip":"193.32.126.40"},"aws":{"cloudtrail":{"user_identity":{"arn":"\(etl)","access_key_id":"ASIAEXAMPLEETL00001"}}}}

      """
    try ecs.write(toFile: directory + "/ecs.ndjson", atomically: true, encoding: .utf8)
    let envelope = "{\"Records\":[" + [
      other("2026-11-10T12:40:00Z", "ec2.amazonaws.com", "DescribeInstances", arn: etl, key: "ASIAEXAMPLEETL00001", ip: "2a01:4f8::1"),
      EvidenceTests.record("2026-11-10T12:45:00Z", "GetFunction20150331v2", arn: etl, key: "ASIAEXAMPLEETL00001", ip: "2a01:4f8::1", params: ["functionName": "payments"]),
    ].joined(separator: ",") + "]}"
    try envelope.write(toFile: directory + "/111122223333_CloudTrail_us-east-1_20261110T1245Z_x.json", atomically: true, encoding: .utf8)
    let gzip = Process()
    gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
    gzip.arguments = ["-n", directory + "/111122223333_CloudTrail_us-east-1_20261110T1245Z_x.json"]
    try gzip.run()
    gzip.waitUntilExit()
    return directory
  }

  static func options(_ directory: String) -> DetectionOptions {
    var options = DetectionOptions(paths: [directory])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    options.evidenceIndexBudget = EvidenceIndex.defaultBudgetBytes
    // Small chunks and two workers: the NDJSON file is indexed in parts whose lines are renumbered.
    options.parallelChunkBytes = 1024
    options.workers = 2
    return options
  }

  static func bothWays(_ alerts: [Alert], _ options: DetectionOptions, _ index: EvidenceIndex?) throws -> (indexed: [[RelatedEvent]], scanned: [[RelatedEvent]]) {
    guard case .success(let indexed) = EvidenceCollector.collect(for: alerts, options: options, index: index, keepDocuments: true),
      case .success(let scanned) = EvidenceCollector.collect(for: alerts, options: options, index: nil, keepDocuments: true)
    else { throw CancellationError() }
    return (indexed, scanned)
  }

  @Test("the byte reader files a raw record by its identity's own ARN and key, its address and time")
  func rawKeys() throws {
    func keys(_ text: String) -> EvidenceKeys? {
      Array(text.utf8).withUnsafeBufferPointer { bytes in RawRecordKeys.extract(bytes).map { $0.keys(in: bytes) } }
    }
    let plain = try #require(keys(Self.other("2026-11-10T11:30:00Z", "s3.amazonaws.com", "GetObject", arn: Self.etl, key: "ASIAEXAMPLEETL00001", ip: "193.32.126.40", issuer: true)))
    #expect(plain == EvidenceKeys(millis: Timestamp.parseMillis("2026-11-10T11:30:00Z")!, principalARN: Self.etl, accessKeyID: "ASIAEXAMPLEETL00001", address: "193.32.126.40"))
    // No ARN of its own: the session issuer's ARN is not the principal's.
    let issuerOnly = try #require(keys(Self.other("2026-11-10T11:40:00Z", "iam.amazonaws.com", "ListRoles", arn: nil, key: "ASIAX", ip: "10.0.0.9", issuer: true)))
    #expect(issuerOnly.principalARN == nil && issuerOnly.accessKeyID == "ASIAX")
    // Pretty-printed JSON reads the same.
    let pretty = "{\n  \"eventTime\" : \"2026-11-10T11:30:00Z\",\n  \"eventSource\" : \"sts.amazonaws.com\",\n  \"sourceIPAddress\" : \"1.2.3.4\",\n  \"userIdentity\" : { \"arn\" : \"a\" }\n}"
    #expect(keys(pretty) == EvidenceKeys(millis: Timestamp.parseMillis("2026-11-10T11:30:00Z")!, principalARN: "a", address: "1.2.3.4"))
    // Left to the parser: Lambda records, escapes in what is read, no time, broken JSON, not an object.
    #expect(keys(EvidenceTests.record("2026-11-10T10:00:00Z", "GetFunction", params: ["functionName": "f"])) == nil)
    #expect(keys(pretty.replacingOccurrences(of: "\"a\"", with: "\"a\\u0041\"")) == nil)
    #expect(keys(pretty.replacingOccurrences(of: "eventTime", with: "time")) == nil)
    #expect(keys(String(pretty.dropLast(30))) == nil)
    #expect(keys("[1,2]") == nil)
    #expect(keys("") == nil)
  }

  @Test("the byte interner numbers distinct values in order and finds them again, across growth")
  func interner() {
    var interner = ByteInterner()
    let values = (0..<5000).map { "arn:aws:iam::111122223333:user/u\($0 % 1000)" }
    let ids = values.map { interner.id($0) }
    #expect(interner.count == 1000)
    #expect(ids[0..<1000].elementsEqual(0..<1000) && ids[1000] == 0 && ids[4999] == 999)
    #expect(interner.value(42) == values[42] && interner.lookup(values[7]) == 7)
    #expect(interner.lookup("arn:aws:iam::111122223333:user/u1000") == nil && interner.lookup(nil) == nil)
    let empty = interner.id("")
    let none = interner.id(nil)
    #expect(empty == 1000 && interner.lookup("") == 1000 && none == -1)

    // Hundreds of thousands of values (a busy trail's addresses), through many growths: every
    // one keeps its number, and values of equal length that differ in one byte stay apart.
    var many = ByteInterner()
    let addresses = (0..<300_000).map { "10.\($0 >> 16).\(($0 >> 8) & 255).\($0 & 255)" }
    var misplaced = 0
    for (k, address) in addresses.enumerated() where many.id(address) != Int32(k) { misplaced += 1 }
    for (k, address) in addresses.enumerated() where many.lookup(address) != Int32(k) || many.id(address) != Int32(k) { misplaced += 1 }
    #expect(misplaced == 0 && many.count == 300_000)
    #expect(many.lookup("10.5.0.256") == nil && many.value(299_999) == "10.4.147.223")
  }

  @Test("an over-long value is not filed: the index is marked incomplete instead of missing the event")
  func overlong() throws {
    var index = EvidenceIndex()
    let budget = ByteBudget(bytes: 1 << 20)
    let location = RecordLocation(fileIndex: 0, offset: 0, length: 1, line: 1, recordIndex: 0)
    let short = index.add(.keys(EvidenceKeys(millis: 0, principalARN: "a")), at: location, budget: budget)
    let long = index.add(.keys(EvidenceKeys(millis: 0, principalARN: String(repeating: "x", count: 3000))), at: location, budget: budget)
    #expect(short && !long)
    #expect(index.eventCount == 1 && !index.isComplete)
  }

  @Test("every alert's evidence through the index equals a full pass over the logs (chunked NDJSON, gzip envelope, ECS, escapes)")
  func indexMatchesScan() throws {
    let directory = try Self.mixedLogs()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let options = Self.options(directory)
    let report = try Detection.run(options)
    let index = try #require(report.evidenceIndex)
    // 12 hand-built records, 5 more in the NDJSON, 1 ECS document, 2 in the envelope.
    #expect(index.eventCount == 20 && index.isComplete)
    #expect(report.summary.evidenceIndex?.events == 20 && report.summary.evidenceIndex?.bytes == index.memoryBytes && report.summary.evidenceIndex?.complete == true)
    #expect(report.summary.render().contains("evidence index: 20 events"))
    #expect(!report.alerts.isEmpty)
    let (indexed, scanned) = try Self.bothWays(report.alerts, options, index)
    #expect(indexed == scanned)
    // Non-Lambda activity of the principal is evidence, with its place in the logs.
    let all = indexed.flatMap { $0 }
    for (action, place) in [("GetObject", "/trail.ndjson:14"), ("AssumeRole", "/ecs.ndjson:1"), ("DescribeInstances", ".json.gz#record 1"), ("Decrypt", "/trail.ndjson:17"), ("ListRoles", "/trail.ndjson:15")] {
      #expect(all.contains { $0.action == action && $0.location.hasSuffix(place) }, "\(action) at \(place): \(all.filter { $0.action == action }.map(\.location))")
    }
    // Outside every alert's 10-day window.
    #expect(!all.contains { $0.time.hasPrefix("2026-10-01") })
  }

  @Test("detection results do not depend on the index")
  func detectionUnchanged() throws {
    let directory = try Self.mixedLogs()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var plain = Self.options(directory)
    plain.evidenceIndexBudget = nil
    let with = try Detection.run(Self.options(directory))
    let without = try Detection.run(plain)
    #expect(with.alerts.map(\.uuid) == without.alerts.map(\.uuid))
    #expect(with.summary.skippedRecords == without.summary.skippedRecords && with.summary.eventsMapped == without.summary.eventsMapped)
    #expect(without.evidenceIndex == nil && without.summary.evidenceIndex == nil)
  }

  @Test("past its memory budget the index says so, and evidence falls back to reading the logs")
  func budget() throws {
    let directory = try Self.mixedLogs()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var options = Self.options(directory)
    options.evidenceIndexBudget = 600
    let report = try Detection.run(options)
    let index = try #require(report.evidenceIndex)
    #expect(index.eventCount > 0 && index.eventCount < 18 && !index.isComplete)
    #expect(report.summary.render().contains("evidence index: \(index.eventCount) events") && report.summary.render().contains("(full:"))
    let (indexed, scanned) = try Self.bothWays(report.alerts, options, index)
    #expect(indexed == scanned)
  }

  @Test("a reopened session builds the index on the first request; without its logs it names them")
  func reopened() throws {
    let directory = try Self.mixedLogs()
    let options = Self.options(directory)
    let alerts = try Detection.run(options).alerts
    let source = EvidenceSource(options: options, index: nil)
    guard case .success(let built) = source.events(for: alerts, keepDocuments: true),
      case .success(let scanned) = EvidenceCollector.collect(for: alerts, options: options, index: nil, keepDocuments: true)
    else { throw CancellationError() }
    #expect(built == scanned)
    try FileManager.default.removeItem(atPath: directory)
    let gone = EvidenceSource(options: options, index: nil)
    #expect(gone.events(for: alerts[0]) == .failure(.logsMissing([directory])))
  }

  @Test("on the Samples (S3 tree, envelopes, ECS exports) the index gives every alert the same evidence as a full pass")
  func samples() throws {
    var options = EvidenceSamplesTests.options()
    options.evidenceIndexBudget = EvidenceIndex.defaultBudgetBytes
    let report = try Detection.run(options)
    let index = try #require(report.evidenceIndex)
    #expect(index.eventCount > 100 && index.isComplete)
    let (indexed, scanned) = try Self.bothWays(report.alerts, options, index)
    #expect(indexed == scanned)
    #expect(indexed.allSatisfy { !$0.isEmpty })
  }
}
