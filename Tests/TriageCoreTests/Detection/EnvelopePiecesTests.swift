import Foundation
import Synchronization
import Testing
@testable import TriageCore

/// A large `{"Records":[...]}` file is read in pieces cut at guessed record boundaries; whatever
/// the guesses, the run must equal one scanner reading the file from the start.
@Suite("Records files read in pieces")
struct EnvelopePiecesTests {
  static func record(_ i: Int, source: String = "lambda.amazonaws.com", name: String, parameters: String, time: String? = nil) -> String {
    let minute = String(format: "%02d", i % 60)
    let eventTime = time ?? "2026-11-05T1\(i / 60 % 10):\(minute):00Z"
    return #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/u\#(i % 7)","accountId":"111122223333","accessKeyId":"AKIAEXAMPLE\#(i % 5)","userName":"u\#(i % 7)"},"eventTime":"\#(eventTime)","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.\#(i % 9)","userAgent":"aws-cli/2.17","requestParameters":\#(parameters),"responseElements":null,"eventID":"e\#(i)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
  }

  /// Public function URLs, every third record, among S3 reads; `decoys` gives each S3 read a
  /// nested object that starts like a record, so some cuts land inside records.
  static func records(_ count: Int, decoys: Bool = false, brokenTimeAt: Set<Int> = []) -> [String] {
    (0..<count).map { i in
      if i % 3 == 0 {
        return record(i, name: "CreateFunctionUrlConfig20211031", parameters: #"{"functionName":"f\#(i)","authType":"NONE"}"#, time: brokenTimeAt.contains(i) ? "yesterday" : nil)
      }
      let items = decoys ? #"{"items":[{"a":1},{"eventVersion":"decoy","b":[1,{"c":"},{\"eventVersion\""}]}]}"# : #"{"bucketName":"b\#(i)"}"#
      return record(i, source: "s3.amazonaws.com", name: "GetObject", parameters: items)
    }
  }

  static func write(_ text: String, name: String) throws -> String {
    let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString).json"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  static func run(_ path: String, pieces: Bool, index: Bool = false) throws -> DetectionReport {
    var options = DetectionOptions.isolated(path)
    options.workers = pieces ? 4 : 1
    options.parallelChunkBytes = pieces ? 4096 : 1 << 40
    if index { options.evidenceIndexBudget = EvidenceIndex.defaultBudgetBytes }
    return try Detection.run(options)
  }

  /// Reads each planned piece alone: whether every cut held (else the run would fall back to
  /// reading the file whole, which would hide a wrong cut), and the records the pieces cut.
  static func piecesHold(_ path: String) throws -> Int? {
    var total = 0
    for unit in ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 4096) {
      guard let range = unit.range else { return nil }
      var splitter = RecordSplitter(
        source: try FileRangeByteSource(path: path, range: range), fileIndex: 0, path: path, baseOffset: range.lowerBound,
        envelopeChunk: unit.envelope)
      var records = 0
      try splitter.forEach({ _, _ in records += 1 }, issue: { _ in })
      guard splitter.boundaryHeld else { return nil }
      total += records
    }
    return total
  }

  static func expectSame(_ one: DetectionReport, _ many: DetectionReport) {
    #expect(one.alerts.map(\.uuid) == many.alerts.map(\.uuid))
    #expect(one.alerts.map { $0.string("lambda_triage.source.position") } == many.alerts.map { $0.string("lambda_triage.source.position") })
    #expect(one.summary.issues.map(\.description) == many.summary.issues.map(\.description))
    #expect(one.summary.records == many.summary.records)
    #expect(one.summary.badRecords == many.summary.badRecords)
    #expect(one.summary.bytes == many.summary.bytes)
  }

  @Test("a Records file or a JSON array cut into pieces gives the same alerts, record numbers and issues as one scanner",
        arguments: [EnvelopeChunk.Container.records, .array])
  func piecesEqualSequential(container: EnvelopeChunk.Container) throws {
    let records = Self.records(900, brokenTimeAt: [3, 450, 897]).joined(separator: container == .records ? "," : ",\n  ")
    let text = container == .records ? "{\"Records\":[" + records + "]}\n" : "[\n  " + records + "\n]\n"
    let path = try Self.write(text, name: "lt-env")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let units = ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 4096)
    #expect(units.count > 8)
    #expect(units.first?.envelope == EnvelopeChunk(.first, in: container) && units.last?.envelope?.part == .last)
    #expect(units.dropFirst().dropLast().allSatisfy { $0.envelope?.part == .middle })
    #expect(try Self.piecesHold(path) == 900)
    let one = try Self.run(path, pieces: false)
    let many = try Self.run(path, pieces: true)
    Self.expectSame(one, many)
    #expect(one.alerts.count == 297)
    #expect(one.summary.records == 900)
    #expect(one.summary.issues.map(\.position) == ["#record 4", "#record 451", "#record 898"])
    #expect(many.alerts.last?.string("lambda_triage.source.position") == one.alerts.last?.string("lambda_triage.source.position"))
  }

  @Test("the evidence index built from pieces files every record at its number in the file")
  func indexPositions() throws {
    let path = try Self.write("{\"Records\":[" + Self.records(600).joined(separator: ",") + "]}", name: "lt-env-index")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let one = try #require(try Self.run(path, pieces: false, index: true).evidenceIndex)
    let many = try #require(try Self.run(path, pieces: true, index: true).evidenceIndex)
    #expect(one.rows.count == 600)
    #expect(one.rows.map(\.position) == many.rows.map(\.position))
    #expect(one.rows.map(\.offset) == many.rows.map(\.offset))
    #expect(many.rows.map(\.position) == (1...600).map { -Int32($0) })
  }

  @Test("cuts that land inside a record (a nested object starting like one) are caught and the file is read whole")
  func decoyCuts() throws {
    let text = "{\"Records\":[" + Self.records(900, decoys: true, brokenTimeAt: [600]).joined(separator: ",") + "]}"
    let path = try Self.write(text, name: "lt-env-decoy")
    defer { try? FileManager.default.removeItem(atPath: path) }
    // Some cuts are decoys: not the start of a record.
    let bytes = Array(text.utf8)
    let cuts = ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 4096).dropFirst().compactMap { $0.range?.lowerBound }
    let decoys = cuts.filter { cut in !bytes[Int(cut)...].starts(with: Array(#"{"eventVersion":"1.09""#.utf8)) }
    #expect(!decoys.isEmpty && decoys.count < cuts.count)
    let one = try Self.run(path, pieces: false)
    var options = DetectionOptions.isolated(path)
    options.workers = 4
    options.parallelChunkBytes = 4096
    // The progress counts the file's records once: the pieces' counts give way to the whole reading.
    let last = Mutex<DetectionProgress?>(nil)
    let many = try Detection.run(options, progress: { snapshot in last.withLock { $0 = snapshot } })
    Self.expectSame(one, many)
    #expect(one.alerts.count == 299)
    #expect(one.summary.issues.map(\.position) == ["#record 601"])
    let final = try #require(last.withLock { $0 })
    #expect(final.records == 900)
    #expect(final.bytes == one.summary.bytes)
    #expect(final.matches == 299)
    // And the index, which takes its parts only once the cuts held.
    let indexOne = try #require(try Self.run(path, pieces: false, index: true).evidenceIndex)
    let indexMany = try #require(try Self.run(path, pieces: true, index: true).evidenceIndex)
    #expect(indexOne.rows.map(\.position) == indexMany.rows.map(\.position))
  }

  @Test("concatenated envelopes (cat of S3 objects) are read in pieces, each numbering its records from 1")
  func severalEnvelopes() throws {
    // Two halves; a small second envelope inside the last piece; 60 objects of 10 with and without
    // line breaks between them, as `cat` and `zcat` of an S3 tree make.
    let records = Self.records(600, brokenTimeAt: [150, 453, 597])
    let halves = "{\"Records\":[" + records[..<300].joined(separator: ",") + "]}\n{\"Records\":[" + records[300...].joined(separator: ",") + "]}\n"
    let smallLast = "{\"Records\":[" + records[..<597].joined(separator: ",") + "]}\n{\"Records\":[" + records[597...].joined(separator: ",") + "]}\n"
    let objects = stride(from: 0, to: 600, by: 10).map { "{\"Records\":[" + records[$0..<($0 + 10)].joined(separator: ",") + "]}" }
    for (text, expected) in [
      (halves, ["#record 151", "#record 154", "#record 298"]), (smallLast, ["#record 151", "#record 454", "#record 1"]),
      (objects.joined(separator: "\n") + "\n", ["#record 1", "#record 4", "#record 8"]), (objects.joined(), ["#record 1", "#record 4", "#record 8"]),
    ] {
      let path = try Self.write(text, name: "lt-env-many")
      defer { try? FileManager.default.removeItem(atPath: path) }
      #expect(try Self.piecesHold(path) == 600)
      let one = try Self.run(path, pieces: false)
      let many = try Self.run(path, pieces: true)
      Self.expectSame(one, many)
      #expect(one.summary.issues.map(\.position) == expected)
    }
  }

  @Test("records outside the envelopes in a later piece are cut as one scanner cuts them")
  func recordsBetweenEnvelopes() throws {
    // The first record outside an envelope spans lines, so one scanner does not cut the later ones
    // at line ends; a piece that starts in the second envelope would, seeing only the last two.
    let records = Self.records(600)
    let pretty = Self.record(9001, name: "GetFunction", parameters: "{}").replacingOccurrences(of: ",\"", with: ",\n  \"")
    let broken = #"{"eventVersion":"1.09","eventSource":"lambda.amazonaws.com" broken"#
    let text = "{\"Records\":[" + records[..<300].joined(separator: ",") + "]}\n" + pretty + "\n{\"Records\":["
      + records[300...].joined(separator: ",") + "]}\n" + Self.record(9002, name: "GetFunction", parameters: "{}") + "\n" + broken + "\n"
    let path = try Self.write(text, name: "lt-env-between")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try Self.piecesHold(path) == nil)
    let one = try Self.run(path, pieces: false)
    let many = try Self.run(path, pieces: true)
    Self.expectSame(one, many)
    #expect(one.summary.issues.count == 1)
  }

  @Test("hostile mixes of containers, decoys, escapes, loose records and cuts read the same in pieces as by one scanner")
  func randomMixes() throws {
    var random = SplitMix(seed: 0x5EED_1417)
    func pick(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
    let blanks = ["", "", " ", "\n", " \n  "]
    var held = 0
    for round in 0..<24 {
      // A quarter of the files each: plain, with a broken record, with records between containers, cut short.
      let (broken, loose, cut) = (round % 4 == 1, round % 4 == 2, round % 4 == 3)
      // Nested objects that start like records, in the second half.
      let decoys = round >= 12
      var parts: [String] = []
      var index = 0
      func record() -> String {
        index += 1
        switch pick(8) {
        case 0 where decoys: return Self.record(index, source: "s3.amazonaws.com", name: "GetObject", parameters: #"{"a":[{"b":1},{"eventVersion":"x","c":[{"eventVersion":"y"}]}]}"#)
        case 1: return Self.record(index, source: "s3.amazonaws.com", name: "GetObject", parameters: #"{"k":"q\\\",{\"eventVersion\":\"1.09\"}, ],}\\"}"#)
        case 2: return Self.record(index, name: "Invoke", parameters: #"{"functionName":"f"}"#, time: pick(4) == 0 ? "never" : nil)
        case 3: return broken && pick(100) == 0 ? #"{"eventVersion":"1.09","eventSource":"lambda.amazonaws.com" oops}"# : Self.record(index, name: "GetFunction", parameters: "{}")
        default: return Self.record(index, name: "CreateFunctionUrlConfig20211031", parameters: #"{"functionName":"f\#(index)","authType":"NONE"}"#)
        }
      }
      for _ in 0..<(2 + pick(5)) {
        let count = 1 + pick(200)
        let items = (0..<count).map { _ in record() }.joined(separator: "," + blanks[pick(blanks.count)])
        switch pick(6) {
        case 0: parts.append("[" + items + "]")
        case 1: parts.append(loose ? record() : "{\"Records\":[" + items + "]}")
        default: parts.append("{\"Records\":[" + items + "]}")
        }
      }
      var text = "{\"Records\":[" + (0..<150).map { _ in record() }.joined(separator: ",") + "]}" + blanks[pick(blanks.count)]
      text += parts.map { $0 + blanks[pick(blanks.count)] }.joined()
      if cut { text = String(decoding: text.utf8.prefix(text.utf8.count - 1 - pick(3000)), as: UTF8.self) }
      let path = try Self.write(text, name: "lt-env-mix")
      defer { try? FileManager.default.removeItem(atPath: path) }
      if try Self.piecesHold(path) != nil { held += 1 }
      let one = try Self.run(path, pieces: false)
      let many = try Self.run(path, pieces: true)
      Self.expectSame(one, many)
      #expect(one.alerts.map { $0.string("event.id") } == many.alerts.map { $0.string("event.id") }, "round \(round)")
    }
    // Both outcomes occur: most files are read in pieces, some fall back.
    #expect(held > 0 && held < 24)
  }

  @Test("a file that only looks like an envelope at first is read as one scanner reads it")
  func notAnEnvelope() throws {
    // The key has a space: the first line is a record, and an array follows, then one more record.
    let records = Self.records(601)
    let text = "{\"Records \":[]}\n[" + records[..<600].joined(separator: ",") + "]\n" + records[600] + "\n"
    let path = try Self.write(text, name: "lt-env-fake")
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 4096).count > 8)
    #expect(try Self.piecesHold(path) == nil)
    let one = try Self.run(path, pieces: false)
    let many = try Self.run(path, pieces: true)
    Self.expectSame(one, many)
    #expect(one.alerts.count == 201)
  }

  @Test("a record nested too deep in a Records file is reported as such and the records after it still alert")
  func deepRecord() throws {
    let deep = #"{"functionName":"deep","authType":"NONE","x":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}"
    let records = [
      Self.record(0, name: "CreateFunctionUrlConfig20211031", parameters: #"{"functionName":"before","authType":"NONE"}"#),
      Self.record(1, name: "CreateFunctionUrlConfig20211031", parameters: deep),
      Self.record(2, name: "CreateFunctionUrlConfig20211031", parameters: #"{"functionName":"after","authType":"NONE"}"#),
    ]
    let path = try Self.write("{\"Records\":[" + records.joined(separator: ",") + "]}", name: "lt-env-deep")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let report = try Self.run(path, pieces: false)
    #expect(report.alerts.map { $0.string("event.id") } == ["e0", "e2"])
    #expect(report.summary.records == 3)
    #expect(report.summary.issues.count == 1)
    #expect(report.summary.issues.first?.description.hasPrefix("\(path)#record 2: invalid JSON: nested deeper than 200 levels") == true)
  }

  @Test("a piece that cannot be opened (the file went away after planning) does not count as held")
  func unopenablePiece() throws {
    let path = try Self.write("{\"Records\":[" + Self.records(600).joined(separator: ",") + "]}", name: "lt-env-gone")
    let units = ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 4096)
    #expect(units.count > 8)
    try FileManager.default.removeItem(atPath: path)
    let setup = try StandardPipeline.make(for: DetectionOptions.isolated(path))
    let reader = EventReader(files: [InputFile(path: path)], pipeline: setup.pipeline, prefilter: true, maxListedIssues: 10)
    var summary = DetectionSummary()
    var sequence = 0
    let extent = try reader.scan(units[1], summary: &summary, sequence: &sequence, isCancelled: nil, progress: nil, onEvent: { _ in }, onAlert: { _, _ in })
    #expect(!extent.boundaryHeld)
    #expect(summary.fileErrors.count == 1)
  }

  @Test("a Records file or array cut off after a record or a comma is reported as truncated, in pieces or not")
  func truncated() throws {
    for (opening, container) in [("{\"Records\":[", "Records"), ("[", "JSON")] {
      for tail in ["", ",", ", \n"] {
        let path = try Self.write(opening + Self.records(300).joined(separator: ",") + tail, name: "lt-env-cut")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(ParallelScan.plan([InputFile(path: path)], workers: 4, threshold: 4096).count > 8)
        let one = try Self.run(path, pieces: false)
        let many = try Self.run(path, pieces: true)
        Self.expectSame(one, many)
        #expect(one.summary.issues.map(\.description) == ["\(path)#record 301: file ends inside the \(container) array (truncated)"], "tail \(tail.debugDescription)")
        #expect(one.alerts.count == 100)
      }
    }
  }
}
