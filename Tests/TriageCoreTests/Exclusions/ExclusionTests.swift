import Foundation
import Testing
@testable import TriageCore

private let document = try! JSONParser.parse(#"{"source":{"as":{"organization":{"name":"Acme VPN"},"number":64500}},"tags":["a","b"],"user":{"name":"ops"}}"#).objectValue!

@Suite("Exclusion matching")
struct ExclusionMatchingTests {
  @Test("each operator, case-sensitive, arrays, missing fields", arguments: [
    (ExclusionEntry(field: "source.as.organization.name", kind: .match("Acme VPN")), true),
    (ExclusionEntry(field: "source.as.organization.name", kind: .match("acme vpn")), false),
    (ExclusionEntry(field: "source.as.number", kind: .match("64500")), true),
    (ExclusionEntry(field: "tags", kind: .matchAny(["x", "b"])), true),
    (ExclusionEntry(field: "user.name", kind: .matchAny(["root", "admin"])), false),
    (ExclusionEntry(field: "source.as.organization.name", kind: .wildcard("Acme*")), true),
    (ExclusionEntry(field: "source.as.organization.name", kind: .wildcard("acme*")), false),
    (ExclusionEntry(field: "source.as.organization.name", kind: .wildcard("Acme?VPN")), true),
    (ExclusionEntry(field: "user.name", kind: .exists), true),
    (ExclusionEntry(field: "user.id", kind: .exists), false),
    (ExclusionEntry(field: "user.id", op: .excluded, kind: .match("x")), true),
    (ExclusionEntry(field: "user.id", op: .excluded, kind: .exists), true),
    (ExclusionEntry(field: "user.name", op: .excluded, kind: .match("ops")), false),
  ])
  func entry(entry: ExclusionEntry, expected: Bool) {
    #expect(entry.matches(document) == expected)
  }

  @Test("entries are ANDed; disabled and expired exclusions do not apply")
  func combination() {
    var exclusion = Exclusion(
      id: "x1", name: "", ruleIDs: ["r"],
      entries: [ExclusionEntry(field: "user.name", kind: .match("ops")), ExclusionEntry(field: "source.as.number", kind: .match("1"))],
      comment: "c", author: "a", createdAt: "2026-11-01T00:00:00Z")
    #expect(!exclusion.matches(document))
    exclusion.entries[1] = ExclusionEntry(field: "source.as.number", kind: .match("64500"))
    #expect(exclusion.matches(document))
    #expect(exclusion.applies(to: "r", at: 0))
    #expect(!exclusion.applies(to: "other", at: 0))
    exclusion.expiresAt = "2026-11-02T00:00:00Z"
    #expect(!exclusion.applies(to: "r", at: Timestamp.parseMillis("2026-11-03T00:00:00Z")!))
    exclusion.expiresAt = nil
    exclusion.isEnabled = false
    #expect(!exclusion.applies(to: "r", at: 0))
  }
}

@Suite("Exclusions in detection and export")
struct ExclusionDetectionTests {
  let ruleB = BuiltinRules.lambdaInvokeUnusualASN

  func hostingExclusion() -> Exclusion {
    Exclusion(id: "ex-1", name: "Known VPN", ruleIDs: [ruleB.ruleID],
              entries: [ExclusionEntry(field: "source.as.organization.name", kind: .match("Evil Hosting"))],
              comment: "Our red team's VPN", author: "alice", createdAt: "2026-11-06T00:00:00Z")
  }

  @Test("an excluded event does not alert, is reported as suppressed, and is not history either")
  func suppression() throws {
    let lines = [
      ECSFixture.invoke(id: "x1", time: "2026-11-05T09:00:00Z", org: "Evil Hosting"),
      ECSFixture.invoke(id: "b1", time: "2026-11-06T09:00:00Z", org: "Evil Hosting", user: "other"),
    ]
    let path = try ECSFixture.write(lines, name: "lt-ex")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var options = DetectionOptions(paths: [path])
    options.environment = [:]
    options.standardDatabaseDirectories = []
    options.exclusions = [hostingExclusion()]
    let report = try Detection.run(options)
    #expect(report.alerts.isEmpty)
    #expect(report.suppressed.map { $0.field("event.id")?.stringValue } == ["x1", "b1"])
    #expect(report.suppressed.first?.string("lambda_triage.excluded_by") == "ex-1")
    #expect(report.summary.suppressedPerRule.first?.count == 2)
  }

  @Test("the exception-list export parses back, field by field")
  func export() throws {
    var both = hostingExclusion()
    both.id = "ex-2"
    both.ruleIDs = BuiltinRules.all.map(\.ruleID)
    both.entries = [ExclusionEntry(field: "aws.cloudtrail.user_identity.arn", kind: .wildcard("arn:aws:iam::*:user/ci-*")),
                    ExclusionEntry(field: "source.as.number", kind: .matchAny(["64500", "64501"]))]
    let lines = ExceptionListExport.ndjson([hostingExclusion(), both]).split(separator: "\n").map { try! JSONParser.parse(String($0)).objectValue! }
    #expect(lines.count == 2 + 3 + 1)
    #expect(lines[0]["list_id"] == .string("lambda-triage-53bb8f53-3550-4805-b6bd-728ded8d5564"))
    #expect(lines[0]["type"] == .string("detection"))
    #expect(lines[0]["os_types"] == .array([]))
    #expect(lines[1]["list_id"] == .string("lambda-triage-c8cc8192-f4f5-4ed3-8368-544ca738d506"))
    let item = lines[3]
    #expect(item["item_id"] == .string("ex-1"))
    #expect(item["list_id"] == lines[1]["list_id"])
    #expect(item["type"] == .string("simple"))
    #expect(item["namespace_type"] == .string("single"))
    #expect(item["comments"] == .array([.object(JSONObject([JSONMember("comment", .string("Our red team's VPN (alice, 2026-11-06T00:00:00Z)"))]))]))
    #expect(JSONWriter.compact(item["entries"]!) == #"[{"field":"source.as.organization.name","operator":"included","type":"match","value":"Evil Hosting"}]"#)
    #expect(JSONWriter.compact(lines[2]["entries"]!) == #"[{"field":"aws.cloudtrail.user_identity.arn","operator":"included","type":"wildcard","value":"arn:aws:iam::*:user/ci-*"},{"field":"source.as.number","operator":"included","type":"match_any","value":["64500","64501"]}]"#)
    #expect(lines[5]["exported_exception_list_count"] == .number(JSONNumber(2)))
    #expect(lines[5]["exported_exception_list_item_count"] == .number(JSONNumber(3)))
    // Only the schema's keys: Kibana's import rejects others.
    let allowed: Set<String> = ["item_id", "list_id", "name", "description", "type", "namespace_type", "os_types", "tags", "comments", "entries", "expire_time"]
    #expect(Set(item.members.map(\.key)).isSubset(of: allowed))
  }

  @Test("an id given twice is exported once, the first, and named as repeated")
  func repeatedIDs() throws {
    var copy = hostingExclusion()
    copy.comment = "the same id, edited by hand"
    var other = hostingExclusion()
    other.id = "ex-2"
    var disabled = hostingExclusion()
    disabled.id = "ex-2"
    disabled.isEnabled = false
    let exclusions = [hostingExclusion(), copy, other, disabled]
    #expect(ExceptionListExport.repeatedIDs(exclusions) == ["ex-1"])
    let items = ExceptionListExport.ndjson(exclusions).split(separator: "\n").map { try! JSONParser.parse(String($0)).objectValue! }.filter { $0["item_id"] != nil }
    #expect(items.map { $0["item_id"] } == [.string("ex-1"), .string("ex-2")])
    #expect(items[0]["description"] == .string(hostingExclusion().comment))
    // The same id for another rule, or for both: still exported once, in no list a second time.
    var otherRule = hostingExclusion()
    otherRule.ruleIDs = [BuiltinRules.lambdaFunctionURLPublic.ruleID]
    var bothRules = hostingExclusion()
    bothRules.ruleIDs = BuiltinRules.all.map(\.ruleID)
    for second in [otherRule, bothRules] {
      let lines = ExceptionListExport.ndjson([hostingExclusion(), second]).split(separator: "\n").map { try! JSONParser.parse(String($0)).objectValue! }
      #expect(lines.compactMap { $0["item_id"] } == [.string("ex-1")])
    }
  }

  @Test("an exclusions file round-trips and bad files name the problem")
  func codec() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lt-exfile-\(UUID().uuidString).json").path
    try Data(ExclusionCodec.fileContents([hostingExclusion()]).utf8).write(to: URL(fileURLWithPath: path))
    #expect(try ExclusionCodec.load(path: path) == [hostingExclusion()])
    let rule = BuiltinRules.lambdaInvokeUnusualASN.ruleID
    func item(_ extra: String = "", rules: String? = nil, entries: String = #"[{"field":"f","type":"exists"}]"#) -> String {
      let ids = rules ?? "[\"" + rule + "\"]"
      return #"{"id":"a","rule_ids":\#(ids),"entries":\#(entries),"comment":"c","created_by":"alice","created_at":"2026-11-06T00:00:00Z"\#(extra)}"#
    }
    func expectError(_ text: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
      #expect(throws: ExclusionCodec.DecodeError(path: path, message: message), sourceLocation: sourceLocation) { try ExclusionCodec.load(path: path) }
    }
    try expectError(#"{"schemaVersion":1,"exclusions":[\#(item(entries: #"[{"field":"f","type":"regex","value":"x"}]"#))]}"#,
                    #"exclusions[0].entries[0].type "regex" is not one of match, match_any, wildcard, exists"#)
    try Data(#"{"schemaVersion":1,"exclusions":[{"id":"a","rule_ids":["\#(rule)"],"entries":[{"field":"f","type":"exists"}],"comment":"  "}]}"#.utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: ExclusionCodec.DecodeError.self) { try ExclusionCodec.load(path: path) }
    // Mistakes that would leave a team's exclusions silently unapplied, or applied wrongly.
    let schema = #"expected an "exclusions" array at the top level (schema: {"schemaVersion":1,"exclusions":[...]})"#
    try expectError(#"{"schemaVersion":1,"exclusion":[\#(item())]}"#, schema)
    try expectError("{}", schema)
    try expectError(#"{"schemaVersion":"abc","exclusions":[]}"#, "schemaVersion must be a number (1)")
    try expectError(#"{"exclusions":[\#(item(rules: #"["c8cc8192-typo"]"#))]}"#,
                    "exclusions[0].rule_ids: c8cc8192-typo is not a rule lambda-triage runs; use " + BuiltinRules.all.map { "\($0.ruleID) (\($0.shortName))" }.joined(separator: ", "))
    try expectError(#"{"exclusions":[\#(item(rules: "[5]"))]}"#, "exclusions[0].rule_ids must be a non-empty array of rule ids (strings)")
    try expectError(#"{"exclusions":[\#(item(#","enabled":"false""#))]}"#, "exclusions[0].enabled must be true or false")
    try expectError(#"{"exclusions":[\#(item(#","expire_time":"never""#))]}"#, "exclusions[0].expire_time must be an ISO 8601 time (e.g. 2027-01-01T00:00:00Z)")
    try expectError(#"{"exclusions":[\#(item()),\#(item())]}"#, "exclusions[1].id a is used twice (Kibana keeps only one item per id)")
    try expectError(#"{"exclusions":[{"id":"a","rule_ids":["\#(rule)"],"entries":[{"field":"f","type":"exists"}],"comment":"c"}]}"#, "exclusions[0].created_by is missing: say who wrote the exclusion")
    // A valid one still loads, expiry and all.
    try Data(#"{"exclusions":[\#(item(#","enabled":false,"expire_time":"2027-01-01T00:00:00Z""#))]}"#.utf8).write(to: URL(fileURLWithPath: path))
    #expect(try ExclusionCodec.load(path: path).first?.isEnabled == false)
  }
}
