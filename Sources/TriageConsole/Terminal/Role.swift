/// What a piece of text is, never what colour it has: the terminal maps roles to colours, or to
/// bold/reverse/dim on monochrome terminals and under NO_COLOR.
public enum Role: Sendable, Equatable, Hashable, CaseIterable {
  case normal
  case header
  case title
  case label
  case selected
  case marked
  case dim
  case hint
  case match
  case escaped
  case error
  case severityCritical
  case severityHigh
  case severityMedium
  case severityLow
  case statusOpen
  case statusAcknowledged
  case statusClosed

  /// The role a Kibana severity is drawn in.
  public static func severity(_ text: String) -> Role {
    switch text.lowercased() {
    case "critical": return .severityCritical
    case "high": return .severityHigh
    case "medium": return .severityMedium
    default: return .severityLow
    }
  }
}
