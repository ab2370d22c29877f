import Foundation
import Testing
@testable import TriageCore

/// An Elasticsearch `_search` response holds many events in one record: each hit must raise the
/// alerts it would raise on its own line.
@Suite("Search responses")
struct SearchResponseTests {
  static let export = EvidenceSamplesTests.samples + "/elastic-export/logs-aws.cloudtrail.ndjson"
  static let asnTable = EvidenceSamplesTests.samples + "/ip2asn.tsv"

  /// The export's documents, optionally without `event.id`, as NDJSON and as one search response.
  static func inputs(keepIDs: Bool) throws -> (ndjson: String, response: String) {
    let directory = NSTemporaryDirectory() + "lt-search-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var documents = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n").map { line -> [String: Any] in
      try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
    }
    if !keepIDs {
      documents = documents.map { document in
        var document = document
        if var event = document["event"] as? [String: Any] {
          event["id"] = nil
          document["event"] = event
        }
        return document
      }
    }
    let lines = try documents.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/export.ndjson", atomically: true, encoding: .utf8)
    let hits = documents.enumerated().map { ["_index": "logs-aws.cloudtrail-default", "_id": "h\($0.offset)", "_source": $0.element] as [String: Any] }
    let response = try JSONSerialization.data(withJSONObject: ["took": 3, "hits": ["total": ["value": hits.count], "hits": hits]], options: [.sortedKeys])
    try response.write(to: URL(fileURLWithPath: directory + "/response.json"))
    return (directory + "/export.ndjson", directory + "/response.json")
  }

  static func alerts(_ path: String) throws -> [Alert] {
    var options = EvidenceTests.options(path)
    options.asnDatabasePath = asnTable
    return try Detection.run(options).alerts
  }

  @Test("a search response raises the same alerts as its documents on lines of their own")
  func sameAlerts() throws {
    let (ndjson, response) = try Self.inputs(keepIDs: true)
    defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: ndjson).deletingLastPathComponent().path) }
    let expected = try Self.alerts(ndjson)
    #expect(expected.count == 3)
    #expect(try Self.alerts(response).map(\.uuid) == expected.map(\.uuid))
  }

  @Test("hits without event.id are told apart by their position in the response")
  func withoutIDs() throws {
    let (ndjson, response) = try Self.inputs(keepIDs: false)
    defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: ndjson).deletingLastPathComponent().path) }
    let found = try Self.alerts(response)
    #expect(found.count == 3 && Set(found.map(\.uuid)).count == 3)
    #expect(found.map(\.ruleID).sorted() == (try Self.alerts(ndjson)).map(\.ruleID).sorted())
  }
}
