import Foundation

/// Elastic's reference fixtures live in `../shared/fixtures` next to the repository (read-only
/// inputs, not copied into the project). Tests that need them are skipped when it is absent.
enum SharedFixtures {
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/fixtures")

  static var isAvailable: Bool { FileManager.default.fileExists(atPath: root.path) }

  static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  static func text(_ relative: String) throws -> String {
    try String(contentsOf: url(relative), encoding: .utf8)
  }
}
