import Foundation
import Testing
@testable import TriageCore

/// Feeds bytes in small chunks so records straddle buffer refills.
final class ChunkedMemorySource: ByteSource {
  let bytes: [UInt8]
  let chunk: Int
  var position = 0
  init(_ text: String, chunk: Int = 7) {
    bytes = Array(text.utf8)
    self.chunk = chunk
  }
  var bytesConsumed: Int64 { Int64(position) }
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let n = min(chunk, buffer.count, bytes.count - position)
    for i in 0..<n { buffer[i] = bytes[position + i] }
    position += n
    return n
  }
}

func split(_ text: String, chunk: Int = 7, maxRecordBytes: Int = 1 << 20) throws -> (records: [String], positions: [String], issues: [String]) {
  var splitter = RecordSplitter(source: ChunkedMemorySource(text, chunk: chunk), fileIndex: 0, path: "f", maxRecordBytes: maxRecordBytes)
  var records: [String] = [], positions: [String] = [], issues: [String] = []
  try splitter.forEach({ bytes, location in
    records.append(String(decoding: bytes, as: UTF8.self))
    positions.append(location.suffix)
  }, issue: { issues.append($0.description) })
  return (records, positions, issues)
}

@Suite("Record splitter")
struct RecordSplitterTests {
  @Test("expands a Records envelope, keeping each record's bytes verbatim")
  func envelope() throws {
    let result = try split(#"{"Records":[{"a":1} , {"b":"]}"}]}"#)
    #expect(result.records == [#"{"a":1}"#, #"{"b":"]}"}"#])
    #expect(result.positions == ["#record 1", "#record 2"])
    #expect(result.issues.isEmpty)
  }

  @Test("NDJSON: one record per line, a broken line costs one record")
  func ndjson() throws {
    let result = try split("{\"a\":1}\n{\"b\":\n{\"c\":3}\r\n\n{\"d\":4}")
    #expect(result.records == [#"{"a":1}"#, #"{"b":"#, #"{"c":3}"#, #"{"d":4}"#])
    #expect(result.positions == [":1", ":2", ":3", ":5"])
  }

  @Test("a pretty-printed single record and a JSON array")
  func prettyAndArray() throws {
    #expect(try split("{\n  \"a\": 1\n}\n").records == ["{\n  \"a\": 1\n}"])
    #expect(try split("[{\"a\":1},{\"b\":2}]").records == [#"{"a":1}"#, #"{"b":2}"#])
  }

  /// A line opening `{"e` is cut as a record without asking whether it opens an envelope; a
  /// `{"Records"` line, spaced or not, still does, and `{"R…` other keys are records.
  @Test("NDJSON lines among envelopes: each is a record or an envelope by its key, with its line")
  func envelopeLinesAmongRecords() throws {
    let text = "{\"eventName\":1}\n{\"Records\":[{\"b\":2},{\"c\":3}]}\n{\"Region\":4}\n{ \"Records\" : [{\"d\":5}]}\n{\"e\":6}\n"
    for chunk in [1, 3, 7, 64] {
      let result = try split(text, chunk: chunk)
      #expect(result.records == [#"{"eventName":1}"#, #"{"b":2}"#, #"{"c":3}"#, #"{"Region":4}"#, #"{"d":5}"#, #"{"e":6}"#], "chunk \(chunk)")
      #expect(result.positions == [":1", "#record 1", "#record 2", ":3", "#record 1", ":5"], "chunk \(chunk)")
      #expect(result.issues.isEmpty)
    }
  }

  @Test("envelope keys after Records are skipped; two envelopes in a row")
  func tail() throws {
    let result = try split(#"{"Records":[{"a":1}],"x":{"y":[1]}}{"Records":[{"b":2}]}"#)
    #expect(result.records == [#"{"a":1}"#, #"{"b":2}"#])
  }

  @Test("a record nested deeper than the parser's limit is still cut whole: the records after it are read")
  func deepRecordInEnvelope() throws {
    let deep = "{\"p\":" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "}"
    for chunk in [7, 4096] {
      let result = try split("{\"Records\":[{\"a\":1}," + deep + ",{\"b\":2}]}", chunk: chunk)
      #expect(result.records == [#"{"a":1}"#, deep, #"{"b":2}"#], "chunk \(chunk)")
      #expect(result.issues.isEmpty)
    }
  }

  @Test("a UTF-8 byte order mark at the start of a file is skipped, before an envelope or NDJSON")
  func byteOrderMark() throws {
    for chunk in [1, 2, 7, 64] {
      let envelope = try split("\u{FEFF}{\"Records\":[{\"a\":1},{\"b\":2}]}", chunk: chunk)
      #expect(envelope.records == [#"{"a":1}"#, #"{"b":2}"#] && envelope.issues.isEmpty, "chunk \(chunk)")
      let lines = try split("\u{FEFF}{\"a\":1}\n{\"b\":2}\n", chunk: chunk)
      #expect(lines.records == [#"{"a":1}"#, #"{"b":2}"#] && lines.issues.isEmpty && lines.positions == [":1", ":2"], "chunk \(chunk)")
    }
    // Elsewhere it is not skipped: the record it starts is reported.
    #expect(try split("{\"a\":1}\n\u{FEFF}{\"b\":2}\n").issues.count == 1)
  }

  @Test("a truncated envelope reports the cut record")
  func truncated() throws {
    let result = try split(#"{"Records":[{"a":1},{"b":"#)
    #expect(result.records == [#"{"a":1}"#])
    #expect(result.issues == ["f#record 2: record cut off by the end of the file (truncated)"])
  }

  @Test("garbage between records is reported with its line and skipped")
  func garbage() throws {
    let result = try split("{\"a\":1}\nhello\n{\"b\":2}\n")
    #expect(result.records == [#"{"a":1}"#, #"{"b":2}"#])
    #expect(result.issues == ["f:2: not a JSON object (starts with 'h')"])
  }

  @Test("records larger than the limit are an error, not unbounded memory")
  func tooLarge() {
    let big = "{\"a\":\"" + String(repeating: "x", count: 3_000_000) + "\"}"
    let limit = 2 * 1_048_576
    // Named by the line it starts on, at the top level; by its number inside an envelope.
    #expect(throws: InputError.recordTooLarge(path: "f", record: ":1", limitBytes: limit)) { try split(big, chunk: 1 << 16, maxRecordBytes: limit) }
    #expect(throws: InputError.recordTooLarge(path: "f", record: ":3", limitBytes: limit)) {
      try split("{\"a\":1}\n{\"b\":2}\n" + big, chunk: 1 << 16, maxRecordBytes: limit)
    }
    #expect(throws: InputError.recordTooLarge(path: "f", record: "#record 2", limitBytes: limit)) {
      try split(#"{"Records":[{"a":1},"# + big + "]}", chunk: 1 << 16, maxRecordBytes: limit)
    }
  }

  @Test("empty input yields nothing")
  func empty() throws {
    #expect(try split("").records.isEmpty)
    #expect(try split(" \n ").records.isEmpty)
  }
}

@Suite("Gzip reader")
struct GzipReaderTests {
  func gzip(_ text: String) throws -> [UInt8] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lt-gz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let file = dir.appendingPathComponent("x")
    try Data(text.utf8).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-n", file.path]
    try process.run()
    process.waitUntilExit()
    return Array(try Data(contentsOf: dir.appendingPathComponent("x.gz")))
  }

  func write(_ bytes: [UInt8]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lt-\(UUID().uuidString).bin").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  func readAll(_ path: String) throws -> [String] {
    var splitter = RecordSplitter(source: try ByteSourceOpener.open(path), fileIndex: 0, path: path)
    var out: [String] = []
    try splitter.forEach({ bytes, _ in out.append(String(decoding: bytes, as: UTF8.self)) }, issue: { _ in })
    return out
  }

  @Test("gzip is recognised by content, concatenated members are read")
  func members() throws {
    let one = try gzip(#"{"Records":[{"a":1}]}"#)
    let two = try gzip(#"{"Records":[{"b":2}]}"#)
    let path = try write(one + two)
    #expect(try readAll(path) == [#"{"a":1}"#, #"{"b":2}"#])
  }

  @Test("a truncated gzip keeps what came before and reports the cut")
  func truncated() throws {
    let records = (0..<2000).map { #"{"n":\#($0),"pad":"abcdefghijklmnopqrstuvwxyz"}"# }.joined(separator: "\n")
    let data = try gzip(records)
    let path = try write(Array(data[0..<(data.count / 2)]))
    var splitter = RecordSplitter(source: try ByteSourceOpener.open(path), fileIndex: 0, path: path)
    var count = 0
    #expect(throws: InputError.truncatedGzip(path: path)) {
      try splitter.forEach({ _, _ in count += 1 }, issue: { _ in })
    }
    #expect(count > 0)
  }

  @Test("a Records object whose gzip CRC is damaged delivers its records, then reports the damage")
  func damagedTrailer() throws {
    // The CRC is checked only after the last record, while the splitter looks for what follows.
    let a = #"{"a":1,"eventSource":"s3.amazonaws.com"}"#, b = #"{"b":2,"eventSource":"kms.amazonaws.com"}"#
    var data = try gzip(#"{"Records":["# + a + "," + b + "]}\n")
    data[data.count - 8] ^= 0xFF
    let path = try write(data)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var splitter = RecordSplitter(source: try ByteSourceOpener.open(path), fileIndex: 0, path: path)
    var records: [String] = []
    #expect(throws: InputError.corruptGzip(path: path, reason: "CRC mismatch: the data is damaged")) {
      try splitter.forEach({ bytes, _ in records.append(String(decoding: bytes, as: UTF8.self)) }, issue: { _ in })
    }
    #expect(records == [a, b])
  }

  /// Everything the streaming reader gives, read `chunk` bytes at a time, and the error it ends with.
  func stream(_ bytes: [UInt8], chunk: Int) throws -> (output: [UInt8], error: InputError?) {
    let path = try write(bytes)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let read = readToEnd(try GzipByteSource(upstream: try FileByteSource(path: path), path: path, limitBytes: 1 << 30), readSize: chunk)
    return (read.bytes, read.error)
  }

  @Test("the streaming reader gives back every member exactly, whatever the read size; zero padding and trailing bytes end it")
  func streamingMembers() throws {
    // Text that compresses (Huffman blocks), bytes that do not (stored blocks), and an empty member.
    var generator = SystemRandomNumberGenerator()
    let text = (0..<60_000).map { #"{"n":\#($0),"eventSource":"s\#($0 % 17).amazonaws.com"}"# }.joined(separator: "\n")
    let noise = String(decoding: (0..<400_000).map { _ in UInt8.random(in: 0x20...0x7e, using: &generator) }, as: UTF8.self)
    let members = [text, noise, "", "tail\n"]
    let packed = try members.flatMap { try gzip($0) }
    let expected = Array(members.joined().utf8)
    for chunk in [1, 7, 4096, 1 << 20] where chunk > 1 || expected.count < 2_000_000 {
      let read = try stream(packed + [0, 0, 0, 0], chunk: chunk)
      #expect(read.error == nil)
      #expect(read.output == expected, "read \(chunk) at a time")
    }
    #expect(try stream(packed + Array("not gzip".utf8), chunk: 65536).output == expected)
  }

  @Test("the streaming reader reports damage after delivering what came before it")
  func streamingDamage() throws {
    let text = (0..<20_000).map { #"{"n":\#($0)}"# }.joined(separator: "\n")
    let good = try gzip(text)
    // The CRC in the trailer.
    var badCRC = good
    badCRC[badCRC.count - 8] ^= 0xFF
    let crc = try stream(badCRC, chunk: 4096)
    #expect(crc.error == InputError.corruptGzip(path: crc.error.flatMap { if case .corruptGzip(let p, _) = $0 { p } else { nil } } ?? "", reason: "CRC mismatch: the data is damaged"))
    #expect(crc.output == Array(text.utf8))
    // Not gzip at all after the magic bytes.
    let header = try stream([0x1f, 0x8b, 0x09] + Array(repeating: 0, count: 40), chunk: 4096)
    #expect(header.output.isEmpty)
    if case .corruptGzip(_, let reason)? = header.error { #expect(reason == "not deflate-compressed") } else { Issue.record("\(String(describing: header.error))") }
    // Cut short: all that gzip itself recovers before the cut (small reads too: the inflater keeps
    // some output back while the caller's buffer is small), then the truncation.
    let short = Array(good[0..<(good.count * 2 / 3)])
    let recoverable = try gunzip(short)
    #expect(recoverable.count > text.utf8.count / 2)
    for chunk in [4096, 1 << 20] {
      let cut = try stream(short, chunk: chunk)
      if case .truncatedGzip? = cut.error {} else { Issue.record("\(String(describing: cut.error))") }
      #expect(cut.output == recoverable, "read \(chunk) at a time")
    }
  }

  /// What `gzip -dc` writes for `bytes` before it stops (on damage too).
  func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let path = try write(bytes)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Array(output)
  }

  @Test("output beyond the per-file cap stops with a gzip-bomb error")
  func bomb() throws {
    let data = try gzip(String(repeating: " ", count: 4_000_000))
    let path = try write(data)
    let source = try GzipByteSource(upstream: try FileByteSource(path: path), path: path, limitBytes: 1_000_000)
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
    defer { buffer.deallocate() }
    #expect(throws: InputError.gzipBomb(path: path, limitBytes: 1_000_000)) {
      while try source.read(into: buffer) > 0 {}
    }
  }
}

@Suite("Record pre-filter")
struct RecordPrefilterTests {
  func may(_ text: String) -> Bool {
    Array(text.utf8).withUnsafeBufferPointer { RecordPrefilter.mayMatchRules($0) }
  }

  @Test("Lambda records are parsed only when their eventName starts like an action the rules test")
  func actions() {
    #expect(may(#"{"eventSource":"lambda.amazonaws.com","eventName":"CreateFunctionUrlConfig20211031"}"#))
    #expect(may(#"{"eventSource":"lambda.amazonaws.com","eventName":"createfunctionurlconfig20211031"}"#))
    #expect(may(#"{"eventSource":"lambda.amazonaws.com","eventName": "UpdateFunctionUrlConfig20211031"}"#))
    #expect(may(#"{"eventSource":"lambda.amazonaws.com","eventName":"InvokeAsync"}"#))
    #expect(!may(#"{"eventSource":"lambda.amazonaws.com","eventName":"GetFunction20150331v2"}"#))
    #expect(!may(#"{"eventSource":"lambda.amazonaws.com","eventName":"Inv"}"#))
    // Not plainly readable: left to the parser.
    #expect(may(#"{"eventSource":"lambda.amazonaws.com","eventName":"Invoke"}"#))
    #expect(may(#"{"eventSource":"lambda.amazonaws.com","eventName":7}"#))
    #expect(may(#"{"eventSource":"lambda.amazonaws.com"}"#))
  }

  @Test("skips only records that cannot concern the rules")
  func verdicts() {
    #expect(may(#"{"eventSource":"lambda.amazonaws.com","eventName":"Invoke"}"#))
    #expect(may(#"{"eventSource" : "lambda.amazonaws.com"}"#))
    #expect(!may(#"{"eventSource":"s3.amazonaws.com","requestParameters":{"key":"lambda.amazonaws.com"}}"#))
    #expect(may(#"{"eventSource":"lambda\u002eamazonaws.com"}"#))
    #expect(may(#"{"event":{"provider":"lambda.amazonaws.com"}}"#))
    #expect(may(#"{"kibana.alert.rule.name":"x"}"#))
    #expect(!may(#"{"event":{"provider":"s3.amazonaws.com"}}"#))
  }

  @Test("a skipped record's time: eventTime at its first occurrence, else @timestamp, in any key order")
  func skippedTimes() {
    func verdict(_ text: String) -> RecordPrefilter.Verdict {
      Array(text.utf8).withUnsafeBufferPointer { RecordPrefilter.verdict($0) }
    }
    let t = Timestamp.parseMillis("2026-11-01T00:00:27Z")
    #expect(verdict(#"{"eventTime":"2026-11-01T00:00:27Z","eventSource":"s3.amazonaws.com"}"#).time == t)
    #expect(verdict(#"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2026-11-01T00:00:27Z"}"#).time == t)
    #expect(verdict(#"{"eventSource":"s3.amazonaws.com","eventTime":"bad","@timestamp":"2026-11-01T00:00:27Z"}"#).time == t)
    #expect(verdict(#"{"eventTime":"2026-11-01T00:00:27Z","eventSource":"lambda.amazonaws.com","eventName":"GetFunction"}"#).time == t)
    #expect(verdict(#"{"eventSource":"lambda.amazonaws.com","eventName":"GetFunction","eventTime":"2026-11-01T00:00:27Z"}"#).time == t)
    #expect(verdict(#"{"eventTime":"2026-11-01T00:00:27Z","eventTime":"2027-01-01T00:00:00Z","eventSource":"s3"}"#).time == t)
    #expect(verdict(#"{"eventSource":"s3.amazonaws.com"}"#).time == nil)
  }

  /// The pre-filter's one pass against separate first-occurrence searches for each key (what it
  /// replaced), on records whose keys, values and order are shuffled and cut, and moved along by a
  /// filler member so that each key lands at every offset in and across the 16- and 32-byte steps
  /// of the key scan and in its byte-by-byte tail. The records' times go through one stream, as in
  /// a scan.
  @Test("the one-pass verdict equals separate searches for each key, on shuffled and cut records")
  func agreesWithSeparateSearches() {
    let parts = [#""eventTime":"2026-11-01T00:00:27Z""#, #""eventTime":"x""#, #""eventSource":"lambda.amazonaws.com""#,
                 #""eventSource":"s3.amazonaws.com""#, #""eventSource":7"#, #""eventName":"Invoke""#, #""eventName":"GetFunction""#,
                 #""eventName":"UpdateFunctionUrlConfig""#, #""@timestamp":"2026-11-02T00:00:00Z""#, #""eventVersion":"1.09""#,
                 #""userIdentity":{"eventName":"Invoke","type":"Root"}"#, #""kibana.alert.uuid":"u""#, #""note":"lambda.amazonaws.com""#,
                 #""eventSourceX":"s3""#, #""event":{"action":"Invoke"}"#, #""eventTime":"2026-11-01T00:00:59.5+01:00""#,
                 #""eventTime":"2026-11-01T00:01:02Z""#, #""eventTime":"2026-11-01T00:00:61Z""#, #""eventVersion":"1.08","eventTime":"2026-11-02T00:00:27Z""#]
    var rng = SplitMix(seed: 11)
    var times = TimestampStream()
    for _ in 0..<4000 {
      var chosen: [String] = []
      for _ in 0..<Int(rng.next() % 6) { chosen.append(parts[Int(rng.next() % UInt64(parts.count))]) }
      if rng.next() % 2 == 0 { chosen.insert(#""pad":""# + String(repeating: "e", count: Int(rng.next() % 70)) + "\"", at: 0) }
      var text = "{" + chosen.joined(separator: ",") + "}"
      if rng.next() % 5 == 0 { text = String(text.prefix(Int(rng.next() % UInt64(text.count + 1)))) }
      let got = Array(text.utf8).withUnsafeBufferPointer { RecordPrefilter.verdict($0, times: &times) }
      let expected = Self.separateSearches(text)
      #expect(got.skip == expected.skip, "\(text)")
      if got.skip { #expect(got.time == expected.time, "\(text)") }
    }
  }

  private static func separateSearches(_ text: String) -> (skip: Bool, time: Int64?) {
    func value(after key: String) -> (found: Bool, plain: String?) {
      guard let range = text.range(of: key) else { return (false, nil) }
      var rest = Substring(text[range.upperBound...])
      rest = rest.drop { $0 == " " || $0 == "\t" }
      guard rest.first == ":" else { return (true, nil) }
      rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
      guard rest.first == "\"" else { return (true, nil) }
      rest = rest.dropFirst()
      guard let end = rest.firstIndex(where: { $0 == "\"" || $0 == "\\" }), rest[end] == "\"" else { return (true, nil) }
      return (true, String(rest[..<end]))
    }
    func time(after key: String) -> Int64? {
      guard let range = text.range(of: key) else { return nil }
      let rest = text[range.upperBound...].drop { $0 == " " || $0 == ":" }
      guard rest.first == "\"" else { return nil }
      return Timestamp.parseMillis(String(rest.dropFirst().prefix { $0 != "\"" }.prefix(40)))
    }
    let skippedTime = time(after: #""eventTime""#) ?? time(after: #""@timestamp""#)
    let source = value(after: #""eventSource""#)
    if let plain = source.plain {
      guard plain == "lambda.amazonaws.com" else { return (true, skippedTime) }
      guard let action = value(after: #""eventName""#).plain else { return (false, nil) }
      let lower = action.lowercased()
      let ruleAction = ["createfunctionurlconfig", "updatefunctionurlconfig", "invoke"].contains { lower.hasPrefix($0) }
      return ruleAction ? (false, nil) : (true, skippedTime)
    }
    let substrings = ["lambda.amazonaws.com", "\"kibana", "\\u", "\"hits\""].contains { text.contains($0) }
    return substrings ? (false, nil) : (true, skippedTime)
  }
}
