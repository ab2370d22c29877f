import Foundation

/// Expands the user's paths into files: directories recursively (an `aws s3 sync` tree), in a
/// stable order so runs are reproducible. Symlinked directories are followed once; a loop is
/// reported, not followed forever.
public struct InputFileFinder: Sendable {
  /// File names that are databases or notes, not logs, when met inside a directory.
  /// Enrichment databases (an ASN database may sit among the logs, or be given among the inputs).
  static let databaseSuffixes = [".mmdb", ".tsv", ".tsv.gz"]
  static let ignoredSuffixes = databaseSuffixes + [".md", ".txt", ".sh", ".py", ".lock", ".state.json", ".swp"]

  public struct Result: Sendable {
    public var files: [InputFile] = []
    /// Problems that do not stop the run (loops), already phrased for the user.
    public var warnings: [InputError] = []
  }

  public init() {}

  /// Throws for a path the user named that cannot be read at all (exit code 2).
  public func expand(_ paths: [String]) throws(InputError) -> Result {
    var result = Result()
    var visitedDirectories = Set<String>()
    for path in paths {
      if path == "-" {
        result.files.append(InputFile(path: "-"))
        continue
      }
      var info = stat()
      guard stat(path, &info) == 0 else {
        let code = errno
        if code == ENOENT { throw .notFound(path: path) }
        if code == ELOOP { throw .symlinkLoop(path: path) }
        throw .unreadable(path: path, reason: String(cString: strerror(code)))
      }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        guard access(path, R_OK | X_OK) == 0 else { throw .unreadable(path: path, reason: "permission denied") }
        let before = (files: result.files.count, directories: visitedDirectories.count)
        walk(directory: path, into: &result, visited: &visitedDirectories)
        // A directory already walked through another argument (logs and logs/2026) added nothing
        // new, but its files were read.
        if result.files.count == before.files && visitedDirectories.count > before.directories {
          result.warnings.append(.noLogFiles(directory: path))
        }
      case S_IFREG, S_IFIFO, S_IFCHR:
        guard access(path, R_OK) == 0 else { throw .unreadable(path: path, reason: "permission denied") }
        // Named on the command line, only a database is left out (an ASN database may be given
        // among the inputs); a log someone saved as .txt is read.
        if Self.isDatabase(path) { continue }
        result.files.append(InputFile(path: path, role: Self.role(of: path)))
      default:
        throw .notARegularFile(path: path)
      }
    }
    return result
  }

  static func isDatabase(_ path: String) -> Bool {
    let lower = path.lowercased()
    return databaseSuffixes.contains { lower.hasSuffix($0) }
  }

  static func isDatabaseOrDocument(_ path: String) -> Bool {
    let lower = path.lowercased()
    return ignoredSuffixes.contains { lower.hasSuffix($0) } || lower.hasSuffix("/expected-alerts.json")
  }

  static func role(of path: String) -> InputFile.Role {
    if path.containsBytes("/CloudTrail-Digest/") || path.containsBytes("_CloudTrail-Digest_") { return .digest }
    if path.containsBytes("/CloudTrail-Insight/") || path.containsBytes("_CloudTrail-Insight_") { return .insight }
    return .logs
  }

  private func walk(directory: String, into result: inout Result, visited: inout Set<String>) {
    // Identify directories by device and inode so two routes to the same place count once.
    var info = stat()
    guard stat(directory, &info) == 0 else {
      result.warnings.append(.unreadable(path: directory, reason: String(cString: strerror(errno))))
      return
    }
    let identity = "\(info.st_dev):\(info.st_ino)"
    guard visited.insert(identity).inserted else {
      result.warnings.append(.symlinkLoop(path: directory))
      return
    }
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      result.warnings.append(.unreadable(path: directory, reason: "cannot list directory"))
      return
    }
    for name in entries.sorted() where !name.hasPrefix(".") {
      let child = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      var childInfo = stat()
      guard stat(child, &childInfo) == 0 else {
        result.warnings.append(errno == ELOOP ? .symlinkLoop(path: child) : .unreadable(path: child, reason: String(cString: strerror(errno))))
        continue
      }
      switch childInfo.st_mode & S_IFMT {
      case S_IFDIR: walk(directory: child, into: &result, visited: &visited)
      case S_IFREG:
        if Self.isDatabaseOrDocument(child) { continue }
        if access(child, R_OK) != 0 {
          result.warnings.append(.unreadable(path: child, reason: "permission denied"))
          continue
        }
        result.files.append(InputFile(path: child, role: Self.role(of: child)))
      default: continue
      }
    }
  }
}
