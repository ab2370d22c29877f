import TriageCore

/// The list columns of an alert that depend only on its document: computed once per alert (not per
/// frame), so sorting, searching and scrolling 100k alerts never walks documents again. Status and
/// guide progress come from the session at render time, since they change.
public struct AlertRow: Sendable, Equatable {
  public var time: String
  public var severity: String
  public var severityRank: Int
  public var rule: String
  public var ruleID: String
  public var function: String
  public var principal: String
  public var sourceIP: String
  public var asnOrganization: String
  public var isExcluded: Bool { excludedBy != nil }
  /// The name of the first enabled exclusion that matches the alert.
  public var excludedBy: String?
  /// Every visible field, lowercased, for `/` search.
  public var searchText: String

  public init(_ alert: Alert, exclusions: [Exclusion] = []) {
    let original = alert.originalTime
    time = original.count >= 19 ? original.prefix(10) + " " + original.dropFirst(11).prefix(8) : original
    severity = alert.severity
    severityRank = AlertRow.rank(of: alert.severity)
    rule = alert.rule?.shortName ?? alert.ruleName
    ruleID = alert.ruleID
    function = AlertRow.functionName(alert)
    principal = alert.string("user.name") ?? alert.string("aws.cloudtrail.user_identity.arn") ?? ""
    sourceIP = alert.string("source.ip") ?? alert.string("source.address") ?? ""
    asnOrganization = alert.string("source.as.organization.name") ?? ""
    excludedBy = exclusions.first { $0.ruleIDs.contains(alert.ruleID) && $0.isEnabled && $0.matches(alert.document) }?.name
    searchText = [time, severity, rule, function, principal, sourceIP, asnOrganization, alert.ruleName]
      .joined(separator: "\u{1F}").lowercased()
  }

  /// The function's name: request parameters hold a name, partial ARN or full ARN
  /// (`arn:aws:lambda:…:function:name[:qualifier]`); the name is the part after `function:`.
  static func functionName(_ alert: Alert) -> String {
    let raw = alert.requestParameters?["functionName"]?.keywordText
      ?? alert.responseElements?["functionName"]?.keywordText
      ?? alert.string("aws.cloudtrail.resources.arn") ?? ""
    guard let range = raw.range(of: "function:") else { return raw }
    let rest = raw[range.upperBound...]
    return String(rest.split(separator: ":", maxSplits: 1).first ?? rest)
  }

  /// The last two words of a rule's short name ("new ASN", "function URL") for narrow columns.
  static func tinyRuleName(_ name: String) -> String {
    let words = name.split(separator: " ")
    return words.count > 2 ? words.suffix(2).joined(separator: " ") : name
  }

  static func rank(of severity: String) -> Int {
    switch severity.lowercased() {
    case "critical": return 4
    case "high": return 3
    case "medium": return 2
    case "low": return 1
    default: return 0
    }
  }
}
