import TriageCore

/// The part of an alert's row that list-wide work reads: the header's counts, the filter, the
/// exclusion marks and the time, severity and rule orders. It is computed for every alert before
/// the first frame, so it reads only the alert's header fields (read when the alert was made);
/// the rest of the row (`AlertRowDetail`) waits until a row is drawn.
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
    time = AlertRow.listTime(alert.originalTime)
    severity = alert.severity
    severityRank = AlertRow.rank(of: severity)
    ruleID = alert.ruleID
    ruleName = alert.ruleName
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
