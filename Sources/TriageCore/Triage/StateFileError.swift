/// Why a state file cannot be used. Every case names the file, and says what to do, because the
/// file holds an analyst's work: the console refuses rather than guesses.
public enum StateFileError: Error, Sendable, Equatable, CustomStringConvertible {
  case unreadable(file: String, reason: String)
  /// Not JSON; line and column are 1-based.
  case unparsable(file: String, line: Int, column: Int, reason: String)
  /// JSON, but not a state file this build understands; `path` is a JSON path like `alerts[3].status`.
  case invalidContent(file: String, path: String, reason: String)
  case newerSchema(file: String, found: Int, supported: Int)
  case writeFailed(file: String, reason: String)
  /// Another console holds the lock.
  case locked(file: String, lockFile: String, pid: Int32)
  case lockFailed(file: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason):
      return "cannot read state file \(file): \(reason)"
    case .unparsable(let file, let line, let column, let reason):
      return "state file \(file) is not valid JSON at line \(line), column \(column): \(reason). It was left untouched; fix it or pass another --state file."
    case .invalidContent(let file, let path, let reason):
      return "state file \(file) is not a lambda-triage state file at \(path): \(reason). It was left untouched; pass another --state file."
    case .newerSchema(let file, let found, let supported):
      return "state file \(file) has schemaVersion \(found), but this lambda-triage reads up to \(supported). It was left untouched; use a newer lambda-triage."
    case .writeFailed(let file, let reason):
      return "cannot save state file \(file): \(reason)"
    case .locked(let file, let lockFile, let pid):
      return "state file \(file) is open in another console (pid \(pid), lock \(lockFile)). Close that console first, or pass another --state file."
    case .lockFailed(let file, let reason):
      return "cannot lock state file \(file): \(reason)"
    }
  }
}
