import Foundation
import Testing
@testable import TriageCore

/// Compares our mapping with the documents Elastic's own pipeline tests expect
/// (`../shared/fixtures/elastic-integrations`), field by field.
enum FixtureComparison {
  /// Fields we do not produce, and why:
  /// - `tags`: set by the agent configuration of the pipeline test, not by the pipeline's mapping.
  /// - `user_agent.*` other than `original`: uap-core's regexes (ES's user_agent processor).
  /// - `source.geo.*`, `source.as.*`: the geoip processor (tested with the enrichment).
  /// - `actor.*`, `target.*`, `related.entity`, `*.entity.id`, `host.target.*`, `entity.*`: the
  ///   optional `actor_target_mapping` enrichment, used by no rule.
  /// - `data_stream.*`, `event.dataset`, `event.module`: constant fields the agent adds before the
  ///   pipeline runs; lambda-triage sets them itself because the rules filter on them.
  static func isExcluded(_ path: String) -> Bool {
    if path == "tags" || path.hasPrefix("tags[") { return true }
    if path.hasPrefix("data_stream.") || path == "event.dataset" || path == "event.module" { return true }
    if path.hasPrefix("user_agent.") && path != "user_agent.original" { return true }
    for prefix in ["source.geo.", "source.as.", "actor.", "target.", "related.entity", "entity.", "host.target.", "service.target."] where path.hasPrefix(prefix) { return true }
    if path.contains(".entity.id") { return true }
    return false
  }

  static func flatten(_ value: JSONValue, _ prefix: String = "", into out: inout [String: String]) {
    switch value {
    case .object(let o):
      for m in o.members { flatten(m.value, prefix.isEmpty ? m.key : prefix + "." + m.key, into: &out) }
    case .array(let a):
      if a.allSatisfy({ $0.objectValue == nil }) {
        out[prefix] = JSONWriter.compact(value)
      } else {
        for (i, e) in a.enumerated() { flatten(e, "\(prefix)[\(i)]", into: &out) }
      }
    default:
      out[prefix] = JSONWriter.compact(value)
    }
  }

  static func differences(expected: JSONObject, actual: JSONObject, ignoring extra: Set<String> = []) -> [String] {
    var e: [String: String] = [:], a: [String: String] = [:]
    flatten(.object(expected), into: &e)
    flatten(.object(actual), into: &a)
    var diffs: [String] = []
    for key in Set(e.keys).union(a.keys).sorted() where !isExcluded(key) && !extra.contains(key) {
      if e[key] != a[key] { diffs.append("\(key): expected \(e[key] ?? "(absent)"), got \(a[key] ?? "(absent)")") }
    }
    return diffs
  }

  static func check(_ name: String, ignoring extra: Set<String> = []) throws -> [String] {
    let inputs = try SharedFixtures.text("elastic-integrations/\(name)").split(separator: "\n").map(String.init)
    let expected = try JSONParser.parse(SharedFixtures.text("elastic-integrations/\(name)-expected.json")).objectValue!["expected"]!.arrayValue!
    var diffs: [String] = []
    for (line, output) in zip(inputs, expected) {
      let record = try JSONParser.parse(line).objectValue!
      let ours = CloudTrailMapper.map(record, original: line, options: CloudTrailMappingOptions(eventCreated: "2021-11-11T01:02:03.123456789Z"))
      diffs += differences(expected: output.objectValue!, actual: ours, ignoring: extra)
    }
    return diffs
  }
}

@Suite("CloudTrail to ECS against Elastic's fixtures (reads ../shared)", .enabled(if: SharedFixtures.isAvailable, "../shared/fixtures is absent"))
struct CloudTrailMapperFixtureTests {
  @Test("REF 8.9.0: AssumeRole by an AWS service (service.name, no user.*)")
  func assumeRoleAWSService() throws {
    let diffs = try FixtureComparison.check("test-assume-role-aws-service-json.log")
    #expect(diffs.isEmpty, Comment(rawValue: diffs.joined(separator: "\n")))
  }

  @Test("REF era: AssumeRole with an e-mail session name")
  func assumeRoleEmail() throws {
    let diffs = try FixtureComparison.check("test-assume-role-email-session-json.log")
    #expect(diffs.isEmpty, Comment(rawValue: diffs.joined(separator: "\n")))
  }

  @Test("REF era: UpdateFunctionCode (versioned Lambda name: no category)")
  func updateLambda() throws {
    let diffs = try FixtureComparison.check("test-update-lambda-json.log")
    #expect(diffs.isEmpty, Comment(rawValue: diffs.joined(separator: "\n")))
  }

  @Test("MID generation: AddPermission; the fields MID wrote differently from REF are named")
  func addPermission() throws {
    // MID (0f775e78) predates REF's cloud.provider, cloud.service.name and related.ip.
    let diffs = try FixtureComparison.check("test-add-permission-json.log", ignoring: ["cloud.provider", "cloud.service.name", "related.ip"])
    #expect(diffs.isEmpty, Comment(rawValue: diffs.joined(separator: "\n")))
  }

  @Test("older generation: CreateFunction; the fields that generation lacked are named")
  func createLambda() throws {
    // 0bd62628 predates cloud.provider, cloud.service.name, related.ip, user.email (copied from an
    // e-mail-shaped user.name) and user.id in related.user, all REF additions.
    let diffs = try FixtureComparison.check("test-create-lambda-json.log", ignoring: ["cloud.provider", "cloud.service.name", "related.ip", "user.email", "related.user"])
    #expect(diffs.isEmpty, Comment(rawValue: diffs.joined(separator: "\n")))
  }
}
