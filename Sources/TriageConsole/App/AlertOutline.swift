import TriageCore

/// The part of an alert's row that list-wide work reads: the header's counts, the filter, the
/// exclusion marks and the time, severity and rule orders. It is computed for every alert before
/// the first frame, so it reads only the few `kibana.alert.*` keys, in one pass over the
/// document's top level; the rest of the row (`AlertRowDetail`) waits until a row is drawn.
struct AlertOutline: Sendable, Equatable {
  var time: String
  var severity: String
  var severityRank: Int
  var ruleID: String
  /// The rule's short name for built-in rules, else its name.
  var rule: String
  /// The rule's name as the alert states it (searched, not shown).
  var ruleName: String
  /// The name of the first enabled exclusion that matches the alert.
  var excludedBy: String?

  init(_ alert: Alert, exclusions: [Exclusion]) {
    let kibana = KibanaRowFields(alert.document)
    time = AlertRow.listTime(kibana.originalTime.flatMap(Alert.text) ?? alert.originalTime)
    severity = kibana.severity.flatMap(Alert.text) ?? alert.severity
    severityRank = AlertRow.rank(of: severity)
    ruleID = kibana.ruleID.flatMap(Alert.text) ?? alert.ruleID
    ruleName = kibana.ruleName.flatMap(Alert.text) ?? alert.ruleName
    rule = AlertOutline.shortName(ofRule: ruleID) ?? ruleName
    excludedBy = AlertOutline.exclusion(matching: alert, ruleID: ruleID, in: exclusions)
  }

  /// The outline with the exclusion marks recomputed for a new set of exclusions.
  func excluded(by exclusions: [Exclusion], alert: Alert) -> AlertOutline {
    var changed = self
    changed.excludedBy = AlertOutline.exclusion(matching: alert, ruleID: ruleID, in: exclusions)
    return changed
  }

  private static func exclusion(matching alert: Alert, ruleID: String, in exclusions: [Exclusion]) -> String? {
    guard !exclusions.isEmpty else { return nil }
    return exclusions.first { $0.ruleIDs.contains(ruleID) && $0.isEnabled && $0.matches(alert.document) }?.name
  }

  /// A scan of the two built-in rules, cheaper per alert than hashing the 36-byte rule id.
  private static func shortName(ofRule id: String) -> String? {
    BuiltinRules.all.first { $0.ruleID == id }?.shortName
  }
}

/// The four `kibana.alert.*` keys a row outline reads, found in one pass over the top-level
/// members (`JSONObject.values(ofKeys:)`: the first member with a key wins, as `JSONObject[key]`
/// has it); nil means no such member (nested documents), and the outline then falls back to a
/// path lookup.
struct KibanaRowFields {
  var originalTime: JSONValue?
  var severity: JSONValue?
  var ruleID: JSONValue?
  var ruleName: JSONValue?

  private static let keys = ["kibana.alert.original_time", "kibana.alert.severity", "kibana.alert.rule.rule_id", "kibana.alert.rule.name"]

  init(_ document: JSONObject) {
    let values = document.values(ofKeys: KibanaRowFields.keys)
    originalTime = values[0]
    severity = values[1]
    ruleID = values[2]
    ruleName = values[3]
  }
}
