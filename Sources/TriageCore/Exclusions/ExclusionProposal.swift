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
    let singles: [ExclusionEntry?]
    let pairs: [(ExclusionEntry?, ExclusionEntry?)]
    switch alert.ruleID {
    case BuiltinRules.lambdaFunctionURLPublic.ruleID:
      let function = functionEntry(alert), identity = identityEntry(alert)
      singles = [function, identity]
      pairs = [(function, identity)]
    case BuiltinRules.lambdaInvokeUnusualASN.ruleID:
      let organization = entry(alert, "source.as.organization.name"), number = entry(alert, "source.as.number")
      let identity = identityEntry(alert), key = keyEntry(alert)
      singles = [organization, number, identity, key]
      pairs = [(organization, identity), (number, identity), (organization, key)]
    default:
      singles = [identityEntry(alert), entry(alert, "source.as.organization.name")]
      pairs = []
    }
    var out = singles.compactMap { $0 }.map { ExclusionProposal(entries: [$0]) }
    // Only pairs whose both fields the event has.
    for case let (a?, b?) in pairs { out.append(ExclusionProposal(entries: [a, b])) }
    return out
  }

  /// Who made the call, as a condition later events can meet: an assumed role by the role that
  /// issued the session (each session has its own ARN, so a session's ARN would only ever match
  /// that session), anyone else by their ARN.
  static func identityEntry(_ alert: Alert) -> ExclusionEntry? {
    if alert.string("aws.cloudtrail.user_identity.type") == "AssumedRole",
       let issuer = entry(alert, "aws.cloudtrail.user_identity.session_context.session_issuer.arn") {
      return issuer
    }
    return entry(alert, "aws.cloudtrail.user_identity.arn")
  }

  /// The access key, when it outlives the session: a temporary (`ASIA…`) key is never seen again.
  static func keyEntry(_ alert: Alert) -> ExclusionEntry? {
    guard alert.string("aws.cloudtrail.user_identity.access_key_id")?.hasPrefix("ASIA") != true else { return nil }
    return entry(alert, "aws.cloudtrail.user_identity.access_key_id")
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
