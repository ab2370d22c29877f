import Foundation
import Testing
@testable import TriageCore

@Suite("Reading records back by location")
struct RecordFetcherTests {
  private let files = GzipReaderTests()

  /// Every record of a file with its location, as the scan cuts it; and the error that ended it.
  private func scan(_ path: String) -> (records: [(bytes: [UInt8], location: RecordLocation)], error: Error?) {
    var records: [(bytes: [UInt8], location: RecordLocation)] = []
    do {
      var splitter = RecordSplitter(source: try ByteSourceOpener.open(path), fileIndex: 0, path: path)
      try splitter.forEach({ bytes, location in records.append((Array(bytes), location)) }, issue: { _ in })
    } catch {
      return (records, error)
    }
    return (records, nil)
  }

  private let lines = (0..<4000).map { #"{"eventName":"Invoke","n":\#($0),"pad":"abcdefghijklmnopqrstuvwxyz0123456789"}"# }

  @Test("records of a plain and of a gzip file come back byte for byte by the locations the scan gave")
  func byLocation() throws {
    let text = lines.joined(separator: "\n") + "\n"
    for bytes in [Array(text.utf8), try files.gzip(text)] {
      let path = try files.write(bytes)
      defer { unlink(path) }
      let scanned = scan(path)
      #expect(scanned.error == nil)
      let chosen = [scanned.records[3999], scanned.records[7], scanned.records[2500]]
      let fetched = try RecordFetcher.fetch(path: path, locations: chosen.map(\.location))
      #expect(fetched.count == 3)
      for record in chosen { #expect(fetched[record.location] == record.bytes) }
      var order: [Int64] = []
      try RecordFetcher.forEach(path: path, locations: chosen.map(\.location)) { _, location in order.append(location.offset) }
      #expect(order == chosen.map(\.location.offset).sorted())
    }
  }

  @Test("a record before the damaged tail of a gzip file is read back; the damage is not its concern")
  func beforeDamage() throws {
    let data = try files.gzip(lines.joined(separator: "\n"))
    let path = try files.write(Array(data[0..<(data.count * 6 / 10)]))
    defer { unlink(path) }
    let scanned = scan(path)
    #expect(scanned.error as? InputError == .truncatedGzip(path: path))
    let early = try #require(scanned.records.first { $0.bytes.count > 10 && String(decoding: $0.bytes, as: UTF8.self).contains(#""n":100,"#) })
    #expect(try RecordFetcher.fetch(path: path, locations: [early.location]) == [early.location: early.bytes])
    // A record no longer in the file (past the cut) still reports the damage.
    let missing = RecordLocation(fileIndex: 0, offset: 1 << 40, length: 10, line: 1, recordIndex: 0)
    #expect(throws: InputError.truncatedGzip(path: path)) { try RecordFetcher.fetch(path: path, locations: [missing]) }
  }
}
