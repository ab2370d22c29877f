/// The analyst's workflow status of an alert, with Kibana's `workflow_status` values so an export
/// back to Elastic needs no translation.
public enum AlertStatus: String, Sendable, Equatable, CaseIterable {
  case open
  case acknowledged
  case closed

  public var label: String {
    switch self {
    case .open: return "open"
    case .acknowledged: return "acknowledged"
    case .closed: return "closed"
    }
  }
}
