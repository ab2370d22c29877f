/// Cuts a byte stream into JSON records without parsing them, whatever the container:
/// `{"Records":[...]}` envelopes (CloudTrail's S3 objects), NDJSON (one record per line), a JSON
/// array, a single pretty-printed record, or a mix. Memory use is bounded by the largest record.
public struct RecordSplitter<Source: ByteSource> {
  public static var defaultMaxRecordBytes: Int { 64 * 1_048_576 }

  private var source: Source
  private let fileIndex: Int32
  private let path: String
  private let maxRecordBytes: Int

  private var buffer: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0
  /// Stream offset of `buffer[0]`.
  private var bufferOffset: Int64 = 0
  private var atEOF = false
  private var line: Int32 = 1

  private enum Mode: Equatable {
    case top, records, array, envelopeTail(depth: Int)

    /// Where a piece's reader is between records of `container`.
    init(inside container: EnvelopeChunk.Container) { self = container == .records ? .records : .array }
  }
  private var mode = Mode.top
  private var recordIndex: Int32 = 0
  /// Decided by the first top-level record: if it fits on one line, the input is NDJSON and
  /// records are cut at newlines, so one broken line costs one record.
  private var isLineOriented: Bool?

  private let envelopeChunk: EnvelopeChunk?
  /// Where the container the piece started in closed (at its `]`), and its records until then.
  public private(set) var initialEnvelopeEnd: Int64?
  private var initialRecords: Int32 = 0
  /// A comma between records was the last thing read.
  private var afterComma = false
  /// See `boundaryHeld`.
  private var endedAsGuessed = true

  /// - Parameters:
  ///   - baseOffset: stream offset of the source's first byte (a chunk of a larger file).
  ///   - lineOriented: true for a chunk of an NDJSON file, where the first record cannot tell.
  ///   - envelopeChunk: set when the source is one piece of a `{"Records":[...]}` file or a JSON
  ///     array cut at guessed record boundaries; its records are numbered from 1 within the piece.
  public init(
    source: Source, fileIndex: Int, path: String, maxRecordBytes: Int = defaultMaxRecordBytes, baseOffset: Int64 = 0, lineOriented: Bool? = nil,
    envelopeChunk: EnvelopeChunk? = nil
  ) {
    self.source = source
    self.envelopeChunk = envelopeChunk
    if let envelopeChunk, envelopeChunk.part != .first { mode = Mode(inside: envelopeChunk.container) }
    self.fileIndex = Int32(truncatingIfNeeded: fileIndex)
    self.path = path
    self.maxRecordBytes = maxRecordBytes
    bufferOffset = baseOffset
    isLineOriented = lineOriented
    buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(1 << 20, maxRecordBytes + 1), alignment: 16)
  }

  public var bytesConsumed: Int64 { source.bytesConsumed }
  /// Newlines passed so far (line numbers of a chunk are relative to its start).
  public var linesConsumed: Int { Int(line) - 1 }
  /// Records of the container the piece started in (`envelopeChunk` only): numbered from 1 in
  /// the piece, they follow the previous pieces' records of that container.
  public var envelopeRecords: Int { Int(initialEnvelopeEnd == nil ? recordIndex : initialRecords) }
  /// Records of the container the piece ended in: the next piece's records follow them.
  public var lastEnvelopeRecords: Int { Int(recordIndex) }
  /// For a piece, after `forEach`: whether it read as a sequential reading would. A piece before
  /// the last must end exactly after a comma between two records of a container of the planned
  /// kind (so the next piece starts at a record); no piece but the first may cut a record outside
  /// a container (whether the file is NDJSON is decided by the first such record). Containers may
  /// close and new ones open inside a piece (concatenated CloudTrail objects). When false, the file
  /// must be read again whole.
  public var boundaryHeld: Bool { endedAsGuessed }

  /// Calls `body` for each record (the bytes are valid only during the call) and `issue` for each
  /// record that cannot be cut out. Throws only for I/O and decompression errors, after the
  /// records before the failure were delivered.
  public mutating func forEach(
    _ body: (UnsafeBufferPointer<UInt8>, RecordLocation) throws -> Void,
    issue: (RecordIssue) -> Void
  ) throws {
    defer { buffer.deallocate() }
    if envelopeChunk?.isFollowed == true { endedAsGuessed = false }
    // A UTF-8 byte order mark (editors on Windows write one) at the start of the file is not data.
    if bufferOffset == 0, start == 0, try ensure(3), buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
    while true {
      switch mode {
      case .top:
        try skipWhitespace(countingLines: true)
        guard try ensure(1) else { return }
        let byte = buffer[start]
        // `{"e…` (every raw record, one per NDJSON line) cannot open a `{"Records":[` envelope.
        if byte == UInt8(ascii: "{"), start + 2 < end, buffer[start + 1] == UInt8(ascii: "\""), buffer[start + 2] != UInt8(ascii: "R") {
          noteTopLevelRecord()
          try cutTopLevelRecord(body, issue: issue)
        } else if byte == UInt8(ascii: "{") {
          switch try envelopePrefixLength() {
          case .some(let length):
            start += length
            mode = .records
            recordIndex = 0
            continue
          case .none: break
          }
          noteTopLevelRecord()
          try cutTopLevelRecord(body, issue: issue)
        } else if byte == UInt8(ascii: "[") {
          start += 1
          mode = .array
          recordIndex = 0
        } else {
          issue(RecordIssue(path: path, line: Int(line), reason: "not a JSON object (starts with \(describe(byte)))"))
          try skipToNextLine()
        }
      case .records, .array:
        try skipWhitespace(countingLines: true)
        guard try ensure(1) else {
          if let envelopeChunk, envelopeChunk.isFollowed {
            endedAsGuessed = afterComma && mode == Mode(inside: envelopeChunk.container)
            return
          }
          let container = if case .records = mode { "Records" } else { "JSON" }
          issue(RecordIssue(path: path, recordIndex: Int(recordIndex) + 1, offset: bufferOffset + Int64(start), reason: "file ends inside the \(container) array (truncated)"))
          return
        }
        let byte = buffer[start]
        if byte == UInt8(ascii: ",") { start += 1; afterComma = true; continue }
        afterComma = false
        if byte == UInt8(ascii: "]") {
          if envelopeChunk != nil && initialEnvelopeEnd == nil {
            initialEnvelopeEnd = bufferOffset + Int64(start)
            initialRecords = recordIndex
          }
          start += 1
          if case .records = mode { mode = .envelopeTail(depth: 1) } else { mode = .top }
          continue
        }
        recordIndex += 1
        let recordOffset = bufferOffset + Int64(start)
        guard let range = try scanValue() else {
          issue(RecordIssue(path: path, recordIndex: Int(recordIndex), offset: recordOffset, reason: scanFailure))
          return  // Inside an envelope there is no safe place to resume.
        }
        let location = RecordLocation(fileIndex: fileIndex, offset: bufferOffset + Int64(range.lowerBound), length: Int32(range.count), line: 0, recordIndex: recordIndex)
        try body(UnsafeBufferPointer(rebasing: bytes[range]), location)
        start = range.upperBound
      case .envelopeTail(let depth):
        try skipWhitespace(countingLines: true)
        guard try ensure(1) else { return }
        let byte = buffer[start]
        switch byte {
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
          start += 1
          mode = depth == 1 ? .top : .envelopeTail(depth: depth - 1)
        case UInt8(ascii: ","), UInt8(ascii: ":"):
          start += 1
        default:
          guard let range = try scanValue() else {
            issue(RecordIssue(path: path, reason: "malformed JSON after the Records array"))
            return
          }
          start = range.upperBound
        }
      }
    }
  }

  /// A record outside any container: in a piece after the first, whether it is cut at its line
  /// or as a value depends on the file's first such record, which another piece may hold.
  private mutating func noteTopLevelRecord() {
    if let envelopeChunk, envelopeChunk.part != .first { endedAsGuessed = false }
  }

  private var bytes: UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: end)
  }

  private var scanFailure = "invalid JSON"

  private func describe(_ byte: UInt8) -> String {
    (0x21..<0x7f).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
  }

  /// Makes at least `count` unread bytes available unless the stream ends; false at the end.
  private mutating func ensure(_ count: Int) throws -> Bool {
    while end - start < count {
      if atEOF { return false }
      try refill()
    }
    return true
  }

  private mutating func refill() throws {
    if start > 0 {
      let remaining = end - start
      if remaining > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: remaining) }
      bufferOffset += Int64(start)
      start = 0
      end = remaining
    }
    if end == buffer.count {
      guard buffer.count <= maxRecordBytes else {
        // A top-level record is found by its line (the first of a file, before the splitter
        // knows whether the file is NDJSON, too); one inside an envelope or array by its number.
        let isTopLevel = if case .top = mode { true } else { false }
        throw InputError.recordTooLarge(path: path, record: isTopLevel ? ":\(line)" : "#record \(recordIndex)", limitBytes: maxRecordBytes)
      }
      let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: min(buffer.count * 2, maxRecordBytes + 1), alignment: 16)
      larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<end]))
      buffer.deallocate()
      buffer = larger
    }
    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
    if n == 0 { atEOF = true } else { end += n }
  }

  /// Throws what reading on throws: a damaged gzip trailer (its CRC) is met only after the last
  /// record, while the splitter looks for more.
  private mutating func skipWhitespace(countingLines: Bool) throws {
    while true {
      while start < end {
        switch buffer[start] {
        case 0x0A: line += 1; start += 1
        case 0x20, 0x0D, 0x09: start += 1
        default: return
        }
      }
      if atEOF { return }
      try refill()
    }
  }

  /// Length of `{ "Records" : [` at `start`, or nil if the object is something else.
  private mutating func envelopePrefixLength() throws -> Int? {
    _ = try ensure(64)
    let limit = end
    var i = start + 1
    // Runs for every record of NDJSON input: no allocations, and most records fail at `"e`.
    func skip() {
      while i < limit, buffer[i] == 0x20 || buffer[i] == 0x0A || buffer[i] == 0x0D || buffer[i] == 0x09 { i += 1 }
    }
    skip()
    let key: StaticString = "\"Records\""
    let count = key.utf8CodeUnitCount
    guard i + count <= limit else { return nil }
    for k in 0..<count where buffer[i + k] != key.utf8Start[k] { return nil }
    i += count
    skip()
    guard i < limit, buffer[i] == UInt8(ascii: ":") else { return nil }
    i += 1
    skip()
    guard i < limit, buffer[i] == UInt8(ascii: "[") else { return nil }
    // Count newlines we jump over so line numbers stay right for pretty-printed envelopes.
    for j in start..<(i + 1) where buffer[j] == 0x0A { line += 1 }
    return i + 1 - start
  }

  private mutating func cutTopLevelRecord(_ body: (UnsafeBufferPointer<UInt8>, RecordLocation) throws -> Void, issue: (RecordIssue) -> Void) throws {
    let recordLine = line
    if isLineOriented == true {
      let range = try lineRange()
      let location = RecordLocation(fileIndex: fileIndex, offset: bufferOffset + Int64(range.lowerBound), length: Int32(range.count), line: recordLine, recordIndex: 0)
      try body(UnsafeBufferPointer(rebasing: bytes[range]), location)
      start = range.upperBound
      return
    }
    guard let range = try scanValue() else {
      issue(RecordIssue(path: path, line: Int(recordLine), reason: scanFailure))
      try skipToNextLine()
      return
    }
    var newlines: Int32 = 0
    for i in range where buffer[i] == 0x0A { newlines += 1 }
    if isLineOriented == nil { isLineOriented = newlines == 0 }
    let location = RecordLocation(fileIndex: fileIndex, offset: bufferOffset + Int64(range.lowerBound), length: Int32(range.count), line: recordLine, recordIndex: 0)
    try body(UnsafeBufferPointer(rebasing: bytes[range]), location)
    line += newlines
    start = range.upperBound
  }

  /// The current line without its terminator (and without a trailing CR or blanks).
  private mutating func lineRange() throws -> Range<Int> {
    var searchFrom = start
    while true {
      if let newline = findNewline(from: searchFrom) {
        var last = newline
        while last > start, Self.isTrailingSpace(buffer[last - 1]) { last -= 1 }
        return start..<last
      }
      if atEOF {
        var last = end
        while last > start, Self.isTrailingSpace(buffer[last - 1]) { last -= 1 }
        return start..<last
      }
      let searched = end - start
      try refill()
      searchFrom = start + searched
    }
  }

  @inline(__always)
  private static func isTrailingSpace(_ byte: UInt8) -> Bool { byte == 0x0D || byte == 0x20 || byte == 0x09 }

  private func findNewline(from index: Int) -> Int? {
    guard index < end else { return nil }
    let base = buffer.baseAddress!
    guard let hit = memchr(base + index, 0x0A, end - index) else { return nil }
    return base.distance(to: hit)
  }

  private mutating func skipToNextLine() throws {
    while true {
      if let newline = findNewline(from: start) {
        start = newline + 1
        line += 1
        return
      }
      start = end
      if atEOF { return }
      try refill()
    }
  }

  /// The value at `start`, refilling as needed; nil (with `scanFailure` set) if it is not JSON.
  /// Cutting a record only counts brackets (no recursion), so it sets no depth limit: the parser
  /// enforces its own on the record, and a record nested too deep costs that record alone, not
  /// the rest of its envelope.
  private static var cuttingDepth: Int { 1 << 40 }

  private mutating func scanValue() throws -> Range<Int>? {
    while true {
      let outcome = JSONScanner.endOfValue(in: bytes, from: start, maxDepth: Self.cuttingDepth)
      switch outcome {
      case .end(let valueEnd): return start..<valueEnd
      case .invalid(let at):
        scanFailure = "invalid JSON near byte \(bufferOffset + Int64(at))"
        return nil
      case .incomplete:
        if atEOF {
          scanFailure = "record cut off by the end of the file (truncated)"
          start = end
          return nil
        }
        try refill()
      }
    }
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
