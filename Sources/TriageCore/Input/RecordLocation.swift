/// Where a record came from, precise enough to report it (`file:line`, `file#record N`) and to
/// read it again later without keeping it in memory.
public struct RecordLocation: Sendable, Hashable {
  /// Index into the run's file list.
  public var fileIndex: Int32
  /// Byte offset of the record in the file's (decompressed) content.
  public var offset: Int64
  public var length: Int32
  /// 1-based line of the record's start for line-oriented input; 0 when it was cut from an
  /// envelope, where `recordIndex` names it instead.
  public var line: Int32
  /// 1-based position inside a `{"Records":[...]}` envelope or a JSON array; 0 otherwise.
  public var recordIndex: Int32

  public init(fileIndex: Int32, offset: Int64, length: Int32, line: Int32, recordIndex: Int32) {
    self.fileIndex = fileIndex
    self.offset = offset
    self.length = length
    self.line = line
    self.recordIndex = recordIndex
  }

  /// `:12` or `#record 3`, appended to a path in reports.
  public var suffix: String {
    if recordIndex > 0 { return "#record \(recordIndex)" }
    if line > 0 { return ":\(line)" }
    return ""
  }
}

/// A record that could not be used, with the reason, for the run summary.
public struct RecordIssue: Sendable, Equatable, CustomStringConvertible {
  public var path: String
  /// 1-based line, or 0.
  public var line: Int
  /// 1-based position in an envelope, or 0.
  public var recordIndex: Int
  public var reason: String
  /// Where the record starts, for record numbers to be renumbered at a chunk's merge.
  var offset: Int64 = 0

  public init(path: String, line: Int = 0, recordIndex: Int = 0, reason: String) {
    self.path = path
    self.line = line
    self.recordIndex = recordIndex
    self.reason = reason
  }

  init(path: String, line: Int = 0, recordIndex: Int, offset: Int64, reason: String) {
    self.init(path: path, line: line, recordIndex: recordIndex, reason: reason)
    self.offset = offset
  }

  public var position: String {
    if recordIndex > 0 { return "#record \(recordIndex)" }
    if line > 0 { return ":\(line)" }
    return ""
  }

  public var description: String { "\(path)\(position): \(reason)" }
}
