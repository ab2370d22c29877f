import Foundation
@testable import TriageCore

/// Hand-made alert documents and scratch directories for the triage tests.
enum TriageFixtures {
  static func alert(_ uuid: String, rule: String = "bdc7e4ae-2d34-4f3f-8b5d-7c4e56f3c8a1", time: String = "2026-11-05T10:00:00.000Z") -> Alert {
    var document = JSONObject()
    document["kibana.alert.uuid"] = .string(uuid)
    document["kibana.alert.rule.rule_id"] = .string(rule)
    document["kibana.alert.rule.name"] = .string("AWS Lambda Function URL Created With No Auth")
    document["kibana.alert.severity"] = .string("medium")
    document["kibana.alert.original_time"] = .string(time)
    document.set(path: "source.ip", .string("203.0.113.9"))
    // Parsed back so the object carries parsed key counts, as documents read from any file do.
    let parsed = try! JSONParser.parse(JSONWriter.compact(.object(document)))
    return Alert(document: parsed.objectValue!)
  }

  static func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "triage-tests-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
