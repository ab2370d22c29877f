/// Problems with an input path or its bytes, phrased so the user knows what to fix.
public enum InputError: Error, Sendable, Equatable, CustomStringConvertible {
  case notFound(path: String)
  case unreadable(path: String, reason: String)
  case notARegularFile(path: String)
  case symlinkLoop(path: String)
  case corruptGzip(path: String, reason: String)
  case truncatedGzip(path: String)
  case gzipBomb(path: String, limitBytes: Int64)
  case recordTooLarge(path: String, record: String, limitBytes: Int)
  /// A directory given on the command line with nothing to read under it (a mistyped or empty
  /// sync target would otherwise end as a silent "no alerts").
  case noLogFiles(directory: String)

  public var description: String {
    switch self {
    case .notFound(let path): return "\(path): no such file or directory"
    case .unreadable(let path, let reason): return "\(path): cannot read (\(reason))"
    case .notARegularFile(let path): return "\(path): not a regular file, directory or FIFO"
    case .symlinkLoop(let path): return "\(path): symbolic link loop, skipped"
    case .corruptGzip(let path, let reason): return "\(path): corrupt gzip data (\(reason)); records before the damage were read"
    case .truncatedGzip(let path): return "\(path): gzip stream ends early (truncated file); records before the cut were read"
    case .gzipBomb(let path, let limit): return "\(path): decompresses to more than \(limit / 1_048_576) MiB, stopped (raise the limit with LAMBDA_TRIAGE_MAX_INFLATED_MB)"
    case .recordTooLarge(let path, let record, let limit): return "\(path)\(record): record larger than \(limit / 1_048_576) MiB, skipped"
    case .noLogFiles(let directory): return "\(directory): no log files under this directory (nothing was read from it)"
    }
  }
}
