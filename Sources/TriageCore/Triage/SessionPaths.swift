import Foundation

/// A session is reopened from wherever the analyst happens to stand, so the logs it names (its
/// inputs, and the file each alert came from) are absolute: a run that folds into a session
/// (the console, `detect --state`) reads its logs by absolute path. Lexical only: symbolic
/// links are kept as typed, so a path reads as the analyst knows it.
public enum SessionPaths {
  /// `path` from `directory`; standard input (`-`) and absolute paths as they are.
  public static func absolute(_ path: String, from directory: String = FileManager.default.currentDirectoryPath) -> String {
    if path == "-" || path.hasPrefix("/") || path.isEmpty { return path }
    // Joined as text first: URL(fileURLWithPath:) would read a leading `~` as a home directory
    // (`~backup/x` is a directory named so, here, not /var/backups/x).
    return URL(fileURLWithPath: directory + "/" + path).standardizedFileURL.path
  }
}
