/// A Kibana-style alert document: `kibana.alert.*` fields (as dotted top-level keys, the way
/// `.alerts-security.alerts-*` stores them) plus the source event's ECS fields, nested.
public struct Alert: Sendable, Equatable, Identifiable {
  public var document: JSONObject

  public init(document: JSONObject) { self.document = document }

  public var id: String { uuid }
  public var uuid: String { string("kibana.alert.uuid") ?? "" }
  public var ruleName: String { string("kibana.alert.rule.name") ?? "" }
  public var ruleID: String { string("kibana.alert.rule.rule_id") ?? "" }
  public var severity: String { string("kibana.alert.severity") ?? "" }
  public var riskScore: Int { document[path: "kibana.alert.risk_score"]?.keywordText.flatMap { Int($0) } ?? 0 }
  public var reason: String { string("kibana.alert.reason") ?? "" }
  /// The source event's time (`kibana.alert.original_time`), ISO 8601 with milliseconds.
  public var originalTime: String { string("kibana.alert.original_time") ?? "" }
  public var workflowStatus: String { string("kibana.alert.workflow_status") ?? "open" }
  public var newTerms: [String] { document[path: "kibana.alert.new_terms"]?.arrayValue?.compactMap(\.keywordText) ?? [] }

  /// The rule this alert came from, when it is one of ours.
  public var rule: DetectionRule? { BuiltinRules.rule(id: ruleID) }

  /// Any field by dotted path (`source.ip`, `aws.cloudtrail.user_identity.arn`).
  public func field(_ path: String) -> JSONValue? { document[path: path] }

  /// A scalar field as text; arrays yield their first scalar.
  public func string(_ path: String) -> String? {
    document[path: path].flatMap(Alert.text)
  }

  /// A field value as `string(_:)` reads it.
  public static func text(_ value: JSONValue) -> String? {
    if let text = value.keywordText { return text }
    if case .array(let elements) = value { return elements.lazy.compactMap(\.keywordText).first }
    return nil
  }
}
