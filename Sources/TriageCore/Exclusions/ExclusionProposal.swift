import Foundation

/// Exclusions suggested from an alert's event, in the order the rules' false-positive analysis
/// names them: for a public function URL, the function and the identity that created it; for an
/// invoke from a new ASN, the network (organisation, number), the identity and the access key.
/// Pairs (AND) follow the single conditions, for teams that want to except a known identity only
/// on a known network.
public struct ExclusionProposal: Sendable, Equatable {
  public var entries: [ExclusionEntry]

  public init(entries: [ExclusionEntry]) { self.entries = entries }

  public var summary: String { entries.map(\.summary).joined(separator: " AND ") }

  public static func proposals(for alert: Alert) -> [ExclusionProposal] {
    let singles: [ExclusionEntry]
    let pairs: [(Int, Int)]
    switch alert.ruleID {
    case BuiltinRules.lambdaFunctionURLPublic.ruleID:
      singles = [functionEntry(alert), entry(alert, "aws.cloudtrail.user_identity.arn")].compactMap { $0 }
      pairs = [(0, 1)]
    case BuiltinRules.lambdaInvokeUnusualASN.ruleID:
      singles = [
        entry(alert, "source.as.organization.name"), entry(alert, "source.as.number"),
        entry(alert, "aws.cloudtrail.user_identity.arn"), entry(alert, "aws.cloudtrail.user_identity.access_key_id"),
      ].compactMap { $0 }
      pairs = [(0, 2), (1, 2), (0, 3)]
    default:
      singles = [entry(alert, "aws.cloudtrail.user_identity.arn"), entry(alert, "source.as.organization.name")].compactMap { $0 }
      pairs = []
    }
    var out = singles.map { ExclusionProposal(entries: [$0]) }
    for (a, b) in pairs where a < singles.count && b < singles.count {
      // Only pairs whose both fields the event has (compactMap above may have shifted indices).
      let fields = Set([singles[a].field, singles[b].field])
      if fields.count == 2 { out.append(ExclusionProposal(entries: [singles[a], singles[b]])) }
    }
    return out
  }

  /// `field is <the event's value>`, when the event has one.
  static func entry(_ alert: Alert, _ field: String) -> ExclusionEntry? {
    guard let value = alert.string(field), !value.isEmpty else { return nil }
    return ExclusionEntry(field: field, kind: .match(value))
  }

  /// The function named in the request: the flattened field where Elastic indexes it, else a
  /// wildcard over the rendered parameters (documents exported without the flattened object).
  static func functionEntry(_ alert: Alert) -> ExclusionEntry? {
    let flattened = "aws.cloudtrail.flattened.request_parameters.functionName"
    if let value = alert.string(flattened), !value.isEmpty {
      return ExclusionEntry(field: flattened, kind: .match(value))
    }
    guard let value = alert.requestParameters?["functionName"]?.keywordText, !value.isEmpty else { return nil }
    let escaped = value.replacingOccurrences(of: "*", with: "?").replacingOccurrences(of: "\\", with: "?")
    return ExclusionEntry(field: "aws.cloudtrail.request_parameters", kind: .wildcard("*functionName=\(escaped)*"))
  }
}
