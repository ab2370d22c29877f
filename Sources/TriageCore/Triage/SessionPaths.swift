import Foundation

/// A session is reopened from wherever the analyst happens to stand, so the logs it names (its
/// inputs, and the file each alert came from) are kept as absolute paths. Lexical only: symbolic
/// links are kept as typed, so a path reads as the analyst knows it.
public enum SessionPaths {
  /// `path` from `directory`; standard input (`-`) and absolute paths as they are.
  public static func absolute(_ path: String, from directory: String = FileManager.default.currentDirectoryPath) -> String {
    if path == "-" || path.hasPrefix("/") || path.isEmpty { return path }
    return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
  }

  /// The alerts with `lambda_triage.source.path` made absolute.
  public static func anchored(_ alerts: [Alert], from directory: String = FileManager.default.currentDirectoryPath) -> [Alert] {
    alerts.map { alert in
      guard var source = alert.document["lambda_triage.source"]?.objectValue, let path = source["path"]?.stringValue else { return alert }
      let absolute = absolute(path, from: directory)
      if absolute == path { return alert }
      source["path"] = .string(absolute)
      var anchored = alert
      anchored.document["lambda_triage.source"] = .object(source)
      return anchored
    }
  }
}
