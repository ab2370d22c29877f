/// Elastic's exception-list export format (what Kibana's Shared Exception Lists page imports):
/// the list objects, then their items, one JSON object per line, then a summary line. One shared
/// (`detection`) list per rule; an exclusion scoped to both rules becomes an item in each list.
/// Disabled exclusions are left out: Elastic has no "disabled" item.
public enum ExceptionListExport {
  public static func listID(for rule: DetectionRule) -> String { "lambda-triage-\(rule.ruleID)" }

  /// Kibana keeps one item per item_id: of the enabled exclusions, a repeated id (the same
  /// exclusion in the state and a team file, or a hand-edited file) is exported once, the first,
  /// whatever its rules. Also the ids given more than once, each once, in order.
  static func deduplicated(_ exclusions: [Exclusion]) -> (unique: [Exclusion], repeated: [String]) {
    var seen = Set<String>(), unique: [Exclusion] = [], repeated: [String] = []
    for exclusion in exclusions where exclusion.isEnabled {
      if seen.insert(exclusion.id).inserted {
        unique.append(exclusion)
      } else if !repeated.contains(exclusion.id) {
        repeated.append(exclusion.id)
      }
    }
    return (unique, repeated)
  }

  /// The ids given to more than one enabled exclusion: `ndjson` exports only the first of each.
  public static func repeatedIDs(_ exclusions: [Exclusion]) -> [String] { deduplicated(exclusions).repeated }

  public static func ndjson(_ exclusions: [Exclusion], rules: [DetectionRule] = BuiltinRules.all) -> String {
    var lists: [JSONValue] = []
    var items: [JSONValue] = []
    let unique = deduplicated(exclusions).unique
    for rule in rules {
      let mine = unique.filter { $0.ruleIDs.contains(rule.ruleID) }
      guard !mine.isEmpty else { continue }
      let listID = listID(for: rule)
      lists.append(.object(JSONObject([
        JSONMember("list_id", .string(listID)),
        JSONMember("name", .string("lambda-triage exclusions: \(rule.name)")),
        JSONMember("description", .string("Exclusions decided while triaging \"\(rule.name)\" (rule_id \(rule.ruleID)) in lambda-triage. Attach this shared list to the rule.")),
        JSONMember("type", .string("detection")),
        JSONMember("namespace_type", .string("single")),
        JSONMember("os_types", .array([])),
        JSONMember("tags", .array([.string("lambda-triage")])),
        JSONMember("immutable", .bool(false)),
        JSONMember("version", .number(JSONNumber(1))),
      ])))
      for exclusion in mine {
        var item = JSONObject([
          JSONMember("item_id", .string(rules.count > 1 && exclusion.ruleIDs.count > 1 ? "\(exclusion.id)-\(rule.ruleID.prefix(8))" : exclusion.id)),
          JSONMember("list_id", .string(listID)),
          JSONMember("name", .string(exclusion.name.isEmpty ? exclusion.entries.map(\.summary).joined(separator: " AND ") : exclusion.name)),
          JSONMember("description", .string(exclusion.comment)),
          JSONMember("type", .string("simple")),
          JSONMember("namespace_type", .string("single")),
          JSONMember("os_types", .array([])),
          JSONMember("tags", .array([.string("lambda-triage")])),
          JSONMember("comments", .array([.object(JSONObject([
            JSONMember("comment", .string("\(exclusion.comment) (\(exclusion.author.isEmpty ? "unknown" : exclusion.author), \(exclusion.createdAt))")),
          ]))])),
          JSONMember("entries", .array(exclusion.entries.map(ExclusionCodec.encode))),
        ])
        if let expires = exclusion.expiresAt { item["expire_time"] = .string(expires) }
        items.append(.object(item))
      }
    }
    var out = ""
    for line in lists + items { out += JSONWriter.compact(line) + "\n" }
    out += #"{"exported_exception_list_count":\#(lists.count),"exported_exception_list_item_count":\#(items.count),"missing_exception_list_item_count":0,"missing_exception_list_items":[],"missing_exception_lists":[],"missing_exception_lists_count":0}"# + "\n"
    return out
  }
}
