/// Why an alert was closed: Elastic Security's closing reasons, stored under Kibana's own values
/// (`kibana.alert.workflow_reason`).
public enum CloseReason: String, Sendable, Equatable, CaseIterable {
  case falsePositive = "false_positive"
  case benignPositive = "benign_positive"
  case truePositive = "true_positive"
  case duplicate
  case other

  public var label: String {
    switch self {
    case .falsePositive: return "false positive"
    case .benignPositive: return "benign positive"
    case .truePositive: return "true positive"
    case .duplicate: return "duplicate"
    case .other: return "other"
    }
  }
}
