import Foundation
@testable import TriageCore

/// Locates the shared reference fixtures. They are not part of the project (they must not be
/// copied in), so they are found relative to this source file: the package root is four levels
/// up from here (/work/main), and `shared` is its sibling (`../shared`). When that directory is
/// absent (a fresh clone elsewhere) the suites that need it are disabled instead of failing.
enum EnrichmentFixtures {
  static let packageRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
  static let maxmind = shared.appendingPathComponent("fixtures/maxmind")
  static let elastic = shared.appendingPathComponent("fixtures/elastic-integrations")

  static var available: Bool {
    FileManager.default.fileExists(atPath: maxmind.appendingPathComponent("test-data/GeoLite2-ASN-Test.mmdb").path)
  }

  static func testData(_ name: String) -> String { maxmind.appendingPathComponent("test-data/\(name)").path }

  static func json(_ url: URL) throws -> JSONValue {
    try JSONParser.parse(Array(Data(contentsOf: url)))
  }

  /// A fresh scratch directory, removed by the caller's `defer`.
  static func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("enrich-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }
}
