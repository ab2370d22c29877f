import CZlib
import Foundation

/// An iptoasn.com-style table (`range_start \t range_end \t AS_number \t country_code \t
/// AS_description`), IPv4 and IPv6 rows in one file or spread over several, gzip or plain.
/// Rows with AS number 0 or the description "Not routed" say the range has no ASN and are not
/// kept, so lookups there answer nil like an unknown address.
public struct IP2ASNTable: ASNLookup {
  public let paths: [String]
  /// The newest modification date of the files (`YYYY-MM-DD`), or nil when unknown: the format
  /// carries no build date of its own.
  public let modificationDate: String?
  private var ipv4 = IPRangeTable<UInt32>()
  private var ipv6 = IPRangeTable<UInt128>()
  private var names: [UInt8] = []

  /// Loads one or more files; rows from all of them form one table.
  public init(paths: [String]) throws(EnrichmentError) {
    self.paths = paths
    var newest: Date?
    for path in paths {
      if let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date {
        newest = max(newest ?? date, date)
      }
    }
    modificationDate = newest.flatMap { MaxMindMetadata.isoDate(epochSeconds: UInt64(max(0, $0.timeIntervalSince1970))) }
    for (fileIndex, path) in paths.enumerated() {
      let bytes = try Self.readFile(path)
      // withUnsafeBytes only rethrows untyped errors, so the typed one is carried out by hand.
      var failure: EnrichmentError?
      bytes.withUnsafeBytes { raw in
        do throws(EnrichmentError) { try parse(raw, fileIndex: fileIndex) } catch { failure = error }
      }
      if let failure { throw failure }
    }
    try finish()
  }

  public init(path: String) throws(EnrichmentError) {
    try self.init(paths: [path])
  }

  /// Parses in-memory text; `path` is only used in error messages.
  public init(contents: String, path: String) throws(EnrichmentError) {
    paths = [path]
    modificationDate = nil
    var text = contents
    var failure: EnrichmentError?
    text.withUTF8 { buffer in
      do throws(EnrichmentError) { try parse(UnsafeRawBufferPointer(buffer), fileIndex: 0) } catch { failure = error }
    }
    if let failure { throw failure }
    try finish()
  }

  public var rangeCount: (ipv4: Int, ipv6: Int) { (ipv4.count, ipv6.count) }

  public var databaseDescription: String {
    "\(paths.joined(separator: ", ")) (ip2asn TSV, \(ipv4.count) IPv4 + \(ipv6.count) IPv6 ranges, modified \(modificationDate ?? "unknown"))"
  }

  /// IPv4 and IPv4-mapped IPv6 addresses are answered from the IPv4 rows first; the IPv6 rows
  /// are still consulted at `::ffff:a.b.c.d` in case a file lists IPv4 space in mapped form.
  public func asn(for address: String) -> ASNInfo? {
    guard let ip = IPAddress(address) else { return nil }
    if let v4 = ip.ipv4Equivalent, let index = ipv4.index(containing: v4) {
      return info(number: ipv4.numbers[index], offset: ipv4.nameOffsets[index], length: ipv4.nameLengths[index])
    }
    if let index = ipv6.index(containing: ip.ipv6Equivalent) {
      return info(number: ipv6.numbers[index], offset: ipv6.nameOffsets[index], length: ipv6.nameLengths[index])
    }
    return nil
  }

  private func info(number: UInt32, offset: UInt32, length: UInt32) -> ASNInfo {
    let name = length == 0 ? nil : String(decoding: names[Int(offset)..<Int(offset + length)], as: UTF8.self)
    return ASNInfo(number: Int(number), organization: name)
  }

  /// gzread passes plain files through unchanged, so one reader serves `.tsv` and `.tsv.gz`
  /// whatever the name says.
  static func readFile(_ path: String) throws(EnrichmentError) -> [UInt8] {
    guard let file = gzopen(path, "rb") else {
      throw .unreadable(path: path, message: String(cString: strerror(errno)))
    }
    defer { gzclose(file) }
    var bytes: [UInt8] = []
    let chunk = 1 << 20
    while true {
      let before = bytes.count
      bytes.reserveCapacity(before + chunk)
      var readCount: Int32 = 0
      bytes.append(contentsOf: repeatElement(0, count: chunk))
      bytes.withUnsafeMutableBytes { raw in
        readCount = gzread(file, raw.baseAddress! + before, UInt32(chunk))
      }
      bytes.removeLast(chunk - Int(max(readCount, 0)))
      if readCount < 0 || readCount == 0 { break }
    }
    var status: Int32 = Z_OK
    let message = String(cString: gzerror(file, &status))
    // A truncated .gz reads as a short file with Z_BUF_ERROR; loading half a table would make
    // ASNs silently disappear, so it is an error.
    guard status == Z_OK || status == Z_STREAM_END else {
      throw .unreadable(path: path, message: message.isEmpty ? "read error \(status)" : message)
    }
    return bytes
  }

  private mutating func parse(_ bytes: UnsafeRawBufferPointer, fileIndex: Int) throws(EnrichmentError) {
    let path = paths[fileIndex]
    var lineNumber = 0
    var lineStart = 0
    while lineStart < bytes.count {
      lineNumber += 1
      var lineEnd = lineStart
      while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
      let next = lineEnd + 1
      if lineEnd > lineStart && bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
      defer { lineStart = next }
      if lineEnd == lineStart || bytes[lineStart] == UInt8(ascii: "#") { continue }
      let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
      try parseRow(line, path: path, fileIndex: fileIndex, lineNumber: lineNumber)
    }
  }

  private mutating func parseRow(_ line: UnsafeRawBufferPointer, path: String, fileIndex: Int, lineNumber: Int) throws(EnrichmentError) {
    // The first four fields end at a tab; the description is the rest of the line.
    var fieldBounds: [Range<Int>] = []
    fieldBounds.reserveCapacity(5)
    var fieldStart = 0
    var cursor = 0
    while cursor < line.count && fieldBounds.count < 4 {
      if line[cursor] == UInt8(ascii: "\t") {
        fieldBounds.append(fieldStart..<cursor)
        fieldStart = cursor + 1
      }
      cursor += 1
    }
    fieldBounds.append(fieldStart..<line.count)
    func fail(_ reason: String) -> EnrichmentError { .malformedRow(path: path, line: lineNumber, reason: reason) }
    func text(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self) }
    guard fieldBounds.count == 5 else {
      throw fail("expected 5 tab-separated fields (range_start, range_end, AS_number, country_code, AS_description), found \(fieldBounds.count)")
    }
    guard let start = IPAddress.parse(UnsafeRawBufferPointer(rebasing: line[fieldBounds[0]])) else {
      throw fail("range start \"\(text(fieldBounds[0]))\" is not an IP address")
    }
    guard let end = IPAddress.parse(UnsafeRawBufferPointer(rebasing: line[fieldBounds[1]])) else {
      throw fail("range end \"\(text(fieldBounds[1]))\" is not an IP address")
    }
    var number: UInt64 = 0
    let numberField = UnsafeRawBufferPointer(rebasing: line[fieldBounds[2]])
    guard !numberField.isEmpty, numberField.count <= 10 else {
      throw fail("AS number \"\(text(fieldBounds[2]))\" is not a 32-bit decimal number")
    }
    for byte in numberField {
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else {
        throw fail("AS number \"\(text(fieldBounds[2]))\" is not a 32-bit decimal number")
      }
      number = number * 10 + UInt64(byte - UInt8(ascii: "0"))
    }
    guard number <= UInt64(UInt32.max) else {
      throw fail("AS number \"\(text(fieldBounds[2]))\" is not a 32-bit decimal number")
    }
    let description = UnsafeRawBufferPointer(rebasing: line[fieldBounds[4]])
    switch (start, end) {
    case (.v4(let low), .v4(let high)):
      guard low <= high else { throw fail("range start \(start) is after range end \(end)") }
      guard Self.isRouted(number: number, description: description) else { return }
      let (offset, length) = storeName(description)
      ipv4.append(start: low, end: high, number: UInt32(number), nameOffset: offset, nameLength: length,
                  file: fileIndex, line: lineNumber)
    case (.v6(let low), .v6(let high)):
      guard low <= high else { throw fail("range start \(start) is after range end \(end)") }
      guard Self.isRouted(number: number, description: description) else { return }
      let (offset, length) = storeName(description)
      ipv6.append(start: low, end: high, number: UInt32(number), nameOffset: offset, nameLength: length,
                  file: fileIndex, line: lineNumber)
    default:
      throw fail("range start \(start) and range end \(end) are not the same IP version")
    }
  }

  private static func isRouted(number: UInt64, description: UnsafeRawBufferPointer) -> Bool {
    guard number != 0 else { return false }
    let notRouted = Array("not routed".utf8)
    guard description.count == notRouted.count else { return true }
    return !zip(description, notRouted).allSatisfy { $0 | 0x20 == $1 | 0x20 }
  }

  /// Consecutive rows of the same AS repeat the description, so reusing the previous slice
  /// keeps the name buffer far smaller than the file.
  private var lastName: (offset: UInt32, length: UInt32) = (0, 0)

  private mutating func storeName(_ description: UnsafeRawBufferPointer) -> (UInt32, UInt32) {
    if lastName.length == UInt32(description.count),
       names[Int(lastName.offset)..<Int(lastName.offset + lastName.length)].elementsEqual(description) {
      return lastName
    }
    let offset = UInt32(names.count)
    names.append(contentsOf: description)
    lastName = (offset, UInt32(description.count))
    return lastName
  }

  private mutating func finish() throws(EnrichmentError) {
    if let overlap = ipv4.sortAndFindOverlap() ?? ipv6.sortAndFindOverlap() {
      throw .malformedRow(path: paths[Int(overlap.later.file)], line: Int(overlap.later.line),
                          reason: "range overlaps the range on \(paths[Int(overlap.earlier.file)]):\(overlap.earlier.line)")
    }
  }
}
