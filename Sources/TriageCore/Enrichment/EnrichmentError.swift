/// Why a database could not be used or a lookup could not be answered. Every case names the file,
/// because a run may involve several databases and the user has to know which one to replace.
public enum EnrichmentError: Error, Sendable, Equatable, CustomStringConvertible {
  /// libmaxminddb refused to open the file; `message` is its own explanation.
  case cannotOpen(path: String, message: String)
  /// The file opened but the record reached for `address` is corrupt (libmaxminddb's message, or
  /// ours when the decoded data breaks an invariant such as valid UTF-8).
  case corruptRecord(path: String, address: String, message: String)
  /// The database opened but holds a different kind of data than the role it was given
  /// (e.g. a City database passed as the ASN database).
  case wrongDatabaseKind(path: String, databaseType: String, expected: String)
  /// The file could not be read at all (missing, permissions, truncated gzip).
  case unreadable(path: String, message: String)
  /// An ip2asn row that does not follow the format; `line` is 1-based.
  case malformedRow(path: String, line: Int, reason: String)

  public var path: String {
    switch self {
    case .cannotOpen(let path, _), .corruptRecord(let path, _, _), .wrongDatabaseKind(let path, _, _),
         .unreadable(let path, _), .malformedRow(let path, _, _):
      return path
    }
  }

  public var description: String {
    switch self {
    case .cannotOpen(let path, let message):
      return "\(path): \(message)"
    case .corruptRecord(let path, let address, let message):
      return "\(path): \(message) (record for \(address))"
    case .wrongDatabaseKind(let path, let databaseType, let expected):
      return "\(path): database type \"\(databaseType)\" is not \(expected)"
    case .unreadable(let path, let message):
      return "\(path): \(message)"
    case .malformedRow(let path, let line, let reason):
      return "\(path):\(line): \(reason)"
    }
  }
}
