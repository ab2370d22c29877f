/// A Kibana-style alert document: `kibana.alert.*` fields (as dotted top-level keys, the way
/// `.alerts-security.alerts-*` stores them) plus the source event's ECS fields, nested.
public struct Alert: Sendable, Equatable, Identifiable {
  public var document: JSONObject {
    didSet { header = Header(document) }
  }
  /// The fields every list, index and sort reads, taken from the document when it is set (while
  /// it is in cache) rather than looked up again per alert on each use: at 100k alerts those
  /// lookups were most of the console's first frame.
  private var header: Header

  public init(document: JSONObject) {
    self.document = document
    header = Header(document)
  }

  public var id: String { uuid }
  public var uuid: String { header.uuid }
  public var ruleName: String { header.ruleName }
  public var ruleID: String { header.ruleID }
  public var severity: String { header.severity }
  public var riskScore: Int { document[path: "kibana.alert.risk_score"]?.keywordText.flatMap { Int($0) } ?? 0 }
  public var reason: String { string("kibana.alert.reason") ?? "" }
  /// The source event's time (`kibana.alert.original_time`), ISO 8601 with milliseconds.
  public var originalTime: String { header.originalTime }
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

  private struct Header: Sendable, Equatable {
    var uuid = "", originalTime = "", severity = "", ruleID = "", ruleName = ""

    private static let keys = ["kibana.alert.uuid", "kibana.alert.original_time", "kibana.alert.severity", "kibana.alert.rule.rule_id", "kibana.alert.rule.name"]

    /// One pass over the top-level members finds the dotted keys Kibana's alert documents use; a
    /// field not found there (a nested document) is looked up by path, as `string(_:)` would.
    init(_ document: JSONObject) {
      let values = document.values(ofKeys: Header.keys)
      func text(_ k: Int) -> String {
        values[k].flatMap(Alert.text) ?? document[path: Header.keys[k]].flatMap(Alert.text) ?? ""
      }
      uuid = text(0)
      originalTime = text(1)
      severity = text(2)
      ruleID = text(3)
      ruleName = text(4)
    }
  }
}
