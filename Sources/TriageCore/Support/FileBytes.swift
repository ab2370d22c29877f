import Foundation

/// Whole-file reads for small files (state, exclusions, databases' metadata).
public enum FileBytes {
  public static func read(_ path: String) -> [UInt8]? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return [UInt8](data)
  }
}
